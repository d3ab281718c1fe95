import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

SPACES = re.compile(r"[\s\u202f\u00a0]")


class PacteFormMixin:
    """DSFR rendering; optional fields are marked "(facultatif)" as the DSFR now recommends."""

    def get_context(self) -> dict:
        context = forms.BaseForm.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class PacteForm(PacteFormMixin, DsfrBaseForm):
    pass


class PacteModelForm(PacteFormMixin, DsfrBaseForm, forms.ModelForm):
    pass


class AmountField(forms.DecimalField):
    """A number typed the French way: spaces between thousands and a decimal comma are accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value).replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            text = format(value.normalize() if value == value.to_integral_value() else value, "f")
            return text.replace(".", ",")
        return value


def apply_errors(error: ValidationError, form: forms.Form) -> None:
    """Put the messages of a services error on `form`: each path on the field of the same name, anything
    else (the status, a rule on the whole row) at the top of the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for path, messages in error.message_dict.items():
        for message in messages:
            form.add_error(path if path in form.fields else None, message)


def territory_choice_label(territory) -> str:
    """A territory in a select list: its name, level and code."""
    return f"{territory.name} ({territory.level_label.lower()}, {territory.code})"


class AxisField(forms.ModelChoiceField):
    """An axis of the référentiel in a select list: "Axe 2 – …"."""

    def label_from_instance(self, obj) -> str:
        return f"Axe {obj.number} – {obj.title}"
