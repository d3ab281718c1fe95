"""The format of data/contracts.yaml (the Pays de la Loire conventions, their notified ceilings, the report
campaign, the joint mid-term evaluations and the pacte local) and its expansion: each fiche-action of a
convention is its type, scaled to the size of the collectivité, with what the convention changes, and the name
of the collectivité put into its texts. The file's header comment describes the format for its readers.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from pacte.contracts.enums import (
    YEARS,
    ActionNature,
    ContractKind,
    Envelope,
    EvaluationConclusion,
    EvaluationMethod,
    FranceTravailVolet,
    Funder,
    IndicatorUnit,
    MidTermStatus,
    PactActionStatus,
    PriorityPublic,
    Reinforcement,
)
from pacte.core.enums import ReportStatus
from pacte.demo.common import DemoTerritory
from pacte.demo.files import Spec, YamlFile, YamlPath

# One value a year from 2024; an action takes the values of its years (`kinds.action_years`): all four in a
# contract, the first one or two in the France Travail part.
PerYear = Annotated[list[int], Field(min_length=1, max_length=len(YEARS))]
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
    reinforcement: bool = False  # measures the reinforcement of a reinforced action (baseline, targets above)
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
    volet: FranceTravailVolet | Literal[""] = ""  # in the France Travail part only
    yearly_cost: PerYear  # thousands of euros, all funders
    # The co-funders take their share of the cost; of the rest, the State takes state_share (at most half
    # where parity applies: the services refuse more), the collectivité the remainder.
    state_share: Share
    cofunders: list[Cofunder] = []


class IndicatorChange(Spec):
    label: str | None = None
    unit: IndicatorUnit | None = None
    targets: PerYear | None = None
    baseline: int | None = None
    national_target: str | None = None
    reinforcement: bool | None = None


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
    volet: FranceTravailVolet | Literal[""] | None = None
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


class EvaluationPartPlan(Spec):
    """One side's part on every fiche-action ({action}: its title)."""

    assessment: str
    methods: Annotated[list[EvaluationMethod], Field(min_length=1)]
    method_detail: str = ""


class ConclusionPlan(Spec):
    conclusion: EvaluationConclusion
    note: str = ""


class EvaluationPlan(Spec):
    """The joint mid-term evaluation: a draft (the collectivité's parts on the first actions), filed (both parts
    and a conclusion on every action) or closed by the DDETS."""

    status: MidTermStatus
    local: EvaluationPartPlan
    state: EvaluationPartPlan | None = None
    conclusion: ConclusionPlan = ConclusionPlan(conclusion=EvaluationConclusion.CONTINUE)
    conclusions: dict[int, ConclusionPlan] = {}  # by number of fiche-action, where it differs

    @model_validator(mode="after")
    def _both_sides_unless_draft(self):
        if self.status != MidTermStatus.DRAFT and self.state is None:
            raise ValueError("state est obligatoire pour une évaluation déposée ou clôturée")
        return self


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
    kind: ContractKind = ContractKind.DEPARTEMENT
    # The annual ceiling notified for each envelope of the kind, the same each year of its period (euros).
    ceilings: Annotated[dict[Envelope, int], Field(min_length=1)]
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


class ReportCampaignPlan(Spec):
    due_on: date
    note: str = ""


class FiledSpec(Spec):
    """A convention of the file, by its collectivité's territory and its kind."""

    territory: DemoTerritory
    kind: ContractKind = ContractKind.DEPARTEMENT


class CurrentCampaign(Spec):
    """The campaign of the year before the day of the load (the last year that can be reported), and the
    years between it and `report_year` (reports filed on 1 March, before the 31 March due date, validated).

    The current year's reports are drafts to file, except those of `filed`, filed `filed_days_ago` days
    before the load and waiting on the DDETS. Its due date is 31 March of the following year, or, once that
    day has passed, the working day `due_in_days` after the load."""

    note: str = ""
    due_in_days: int = Field(gt=0)
    filed_days_ago: int = Field(gt=0)
    filed: list[FiledSpec] = []


class EvaluationDates(Spec):
    written_on: date  # the parts and conclusions
    filed_on: date
    closed_on: date  # by the DDETS


class Story(Spec):
    report_year: int
    review_delay_days: int
    national_steering: str  # the account that notifies the ceilings and sets the report campaign
    allocations_notified_on: date
    allocations_reference: str
    report_campaign: ReportCampaignPlan
    evaluation: EvaluationDates
    credits: Annotated[list[CreditDates], Field(min_length=2, max_length=2)]
    current_campaign: CurrentCampaign | None = (
        None  # the reports to file and to review on the day of the load
    )

    @model_validator(mode="after")
    def _credits_of_the_report_year_and_the_next(self):
        if [credit.year for credit in self.credits] != [self.report_year, self.report_year + 1]:
            raise ValueError("credits : l'année du rapport puis la suivante, dans cet ordre")
        return self

    @property
    def last_event(self) -> date:
        """The demo tells the story up to the last payment or the closing of the evaluations."""
        return max(*(credit.paid_on for credit in self.credits), self.evaluation.closed_on)


class Priority(Spec):
    title: str
    action_plan: str
    pilot: str
    technical_committee: str


class Signatory(Spec):
    """A signatory of the pact besides the State and the collectivité: an organisation of accounts.yaml
    (organisation) or a name, with its contribution."""

    organisation: str | None = None
    name: str | None = None
    contribution: str
    amount: Annotated[Decimal, Field(ge=0)] | None = None  # euros, over the pact

    @model_validator(mode="after")
    def _organisation_or_name(self):
        if (self.organisation is None) == (self.name is None):
            raise ValueError("organisation ou name, l'un des deux")
        return self


class PactActionSpec(Spec):
    priority: Annotated[int, Field(ge=1, le=3)]  # rank of the priority
    title: str
    description: str
    carrier: str
    publics: Annotated[list[PriorityPublic], Field(min_length=1)]
    year: int
    state_amount: Annotated[Decimal, Field(ge=0)]
    other_funding: Annotated[Decimal, Field(ge=0)] = Decimal(0)
    status: PactActionStatus
    people_reached: int | None = None
    follow_up: str = ""


class PactEnvelopeSpec(Spec):
    """The région's envelope for the pactes locaux of a year, entered by national steering, and the
    commissioner's split among its départements (euros, by département code)."""

    region: DemoTerritory
    year: int
    amount: Annotated[Decimal, Field(gt=0)]
    reference: str
    entered_by: str
    shared_by: str
    shared_on: date
    shares: dict[str, Annotated[Decimal, Field(ge=0)]]


class LocalPactSpec(Spec):
    territory: DemoTerritory
    title: str
    signed_on: date
    diagnostic_summary: str
    priority_publics: Annotated[list[PriorityPublic], Field(min_length=1)]
    perimeter: list[DemoTerritory] = []  # EPCI or communes; empty: the whole territory
    signatories: list[Signatory]
    priorities: Annotated[list[Priority], Field(min_length=1, max_length=3)]
    actions_by: str  # the account that records the collected actions
    actions: list[PactActionSpec] = []


class ContractsFile(Spec):
    story: Story
    action_types: dict[str, ActionSpec]
    conventions: list[ConventionSpec]
    pact_envelope: PactEnvelopeSpec
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
