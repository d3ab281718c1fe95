from datetime import timedelta

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from pacte.accounts.enums import NotificationFrequency
from pacte.accounts.models import Organisation
from pacte.core import mail
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


# --- Passwords ----------------------------------------------------------------------------------------------


class PasswordResetRequestForm(PacteFormMixin, DsfrBaseForm, PasswordResetForm):
    """« Mot de passe oublié » : the address of the account. Django's form finds the active accounts with a usable
    password under that address (none for an unknown address: the page says the same either way); the mail goes
    through the queue (`pacte.core.mail`), never sent in the request."""

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Celle de votre compte, par exemple nom@exemple.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Adresse électronique : indiquez l’adresse de votre compte.",
            "invalid": "Adresse électronique : saisissez une adresse valide, par exemple nom@exemple.fr.",
        },
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
        mail.queue(message)


class _NewPasswordMixin:
    """The rules of the password validators are shown above the fields by the template (`password_rules`), not
    repeated under the first field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hints = {
            "new_password1": "Les règles sont rappelées au-dessus du formulaire.",
            "new_password2": "Saisissez le même mot de passe, pour vérification.",
        }
        for name, hint in hints.items():
            # The bound field, made by DsfrBaseForm's __init__, keeps its own copy of the help text.
            self.fields[name].help_text = self[name].help_text = hint


class PasswordSetForm(_NewPasswordMixin, PacteFormMixin, DsfrBaseForm, SetPasswordForm):
    """The new password chosen through the link of the reset mail."""

    error_messages = {"password_mismatch": "Nouveau mot de passe : les deux saisies ne correspondent pas."}


class PasswordUpdateForm(_NewPasswordMixin, PacteFormMixin, DsfrBaseForm, PasswordChangeForm):
    """« Mon compte » : the current password, then the new one twice."""

    error_messages = {
        "password_mismatch": "Nouveau mot de passe : les deux saisies ne correspondent pas.",
        "password_incorrect": "Mot de passe actuel incorrect : saisissez celui que vous utilisez pour vous connecter.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"


# --- Notifications ------------------------------------------------------------------------------------------


class NotificationFrequencyForm(PacteForm):
    """« Mon compte » : when the user receives the e-mails of the workflow events that wait on them
    (`pacte.accounts.notifications`)."""

    notification_frequency = forms.ChoiceField(
        label="Courriels de notification",
        choices=NotificationFrequency.choices,
        widget=forms.RadioSelect,
        help_text="Un rapport déposé ou renvoyé, une convention à valider ou à signer, une candidature déposée ou "
        "décidée, une décision à porter : quand en recevoir le courriel.",
        error_messages={
            "required": "Courriels de notification : choisissez quand les recevoir.",
            "invalid_choice": "Courriels de notification : choisissez l’une des trois possibilités proposées.",
        },
    )
