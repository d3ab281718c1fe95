"""Forms of the appels à projets pages. They parse what people type (French amounts, Paris dates) into the
services' dataclasses; the rules themselves are checked by `services`, whose errors come back on the field
they name (`ServicePathsMixin.field_for`, through `core.forms.errors_on`)."""

import re
from decimal import Decimal

from django import forms

from pacte import formatting
from pacte.accounts.models import User
from pacte.core.collation import french
from pacte.core.forms import (
    AmountField,
    AxesField,
    AxisField,
    LockForm,
    MeasuresField,
    PacteForm,
    TerritoryChoiceField,
)
from pacte.grants import perms
from pacte.grants.enums import AwardAct, FundingStatus
from pacte.grants.rules import MAX_YEARS
from pacte.grants.services import applications, calls, evaluations
from pacte.programme.models import Axis, Measure
from pacte.territories.enums import Level
from pacte.territories.models import Territory

CRITERIA_ROWS = 6
COFUNDING_ROWS = 4
INDICATOR_ROWS = 4
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SERVICE_PATH = re.compile(r"^(?P<group>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>\w+))?$")


def _datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text="Heure de Paris.",
    )


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class ServicePathsMixin:
    """Puts the services' messages on the fields they name (`core.forms.PacteFormMixin.field_for`):
    `amounts.2025` on `amount_2025`, `cofundings[1].amount` on `cofunding_1_amount`, `scores.7` on `score_7`;
    a whole group (`criteria`, `amounts`…) on the field `GROUPS` gives it, anything else on top."""

    PATHS = {
        "amounts": "amount_{field}",
        "granted": "granted_{field}",
        "scores": "score_{field}",
        "values": "value_{field}",
        "criteria": "criterion_{index}_{field}",
        "cofundings": "cofunding_{index}_{field}",
        "indicators": "indicator_{index}_{field}",
    }
    GROUPS: dict[str, str] = {}

    def field_for(self, path: str) -> str | None:
        if path in self.GROUPS:
            return self.GROUPS[path]
        if path in self.fields:
            return path
        match = SERVICE_PATH.match(path)
        if not match or match["group"] not in self.PATHS or match["field"] is None:
            return None
        return self.PATHS[match["group"]].format(index=match["index"], field=match["field"])


def without_version(form: LockForm) -> None:
    """A form that creates (nothing read yet, so no version to send back): drop the `lock_version` field."""
    del form.fields["lock_version"]


# --- Calls ------------------------------------------------------------------------------------------------


class CallForm(ServicePathsMixin, LockForm):
    """A call and its criteria; without `call`, a new call (no version to send back)."""

    title = forms.CharField(label="Intitulé", max_length=250)
    description = forms.CharField(label="Présentation", widget=forms.Textarea(attrs={"rows": 5}))
    eligibility = forms.CharField(label="Conditions d'éligibilité", widget=forms.Textarea(attrs={"rows": 3}))
    axes = AxesField(
        label="Axes du Pacte visés",
        queryset=Axis.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Sans axe coché, l'appel à projets est ouvert à tous les axes.",
    )
    measures = MeasuresField(
        label="Mesures du Pacte visées",
        queryset=Measure.objects.select_related("axis"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    total_budget = AmountField(label="Enveloppe totale (€)", required=True)
    max_amount_per_year = AmountField(label="Montant maximal par projet et par an (€)", required=True)
    first_year = forms.IntegerField(label="Première année financée", min_value=2019, max_value=2035)
    max_years = forms.TypedChoiceField(
        label="Durée maximale des projets",
        coerce=int,
        choices=[(n, formatting.plural(n, "an")) for n in range(1, MAX_YEARS + 1)],
        help_text="De 1 à 4 ans. Au-delà d'un an, les projets retenus font l'objet d'une convention pluriannuelle "
        "d'objectifs.",
    )
    opens_at = _datetime_field("Ouverture des candidatures")
    deadline = _datetime_field("Date limite de dépôt")
    funder_siret = forms.CharField(
        label="SIRET de l'attribuant",
        max_length=14,
        required=False,
        help_text="14 chiffres ; obligatoire pour publier (données ouvertes des subventions).",
    )

    GROUPS = {"criteria": "criterion_0_label"}

    def __init__(self, *args, call=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if call is not None:
            initial.update({name: getattr(call, name) for name in ("lock_version", *calls.CALL_FIELDS)})
            initial["axes"] = list(call.axes.all())
            initial["measures"] = list(call.measures.all())
            for index, criterion in enumerate(call.criteria.all()):
                initial[f"criterion_{index}_label"] = criterion.label
                initial[f"criterion_{index}_weight"] = criterion.weight
                initial[f"criterion_{index}_max_score"] = criterion.max_score
        super().__init__(*args, **kwargs)
        if call is None:
            without_version(self)
        for index in range(CRITERIA_ROWS):
            number = index + 1
            self.fields[f"criterion_{index}_label"] = forms.CharField(
                label=f"Critère n°{number}", max_length=200, required=False
            )
            self.fields[f"criterion_{index}_weight"] = forms.IntegerField(
                label=f"Pondération du critère n°{number}", min_value=1, max_value=100, required=False
            )
            self.fields[f"criterion_{index}_max_score"] = forms.IntegerField(
                label=f"Note maximale du critère n°{number}", min_value=1, max_value=100, required=False
            )

    def criteria_rows(self) -> list[tuple]:
        return [
            (
                self[f"criterion_{index}_label"],
                self[f"criterion_{index}_weight"],
                self[f"criterion_{index}_max_score"],
            )
            for index in range(CRITERIA_ROWS)
        ]

    def to_data(self) -> calls.CallData:
        data = self.cleaned_data
        criteria = [
            calls.CriterionRow(
                label=data[f"criterion_{index}_label"],
                weight=data[f"criterion_{index}_weight"] or 1,
                max_score=data[f"criterion_{index}_max_score"] or 5,
            )
            for index in range(CRITERIA_ROWS)
            if data.get(f"criterion_{index}_label", "").strip()
        ]
        return calls.CallData(
            title=data["title"],
            description=data["description"],
            eligibility=data["eligibility"],
            total_budget=data["total_budget"],
            max_amount_per_year=data["max_amount_per_year"],
            first_year=data["first_year"],
            max_years=data["max_years"],
            opens_at=data["opens_at"],
            deadline=data["deadline"],
            funder_siret=data["funder_siret"].strip(),
            axis_ids=[axis.pk for axis in data["axes"]],
            measure_ids=[measure.pk for measure in data["measures"]],
            criteria=criteria,
        )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        organisation = f", {obj.organisation.name}" if obj.organisation_id else ""
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()}{organisation})"


class ReviewerForm(PacteForm):
    reviewer = ReviewerChoiceField(label="Évaluateur à désigner", queryset=User.objects.none())

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        already = call.assignments.values("reviewer")
        self.fields["reviewer"].queryset = (
            User.objects.filter(perms.possible_reviewers_q(call))
            .exclude(pk__in=already)
            .select_related("organisation")
            .order_by(french("last_name"), french("first_name"), "username")
        )


# --- Candidatures -----------------------------------------------------------------------------------------


class MeasureChoiceField(forms.ModelChoiceField):
    """One measure of the référentiel, labelled as core's `MeasuresField` labels them."""

    label_from_instance = MeasuresField.label_from_instance


class ApplicationForm(ServicePathsMixin, LockForm):
    """A candidature to `call`; without `application`, a new one (no version to send back)."""

    project_title = forms.CharField(label="Intitulé du projet", max_length=250)
    summary = forms.CharField(label="Résumé du projet", widget=forms.Textarea(attrs={"rows": 5}))
    axis = AxisField(label="Axe du Pacte", queryset=Axis.objects.none())
    measure = MeasureChoiceField(label="Mesure du Pacte", queryset=Measure.objects.none(), required=False)
    territory = TerritoryChoiceField(label="Territoire d'action", queryset=Territory.objects.none())
    total_cost = AmountField(label="Coût total du projet sur sa durée (€)", required=True)
    siret = forms.CharField(
        label="SIRET de l'association",
        max_length=14,
        required=False,
        help_text="14 chiffres : le SIREN suivi du numéro d'établissement qui recevra la subvention. "
        "Obligatoire pour déposer.",
    )
    contact_name = forms.CharField(label="Personne à contacter", max_length=200)
    contact_email = forms.EmailField(label="Adresse électronique de contact")
    contact_phone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def __init__(self, *args, call, application=None, **kwargs):
        self.call = call
        self.GROUPS = {"amounts": f"amount_{call.first_year}", "indicators": "indicator_0_label"}
        initial = kwargs.setdefault("initial", {})
        if application is not None:
            for name in (
                "lock_version",
                "project_title",
                "summary",
                "total_cost",
                "siret",
                "contact_name",
                "contact_email",
                "contact_phone",
            ):
                initial[name] = getattr(application, name)
            initial.update(
                axis=application.axis_id, measure=application.measure_id, territory=application.territory_id
            )
            for row in application.amounts.all():
                initial[f"amount_{row.year}"] = row.requested
            for index, row in enumerate(application.cofundings.all()):
                initial.update(
                    {
                        f"cofunding_{index}_funder": row.funder,
                        f"cofunding_{index}_amount": row.amount,
                        f"cofunding_{index}_status": row.status,
                    }
                )
            for index, row in enumerate(application.indicators.all()):
                initial.update(
                    {
                        f"indicator_{index}_label": row.label,
                        f"indicator_{index}_unit": row.unit,
                        f"indicator_{index}_target": row.target,
                    }
                )
        super().__init__(*args, **kwargs)
        if application is None:
            without_version(self)
        axes = call.axes.all() if call.axes.exists() else Axis.objects.all()
        self.fields["axis"].queryset = axes.order_by("number")
        self.fields["measure"].queryset = Measure.objects.filter(axis__in=axes).select_related("axis")
        self.fields["territory"].queryset = (
            Territory.objects.filter(call.region.within_q())
            .filter(level__in=(Level.REGION, Level.DEPARTEMENT, Level.EPCI))
            .order_by("level", french("name"))
        )
        for year in call.years:
            self.fields[f"amount_{year}"] = AmountField(label=f"Montant demandé pour {year} (€)")
        for index in range(COFUNDING_ROWS):
            number = index + 1
            self.fields[f"cofunding_{index}_funder"] = forms.CharField(
                label=f"Cofinanceur n°{number}", max_length=200, required=False
            )
            self.fields[f"cofunding_{index}_amount"] = AmountField(
                label=f"Montant du cofinancement n°{number} (€)"
            )
            self.fields[f"cofunding_{index}_status"] = forms.ChoiceField(
                label=f"État du cofinancement n°{number}",
                choices=FundingStatus.choices,
                initial=FundingStatus.REQUESTED,
                required=False,
            )
        for index in range(INDICATOR_ROWS):
            number = index + 1
            self.fields[f"indicator_{index}_label"] = forms.CharField(
                label=f"Indicateur n°{number}", max_length=200, required=False
            )
            self.fields[f"indicator_{index}_unit"] = forms.CharField(
                label=f"Unité de l'indicateur n°{number}", max_length=40, required=False
            )
            self.fields[f"indicator_{index}_target"] = AmountField(label=f"Cible de l'indicateur n°{number}")

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in self.call.years]

    def cofunding_rows(self):
        names = ("funder", "amount", "status")
        return [[self[f"cofunding_{i}_{name}"] for name in names] for i in range(COFUNDING_ROWS)]

    def indicator_rows(self):
        names = ("label", "unit", "target")
        return [[self[f"indicator_{i}_{name}"] for name in names] for i in range(INDICATOR_ROWS)]

    def to_data(self) -> applications.ApplicationData:
        data = self.cleaned_data
        cofundings = []
        for index in range(COFUNDING_ROWS):
            funder = data.get(f"cofunding_{index}_funder", "").strip()
            amount = data.get(f"cofunding_{index}_amount")
            if funder or amount:
                status = data.get(f"cofunding_{index}_status") or FundingStatus.REQUESTED
                cofundings.append(applications.CoFundingRow(funder, amount, status))
        indicators = []
        for index in range(INDICATOR_ROWS):
            label = data.get(f"indicator_{index}_label", "").strip()
            unit = data.get(f"indicator_{index}_unit", "").strip()
            target = data.get(f"indicator_{index}_target")
            if label or unit or target is not None:
                indicators.append(applications.ProjectIndicatorRow(label, unit, target))
        return applications.ApplicationData(
            project_title=data["project_title"],
            summary=data["summary"],
            axis_id=data["axis"].pk,
            measure_id=data["measure"].pk if data.get("measure") else None,
            territory_id=data["territory"].pk,
            total_cost=data["total_cost"],
            siret=data["siret"].replace(" ", ""),
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            amounts={year: data.get(f"amount_{year}") for year in self.call.years},
            cofundings=cofundings,
            indicators=indicators,
        )


# --- Evaluation and decision ----------------------------------------------------------------------------


class ApplicationReviewForm(ServicePathsMixin, LockForm):
    """A reviewer's scores on a candidature, criterion by criterion; the first time, no version to send back."""

    comment = forms.CharField(label="Avis général", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    no_conflict_declared = forms.BooleanField(
        label="Je déclare n'avoir aucun lien personnel, professionnel ou financier avec l'association candidate.",
        required=False,
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        self.criteria = list(criteria)
        initial = kwargs.setdefault("initial", {})
        if review is not None:
            initial.update(
                lock_version=review.lock_version,
                comment=review.comment,
                no_conflict_declared=review.no_conflict_declared,
            )
            for score in review.scores.all():
                initial[f"score_{score.criterion_id}"] = score.score
                initial[f"note_{score.criterion_id}"] = score.comment
        super().__init__(*args, **kwargs)
        if review is None:
            without_version(self)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.label} (note sur {criterion.max_score}, pondération {criterion.weight})",
                required=False,
                help_text=criterion.description,
                widget=forms.NumberInput(attrs={"min": 0, "max": criterion.max_score}),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=f"Commentaire sur « {criterion.label} »",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def criterion_rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, evaluations.ScoreRow]:
        return {
            c.pk: evaluations.ScoreRow(
                self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"note_{c.pk}", "")
            )
            for c in self.criteria
        }


class ApplicationDecisionForm(ServicePathsMixin, PacteForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("retenir", "Retenir le projet"), ("rejeter", "Ne pas retenir le projet")],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label="Motivation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Publique pour un projet retenu ; pour un projet non retenu, communiquée à l'association seule.",
    )
    act = forms.ChoiceField(
        label="Acte attributif",
        choices=AwardAct.choices,
        initial=AwardAct.CONVENTION,
        widget=forms.RadioSelect,
        required=False,
        help_text="Une convention est obligatoire au-delà de 23 000 € par an pour l'association, toutes "
        "subventions de l'attribuant comprises (loi n° 2000-321, art. 10 ; décret n° 2001-495) ; en dessous, un "
        "arrêté attributif suffit pour une subvention d'un an. Plusieurs années : convention pluriannuelle "
        "d'objectifs.",
    )
    signed_on = _date_field("Date de la convention ou de l'arrêté", required=False)
    decision_reference = forms.CharField(label="Référence de la décision", max_length=60, required=False)
    conditions = forms.CharField(
        label="Conditions particulières de la convention",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, application, **kwargs):
        self.years = [row.year for row in application.amounts.all()]
        self.GROUPS = {"granted": f"granted_{self.years[0]}"} if self.years else {}
        initial = kwargs.setdefault("initial", {})
        for row in application.amounts.all():
            initial.setdefault(f"granted_{row.year}", row.requested)
        super().__init__(*args, **kwargs)
        for row in application.amounts.all():
            self.fields[f"granted_{row.year}"] = AmountField(
                label=f"Montant attribué pour {row.year} (€)",
                help_text=f"Demandé : {formatting.euros(row.requested)}.",
            )

    def granted_fields(self):
        return [self[f"granted_{year}"] for year in self.years]

    def granted(self) -> dict[int, Decimal]:
        return {year: self.cleaned_data.get(f"granted_{year}") for year in self.years}


# --- Conventions ----------------------------------------------------------------------------------------


class PaymentForm(ServicePathsMixin, PacteForm):
    year = forms.TypedChoiceField(label="Année de la subvention", coerce=int, choices=())
    amount = AmountField(label="Montant versé (€)", required=True)
    paid_on = _date_field("Versé le")
    reference = forms.CharField(label="Référence du paiement", max_length=60, required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(row.year, str(row.year)) for row in agreement.years.all()]


class GrantReportForm(ServicePathsMixin, LockForm):
    narrative = forms.CharField(
        label="Compte rendu de l'action", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    amount_spent = AmountField(label="Dépenses réalisées (€)")

    def __init__(self, *args, report, **kwargs):
        self.indicators = list(report.agreement.application.indicators.all())
        initial = kwargs.setdefault("initial", {})
        initial.update(
            lock_version=report.lock_version, narrative=report.narrative, amount_spent=report.amount_spent
        )
        for value in report.values.all():
            initial[f"value_{value.indicator_id}"] = value.value
        super().__init__(*args, **kwargs)
        for indicator in self.indicators:
            self.fields[f"value_{indicator.pk}"] = AmountField(
                label=f"{indicator.label} : valeur atteinte ({indicator.unit})",
                help_text=f"Cible : {formatting.with_unit(indicator.target, indicator.unit)}.",
            )

    def value_fields(self):
        return [self[f"value_{indicator.pk}"] for indicator in self.indicators]

    def values(self) -> dict[int, Decimal | None]:
        return {i.pk: self.cleaned_data.get(f"value_{i.pk}") for i in self.indicators}


class GrantReportReviewForm(ServicePathsMixin, PacteForm):
    decision = forms.ChoiceField(
        label="Examen du compte rendu",
        choices=[("valider", "Valider le compte rendu"), ("renvoyer", "Renvoyer pour compléments")],
        widget=forms.RadioSelect,
    )
    review_comment = forms.CharField(
        label="Observations", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConsolidationFilterForm(PacteForm):
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Territory.objects.filter(level__in=(Level.REGION, Level.COM)).order_by(french("name")),
        required=False,
        empty_label="France entière",
        to_field_name="code",
    )
