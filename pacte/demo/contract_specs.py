"""The format of data/contracts.yaml (the Pays de la Loire conventions) and its expansion: each fiche-action of
a convention is its type, scaled to the size of the collectivité, with what the convention changes, and the
name of the collectivité put into its texts. The file's header comment describes the format for its readers.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from pacte.contracts.enums import YEARS, ActionNature, Funder, IndicatorUnit, Reinforcement
from pacte.core.enums import ReportStatus
from pacte.demo.common import DemoTerritory
from pacte.demo.files import Spec, YamlFile, YamlPath

PerYear = Annotated[list[int], Field(min_length=len(YEARS), max_length=len(YEARS))]
Share = Annotated[Decimal, Field(ge=0, le=1)]
Scale = Annotated[Decimal, Field(gt=0)]


class Cofunder(Spec):
    name: str
    share: Share


class IndicatorSpec(Spec):
    label: str
    unit: IndicatorUnit
    targets: PerYear | None = None  # one a year, 2024 to 2027
    baseline: int | None = None  # value of 2023
    national_target: str = ""  # code of a Target of the référentiel
    fixed: list[Literal["targets", "baseline"]] = []  # values the scale of the convention leaves alone


class ActionSpec(Spec):
    """A fiche-action type (action_types) and, once expanded, a fiche-action of a convention."""

    title: str
    measures: Annotated[list[str], Field(min_length=1)]  # the first one gives the axis
    nature: ActionNature
    reinforcement: Reinforcement | Literal[""] = ""
    target_publics: str
    pilot: str
    partners: str
    description: str
    indicators: list[IndicatorSpec]
    yearly_cost: PerYear  # thousands of euros, all funders
    state_share: Annotated[Decimal, Field(ge=0, le=Decimal("0.5"))]
    cofunders: list[Cofunder] = []  # the collectivité pays the rest


class IndicatorChange(Spec):
    label: str | None = None
    unit: IndicatorUnit | None = None
    targets: PerYear | None = None
    baseline: int | None = None
    national_target: str | None = None


class ActionEntry(Spec):
    """A fiche-action of a convention: its type, its scale and what it changes of the type."""

    type: str
    scale: Scale = Decimal(1)
    title: str | None = None
    measures: list[str] | None = None
    nature: ActionNature | None = None
    reinforcement: Reinforcement | Literal[""] | None = None
    target_publics: str | None = None
    pilot: str | None = None
    partners: str | None = None
    description: str | None = None
    indicators: list[IndicatorChange] | None = None
    yearly_cost: PerYear | None = None
    state_share: Share | None = None
    cofunders: list[Cofunder] | None = None


class Party(Spec):
    """The collectivité that signs a convention with the State."""

    territory: DemoTerritory
    name: str
    of_name: str  # "de Loire-Atlantique", "de la Sarthe"
    collectivite: str
    msa: str = ""


class ReportPlan(Spec):
    """The execution report of `story.report_year` and the step it has reached."""

    status: ReportStatus
    assessment: str
    submitted_on: date | None = None
    review_comment: str = ""
    execution: Share = Decimal("0.92")  # share of the budget spent and of the targets reached

    @model_validator(mode="after")
    def _submitted_unless_draft(self):
        if self.status != ReportStatus.DRAFT and self.submitted_on is None:
            raise ValueError("submitted_on est obligatoire pour un rapport déposé")
        return self


class EvaluationPlan(Spec):
    submitted: bool
    findings: str
    recommendations: str = ""


class BudgetChange(Spec):
    action: str  # title of the fiche-action
    year: int
    funder: Funder
    amount: Annotated[Decimal, Field(ge=0)]


class AmendmentPlan(Spec):
    signed_on: date
    reason: str
    budget_change: BudgetChange
    new_action: ActionEntry


class ConventionSpec(Spec):
    party: Party
    ceiling: int  # euros a year
    signed_on: date
    state_signatory: str
    local_signatory: str
    state_user: str
    local_user: str
    actions: Annotated[list[ActionEntry], Field(min_length=1)]
    report: ReportPlan
    evaluation: EvaluationPlan | None = None
    amendment: AmendmentPlan | None = None


class CreditDates(Spec):
    year: int
    notified_on: date
    committed_on: date
    paid_on: date


class Story(Spec):
    report_year: int
    review_delay_days: int
    evaluation_submitted_on: date
    credits: Annotated[list[CreditDates], Field(min_length=2, max_length=2)]

    @model_validator(mode="after")
    def _credits_of_the_report_year_and_the_next(self):
        if [credit.year for credit in self.credits] != [self.report_year, self.report_year + 1]:
            raise ValueError("credits : l'année du rapport puis la suivante, dans cet ordre")
        return self

    @property
    def last_event(self) -> date:
        """The demo tells the story up to the last payment."""
        return max(credit.paid_on for credit in self.credits)


class Priority(Spec):
    title: str
    action_plan: str
    pilot: str
    technical_committee: str


class LocalPactSpec(Spec):
    territory: DemoTerritory
    title: str
    signed_on: date
    diagnostic_summary: str
    other_signatories: list[str]
    partners: list[str]  # names of organisations of accounts.yaml
    priorities: Annotated[list[Priority], Field(min_length=1, max_length=3)]


class ContractsFile(Spec):
    story: Story
    action_types: dict[str, ActionSpec]
    conventions: list[ConventionSpec]
    local_pact: LocalPactSpec


# --- Expansion -------------------------------------------------------------------------------------------


def _times(value: int, scale: Decimal) -> int:
    return int((Decimal(value) * scale).to_integral_value(ROUND_HALF_UP))


def _scaled_indicator(indicator: IndicatorSpec, scale: Decimal) -> dict:
    data = indicator.model_dump(exclude={"fixed"})
    if data["targets"] is not None and "targets" not in indicator.fixed:
        data["targets"] = [_times(value, scale) for value in data["targets"]]
    if data["baseline"] is not None and "baseline" not in indicator.fixed:
        data["baseline"] = _times(data["baseline"], scale)
    return data


def _filled(value, party: Party):
    """Every text with the collectivité's names in place of {name}, {of_name}, {collectivite}, {msa}."""
    if isinstance(value, str):
        return value.format_map(party.model_dump(exclude={"territory"}))
    if isinstance(value, list):
        return [_filled(item, party) for item in value]
    if isinstance(value, dict):
        return {key: _filled(item, party) for key, item in value.items()}
    return value


def expand_action(file: YamlFile, where: YamlPath, entry: ActionEntry, types, party: Party) -> ActionSpec:
    """The fiche-action an entry of a convention describes (errors name the entry's line)."""
    if entry.type not in types:
        known = ", ".join(sorted(types))
        raise file.error((*where, "type"), f"type de fiche-action « {entry.type} » inconnu ({known})")
    kind: ActionSpec = types[entry.type]
    data = kind.model_dump(exclude={"indicators"})
    data["yearly_cost"] = [_times(value, entry.scale) for value in kind.yearly_cost]
    indicators = [_scaled_indicator(indicator, entry.scale) for indicator in kind.indicators]
    changes = entry.model_dump(exclude_unset=True, exclude={"type", "scale", "indicators"})
    data.update(changes)
    if entry.indicators is not None:
        if len(entry.indicators) > len(indicators):
            raise file.error(
                (*where, "indicators"), f"le type « {entry.type} » a {len(indicators)} indicateurs"
            )
        for indicator, change in zip(indicators, entry.indicators, strict=False):
            indicator.update(change.model_dump(exclude_unset=True))
    data["indicators"] = indicators
    try:
        data = _filled(data, party)
    except (KeyError, IndexError, ValueError) as error:
        raise file.error(
            where, f"texte à trous invalide ({error}) : {{name}}, {{of_name}}, {{collectivite}} ou {{msa}}"
        ) from None
    for index, indicator in enumerate(data["indicators"]):
        if indicator["targets"] is None:
            raise file.error(
                (*where, "indicators", index),
                f"cibles (targets) de l'indicateur « {indicator['label']} » manquantes",
            )
    try:
        return ActionSpec.model_validate(data)
    except ValidationError as error:
        raise file.error(where, f"fiche-action invalide ({error.errors()[0]['msg']})") from error


def convention_actions(file: YamlFile, document: ContractsFile, index: int) -> list[ActionSpec]:
    convention = document.conventions[index]
    return [
        expand_action(
            file, ("conventions", index, "actions", number), entry, document.action_types, convention.party
        )
        for number, entry in enumerate(convention.actions)
    ]


def amendment_action(file: YamlFile, document: ContractsFile, index: int) -> ActionSpec:
    convention = document.conventions[index]
    return expand_action(
        file,
        ("conventions", index, "amendment", "new_action"),
        convention.amendment.new_action,
        document.action_types,
        convention.party,
    )
