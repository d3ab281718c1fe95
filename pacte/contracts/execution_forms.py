"""Forms of the execution of a signed convention: yearly reports and their review, State credits,
reallocations between conventions and the mid-term evaluation.

The forms only parse what people type (numbers with a decimal comma, dates); the rules live in
`services`, whose `ValidationError` paths are mapped back onto the fields here so that every refusal shows
next to the field it is about.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from pacte import formatting
from pacte.contracts.enums import YEARS
from pacte.contracts.models import Action, Contract, Credit, ExecutionReport, Indicator, MidTermEvaluation
from pacte.contracts.services import SpendingRow
from pacte.core.forms import PacteForm

AMOUNT_DIGITS = {"max_digits": 14, "decimal_places": 2}


def plain_number(value: Decimal | None) -> str:
    """A decimal as people type it in French: "12,5", "100", "" for no value."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed with a comma or a point, spaces between thousands allowed ("1 500,50")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("localize", True)
        for name, value in AMOUNT_DIGITS.items():
            kwargs.setdefault(name, value)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        return super().to_python(value)


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)


class ServiceErrorsMixin:
    """Puts the messages of a service's ValidationError on the form: each path goes to the field that
    `field_for(path)` names, or to the form itself when no field matches."""

    def field_for(self, path: str) -> str | None:
        return path if path in self.fields else None

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for path, messages in error.message_dict.items():
            self.add_error(self.field_for(path), messages)

    def error_summary(self) -> list[dict]:
        """Every error of the form with the label of its field and the anchor of its input, for the
        summary shown above the form."""
        summary = []
        for name, messages in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                summary.extend({"label": "", "message": message, "anchor": ""} for message in messages)
                continue
            bound = self[name]
            summary.extend(
                {"label": bound.label, "message": message, "anchor": bound.auto_id} for message in messages
            )
        return summary


# --- Execution reports --------------------------------------------------------------------------------


class OpenReportForm(PacteForm):
    year = forms.TypedChoiceField(label="Année du rapport", coerce=int, choices=[(y, y) for y in YEARS])


@dataclass
class IndicatorSlot:
    """An indicator of a fiche-action with its target and realised value for the report's year."""

    indicator: Indicator
    target: Decimal | None
    value: Decimal | None
    field_name: str
    field: forms.BoundField | None = None

    @property
    def rate(self) -> Decimal | None:
        """The realised value as a percentage of the year's target."""
        if self.value is None or not self.target:
            return None
        return (self.value / self.target * 100).quantize(Decimal("1"))


@dataclass
class SpendingSlot:
    """A budget line of the report's year (one funder of one fiche-action) and what was spent on it."""

    action: Action
    funder: str
    funder_name: str
    label: str
    budgeted: Decimal
    spent: Decimal | None
    field_name: str
    field: forms.BoundField | None = None

    @property
    def rate(self) -> Decimal | None:
        if self.spent is None or not self.budgeted:
            return None
        return (self.spent / self.budgeted * 100).quantize(Decimal("1"))


@dataclass
class ActionSection:
    action: Action
    indicators: list[IndicatorSlot] = field(default_factory=list)
    spendings: list[SpendingSlot] = field(default_factory=list)


def report_sections(report: ExecutionReport) -> list[ActionSection]:
    """The fiches-actions of the reported version with, for the report's year, each indicator's target and
    realised value and each budget line with the amount spent (a constant number of queries)."""
    values = dict(report.indicator_values.values_list("indicator_id", "value"))
    spent = {
        (row.action_id, row.funder, row.funder_name): row.amount
        for row in report.spendings.only("action_id", "funder", "funder_name", "amount")
    }
    actions = (
        report.version.actions.select_related("axis")
        .prefetch_related("indicators__year_targets", "budget_lines")
        .order_by("number")
    )
    sections = []
    for action in actions:
        section = ActionSection(action)
        for indicator in action.indicators.all():
            targets = {target.year: target.value for target in indicator.year_targets.all()}
            section.indicators.append(
                IndicatorSlot(
                    indicator=indicator,
                    target=targets.get(report.year),
                    value=values.get(indicator.pk),
                    field_name=f"value_{indicator.pk}",
                )
            )
        for line in action.budget_lines.all():
            if line.year != report.year:
                continue
            section.spendings.append(
                SpendingSlot(
                    action=action,
                    funder=line.funder,
                    funder_name=line.funder_name,
                    label=line.funder_label,
                    budgeted=line.amount,
                    spent=spent.get((action.pk, line.funder, line.funder_name)),
                    field_name=f"spent_{action.pk}_{line.pk}",
                )
            )
        sections.append(section)
    return sections


class ReportForm(ServiceErrorsMixin, PacteForm):
    """The realised value of each indicator, the amount spent per budget line of the year, and the
    qualitative assessment of an execution report. `sections` come from `report_sections(report)`; each
    slot gets its bound field (`slot.field`) so the template can place it in its fiche-action."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    qualitative_assessment = forms.CharField(
        label="Bilan qualitatif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ce qui a été réalisé, les difficultés rencontrées, les ajustements prévus.",
    )

    def __init__(self, *args, report: ExecutionReport, sections: list[ActionSection], **kwargs):
        super().__init__(*args, **kwargs)
        self.report, self.sections = report, sections
        self.initial.setdefault("lock_version", report.lock_version)
        self.initial.setdefault("qualitative_assessment", report.qualitative_assessment)
        for section in sections:
            number = section.action.number
            for slot in section.indicators:
                indicator = slot.indicator
                self.fields[slot.field_name] = FrenchDecimalField(
                    label=f"Fiche-action n°{number} – « {indicator.label} » : valeur réalisée en {report.year} "
                    f"({indicator.get_unit_display()})",
                    initial=plain_number(slot.value),
                    help_text=f"Cible {report.year} : {formatting.number(slot.target)} {indicator.get_unit_display()}"
                    if slot.target is not None
                    else f"Pas de cible pour {report.year}",
                )
            for slot in section.spendings:
                self.fields[slot.field_name] = FrenchDecimalField(
                    label=f"Fiche-action n°{number} – dépensé par {slot.label} en {report.year} (€)",
                    initial=plain_number(slot.spent),
                    help_text=f"Budgété : {formatting.number(slot.budgeted)} € ; 0 si rien n'a été dépensé",
                )
        for section in sections:
            for slot in [*section.indicators, *section.spendings]:
                slot.field = self[slot.field_name]
        self._spending_fields: list[str] = []

    def clean(self):
        cleaned = super().clean()
        for section in self.sections:
            for slot in section.spendings:
                if slot.spent is not None and cleaned.get(slot.field_name, 0) is None:
                    self.add_error(
                        slot.field_name, "Ce montant était renseigné : indiquez 0 si rien n'a été dépensé."
                    )
        return cleaned

    def values(self) -> dict[int, Decimal | None]:
        return {
            slot.indicator.pk: self.cleaned_data.get(slot.field_name)
            for section in self.sections
            for slot in section.indicators
        }

    def spendings(self) -> list[SpendingRow]:
        """The amounts typed in, in the order the service names them (`spendings[i]`)."""
        rows, self._spending_fields = [], []
        for section in self.sections:
            for slot in section.spendings:
                amount = self.cleaned_data.get(slot.field_name)
                if amount is None:
                    continue
                rows.append(
                    SpendingRow(
                        action_id=slot.action.pk,
                        funder=slot.funder,
                        funder_name=slot.funder_name,
                        amount=amount,
                    )
                )
                self._spending_fields.append(slot.field_name)
        return rows

    def field_for(self, path: str) -> str | None:
        if path.startswith("values."):
            name = f"value_{path.removeprefix('values.')}"
            return name if name in self.fields else None
        if path.startswith("spendings["):
            index = path.removeprefix("spendings[").partition("]")[0]
            if index.isdigit() and int(index) < len(self._spending_fields):
                return self._spending_fields[int(index)]
            return None
        return super().field_for(path)


class ReviewForm(ServiceErrorsMixin, PacteForm):
    VALIDATE, SEND_BACK = "valider", "renvoyer"

    decision = forms.ChoiceField(
        label="Décision",
        choices=[(VALIDATE, "Valider le rapport"), (SEND_BACK, "Renvoyer le rapport pour corrections")],
        widget=forms.RadioSelect,
    )
    review_comment = forms.CharField(
        label="Observations de l'État",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Obligatoires pour un renvoi : dites ce qui doit être corrigé ou complété.",
    )

    @property
    def validates(self) -> bool:
        return self.cleaned_data["decision"] == self.VALIDATE


# --- State credits ------------------------------------------------------------------------------------


class CreditForm(ServiceErrorsMixin, PacteForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    notified = FrenchDecimalField(label="Crédits notifiés (€)", required=True)
    notified_on = DateField(label="Notifiés le")
    committed = FrenchDecimalField(label="Crédits engagés (€)", required=True)
    committed_on = DateField(label="Engagés le")
    paid = FrenchDecimalField(label="Crédits versés (€)", required=True)
    paid_on = DateField(label="Versés le")

    def __init__(self, *args, credit: Credit | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.credit = credit
        if credit is not None:
            self.initial.setdefault("lock_version", credit.lock_version)
            for name in ("notified", "committed", "paid"):
                self.initial.setdefault(name, plain_number(getattr(credit, name)))
            for name in ("notified_on", "committed_on", "paid_on"):
                self.initial.setdefault(name, getattr(credit, name))
        else:
            for name in ("notified", "committed", "paid"):
                self.initial.setdefault(name, "0")

    def amounts(self) -> dict:
        names = ("notified", "committed", "paid", "notified_on", "committed_on", "paid_on")
        return {name: self.cleaned_data[name] for name in names}


# --- Reallocations ------------------------------------------------------------------------------------


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contract) -> str:
        return f"{obj.territory.name} ({obj.territory.code})"


class ReallocationForm(ServiceErrorsMixin, PacteForm):
    year = forms.TypedChoiceField(label="Année", coerce=int, choices=[(y, y) for y in YEARS])
    from_contract = ContractChoiceField(
        label="Contrat d'origine", queryset=Contract.objects.none(), empty_label="Choisissez un contrat"
    )
    to_contract = ContractChoiceField(
        label="Contrat bénéficiaire", queryset=Contract.objects.none(), empty_label="Choisissez un contrat"
    )
    amount = FrenchDecimalField(label="Montant réalloué (€)", required=True)
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_contract", "to_contract"):
            self.fields[name].queryset = contracts


# --- Mid-term evaluation ------------------------------------------------------------------------------


class EvaluationForm(ServiceErrorsMixin, PacteForm):
    findings = forms.CharField(
        label="Principaux enseignements",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Ce que montrent les deux premières années : résultats, publics atteints, difficultés.",
    )
    recommendations = forms.CharField(
        label="Suites proposées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ajustements des fiches-actions, avenant envisagé, moyens à redéployer.",
    )

    def __init__(self, *args, evaluation: MidTermEvaluation | None, **kwargs):
        super().__init__(*args, **kwargs)
        if evaluation is not None:
            self.initial.setdefault("findings", evaluation.findings)
            self.initial.setdefault("recommendations", evaluation.recommendations)
