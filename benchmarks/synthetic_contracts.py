"""Synthetic signed contracts for the benchmarks (and the query-count tests), labelled "donnée fictive".

`generate()` uses the territories and the référentiel already in the database (load the COG and the
référentiel first: `pacte load_cog`, `pacte load_referentiel`): for each chosen région, its départements
and métropoles that have no contract yet each get a signed convention with its fiches-actions,
indicators (some linked to national targets), budget lines, State credits and execution reports.

Rows are written in bulk: each contract is created as a draft, its actions, measures, indicators, yearly
targets and budget lines are inserted with `bulk_create`, then one UPDATE marks the contracts signed.
The data respect the rules the services enforce (the State pays at most half of each action each year,
the State credits of a year stay within the annual ceiling, a métropole has an action on every axis when
there are at least as many actions as axes, a year's payment follows a validated report of the previous
year), but no audit history is written and the services are not called: this is for volume, not for
testing the rules. The same seed gives the same data.
"""

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from pacte import formatting
from pacte.contracts.enums import (
    PERIOD_END,
    PERIOD_START,
    YEARS,
    ActionNature,
    ContractStatus,
    Funder,
    IndicatorUnit,
    Reinforcement,
    report_due_date,
)
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    IndicatorYearTarget,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.core.enums import ReportStatus
from pacte.programme.enums import MeasureKind, TargetKind
from pacte.programme.models import Axis, Measure, Target
from pacte.territories.enums import METROPOLE_TYPES, Level
from pacte.territories.models import Territory

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
CONTRACT_MEASURE_KINDS = (MeasureKind.LOCAL_CONTRACT, MeasureKind.NEW_ACTION)


@dataclass
class GenerationReport:
    contracts: int = 0
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
                (self.actions, "fiche-action", "fiches-actions"),
                (self.indicators, "indicateur", None),
                (self.budget_lines, "ligne de budget", "lignes de budget"),
                (self.credits, "crédit annuel", "crédits annuels"),
                (self.reports, "rapport", None),
            )
        )


@dataclass
class _Referentiel:
    axes: list[Axis]
    measures: dict[int, list[Measure]]
    targets: dict[int, list[tuple[int, Decimal | None]]]


@dataclass
class _IndicatorPlan:
    label: str
    unit: str
    targets: dict[int, Decimal]
    national_target_id: int | None


@dataclass
class _ActionPlan:
    action: Action
    measure_ids: list[int]
    indicators: list[_IndicatorPlan] = field(default_factory=list)
    budget: list[tuple[int, str, str, Decimal]] = field(default_factory=list)
    saved_indicators: list[tuple[ActionIndicator, _IndicatorPlan]] = field(default_factory=list)


def _euros(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _referentiel() -> _Referentiel:
    axes = list(Axis.objects.order_by("number"))
    if not axes:
        raise ValueError("Le référentiel n'est pas chargé : lancez d'abord « pacte load_referentiel ».")
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.filter(kind__in=CONTRACT_MEASURE_KINDS).order_by("order", "code"):
        measures[measure.axis_id].append(measure)
    targets: dict[int, list[tuple[int, Decimal | None]]] = defaultdict(list)
    national = Target.objects.filter(kind=TargetKind.TARGET, territory__isnull=True, measure__isnull=False)
    for target_id, measure_id, value in national.order_by("code").values_list(
        "pk", "measure_id", "target_value"
    ):
        targets[measure_id].append((target_id, value))
    return _Referentiel(axes, measures, targets)


def _territories(
    regions: int | Iterable[Territory] | None, contracts_per_region: int | None
) -> list[Territory]:
    """Départements (first) and métropoles of the chosen régions that have no contract yet."""
    with_departements = Exists(Territory.objects.filter(level=Level.DEPARTEMENT, region=OuterRef("pk")))
    if regions is None or isinstance(regions, int):
        chosen = Territory.objects.filter(level=Level.REGION, is_active=True).filter(with_departements)
        region_list = list(
            chosen.order_by("code")[:regions] if regions is not None else chosen.order_by("code")
        )
    else:
        region_list = list(regions)
    taken = Contract.objects.filter(period_start=PERIOD_START, amendment_number=0).values("territory")
    candidates = (
        Territory.objects.filter(region__in=region_list, is_active=True)
        .filter(Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES))
        .exclude(pk__in=taken)
        .order_by("region__code", "level", "code")
    )
    per_region: dict[int, list[Territory]] = defaultdict(list)
    for territory in candidates:
        if contracts_per_region is None or len(per_region[territory.region_id]) < contracts_per_region:
            per_region[territory.region_id].append(territory)
    return [territory for region in region_list for territory in per_region[region.pk]]


def _plan_action(
    rng: random.Random, contract: Contract, number: int, axis: Axis, ref: _Referentiel, years: tuple[int, ...]
) -> _ActionPlan:
    nature = rng.choice(ActionNature.values)
    titles = ACTION_TITLES.get(axis.number, GENERIC_TITLES)
    action = Action(
        contract=contract,
        number=number,
        title=f"{rng.choice(titles)} (fiche {number})",
        axis=axis,
        nature=nature,
        reinforcement=rng.choice(Reinforcement.values) if nature == ActionNature.REINFORCED else "",
        target_publics=rng.choice(PUBLICS),
        pilot=rng.choice(PILOTS),
        partners=", ".join(rng.sample(PARTNERS, 2)),
        description="Action fictive générée pour les mesures de performance (donnée fictive).",
    )
    eligible = ref.measures.get(axis.pk, [])
    chosen = rng.sample(eligible, min(len(eligible), 1 if rng.random() < 0.7 else 2))
    plan = _ActionPlan(action, [measure.pk for measure in chosen])
    linkable = [target for measure in chosen for target in ref.targets.get(measure.pk, [])]
    for index in range(1 if rng.random() < 0.7 else 2):
        base = rng.randint(20, 400)
        national = rng.choice(linkable) if linkable and index == 0 and rng.random() < 0.6 else None
        if national is not None and national[1]:
            # A territory's share of the national target: about one hundredth of it, at least one.
            base = max(1, round(float(national[1]) / 100 * rng.uniform(0.2, 1.2)))
        plan.indicators.append(
            _IndicatorPlan(
                label="Personnes accompagnées" if index == 0 else "Structures partenaires mobilisées",
                unit=rng.choice(UNITS),
                targets={year: Decimal(round(base * (1 + 0.15 * i))) for i, year in enumerate(years)},
                national_target_id=national[0] if national else None,
            )
        )
    other_name = rng.choice(OTHER_FUNDERS) if rng.random() < 0.4 else ""
    local = rng.randint(20, 200) * 1000
    for year in years:
        local_amount = _euros(local * (1 + 0.05 * (year - years[0])))
        state_amount = _euros(float(local_amount) * rng.choice((0.5, 0.75, 1.0)))
        plan.budget.append((year, Funder.LOCAL, "", local_amount))
        plan.budget.append((year, Funder.STATE, "", state_amount))
        if other_name:
            plan.budget.append((year, Funder.OTHER, other_name, Decimal(rng.randint(5, 60) * 1000)))
    return plan


def _ceiling(plans: list[_ActionPlan]) -> Decimal:
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for year, funder, _name, amount in plan.budget:
            if funder == Funder.STATE:
                by_year[year] += amount
    highest = max(by_year.values(), default=Decimal("0"))
    return (highest / 10000).to_integral_value(rounding="ROUND_CEILING") * 10000


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def generate(
    *,
    regions: int | Iterable[Territory] | None = None,
    contracts_per_region: int | None = None,
    actions_per_contract: int = 20,
    years: Iterable[int] = YEARS,
    seed: int = 0,
    today: date | None = None,
) -> GenerationReport:
    """Create signed demo conventions for the départements and métropoles of `regions` (None: every région
    with départements; an int: that many régions by code; or Territory rows), at most
    `contracts_per_region` per région (None: all without a contract yet), with reports and credits up
    to `today`."""
    years = tuple(sorted(set(years)))
    if not years or years[0] < PERIOD_START or years[-1] > PERIOD_END:
        raise ValueError(f"Les années doivent être comprises entre {PERIOD_START} et {PERIOD_END}.")
    if actions_per_contract < 1:
        raise ValueError("Il faut au moins une fiche-action par contrat.")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    ref = _referentiel()
    territories = _territories(regions, contracts_per_region)
    report = GenerationReport()
    if not territories:
        return report

    contracts, plans = [], []
    for territory in territories:
        contract = Contract(
            territory=territory,
            title=f"Contrat local des solidarités {years[0]}-{years[-1]} – {territory.name}",
            period_start=years[0],
            period_end=years[-1],
            annual_state_ceiling=Decimal("0"),
            status=ContractStatus.DRAFT,
            is_demo=True,
        )
        contract_plans = [
            _plan_action(rng, contract, number, ref.axes[(number - 1) % len(ref.axes)], ref, years)
            for number in range(1, actions_per_contract + 1)
        ]
        contract.annual_state_ceiling = _ceiling(contract_plans)
        contracts.append(contract)
        plans.append(contract_plans)
    Contract.objects.bulk_create(contracts)
    _write_contents(plans, report)
    signed_on = min(date(years[0], 2, 15), today)
    Contract.objects.filter(pk__in=[contract.pk for contract in contracts]).update(
        status=ContractStatus.SIGNED,
        submitted_at=_aware(signed_on - timedelta(days=60)),
        state_validated_at=_aware(signed_on - timedelta(days=20)),
        local_validated_at=_aware(signed_on - timedelta(days=15)),
        signed_on=signed_on,
        state_signatory="Le préfet de département",
        local_signatory="La présidente ou le président de la collectivité",
    )
    report.contracts = len(contracts)
    _write_execution(rng, contracts, plans, years, today, report)
    return report


def _write_contents(plans: list[list[_ActionPlan]], report: GenerationReport) -> None:
    actions = [plan.action for contract_plans in plans for plan in contract_plans]
    for action in actions:
        action.contract_id = action.contract.pk
    Action.objects.bulk_create(actions, batch_size=500)
    flat = [plan for contract_plans in plans for plan in contract_plans]
    Through = Action.measures.through
    Through.objects.bulk_create(
        [
            Through(action_id=plan.action.pk, measure_id=measure_id)
            for plan in flat
            for measure_id in plan.measure_ids
        ],
        batch_size=1000,
    )
    indicators, pairs = [], []
    for plan in flat:
        for item in plan.indicators:
            indicator = ActionIndicator(
                action=plan.action,
                label=item.label,
                unit=item.unit,
                baseline_value=(min(item.targets.values()) * Decimal("0.8")).to_integral_value(),
                baseline_year=PERIOD_START - 1,
                national_target_id=item.national_target_id,
            )
            indicators.append(indicator)
            plan.saved_indicators.append((indicator, item))
            pairs.append((indicator, item))
    ActionIndicator.objects.bulk_create(indicators, batch_size=500)
    IndicatorYearTarget.objects.bulk_create(
        [
            IndicatorYearTarget(indicator=indicator, year=year, value=value)
            for indicator, item in pairs
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
    report.actions, report.indicators, report.budget_lines = len(actions), len(indicators), len(lines)


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
    rng: random.Random,
    contracts: list[Contract],
    plans: list[list[_ActionPlan]],
    years: tuple[int, ...],
    today: date,
    report: GenerationReport,
) -> None:
    """Reports of the ended years, then State credits (a payment needs the previous year's validated report)."""
    reports, values, spendings, credits = [], [], [], []
    for contract, contract_plans in zip(contracts, plans, strict=True):
        validated: set[int] = set()
        for year in years:
            due_on = report_due_date(year)
            outcome = _report_outcome(rng, due_on, today) if year < today.year else None
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
                if status
                in (
                    ReportStatus.VALIDATED,
                    ReportStatus.SENT_BACK,
                )
                else None,
                review_comment="Précisez les dépenses de l'action 1."
                if status == ReportStatus.SENT_BACK
                else "",
                is_demo=True,
            )
            reports.append(execution)
            if status == ReportStatus.VALIDATED:
                validated.add(year)
            for plan in contract_plans:
                factor = rng.uniform(0.6, 1.0)
                for indicator, item in plan.saved_indicators:
                    realised = (
                        item.targets[year] * Decimal(str(round(rng.uniform(0.6, 1.1), 2)))
                    ).to_integral_value()
                    values.append(ReportIndicatorValue(report=execution, indicator=indicator, value=realised))
                for line_year, funder, name, amount in plan.budget:
                    if line_year == year:
                        spent = _euros(float(amount) * factor)
                        spendings.append(
                            ReportSpending(
                                report=execution,
                                action=plan.action,
                                funder=funder,
                                funder_name=name,
                                amount=spent,
                            )
                        )
        credits.extend(_credits(contract, contract_plans, years, today, validated))
    ExecutionReport.objects.bulk_create(reports, batch_size=500)
    ReportIndicatorValue.objects.bulk_create(values, batch_size=1000)
    ReportSpending.objects.bulk_create(spendings, batch_size=1000)
    Credit.objects.bulk_create(credits, batch_size=500)
    report.reports, report.credits = len(reports), len(credits)


def _credits(
    contract: Contract, plans: list[_ActionPlan], years: tuple[int, ...], today: date, validated: set[int]
) -> list[Credit]:
    state: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for year, funder, _name, amount in plan.budget:
            if funder == Funder.STATE:
                state[year] += amount
    credits = []
    for year in years:
        notified_on = date(year, 3, 1)
        if notified_on > today:
            continue
        notified = state[year]
        committed = notified if year < today.year else _euros(float(notified) * 0.6)
        paid_on = date(year, 6, 30)
        may_pay = year == years[0] or (year - 1) in validated
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
