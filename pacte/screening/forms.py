"""Forms of the access-to-rights pages: the simulator (one household, nothing stored) and the batch upload.

Every message is French and names the field; a person's field errors also name the person ("Personne 2").
"""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from pacte.core.collation import french
from pacte.core.forms import PacteForm, TerritoryChoiceField
from pacte.formatting import euros, file_size, month
from pacte.rights import households
from pacte.rights.catalogue import CATALOGUE
from pacte.screening import files
from pacte.territories.enums import Level
from pacte.territories.models import Territory

ROLE_CHOICES = [
    (households.FamilyRole.APPLICANT.value, "Demandeur ou demandeuse"),
    (households.FamilyRole.SPOUSE.value, "Conjoint ou conjointe"),
    (households.FamilyRole.CHILD.value, "Enfant à charge"),
]
HOUSING_CHOICES = [
    (households.Housing.RENTER_EMPTY.value, "Locataire d'un logement vide (parc privé)"),
    (households.Housing.RENTER_SOCIAL.value, "Locataire d'un logement social (HLM)"),
    (households.Housing.RENTER_FURNISHED.value, "Locataire d'un meublé ou d'un hôtel"),
    (households.Housing.RENTER_HOSTEL.value, "Résident d'un foyer"),
    (households.Housing.OWNER.value, "Propriétaire"),
    (households.Housing.FIRST_TIME_BUYER.value, "Accédant à la propriété"),
    (households.Housing.HOUSED_FREE.value, "Hébergé gratuitement"),
    (households.Housing.HOMELESS.value, "Sans domicile"),
]
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_MONTH = "2024-01"  # the engine's parameters and the declared past (24 months) are reliable from there
ACCEPTED_EXTENSIONS = (".csv", ".txt")
HEADER_MAX = 64 * 1024  # bytes read to check the header line
PEOPLE_SHOWN = 6  # rows of the people formset (the applicant and five more)


def current_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def next_month() -> str:
    today = timezone.localdate()
    return f"{today.year + today.month // 12}-{today.month % 12 + 1:02d}"


def month_choices() -> list[tuple[str, str]]:
    """The months that may be computed, newest first, written in French: ("2026-12", "décembre 2026")."""
    year, number = (int(part) for part in next_month().split("-"))
    first_year, first_number = (int(part) for part in FIRST_MONTH.split("-"))
    choices = []
    while (year, number) >= (first_year, first_number):
        value = f"{year}-{number:02d}"
        choices.append((value, month(value)))
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return choices


def clean_month(value: str) -> str:
    """A month "AAAA-MM" between FIRST_MONTH and next month; a French message otherwise."""
    value = (value or "").strip()
    match = MONTH_PATTERN.match(value)
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValidationError(
            f"« {value} » n'est pas un mois : choisissez-en un dans la liste (format AAAA-MM, par exemple "
            f"{current_month()} pour {month(current_month())})."
        )
    if value < FIRST_MONTH:
        raise ValidationError(f"Le calcul commence en {month(FIRST_MONTH)} : choisissez un mois plus récent.")
    if value > next_month():
        raise ValidationError(f"Le mois ne peut pas dépasser le mois prochain ({month(next_month())}).")
    return value


def _month_field() -> forms.CharField:
    """The month of the computation, chosen in a list of months written in French (`month_choices`, set by
    the form when it is built: the list moves with today)."""
    return forms.CharField(
        label="Mois du calcul",
        help_text="Les droits sont estimés pour ce mois.",
        error_messages={"required": "Indiquez le mois du calcul."},
        widget=forms.Select(),
    )


def _euros_field(label: str, maximum: int = 100_000, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=0,
        max_value=maximum,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": "Saisissez un montant en euros, par exemple 1250 ou 1250,50.",
            "min_value": "Le montant doit être positif ou nul.",
            "max_value": f"Le montant mensuel ne peut pas dépasser {euros(maximum)}.",
            "max_decimal_places": "Deux chiffres après la virgule au plus.",
            "max_digits": "Montant trop long.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class MonthForm(PacteForm):
    """A form with the month of the computation (`mois`), chosen among the months written in French."""

    mois = _month_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mois"].widget.choices = month_choices()

    def clean_mois(self) -> str:
        return clean_month(self.cleaned_data["mois"])


# --- Simulator --------------------------------------------------------------------------------------------


class HouseholdForm(MonthForm):
    commune = forms.CharField(
        label="Commune de résidence (code INSEE)",
        max_length=5,
        help_text="Cinq caractères, par exemple 44109 pour Nantes (le code INSEE, pas le code postal).",
        error_messages={"required": "Indiquez le code INSEE de la commune de résidence."},
    )
    statut_occupation_logement = forms.ChoiceField(
        label="Situation de logement",
        choices=[("", "Choisir")] + HOUSING_CHOICES,
        error_messages={"required": "Indiquez la situation de logement du foyer."},
    )
    loyer = _euros_field("Loyer mensuel (charges non comprises), en euros")
    prestations_percues = forms.MultipleChoiceField(
        label="Prestations déjà perçues",
        required=False,
        choices=[(benefit.code, benefit.label) for benefit in CATALOGUE],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"mois": current_month()})
        super().__init__(*args, **kwargs)
        self.commune_territory: Territory | None = None

    def clean_commune(self) -> str:
        code = self.cleaned_data["commune"].strip().upper()
        if len(code) == 4 and code.isdigit():
            code = "0" + code
        territory = Territory.objects.filter(level=Level.COMMUNE, code=code).order_by("-is_active").first()
        if territory is None:
            raise ValidationError(
                f"« {code} » n'est pas le code INSEE d'une commune (cinq caractères, par exemple 44109 pour "
                "Nantes ; le code postal ne convient pas)."
            )
        self.commune_territory = territory
        return code


YES_NO_UNKNOWN = [("", "Je ne sais pas"), ("oui", "Oui"), ("non", "Non")]


def _yes_no_field(label: str, help_text: str) -> forms.TypedChoiceField:
    """Oui, non or unknown (None): an unknown answer is never taken for a no."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        choices=YES_NO_UNKNOWN,
        coerce=lambda value: value == "oui",
        empty_value=None,
    )


class PersonForm(PacteForm):
    """One person of the household. Persons 2 and more are optional (`optional`): their place and birth date
    are asked only once something of them is typed, and their fields carry no required mark."""

    REQUIRED = ("role", "date_naissance")

    role = forms.ChoiceField(label="Place dans le foyer", choices=[("", "Choisir")] + ROLE_CHOICES)
    date_naissance = forms.DateField(
        label="Date de naissance",
        error_messages={"invalid": "Saisissez une date de naissance valide, par exemple 23/04/1985."},
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    salaire_net = _euros_field("Salaire net mensuel (€)")
    chomage_net = _euros_field("Allocation chômage nette mensuelle (€)")
    retraite_nette = _euros_field("Pension de retraite nette mensuelle (€)")
    pension_invalidite = _euros_field("Pension d'invalidité nette mensuelle (€)")
    pension_alimentaire_recue = _euros_field(
        "Pension alimentaire reçue par mois (€)",
        help_text=(
            "Laissez vide si vous ne savez pas, 0 si aucune n'est reçue : sans ce montant, l'allocation de "
            "soutien familial reste « à vérifier »."
        ),
    )
    taux_incapacite = forms.IntegerField(
        label="Taux d'incapacité reconnu par la MDPH (%)",
        help_text="Sans lui, l'AAH n'est pas estimée.",
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": "Saisissez un taux entier entre 0 et 100.",
            "min_value": "Le taux d'incapacité ne peut pas être négatif.",
            "max_value": "Le taux d’incapacité ne peut pas dépasser 100 %%.",
        },
    )
    rsdae = _yes_no_field(
        "Restriction substantielle et durable d'accès à l'emploi (RSDAE) reconnue",
        "Reconnue par la CDAPH ; avec un taux de 50 à 79 %, elle ouvre l'AAH.",
    )
    etudiant = _yes_no_field("Étudiant ou étudiante", "Dans l'enseignement supérieur.")

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional
        self.fields["role"].error_messages["required"] = "Indiquez la place de cette personne dans le foyer."
        self.fields["date_naissance"].error_messages["required"] = "Indiquez la date de naissance."
        if optional:
            for name in self.REQUIRED:
                self.fields[name].required = False

    def clean_date_naissance(self) -> date | None:
        value = self.cleaned_data["date_naissance"]
        today = timezone.localdate()
        if value is not None and (value > today or value.year < today.year - 120):
            raise ValidationError("Cette date de naissance n'est pas plausible.")
        return value

    def clean(self) -> dict:
        data = super().clean()
        if self.optional:  # something was typed for this person (or the formset skips it): ask the rest
            for name in self.REQUIRED:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def person(self) -> households.Person:
        data = self.cleaned_data
        return households.Person(
            role=households.FamilyRole(data["role"]),
            birth_date=data["date_naissance"],
            salary=data["salaire_net"] or Decimal(0),
            unemployment=data["chomage_net"] or Decimal(0),
            pension=data["retraite_nette"] or Decimal(0),
            disability_rate=data["taux_incapacite"] or 0,
            child_support=data["pension_alimentaire_recue"],
            student=data["etudiant"],
            rsdae=data["rsdae"],
            invalidity_pension=data["pension_invalidite"],
        )


class BasePersonFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "optional": index is None or index > 0}

    def clean(self) -> None:
        if any(self.errors):
            return
        roles = [form.cleaned_data["role"] for form in self.forms if form.has_changed() and form.cleaned_data]
        if roles.count(households.FamilyRole.APPLICANT) != 1:
            raise ValidationError(
                "Le foyer doit compter une et une seule personne « demandeur ou demandeuse »."
                if roles
                else "Décrivez au moins la personne qui demande (personne 1)."
            )
        if roles.count(households.FamilyRole.SPOUSE) > 1:
            raise ValidationError("Le foyer compte au plus un conjoint ou une conjointe.")

    def people(self) -> list[households.Person]:
        return [form.person() for form in self.forms if form.has_changed() and form.cleaned_data]

    def numbered_errors(self) -> list[str]:
        """ "Personne 2 — Date de naissance : …" for every field error of every person."""
        lines = []
        for number, form in enumerate(self.forms, 1):
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else "Personne"
                lines.extend(f"Personne {number} — {label} : {error}" for error in errors)
        return lines


PersonFormSet = forms.formset_factory(
    PersonForm,
    formset=BasePersonFormSet,
    extra=PEOPLE_SHOWN - 1,
    max_num=households.MAX_PEOPLE,
    validate_max=True,
)


def person_formset(data=None) -> BasePersonFormSet:
    """The people of the simulator: person 1 (the applicant, required), then optional persons."""
    formset = PersonFormSet(
        data, prefix="personnes", initial=[{"role": households.FamilyRole.APPLICANT.value}]
    )
    for number, form in enumerate(formset.forms, 1):
        form.number = number
        if number == 1:
            form.empty_permitted = False
            form.use_required_attribute = False
    return formset


# --- Batch upload -----------------------------------------------------------------------------------------


def max_size() -> int:
    return settings.RIGHTS_UPLOAD_MAX_SIZE


def check_header(upload) -> None:
    """Read the first lines of the upload: UTF-8, a usable header (the reader's French message names the
    missing columns), at least one data row. The rows themselves are checked by the job, line by line."""
    upload.seek(0)
    first = upload.readline(HEADER_MAX)
    second = upload.readline(HEADER_MAX)
    upload.seek(0)
    try:
        header = first.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            "Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre "
            "tableur, puis déposez-le à nouveau."
        ) from None
    try:
        next(households.read_households([header], today=timezone.localdate()), None)
    except households.FileFormatError as error:
        raise ValidationError(str(error)) from None
    if not second.strip():
        raise ValidationError("Le fichier ne contient que l'en-tête : aucune ligne de personne à examiner.")


def screenable_territories(user):
    """The territories a user may screen: its own, and the départements and EPCI inside it (communes
    inside an EPCI or a commune's own territory)."""
    if not user.territory_id:
        return Territory.objects.none()
    inside = Territory.objects.filter(user.territory.within_q()).filter(is_active=True)
    if user.territory.level in (Level.REGION, Level.COM, Level.DEPARTEMENT):
        inside = inside.exclude(level=Level.COMMUNE)
    return inside.order_by("level", french("name"))


class UploadForm(MonthForm):
    field_order = ["fichier", "territoire", "mois"]

    fichier = forms.FileField(
        label="Fichier des ménages (CSV, format v2)",
        error_messages={
            "required": "Choisissez le fichier des ménages à examiner.",
            "empty": "Le fichier est vide.",
        },
    )
    territoire = TerritoryChoiceField(
        label="Territoire",
        queryset=Territory.objects.none(),
        help_text="Seuls les foyers des communes de ce territoire sont examinés ; les autres sont refusés.",
        error_messages={
            "required": "Choisissez le territoire du traitement.",
            "invalid_choice": "Choisissez un territoire de votre périmètre.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"mois": current_month(), "territoire": user.territory_id})
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = screenable_territories(user)
        upload = self.fields["fichier"]
        upload.help_text = (
            f"Taille maximale : {file_size(max_size())}. Une ligne par personne, en UTF-8, séparateur virgule "
            "ou point-virgule (voir le format ci-contre)."
        )
        self["fichier"].help_text = upload.help_text  # the bound field, built by DsfrBaseForm, keeps a copy
        upload.widget.attrs.update({"class": "fr-upload", "accept": ".csv,.txt,text/csv"})
        upload.widget.group_class = "fr-upload-group fr-input-group"

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise ValidationError("Le fichier doit être un CSV (extension .csv ou .txt).")
        if upload.size > max_size():
            raise ValidationError(
                f"Le fichier pèse {file_size(upload.size)} : la limite est de {file_size(max_size())}. "
                "Découpez-le (par exemple par commune), en gardant ensemble les lignes d'un même foyer."
            )
        check_header(upload)
        files.check_line_lengths(upload)  # a line over the csv field limit: refused here, naming it
        return upload
