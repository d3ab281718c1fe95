"""Synthetic signed conventions for the benchmarks (and the query-count tests), labelled "donnée fictive".

`generate()` uses the territories and the référentiel already in the database (load the COG and the
référentiel first: `pacte load_cog`, `pacte load_referentiel`). For each chosen région, the collectivités that
sign for its départements and métropoles (`pacte.territories.collectivites`: the Collectivité de Corse once for
2A and 2B, the Métropole de Lyon as a collectivité with a département's powers…) and have no convention yet get:

- a métropole: its contrat local des solidarités on the four axes (an action on each axis when there are at
  least four actions);
- a collectivité with a département's powers: its contrat local des solidarités on axes 1, 3 and 4; with
  `france_travail`, also its France Travail convention (axis 2, each action in one volet and the volet's years,
  financed by the State alone), except every fourth one, which signs the single global convention holding both
  parts instead.

The rules are those of docs/contrats.md, followed as the services enforce them: national steering first notifies
each collectivité its allocation per envelope (`services.allocations.notify_allocation`: a constant annual
amount covering the State's asks), each convention is created by `services.create_contract` (its kind, its
collectivité, its period), and its fiches-actions keep to the kind's axes and contractable measures
(`pacte.contracts.kinds`), to parity each year where it applies (the State puts in 50, 75 or 100 % of the
collectivité's amount; other funders come on top), to the unit of the national target an indicator is linked
to, and a reinforced action has a reinforcement indicator with its baseline and every target above it. The
missing report campaigns are set (reports due 31 March of the following year); reports and State credits follow
(a year's payment follows a validated report of the previous year).

The fiches-actions, indicators, targets, budget lines, reports and credits are written in bulk and one UPDATE
marks the conventions signed, without audit history: this is for volume; the rules themselves are tested
through the services (tests/contracts/test_consolidation.py checks that generated data breaks none). The same
seed gives the same data.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from pacte import formatting
from pacte.contracts import kinds, services
from pacte.contracts.enums import (
    COUNT_UNITS,
    PERIOD_END,
    PERIOD_START,
    ActionNature,
    ContractKind,
    ContractStatus,
    FranceTravailVolet,
    Funder,
    IndicatorUnit,
    Reinforcement,
)
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    IndicatorYearTarget,
    NotifiedAllocation,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.services import allocations
from pacte.contracts.services import execution as execution_services
from pacte.contracts.services.actions import national_unit
from pacte.core.enums import ReportStatus
from pacte.programme.enums import TargetKind
from pacte.programme.models import Axis, Measure, Target
from pacte.territories.collectivites import collectivite_for, is_signing_territory
from pacte.territories.enums import METROPOLE_TYPES, Level, SignatoryFamily
from pacte.territories.models import Collectivite, Territory

ACTION_TITLES = {
    1: [
        "Accueil du jeune enfant en quartier prioritaire",
        "Petits-déjeuners à l'école",
        "Maison des parents",
        "Accompagnement des sorties de l'aide sociale à l'enfance",
        "Tarification sociale des cantines",
        "Départs en vacances des enfants",
    ],
    2: [
        "Accompagnement intensif des allocataires du RSA",
        "Parcours vers l'emploi des jeunes",
        "Garde d'enfants pour les parents en insertion",
        "Mobilité solidaire vers l'emploi",
        "Insertion par l'activité économique",
    ],
    3: [
        "Aller-vers les personnes en situation de non-recours",
        "Équipes mobiles de santé précarité",
        "Domiciliation et accès aux droits",
        "Lutte contre la précarité menstruelle",
        "Accueil de jour et hébergement",
        "Premier accueil social inconditionnel",
    ],
    4: [
        "Plateforme contre la précarité énergétique",
        "Alimentation durable et solidaire",
        "Mobilité durable des ménages modestes",
        "Rénovation énergétique des logements modestes",
    ],
}
GENERIC_TITLES = ["Action territoriale de solidarité", "Coordination des acteurs de la solidarité"]
PUBLICS = [
    "Allocataires du RSA",
    "Familles monoparentales",
    "Jeunes de 16 à 25 ans",
    "Enfants des quartiers prioritaires",
    "Personnes sans domicile",
    "Ménages en précarité énergétique",
]
PILOTS = [
    "Direction de l'insertion",
    "Direction de l'enfance et de la famille",
    "Direction de l'action sociale",
    "Direction des solidarités",
]
PARTNERS = ["CAF", "France Travail", "ARS", "CCAS", "Associations locales", "MSA", "Éducation nationale"]
OTHER_FUNDERS = ["CAF", "ARS", "France Travail", "MSA", "Fondation de France"]
UNITS = [
    IndicatorUnit.PERSONS,
    IndicatorUnit.HOUSEHOLDS,
    IndicatorUnit.CHILDREN,
    IndicatorUnit.YOUNG_PEOPLE,
    IndicatorUnit.PLACES,
    IndicatorUnit.STRUCTURES,
]
# The volets of the France Travail part, the RSA one first (the only one over two years).
VOLETS = (FranceTravailVolet.RSA, FranceTravailVolet.LOCAL_SOLUTIONS, FranceTravailVolet.GOVERNANCE)
GLOBAL_EVERY = (
    4  # with `france_travail`, every fourth collectivité with a département's powers signs a single one
)
NOTIFICATION = "Notification fictive (donnée fictive)"


@dataclass
class GenerationReport:
    contracts: int = 0
    allocations: int = 0
    actions: int = 0
    indicators: int = 0
    budget_lines: int = 0
    credits: int = 0
    reports: int = 0

    def __str__(self) -> str:
        return ", ".join(
            formatting.plural(count, singular, several)
            for count, singular, several in (
                (self.contracts, "contrat", None),
                (self.allocations, "plafond notifié", "plafonds notifiés"),
                (self.actions, "fiche-action", "fiches-actions"),
                (self.indicators, "indicateur", None),
                (self.budget_lines, "ligne de budget", "lignes de budget"),
                (self.credits, "crédit annuel", "crédits annuels"),
                (self.reports, "rapport", None),
            )
        )


@dataclass
class _Referentiel:
    axes: dict[int, Axis]
    measures: list[Measure]
    # measure pk -> (target pk, target value, the indicator unit that adds up to it)
    targets: dict[int, list[tuple[int, Decimal | None, str]]]
    eligible_cache: dict[tuple[str, int], list[Measure]] = field(default_factory=dict)

    def axes_of(self, kind: str) -> list[Axis]:
        return [self.axes[number] for number in kinds.allowed_axes(kind) if number in self.axes]

    def eligible(self, kind: str, axis: Axis) -> list[Measure]:
        """The measures of `axis` a fiche-action of a convention of `kind` may serve."""
        key = (kind, axis.number)
        if key not in self.eligible_cache:
            self.eligible_cache[key] = [
                measure
                for measure in self.measures
                if measure.axis_id == axis.pk and kinds.measure_allowed(kind, measure, axis.number)
            ]
        return self.eligible_cache[key]


@dataclass
class _IndicatorPlan:
    label: str
    unit: str
    targets: dict[int, Decimal]
    baseline: Decimal
    national_target_id: int | None
    is_reinforcement: bool = False


@dataclass
class _ActionPlan:
    action: Action
    measure_ids: list[int]
    indicators: list[_IndicatorPlan] = field(default_factory=list)
    budget: list[tuple[int, str, str, Decimal]] = field(default_factory=list)
    saved_indicators: list[tuple[ActionIndicator, _IndicatorPlan]] = field(default_factory=list)


@dataclass
class _ConventionPlan:
    territory: Territory
    collectivite: Collectivite
    kind: str
    actions: list[_ActionPlan]
    contract: Contract | None = None


def _euros(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _referentiel() -> _Referentiel:
    axes = {axis.number: axis for axis in Axis.objects.order_by("number")}
    if not axes:
        raise ValueError("Le référentiel n'est pas chargé : lancez d'abord « pacte load_referentiel ».")
    contractable = (
        Q(contractable_departement=True)
        | Q(contractable_france_travail=True)
        | Q(contractable_metropole=True)
    )
    measures = list(Measure.objects.filter(contractable).order_by("order", "code"))
    targets: dict[int, list[tuple[int, Decimal | None, str]]] = defaultdict(list)
    national = Target.objects.filter(kind=TargetKind.TARGET, territory__isnull=True, measure__isnull=False)
    for target_id, measure_id, value, unit in national.order_by("code").values_list(
        "pk", "measure_id", "target_value", "unit"
    ):
        counted = national_unit(unit)
        if counted in COUNT_UNITS:  # a rate or an amount is not a territory's share of a count
            targets[measure_id].append((target_id, value, counted))
    return _Referentiel(axes, measures, targets)


def _territories(
    regions: int | Iterable[Territory] | None, contracts_per_region: int | None
) -> list[Territory]:
    """The territories a collectivité signs under (départements first, then métropoles) in the chosen régions,
    without a convention yet; at most `contracts_per_region` collectivités per région."""
    with_departements = Exists(Territory.objects.filter(level=Level.DEPARTEMENT, region=OuterRef("pk")))
    if regions is None or isinstance(regions, int):
        chosen = Territory.objects.filter(level=Level.REGION, is_active=True).filter(with_departements)
        region_list = list(
            chosen.order_by("code")[:regions] if regions is not None else chosen.order_by("code")
        )
    else:
        region_list = list(regions)
    candidates = (
        Territory.objects.filter(region__in=region_list, is_active=True)
        .filter(Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES))
        .exclude(pk__in=Contract.objects.values("territory"))
        .order_by("region__code", "level", "code")
    )
    per_region: dict[int, list[Territory]] = defaultdict(list)
    for territory in candidates:
        if not is_signing_territory(territory):  # 2B: the Collectivité de Corse signs under 2A
            continue
        if contracts_per_region is None or len(per_region[territory.region_id]) < contracts_per_region:
            per_region[territory.region_id].append(territory)
    return [territory for region in region_list for territory in per_region[region.pk]]


def _conventions(
    territories: list[Territory], france_travail: bool
) -> list[tuple[Territory, Collectivite, str]]:
    """(territory, collectivité, kind) of each convention to sign."""
    result, departements = [], 0
    for territory in territories:
        collectivite = collectivite_for(territory)
        if collectivite.family == SignatoryFamily.METROPOLE:
            chosen = [ContractKind.METROPOLE]
        elif not france_travail:
            chosen = [ContractKind.DEPARTEMENT]
        else:
            departements += 1
            single = departements % GLOBAL_EVERY == 0
            chosen = (
                [ContractKind.GLOBALE] if single else [ContractKind.DEPARTEMENT, ContractKind.FRANCE_TRAVAIL]
            )
        result.extend((territory, collectivite, kind) for kind in chosen)
    return result


def _action_count(kind: str, actions_per_contract: int) -> int:
    """A France Travail convention holds fewer actions than a contract: a quarter, at least one per volet."""
    if kind == ContractKind.FRANCE_TRAVAIL:
        return max(len(VOLETS), actions_per_contract // 4)
    return actions_per_contract


def _plan_convention(
    rng: random.Random,
    ref: _Referentiel,
    place: tuple[Territory, Collectivite, str],
    actions_per_contract: int,
) -> _ConventionPlan | None:
    territory, collectivite, kind = place
    axes = ref.axes_of(kind)
    if not axes:
        return None
    plans, volets = [], 0
    for number in range(1, _action_count(kind, actions_per_contract) + 1):
        axis = axes[(number - 1) % len(axes)]
        volet = ""
        if kinds.volets_apply(kind, axis.number):
            volet, volets = VOLETS[volets % len(VOLETS)], volets + 1
        plans.append(_plan_action(rng, kind, number, axis, volet, ref))
    return _ConventionPlan(territory, collectivite, kind, plans)


def _baseline(targets: dict[int, Decimal]) -> Decimal:
    """About four fifths of the smallest target, below every target (a reinforcement exceeds it each year)."""
    return (min(targets.values()) * Decimal("0.8")).to_integral_value(rounding=ROUND_FLOOR)


def _plan_action(
    rng: random.Random, kind: str, number: int, axis: Axis, volet: str, ref: _Referentiel
) -> _ActionPlan:
    years = kinds.action_years(kind, axis.number, volet)
    nature = rng.choice(ActionNature.values)
    titles = ACTION_TITLES.get(axis.number, GENERIC_TITLES)
    action = Action(
        number=number,
        title=f"{rng.choice(titles)} (fiche {number})",
        axis=axis,
        volet=volet,
        nature=nature,
        reinforcement=rng.choice(Reinforcement.values) if nature == ActionNature.REINFORCED else "",
        target_publics=rng.choice(PUBLICS),
        pilot=rng.choice(PILOTS),
        partners=", ".join(rng.sample(PARTNERS, 2)),
        description="Action fictive générée pour les mesures de performance (donnée fictive).",
    )
    eligible = ref.eligible(kind, axis)
    chosen = rng.sample(eligible, min(len(eligible), 1 if rng.random() < 0.7 else 2))
    plan = _ActionPlan(action, [measure.pk for measure in chosen])
    linkable = [target for measure in chosen for target in ref.targets.get(measure.pk, [])]
    for index in range(1 if rng.random() < 0.7 else 2):
        base = rng.randint(20, 400)
        unit = rng.choice(UNITS)
        national = rng.choice(linkable) if linkable and index == 0 and rng.random() < 0.6 else None
        if national is not None:
            unit = national[2]  # an indicator adds up to its national target in the target's unit
            if national[1]:
                # A territory's share of the national target: about one hundredth of it, at least one.
                base = max(1, round(float(national[1]) / 100 * rng.uniform(0.2, 1.2)))
        targets = {year: Decimal(round(base * (1 + 0.15 * i))) for i, year in enumerate(years)}
        plan.indicators.append(
            _IndicatorPlan(
                label="Personnes accompagnées" if index == 0 else "Structures partenaires mobilisées",
                unit=unit,
                targets=targets,
                baseline=_baseline(targets),
                national_target_id=national[0] if national else None,
                is_reinforcement=nature == ActionNature.REINFORCED and index == 0,
            )
        )
    plan.budget = _budget(rng, kind, axis, years)
    return plan


def _budget(rng: random.Random, kind: str, axis: Axis, years: tuple[int, ...]) -> list:
    """(year, funder, funder name, amount) rows: under parity the State puts in 50, 75 or 100 % of the
    collectivité's amount each year; in the France Travail part the State alone; another funder on top."""
    rows = []
    other_name = rng.choice(OTHER_FUNDERS) if rng.random() < 0.4 else ""
    parity = kinds.parity_applies(kind, axis.number)
    base = rng.randint(20, 200) * 1000
    for year in years:
        amount = _euros(base * (1 + 0.05 * (year - years[0])))
        if parity:
            rows.append((year, Funder.LOCAL, "", amount))
            rows.append((year, Funder.STATE, "", _euros(float(amount) * rng.choice((0.5, 0.75, 1.0)))))
        else:
            rows.append((year, Funder.STATE, "", amount))
        if other_name:
            rows.append((year, Funder.OTHER, other_name, Decimal(rng.randint(5, 60) * 1000)))
    return rows


def _notify(conventions: list[_ConventionPlan]) -> int:
    """National steering notifies each collectivité, per envelope, a constant annual allocation (the highest
    yearly State ask, rounded up to 10 000 €) for each year of the conventions drawing on it; an allocation
    already notified that covers the asks is kept. Returns how many were notified."""
    asked: dict[tuple[int, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    years: dict[tuple[int, str], set[int]] = defaultdict(set)
    collectivites = {}
    for plan in conventions:
        collectivites[plan.collectivite.pk] = plan.collectivite
        start, end = kinds.period_of(plan.kind)
        for envelope in kinds.envelopes_of(plan.kind):
            years[(plan.collectivite.pk, envelope)].update(range(start, end + 1))
        for action_plan in plan.actions:
            envelope = kinds.envelope_of(plan.kind, action_plan.action.axis.number)
            for year, funder, _name, amount in action_plan.budget:
                if funder == Funder.STATE:
                    asked[(plan.collectivite.pk, envelope)][year] += amount
    existing = {
        (row.collectivite_id, row.envelope, row.year): row.amount
        for row in NotifiedAllocation.objects.filter(collectivite__in=list(collectivites))
    }
    notified_on = min(date(PERIOD_START, 1, 15), timezone.localdate())
    count = 0
    for (collectivite_id, envelope), envelope_years in sorted(years.items()):
        highest = max(asked[(collectivite_id, envelope)].values(), default=Decimal("0"))
        amount = (highest / 10000).to_integral_value(rounding=ROUND_CEILING) * 10000
        for year in sorted(envelope_years):
            known = existing.get((collectivite_id, envelope, year))
            if known is not None and known >= asked[(collectivite_id, envelope)][year]:
                continue
            allocations.notify_allocation(
                collectivites[collectivite_id],
                envelope,
                year,
                amount=amount,
                notified_on=notified_on,
                reference=NOTIFICATION,
                is_demo=True,
            )
            count += 1
    return count


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def generate(
    *,
    regions: int | Iterable[Territory] | None = None,
    contracts_per_region: int | None = None,
    actions_per_contract: int = 20,
    france_travail: bool = False,
    seed: int = 0,
    today: date | None = None,
) -> GenerationReport:
    """Create signed demo conventions for the collectivités of the départements and métropoles of `regions`
    (None: every région with départements; an int: that many régions by code; or Territory rows), at most
    `contracts_per_region` collectivités per région (None: all without a convention yet), with the notified
    allocations, and reports and credits up to `today`. `france_travail`: the collectivités with a
    département's powers also sign a France Travail convention (or, one in four, a single global convention)."""
    if actions_per_contract < 1:
        raise ValueError("Il faut au moins une fiche-action par contrat.")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    ref = _referentiel()
    report = GenerationReport()
    places = _conventions(_territories(regions, contracts_per_region), france_travail)
    conventions = [
        plan
        for place in places
        if (plan := _plan_convention(rng, ref, place, actions_per_contract)) is not None
    ]
    if not conventions:
        return report
    report.allocations = _notify(conventions)
    for plan in conventions:
        plan.contract = services.create_contract(plan.territory, kind=plan.kind, is_demo=True)
    _write_contents(conventions, report)
    signed_on = min(date(PERIOD_START, 2, 15), today)
    Contract.objects.filter(pk__in=[plan.contract.pk for plan in conventions]).update(
        status=ContractStatus.SIGNED,
        submitted_at=_aware(signed_on - timedelta(days=60)),
        state_validated_at=_aware(signed_on - timedelta(days=20)),
        local_validated_at=_aware(signed_on - timedelta(days=15)),
        signed_on=signed_on,
        state_signatory="Le préfet de département",
        local_signatory="La présidente ou le président de la collectivité",
    )
    report.contracts = len(conventions)
    _write_execution(rng, conventions, today, report)
    return report


def _write_contents(conventions: list[_ConventionPlan], report: GenerationReport) -> None:
    flat = [action_plan for plan in conventions for action_plan in plan.actions]
    for plan in conventions:
        for action_plan in plan.actions:
            action_plan.action.contract = plan.contract
    Action.objects.bulk_create([plan.action for plan in flat], batch_size=500)
    Through = Action.measures.through
    Through.objects.bulk_create(
        [
            Through(action_id=plan.action.pk, measure_id=measure_id)
            for plan in flat
            for measure_id in plan.measure_ids
        ],
        batch_size=1000,
    )
    indicators = []
    for plan in flat:
        for item in plan.indicators:
            indicator = ActionIndicator(
                action=plan.action,
                label=item.label,
                unit=item.unit,
                baseline_value=item.baseline,
                baseline_year=PERIOD_START - 1,
                national_target_id=item.national_target_id,
                is_reinforcement=item.is_reinforcement,
            )
            indicators.append(indicator)
            plan.saved_indicators.append((indicator, item))
    ActionIndicator.objects.bulk_create(indicators, batch_size=500)
    IndicatorYearTarget.objects.bulk_create(
        [
            IndicatorYearTarget(indicator=indicator, year=year, value=value)
            for plan in flat
            for indicator, item in plan.saved_indicators
            for year, value in item.targets.items()
        ],
        batch_size=1000,
    )
    lines = [
        BudgetLine(action=plan.action, year=year, funder=funder, funder_name=name, amount=amount)
        for plan in flat
        for year, funder, name, amount in plan.budget
    ]
    BudgetLine.objects.bulk_create(lines, batch_size=1000)
    report.actions, report.indicators, report.budget_lines = len(flat), len(indicators), len(lines)


def _campaigns(today: date) -> dict[int, date]:
    """The due date of each year's reports; the campaigns national steering has not set yet are set (31 March of
    the following year) for the years whose report is open."""
    due = execution_services.campaign_due_dates()
    for year in range(PERIOD_START, min(today.year, PERIOD_END + 1)):
        if year not in due:
            campaign = execution_services.set_report_campaign(
                year, date(year + 1, 3, 31), None, note="Campagne fictive (donnée fictive)."
            )
            due[year] = campaign.due_on
    return due


def _report_outcome(rng: random.Random, due_on: date, today: date) -> tuple[str, date | None] | None:
    """(status, filing day) of a year's report, or None when there is none."""
    draw = rng.random()
    if today <= due_on:
        if draw < 0.5:
            return ReportStatus.SUBMITTED, min(today, due_on - timedelta(days=10))
        return (ReportStatus.DRAFT, None) if draw < 0.75 else None
    on_time = due_on - timedelta(days=rng.randint(1, 40))
    late = min(due_on + timedelta(days=rng.randint(5, 60)), today)
    if draw < 0.7:
        return ReportStatus.VALIDATED, on_time
    if draw < 0.8:
        return ReportStatus.VALIDATED, late
    if draw < 0.88:
        return ReportStatus.SUBMITTED, on_time
    if draw < 0.92:
        return ReportStatus.SENT_BACK, on_time
    return (ReportStatus.DRAFT, None) if draw < 0.96 else None


def _write_execution(
    rng: random.Random, conventions: list[_ConventionPlan], today: date, report: GenerationReport
) -> None:
    """Reports of the years whose report is open (from 1 January of the following year), then State credits (a
    payment needs the previous year's validated report)."""
    due_dates = _campaigns(today)
    reports, values, spendings, credits = [], [], [], []
    for plan in conventions:
        contract, validated = plan.contract, set()
        for year in contract.years:
            due_on = due_dates.get(year)
            outcome = _report_outcome(rng, due_on, today) if year < today.year and due_on else None
            if outcome is None:
                continue
            status, filed_on = outcome
            execution = ExecutionReport(
                contract=contract,
                version=contract,
                year=year,
                status=status,
                due_on=due_on,
                qualitative_assessment="Bilan fictif de l'année (donnée fictive).",
                submitted_at=_aware(filed_on) if filed_on else None,
                reviewed_at=_aware(min(filed_on + timedelta(days=20), today))
                if status in (ReportStatus.VALIDATED, ReportStatus.SENT_BACK)
                else None,
                review_comment="Précisez les dépenses de l'action 1."
                if status == ReportStatus.SENT_BACK
                else "",
                is_demo=True,
            )
            reports.append(execution)
            if status == ReportStatus.VALIDATED:
                validated.add(year)
            for action_plan in plan.actions:
                factor = rng.uniform(0.6, 1.0)
                for indicator, item in action_plan.saved_indicators:
                    if year not in item.targets:  # a volet of the France Travail part ends before the period
                        continue
                    realised = (
                        item.targets[year] * Decimal(str(round(rng.uniform(0.6, 1.1), 2)))
                    ).to_integral_value()
                    values.append(ReportIndicatorValue(report=execution, indicator=indicator, value=realised))
                spendings.extend(
                    ReportSpending(
                        report=execution,
                        action=action_plan.action,
                        funder=funder,
                        funder_name=name,
                        amount=_euros(float(amount) * factor),
                    )
                    for line_year, funder, name, amount in action_plan.budget
                    if line_year == year
                )
        credits.extend(_credits(contract, plan.actions, today, validated))
    ExecutionReport.objects.bulk_create(reports, batch_size=500)
    ReportIndicatorValue.objects.bulk_create(values, batch_size=1000)
    ReportSpending.objects.bulk_create(spendings, batch_size=1000)
    Credit.objects.bulk_create(credits, batch_size=500)
    report.reports, report.credits = len(reports), len(credits)


def _credits(contract: Contract, plans: list[_ActionPlan], today: date, validated: set[int]) -> list[Credit]:
    state: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for year, funder, _name, amount in plan.budget:
            if funder == Funder.STATE:
                state[year] += amount
    credits = []
    for year in contract.years:
        notified_on = date(year, 3, 1)
        if notified_on > today:
            continue
        notified = state[year]
        committed = notified if year < today.year else _euros(float(notified) * 0.6)
        paid_on = date(year, 6, 30)
        may_pay = year == contract.period_start or (year - 1) in validated
        paid = committed if may_pay and paid_on <= today else Decimal("0")
        credits.append(
            Credit(
                contract=contract,
                year=year,
                notified=notified,
                notified_on=notified_on,
                committed=committed,
                committed_on=min(notified_on + timedelta(days=30), today),
                paid=paid,
                paid_on=paid_on if paid else None,
            )
        )
    return credits
