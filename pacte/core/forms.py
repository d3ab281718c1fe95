from django import forms
from dsfr.forms import DsfrBaseForm


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
