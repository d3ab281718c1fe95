from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from pacte.accounts.models import Organisation
from pacte.core.forms import LockForm, PacteForm, PacteFormMixin, PacteModelForm


class LoginForm(PacteFormMixin, DsfrBaseForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Vérifiez la saisie (les majuscules comptent).",
        "inactive": "Ce compte est désactivé.",
    }


class OrganisationForm(LockForm, PacteModelForm):
    """Edits an organisation's contact details; the hidden `lock_version` (LockForm) is the version the form
    was opened with, so that a concurrent change is refused instead of silently overwriting it."""

    siren = forms.CharField(
        label="SIREN", required=False, max_length=14, help_text="9 chiffres, espaces acceptés"
    )
    website = forms.URLField(label="Site internet", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "siren", "rna", "email", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lock_version", self.instance.lock_version)

    def changes(self) -> dict:
        """The values of the form, for `services.update_organisation`."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def clean_siren(self) -> str:
        return self.cleaned_data["siren"].replace(" ", "")


TOKEN_DURATIONS = [("30", "30 jours"), ("90", "90 jours"), ("365", "1 an")]


class ApiTokenForm(PacteForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour le reconnaître plus tard, par exemple « Tableau de bord du département ».",
    )
    duration = forms.ChoiceField(label="Durée de validité", choices=TOKEN_DURATIONS, initial="90")

    def expires_at(self):
        return timezone.now() + timedelta(days=int(self.cleaned_data["duration"]))
