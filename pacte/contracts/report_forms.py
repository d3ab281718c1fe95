"""Forms of the yearly execution reports and their review.

The forms only parse what people type; the rules live in `services.execution`, whose error paths are mapped back onto
the fields so that every refusal shows next to the field it is about.
"""

from decimal import Decimal

from django import forms

from pacte import formatting
from pacte.contracts.enums import YEARS
from pacte.contracts.models import ExecutionReport
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.queries import ActionSection
from pacte.contracts.services.execution import SpendingRow
from pacte.core.forms import AmountField, LockForm, PacteForm

# --- Execution reports --------------------------------------------------------------------------------


class OpenReportForm(PacteForm):
    year = forms.TypedChoiceField(label="Année du rapport", coerce=int, choices=[(y, y) for y in YEARS])


class ReportForm(PacteForm):
    """The realised value of each indicator, the amount spent per budget line of the year, and the
    qualitative assessment of an execution report. `sections` come from `queries.report_sections(report)`; each
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
                self.fields[slot.field_name] = AmountField(
                    label=f"Fiche-action n°{number} – « {indicator.label} » : valeur réalisée en {report.year} "
                    f"({indicator.get_unit_display()})",
                    initial=slot.value,
                    help_text=f"Cible {report.year} : {formatting.number(slot.target)} {indicator.get_unit_display()}"
                    if slot.target is not None
                    else f"Pas de cible pour {report.year}",
                )
            for slot in section.spendings:
                self.fields[slot.field_name] = AmountField(
                    label=f"Fiche-action n°{number} – dépensé par {slot.label} en {report.year} (€)",
                    initial=slot.spent,
                    help_text=f"Budgété : {formatting.euros(slot.budgeted)} ; 0 si rien n'a été dépensé",
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


class ReportCampaignForm(LockForm):
    """The date national steering sets for the reports of a year (rules in `services.execution`)."""

    due_on = forms.DateField(
        label="Date limite de dépôt",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Au plus tôt le 1er janvier de l'année suivante, quand le rapport de l'année s'ouvre",
    )
    note = forms.CharField(
        label="Précisions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Par exemple la référence de l'instruction ou du message qui lance la campagne",
    )

    def __init__(self, *args, campaign: ReportCampaign | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lock_version", campaign.lock_version if campaign else 0)
        if campaign is not None:
            self.initial.setdefault("due_on", campaign.due_on)
            self.initial.setdefault("note", campaign.note)


class ReviewForm(PacteForm):
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
