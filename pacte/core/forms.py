"""Form plumbing shared by every app: DSFR rendering, services' errors put back on the fields, optimistic
locking, French amounts, and the select lists of territories, axes and measures.

The pattern of a page that changes something:

    form = SomethingForm(request.POST)
    if form.is_valid():
        with errors_on(form) as outcome:
            services.change_something(..., expected_version=form.cleaned_data["lock_version"])
        if outcome.ok:
            return redirect(...)
    return render(...)  # the form now carries the services' messages, each on its field

A service raises `ValidationError({path: [messages]})` (see `pacte.core.errors.Errors`) or `StaleEditError`;
`errors_on` puts each message on the field `form.field_for(path)` names (the hook a form overrides to map
`budget[3].amount` onto a grid cell), the rest at the top of the form.

Every one-line text input of a form built on `PacteFormMixin` (a `CharField` shown as a `TextInput`, whether
declared, generated from a model or added in `__init__`) refuses control characters — line breaks, tabulation,
NUL… — with a French message naming the field (`pacte.core.validators.SingleLine`).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from dsfr.forms import DsfrBaseForm

from pacte import formatting
from pacte.core.locking import StaleEditError
from pacte.core.validators import SingleLine

SPACES = re.compile(r"[\s\u202f\u00a0]")


def is_single_line(field) -> bool:
    """A text typed on one line: a `CharField` (or subclass) whose input is a `TextInput`."""
    return isinstance(field, forms.CharField) and isinstance(field.widget, forms.TextInput)


class PacteFormMixin:
    """DSFR rendering (optional fields marked "(facultatif)", as the DSFR now recommends), one-line text inputs
    that refuse control characters, and the services' errors put on the fields they name."""

    def full_clean(self):
        self.guard_single_lines()
        super().full_clean()

    def guard_single_lines(self) -> None:
        """Add `SingleLine(label)` to each one-line text field (once; the form's own copy of the field). It
        replaces Django's NUL check, which it covers, so that a NUL gets one message."""
        for name, field in self.fields.items():
            if is_single_line(field) and not any(isinstance(v, SingleLine) for v in field.validators):
                kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators = [*kept, SingleLine(str(self[name].label or name))]

    def get_context(self) -> dict:
        context = forms.BaseForm.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

    def field_for(self, path: str) -> str | None:
        """The field that shows the services' messages about `path`; None for the top of the form. Override
        it to map paths such as `amounts.2025` or `budget[3].amount` onto their inputs."""
        return path if path in self.fields else None

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for path, messages in error.message_dict.items():
            name = None if path == NON_FIELD_ERRORS else self.field_for(path)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def error_summary(self) -> list[dict]:
        """Every error of the form as {label, message, anchor} (the label and input of its field), for the
        summary shown above the form."""
        summary = []
        for name, messages in self.errors.items():
            if name == NON_FIELD_ERRORS:
                summary.extend({"label": "", "message": message, "anchor": ""} for message in messages)
                continue
            bound = self[name]
            summary.extend(
                {"label": bound.label, "message": message, "anchor": bound.auto_id} for message in messages
            )
        return summary


class PacteForm(PacteFormMixin, DsfrBaseForm):
    pass


class PacteModelForm(PacteFormMixin, DsfrBaseForm, forms.ModelForm):
    pass


LOCK_VERSION_MISSING = (
    "La page a été envoyée sans la version des informations qu’elle montrait : rechargez-la, puis enregistrez à "
    "nouveau."
)


class LockForm(PacteForm):
    """Carries the `lock_version` a page was opened with (optimistic locking, `pacte.core.locking`). Mixed into a
    model form, it reads the version from the instance."""

    lock_version = forms.IntegerField(
        label="Version", widget=forms.HiddenInput, error_messages={"required": LOCK_VERSION_MISSING}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None and "lock_version" not in self.initial:
            self.initial["lock_version"] = instance.lock_version

    def add_error(self, field, error):
        # A hidden field's message would read « (Champ masqué lock_version) … »: show it at the top of the form.
        super().add_error(None if field == "lock_version" else field, error)


@dataclass
class Outcome:
    """Whether the services call inside `errors_on` went through, and if not, the refusal."""

    ok: bool = True
    error: Exception | None = None


@contextmanager
def errors_on(form) -> Iterator[Outcome]:
    """Run a services call; a refusal (ValidationError, StaleEditError) lands on `form` instead of escaping, and
    `outcome.ok` turns False. `form` is anything with `add_service_errors(error)` and `add_error(None, message)`
    (a form, or an editor made of several forms)."""
    outcome = Outcome()
    try:
        yield outcome
    except StaleEditError as error:
        outcome.ok, outcome.error = False, error
        form.add_error(None, str(error))
    except ValidationError as error:
        outcome.ok, outcome.error = False, error
        form.add_service_errors(error)


class Notices:
    """Where `errors_on` puts the refusals of an action that has no form of its own (a button that publishes,
    convenes, files, withdraws): each message becomes an error message shown at the top of the next page.

        with errors_on(Notices(request)) as outcome:
            services.publish(call, by=request.user)
    """

    def __init__(self, request):
        self.request = request

    def add_error(self, _field, message) -> None:
        flash.error(self.request, message)

    def add_service_errors(self, error: ValidationError) -> None:
        for message in error.messages:
            flash.error(self.request, message)


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
            return formatting.typed_number(value)
        return value


def territory_choice_label(territory) -> str:
    """A territory in a select list: « Loire-Atlantique (département, 44) »."""
    return f"{territory.name} ({territory.level_label.lower()}, {territory.code})"


class TerritoryChoiceField(forms.ModelChoiceField):
    """A territory in a select list, labelled by `territory_choice_label`."""

    def label_from_instance(self, obj) -> str:
        return territory_choice_label(obj)


def axis_label(axis) -> str:
    """« Axe 2 – Amplifier la politique d'accès à l'emploi … »."""
    return f"Axe {axis.number} – {axis.title}"


class AxisField(forms.ModelChoiceField):
    """An axis of the référentiel in a select list."""

    def label_from_instance(self, obj) -> str:
        return axis_label(obj)


class AxesField(forms.ModelMultipleChoiceField):
    """Axes of the référentiel as checkboxes or a multiple select."""

    def label_from_instance(self, obj) -> str:
        return axis_label(obj)


class MeasuresField(forms.ModelMultipleChoiceField):
    """Measures of the référentiel, each labelled with its axis (give a queryset with `select_related("axis")`)."""

    def label_from_instance(self, obj) -> str:
        return f"Axe {obj.axis.number} – {obj.title}"
