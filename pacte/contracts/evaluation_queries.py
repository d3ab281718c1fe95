"""Reads of the joint mid-term evaluation, shared by its pages, its PDF, its exports and the API: the sheet of one
convention (each fiche-action of the evaluated version with both parts, the conclusion and the indicators reached
beside their targets) and the consolidation of the conclusions for France or one région.

Indicators reached: the values of the validated execution reports (`queries.realised_values`: by indicator, or by
fiche-action title and indicator label for a value reported on a version before an avenant), beside each year's
target. Once the evaluation is filed they are read from what was recorded at filing (`EvaluatedIndicator`), so that
a report validated later does not change an evaluation already filed.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from pacte import formatting
from pacte.contracts import queries
from pacte.contracts.enums import SIGNED_STATUSES, ContractStatus
from pacte.contracts.models import Action, ActionIndicator, Contract
from pacte.contracts.models.evaluation import (
    ActionEvaluation,
    EvaluationConclusion,
    EvaluationPart,
    EvaluationSide,
    MidTermEvaluation,
    MidTermStatus,
)
from pacte.core.collation import french
from pacte.programme.models import Axis
from pacte.territories.models import Territory

# The evaluations whose conclusions are counted: filed or closed (a draft's conclusions may still change).
COUNTED_STATUSES = (MidTermStatus.FILED, MidTermStatus.CLOSED)


# --- One convention -----------------------------------------------------------------------------------------


@dataclass
class ReachedYear:
    year: int
    target: Decimal | None
    reached: Decimal | None


@dataclass
class ReachedIndicator:
    indicator: ActionIndicator
    years: list[ReachedYear]


@dataclass
class EvaluatedAction:
    action: Action
    evaluation: ActionEvaluation | None
    local: EvaluationPart | None
    state: EvaluationPart | None
    indicators: list[ReachedIndicator]

    @property
    def conclusion(self) -> str:
        return self.evaluation.conclusion if self.evaluation else ""

    @property
    def parts_with_labels(self) -> list[tuple[EvaluationPart | None, str]]:
        return [(self.local, "de la collectivité"), (self.state, "des services de l’État")]

    @property
    def is_complete(self) -> bool:
        return self.local is not None and self.state is not None and bool(self.conclusion)


@dataclass
class EvaluationSheet:
    """The evaluation of a convention as its page, its PDF and the API show it. `version` is the evaluated version
    (None while the convention has no signed version); `evaluation` is None until someone starts it."""

    root: Contract
    version: Contract | None
    evaluation: MidTermEvaluation | None
    actions: list[EvaluatedAction] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return list(self.version.years) if self.version else []

    @property
    def indicator_columns(self) -> int:
        """The columns of an indicator table: label, baseline, then target and value reached for each year."""
        return 2 + 2 * len(self.years)

    @property
    def status(self) -> str:
        return self.evaluation.status if self.evaluation else ""

    @property
    def complete_actions(self) -> int:
        return sum(1 for sheet in self.actions if sheet.is_complete)


def evaluation_of(root: Contract) -> MidTermEvaluation | None:
    return (
        MidTermEvaluation.objects.select_related("version", "submitted_by", "closed_by")
        .filter(contract=root)
        .first()
    )


def evaluated_version(root: Contract, evaluation: MidTermEvaluation | None) -> Contract | None:
    """The version an evaluation is about: the one recorded when it started, else the signed version in force."""
    if evaluation is not None and evaluation.version_id:
        return evaluation.version
    return (
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root), status=ContractStatus.SIGNED)
        .order_by("-amendment_number")
        .first()
    )


def live_indicators(root: Contract, actions: list[Action]) -> dict[int, list[ReachedIndicator]]:
    """The indicators of `actions` (indicators and yearly targets prefetched), each year's target beside the value
    of the validated report of that year, by action id."""
    by_id, by_label = queries.realised_values(root)
    lines: dict[int, list[ReachedIndicator]] = {}
    for action in actions:
        rows = []
        for indicator in action.indicators.all():
            targets = {target.year: target.value for target in indicator.year_targets.all()}
            reached = by_id.get(indicator.pk) or by_label.get((action.title, indicator.label)) or {}
            years = [
                ReachedYear(year, targets.get(year), reached.get(year)) for year in action.contract.years
            ]
            rows.append(ReachedIndicator(indicator, years))
        lines[action.pk] = rows
    return lines


def _recorded_indicators(action_evaluation: ActionEvaluation, action: Action) -> list[ReachedIndicator]:
    recorded: dict[int, list[ReachedYear]] = defaultdict(list)
    for row in action_evaluation.indicator_values.all():
        recorded[row.indicator_id].append(ReachedYear(row.year, row.target, row.reached))
    return [
        ReachedIndicator(indicator, recorded[indicator.pk])
        for indicator in action.indicators.all()
        if indicator.pk in recorded
    ]


def evaluation_sheet(root: Contract) -> EvaluationSheet:
    """Every fiche-action of the evaluated version with its two parts, conclusion and indicators, in a fixed number
    of queries."""
    evaluation = evaluation_of(root)
    version = evaluated_version(root, evaluation)
    sheet = EvaluationSheet(root, version, evaluation)
    if version is None:
        return sheet
    actions = list(
        version.actions.select_related("axis", "contract").prefetch_related(
            Prefetch("indicators", queryset=ActionIndicator.objects.order_by("pk")),
            "indicators__year_targets",
        )
    )
    evaluations: dict[int, ActionEvaluation] = {}
    if evaluation is not None:
        evaluations = {
            row.action_id: row
            for row in evaluation.action_evaluations.select_related("conclusion_by").prefetch_related(
                Prefetch("parts", queryset=EvaluationPart.objects.select_related("author")),
                "indicator_values",
            )
        }
    live = live_indicators(root, actions)
    for action in actions:
        row = evaluations.get(action.pk)
        parts = {part.side: part for part in row.parts.all()} if row else {}
        recorded = _recorded_indicators(row, action) if row is not None else []
        sheet.actions.append(
            EvaluatedAction(
                action=action,
                evaluation=row,
                local=parts.get(EvaluationSide.LOCAL),
                state=parts.get(EvaluationSide.STATE),
                indicators=recorded or live[action.pk],
            )
        )
    return sheet


def action_sheet(sheet: EvaluationSheet, number: int) -> EvaluatedAction | None:
    return next((item for item in sheet.actions if item.action.number == number), None)


# --- Consolidation of the conclusions -----------------------------------------------------------------------


@dataclass
class ConclusionCounts:
    """Fiches-actions by conclusion."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EvaluationConclusion.values, 0))

    def add(self, conclusion: str, number: int = 1) -> None:
        self.counts[conclusion] = self.counts.get(conclusion, 0) + number

    @property
    def cells(self) -> list[int]:
        """The counts in the order of `EvaluationConclusion`."""
        return [self.counts[value] for value in EvaluationConclusion.values]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ConclusionRow:
    """A line of a consolidation table: an axis, a région or a convention, with its counts."""

    label: str
    counts: ConclusionCounts = field(default_factory=ConclusionCounts)
    region: Territory | None = None
    convention: Contract | None = None
    evaluation: MidTermEvaluation | None = None


@dataclass
class EvaluationProgress:
    """Where the conventions of the scope stand: evaluations not started, drafts, filed, closed; filed late."""

    conventions: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MidTermStatus.values, 0))
    late: int = 0

    @property
    def not_started(self) -> int:
        return self.conventions - sum(self.by_status.values())

    @property
    def columns(self) -> list[tuple[str, int]]:
        """(heading, count): not started, then each status, then late."""
        return [
            ("Non commencées", self.not_started),
            ("Brouillons", self.by_status[MidTermStatus.DRAFT]),
            ("Déposées", self.by_status[MidTermStatus.FILED]),
            ("Clôturées", self.by_status[MidTermStatus.CLOSED]),
            ("En retard", self.late),
        ]


@dataclass
class ConclusionConsolidation:
    scope: Territory | None
    progress: EvaluationProgress
    total: ConclusionCounts
    by_axis: list[ConclusionRow]
    by_region: list[ConclusionRow]
    by_convention: list[ConclusionRow]
    has_demo: bool


def conventions(scope: Territory | None = None) -> list[Contract]:
    """The conventions (root contracts) of `scope` (None: France; or a région) with a signed version, by région
    then territory, each with its evaluation (`mid_term`, None when not started)."""
    roots = Contract.objects.filter(root__isnull=True).filter(
        Q(status__in=SIGNED_STATUSES) | Q(versions__status__in=SIGNED_STATUSES)
    )
    if scope is not None:
        roots = roots.filter(scope.within_q("territory__"))
    roots = list(
        roots.distinct()
        .select_related("territory__region")
        .order_by(french("territory__region__name"), "territory__level", "territory__code")
    )
    evaluations = {
        evaluation.contract_id: evaluation
        for evaluation in MidTermEvaluation.objects.filter(contract__in=[root.pk for root in roots])
    }
    for root in roots:
        root.mid_term = evaluations.get(root.pk)
    return roots


def consolidate_conclusions(scope: Territory | None = None) -> ConclusionConsolidation:
    """The conclusions of the filed and closed evaluations of `scope`, counted by conclusion, by axis, by région
    and by convention (four queries whatever the number of conventions)."""
    roots = conventions(scope)
    progress = EvaluationProgress(conventions=len(roots))
    for root in roots:
        if root.mid_term is not None:
            progress.by_status[root.mid_term.status] += 1
            progress.late += root.mid_term.is_late
    rows = (
        ActionEvaluation.objects.filter(
            evaluation__contract__in=[root.pk for root in roots], evaluation__status__in=COUNTED_STATUSES
        )
        .exclude(conclusion="")
        .values("conclusion", "action__axis", "evaluation__contract")
        .annotate(number=Count("pk"))
        .order_by()
    )
    by_root = {root.pk: root for root in roots}
    total = ConclusionCounts()
    axes = {
        axis.pk: ConclusionRow(f"Axe {axis.number} – {axis.title}")
        for axis in Axis.objects.order_by("number")
    }
    regions: dict[int | None, ConclusionRow] = {}
    by_convention = {
        root.pk: ConclusionRow(root.territory.name, convention=root, evaluation=root.mid_term)
        for root in roots
    }
    for root in roots:
        region = root.territory.region
        key = region.pk if region else None
        if key not in regions:
            regions[key] = ConclusionRow(region.name if region else "Sans région", region=region)
    for row in rows:
        conclusion, number = row["conclusion"], row["number"]
        root = by_root[row["evaluation__contract"]]
        total.add(conclusion, number)
        axes[row["action__axis"]].counts.add(conclusion, number)
        regions[root.territory.region_id].counts.add(conclusion, number)
        by_convention[root.pk].counts.add(conclusion, number)
    return ConclusionConsolidation(
        scope=scope,
        progress=progress,
        total=total,
        by_axis=list(axes.values()),
        by_region=list(regions.values()),
        by_convention=list(by_convention.values()),
        has_demo=any(root.is_demo for root in roots),
    )


# --- Compliance ------------------------------------------------------------------------------------------------


def check_filed_evaluations(scope) -> Iterator:
    """A check of `pacte.contracts.compliance` (rule « évaluation »): an evaluation filed or closed although some
    fiche-action of its version lacks a part or the conclusion — those filed on the former two-field form. It is
    kept as filed, never changed; either side reopens it to complete it. Three queries."""
    from pacte.contracts.compliance import (
        Finding,
    )  # compliance lists this check: imported here, not at the top

    roots = Contract.objects.filter(scope.territories)
    if scope.contract_ids is not None:
        roots = roots.filter(pk__in=scope.contract_ids)
    evaluations = list(
        MidTermEvaluation.objects.filter(contract__in=roots, status__in=COUNTED_STATUSES)
        .select_related("contract__territory", "version__territory")
        .order_by("contract__territory__code")
    )
    actions = dict(
        Action.objects.filter(contract__in=[evaluation.version_id for evaluation in evaluations])
        .values_list("contract")
        .annotate(number=Count("pk"))
        .order_by()
    )
    # One row per complete fiche-action (both parts and the conclusion), counted per evaluation here: a second
    # values()+annotate() would regroup by evaluation and compare the parts of the whole evaluation with 2.
    complete = Counter(
        ActionEvaluation.objects.filter(evaluation__in=evaluations)
        .exclude(conclusion="")
        .annotate(sides=Count("parts"))
        .filter(sides=len(EvaluationSide))
        .values_list("evaluation", flat=True)
        .order_by()
    )
    for evaluation in evaluations:
        expected = actions.get(evaluation.version_id, 0)
        missing = expected - complete.get(evaluation.pk, 0)
        if missing <= 0:
            continue
        filed = (
            f" le {formatting.date(timezone.localdate(evaluation.submitted_at))}"
            if evaluation.submitted_at
            else ""
        )
        form = " sur l'ancien formulaire" if evaluation.legacy_form else ""
        yield Finding(
            evaluation.version or evaluation.contract,
            f"Évaluation à mi-parcours {evaluation.get_status_display().lower()}{filed}{form} sans l'évaluation "
            f"conjointe de {formatting.plural(missing, 'fiche-action', 'fiches-actions')} sur {expected} (part de "
            "la collectivité, part des services de l'État, conclusion) : rouvrez-la pour la compléter.",
            field="evaluation",
            field_label="Évaluation à mi-parcours",
        )
