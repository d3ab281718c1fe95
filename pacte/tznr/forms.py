"""Forms of the territoires zéro non-recours: the sheet of an experiment, its budget, actions and contacts, a period,
its rights opened (a formset), the file of rights opened and the State's review. The services check the data
again; their messages land on these fields (`pacte.core.forms.errors_on`)."""

import re

from django import forms

from pacte.accounts.models import Organisation
from pacte.core.forms import AmountField, LockForm, PacteForm
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from pacte.tznr import services
from pacte.tznr.enums import ExperimentStatus, FunderKind, LeadKind, OpenedBenefit, OutreachKind, RightSource

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
CODE_SPLIT = re.compile(r"[\s,;]+")
# A code of the COG by its length: a commune (INSEE, 5 characters), an EPCI (SIREN, 9 digits), a département (2
# or 3 characters). Régions are not offered: a région's code may be a département's (44, 52…).
LEVEL_BY_LENGTH = {5: Level.COMMUNE, 9: Level.EPCI, 2: Level.DEPARTEMENT, 3: Level.DEPARTEMENT}


def parse_territory_codes(text: str) -> tuple[list[Territory], list[str]]:
    """(territories, problems) of a list of COG codes typed by a user (one query)."""
    codes = [code.strip().upper() for code in CODE_SPLIT.split(text or "") if code.strip()]
    problems = []
    wanted = {}
    for code in codes:
        level = LEVEL_BY_LENGTH.get(len(code))
        if level is None:
            problems.append(f"« {code} » n'est pas un code de commune, d'EPCI ou de département.")
        else:
            wanted[(level, code)] = None
    if wanted:
        query = Territory.objects.none()
        for level, code in wanted:
            query = query | Territory.objects.filter(level=level, code=code, is_active=True)
        for territory in query.select_related("region", "departement"):
            wanted[(territory.level, territory.code)] = territory
    for (_level, code), territory in wanted.items():
        if territory is None:
            problems.append(f"Aucun territoire en vigueur n'a le code « {code} ».")
    return [territory for territory in wanted.values() if territory is not None], problems


class TerritoryCodesField(forms.CharField):
    """Territories typed as COG codes: « 44109 » (commune), « 244400404 » (EPCI), « 44 » (département)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Territoires couverts (codes du COG)")
        kwargs.setdefault(
            "help_text",
            "Un ou plusieurs codes séparés par des espaces ou des virgules : code INSEE d'une commune "
            "(5 caractères, 44109 pour Nantes), SIREN d'un EPCI (9 chiffres) ou code d'un département (44).",
        )
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        territories, problems = parse_territory_codes(text)
        if problems:
            raise forms.ValidationError(problems)
        if not territories:
            raise forms.ValidationError("Indiquez au moins un code de territoire.")
        return territories


def codes_of(territories) -> str:
    return " ".join(territory.code for territory in territories)


class ExperimentForm(PacteForm):
    name = forms.CharField(label="Nom du territoire", max_length=200)
    territories = TerritoryCodesField()
    lead_name = forms.CharField(
        label="Chef de file", max_length=200, help_text="La collectivité ou l'EPCI chef de file."
    )
    lead_kind = forms.ChoiceField(label="Type de porteur", choices=[("", "Choisissez"), *LeadKind.choices])
    operational_lead = forms.CharField(label="Porteur opérationnel", max_length=200, required=False)
    porteur = forms.ModelChoiceField(
        label="Porteur sur la plateforme",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Aucun",
        help_text="L'organisation dont les membres tiennent la fiche et déclarent les périodes.",
    )
    partners = forms.CharField(
        label="Partenaires",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Un partenaire par ligne.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    start_date = forms.DateField(label="Début", required=False, **DATE)
    end_date = forms.DateField(label="Fin", required=False, **DATE)
    status = forms.ChoiceField(
        label="Statut", choices=ExperimentStatus.choices, initial=ExperimentStatus.RUNNING
    )

    def __init__(self, *args, may_name_porteur: bool = False, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_name_porteur:
            del self.fields["porteur"]
        else:
            organisations = Organisation.objects.order_by("name")
            if region is not None:
                organisations = organisations.filter(territory__region=region) | organisations.filter(
                    territory=region
                )
            self.fields["porteur"].queryset = organisations

    def field_for(self, path: str) -> str | None:
        return path if path in self.fields else None

    def data_for_services(self) -> dict:
        # An empty date is None: the service clears it.
        return {name: self.cleaned_data[name] for name in services.EXPERIMENT_FIELDS}


class ExperimentEditForm(LockForm, ExperimentForm):
    pass


class FundingForm(LockForm):
    funder = forms.CharField(label="Financeur", max_length=200)
    funder_kind = forms.ChoiceField(
        label="Type de financeur", choices=[("", "Choisissez"), *FunderKind.choices]
    )
    year = forms.IntegerField(label="Année", min_value=2023, max_value=2030)
    amount = AmountField(label="Montant (€)", required=True, min_value=0)


class OutreachActionForm(LockForm):
    kind = forms.ChoiceField(label="Type d'action", choices=[("", "Choisissez"), *OutreachKind.choices])
    title = forms.CharField(label="Intitulé", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    start_date = forms.DateField(label="Depuis le", required=False, **DATE)


class ContactForm(LockForm):
    name = forms.CharField(label="Nom", max_length=200)
    function = forms.CharField(label="Fonction", max_length=200, required=False)
    email = forms.EmailField(label="Adresse électronique", required=False)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)


class PeriodForm(PacteForm):
    start = forms.DateField(label="Du", **DATE)
    end = forms.DateField(label="Au", **DATE)
    households_met = forms.IntegerField(label="Ménages rencontrés", min_value=0)
    rights_examined = forms.IntegerField(label="Droits examinés", min_value=0)
    spent = AmountField(
        label="Dépenses de la période (€)",
        required=True,
        min_value=0,
        help_text="Toutes les dépenses de l'expérimentation sur la période, tous financeurs confondus.",
    )
    spending_note = forms.CharField(
        label="Nature des dépenses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que couvrent les dépenses (personnel, locaux, outils…).",
    )
    comment = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PeriodEditForm(LockForm, PeriodForm):
    pass


class RightForm(PacteForm):
    benefit = forms.ChoiceField(label="Prestation", choices=[("", "Choisissez"), *OpenedBenefit.choices])
    source = forms.ChoiceField(label="Compté par", choices=RightSource.choices, initial=RightSource.LEAD)
    count = forms.IntegerField(label="Droits ouverts", min_value=0)
    monthly_amount = AmountField(
        label="Montant mensuel total (€)", min_value=0, help_text="Vide quand il n'est pas connu."
    )


class BaseRightFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


RightFormSet = forms.formset_factory(RightForm, formset=BaseRightFormSet, extra=2, can_delete=True)


class RightsLockForm(LockForm):
    """The version of the period the rights formset was opened with."""


class RightsImportForm(LockForm):
    file = forms.FileField(
        label="Fichier des droits ouverts",
        help_text="CSV (séparateur point-virgule ou virgule) ou XLSX, 2 Mo et 200 lignes au plus. Première ligne : "
        "prestation ; compte_par (porteur ou organisme_payeur, facultatif) ; droits_ouverts ; "
        "montant_mensuel_total (facultatif). Tout ou rien : le fichier remplace les droits déjà saisis.",
    )


class PeriodReviewForm(LockForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("valider", "Valider la période"), ("renvoyer", "Renvoyer au porteur pour correction")],
        widget=forms.RadioSelect,
    )
    review_comment = forms.CharField(
        label="Observations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoires pour un renvoi : ce que le porteur doit corriger.",
    )
