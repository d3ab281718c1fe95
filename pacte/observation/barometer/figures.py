"""The figures of the barometer once read: a line per national target, the contracts behind it, the drill-down
from France to the fiches-actions, and the data to update.

No query here: `reads` fills these objects in a fixed number of queries, `rules` judge them. The functions
of the drill-down (`by_region`, `by_territory`, `of_territory`, `metropoles_in`) only regroup what was read.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pacte import formatting
from pacte.contracts import consolidation
from pacte.contracts.enums import YEARS
from pacte.contracts.models import Contract
from pacte.core.collation import french_key
from pacte.observation.barometer import rules
from pacte.observation.barometer.enums import BarometerConfidence, BarometerSource, TrackStatus
from pacte.observation.enums import FigureNature, Reliability
from pacte.observation.models import Indicator, NationalFigure
from pacte.programme.enums import TargetComparison, TargetScope
from pacte.programme.models import Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory

# Published figures of the same year: the surer source first.
RELIABILITY_ORDER = [item.value for item in Reliability]


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known, rules.ZERO) if known else None


# --- The rules applied to a target of the référentiel ---------------------------------------------------------


def is_additive(target: Target) -> bool:
    """Counts add up across territories; percentages, ratios, ages and unit prices do not (the
    consolidation's rule)."""
    return consolidation.TargetRow(target, consolidation.commitment_year(target)).is_additive


def counts_new_things(target: Target) -> bool:
    """A count whose label says it counts new or additional things (rules.counts_new_things)."""
    return rules.counts_new_things(target.label, additive=is_additive(target))


def published_base(figures: list[NationalFigure]) -> tuple[int, Decimal] | None:
    """The latest published base level (year, value) of a target, if any."""
    bases = [
        (item.year, item.value) for item in figures if item.nature == FigureNature.BASE and item.is_published
    ]
    return max(bases, key=lambda base: base[0]) if bases else None


def baseline_of(target: Target, published: list[NationalFigure] = ()) -> rules.Baseline:
    """The starting point of a target (rules.starting_point): never depends on the contracts or reports."""
    return rules.starting_point(
        value=target.baseline_value,
        year=target.baseline_year,
        label=target.label,
        additive=is_additive(target),
        published=published_base(list(published)),
    )


# --- One line of the barometer --------------------------------------------------------------------------------


@dataclass
class NationalSeries:
    """The national values (France as a whole) of one statistical indicator following a target."""

    indicator: Indicator
    points: list[tuple[int, Decimal]] = field(default_factory=list)
    demo_periods: set[int] = field(default_factory=set)
    sources: dict[int, str] = field(default_factory=dict)

    @property
    def latest(self) -> tuple[int, Decimal] | None:
        return self.points[-1] if self.points else None

    @property
    def is_restricted(self) -> bool:
        return not self.indicator.is_public

    @property
    def latest_is_demo(self) -> bool:
        return bool(self.points) and self.points[-1][0] in self.demo_periods

    @property
    def latest_source(self) -> str:
        if not self.points:
            return ""
        return self.sources.get(self.points[-1][0]) or self.indicator.source


@dataclass(frozen=True)
class NationalValue:
    """The national value a target is judged on: an indicator's latest national figure, or a published figure of
    data/chiffres_nationaux.yaml, with where it comes from."""

    year: int
    value: Decimal
    unit: str
    period: str
    source: str
    url: str = ""
    published: str = ""
    quote: str = ""
    scope: str = ""
    reliability: str = ""
    is_demo: bool = False
    is_restricted: bool = False
    series: NationalSeries | None = None
    figure: NationalFigure | None = None
    label: str = ""

    @classmethod
    def of_series(cls, series: NationalSeries) -> "NationalValue":
        year, value = series.latest
        indicator = series.indicator
        return cls(
            year,
            value,
            indicator.unit,
            str(year),
            series.latest_source,
            url=indicator.source_url,
            is_demo=series.latest_is_demo,
            is_restricted=series.is_restricted,
            series=series,
            label=indicator.short_label or indicator.label,
        )

    @classmethod
    def of_figure(cls, figure: NationalFigure) -> "NationalValue":
        return cls(
            figure.year,
            figure.value,
            figure.unit,
            figure.period,
            figure.source,
            url=figure.url,
            published=figure.published_display,
            quote=figure.quote,
            scope=figure.scope,
            reliability=figure.reliability,
            figure=figure,
        )

    @property
    def is_published(self) -> bool:
        """A real value from a public source (not a demo value)."""
        return not self.is_demo

    @property
    def is_share(self) -> bool:
        """The source published the share of the objective reached (`FigureNature.SHARE`), not a level."""
        return self.figure is not None and self.figure.nature == FigureNature.SHARE


@dataclass
class ContractContribution:
    """What one contract in force brings to one national target: its linked indicators, their yearly targets
    (commitments), and, per report year, the values of the validated report of its convention."""

    contract: Contract
    indicators: int = 0
    commitments: dict[int, Decimal] = field(default_factory=dict)
    realised_by_year: dict[int, Decimal] = field(default_factory=dict)
    validated_by_year: dict[int, date] = field(default_factory=dict)

    @property
    def territory(self) -> Territory:
        return self.contract.territory

    @property
    def is_linked(self) -> bool:
        return self.indicators > 0

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.commitments.get(year) for year in YEARS}

    @property
    def last_year(self) -> int | None:
        return max(self.realised_by_year) if self.realised_by_year else None


@dataclass
class ContractFigures:
    """The contracts' contribution to one target (any set of contributions: France, a région, a territory): their
    commitments per year, and the sum of their validated reports for ONE report year (`year`, the latest with a
    report unless given): reports of different years are never added up."""

    contributions: list[ContractContribution]
    commitment_year: int
    year: int | None = None
    # Contracts in force with a validated report, per year, whatever the target (France only), and their number.
    filed: dict[int, int] = field(default_factory=dict)
    in_force: int | None = None

    def __post_init__(self):
        if self.year is None:
            years = [item.last_year for item in self.contributions if item.last_year is not None]
            self.year = max(years) if years else None

    @property
    def linked(self) -> list[ContractContribution]:
        return [item for item in self.contributions if item.is_linked]

    @property
    def contracts(self) -> int:
        """Contracts in force with at least one indicator linked to the target."""
        return len(self.linked)

    @property
    def reporting(self) -> list[ContractContribution]:
        return [item for item in self.contributions if self.year in item.realised_by_year]

    @property
    def realising_contracts(self) -> int:
        return len(self.reporting)

    def committed_in(self, year: int) -> Decimal | None:
        return _sum(item.commitments.get(year) for item in self.contributions)

    @property
    def committed(self) -> Decimal | None:
        """Commitments for the target's year (the consolidation's rule: 2027 when not dated in 2024-2027)."""
        return self.committed_in(self.commitment_year)

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.committed_in(year) for year in YEARS}

    def realised_in(self, year: int | None) -> Decimal | None:
        return _sum(item.realised_by_year.get(year) for item in self.contributions)

    @property
    def realised(self) -> Decimal | None:
        """The sum of the validated reports of `year`."""
        return self.realised_in(self.year)

    @property
    def realised_by_year(self) -> dict[int, Decimal]:
        years = sorted({year for item in self.contributions for year in item.realised_by_year})
        return {year: self.realised_in(year) for year in years}

    @property
    def report_year(self) -> int | None:
        return self.year

    @property
    def validated_on(self) -> date | None:
        dates = [
            item.validated_by_year[self.year]
            for item in self.reporting
            if self.year in item.validated_by_year
        ]
        return max(dates) if dates else None

    @property
    def has_demo(self) -> bool:
        return any(item.contract.is_demo for item in self.linked)

    @property
    def coverage(self) -> Decimal | None:
        if not self.contracts:
            return None
        return Decimal(self.realising_contracts) / Decimal(self.contracts)

    @property
    def coverage_sentence(self) -> str:
        """« 6 contrats sur 123 ont rendu leur rapport 2025 » (validated reports, whatever the target)."""
        if self.year is None or self.in_force is None:
            return ""
        filed = self.filed.get(self.year, 0)
        verb = "a rendu son" if filed < 2 else "ont rendu leur"
        return (
            f"{formatting.plural(filed, 'contrat')} sur {self.in_force} {verb} rapport {self.year} (validé)"
        )


@dataclass
class TargetProgress:
    """One line of the barometer: the figures of a target, then (`judge`) its current value, status and
    confidence."""

    target: Target
    baseline: rules.Baseline
    target_value: Decimal | None
    target_year: int | None
    is_additive: bool
    national: list[NationalSeries]
    contracts: ContractFigures
    departements: int
    today: date
    published: list[NationalFigure] = field(default_factory=list)
    source: BarometerSource | None = None
    value: Decimal | None = None
    year: int | None = None
    trajectory: rules.Trajectory = field(default_factory=lambda: rules.Trajectory(TrackStatus.NO_DATA))
    confidence: BarometerConfidence = BarometerConfidence.NONE
    confidence_reason: str = ""
    report_series: list[tuple[int, Decimal]] = field(default_factory=list)
    # The published share of the objective the status was judged on (in %), when the source gave no level.
    share: Decimal | None = None
    # For the target borne by the register of the territoires zéro non-recours: its count
    # (`pacte.tznr.queries.RegisterCount`: year, value, identified).
    register: object | None = None

    @property
    def code(self) -> str:
        return self.target.code

    @property
    def status(self) -> TrackStatus:
        return self.trajectory.status

    @property
    def is_undated(self) -> bool:
        return self.target_year is None

    @property
    def horizon(self) -> str:
        return str(self.target_year) if self.target_year else rules.UNDATED_HORIZON

    @property
    def comparison(self) -> str:
        return self.target.comparison

    @property
    def is_relative(self) -> bool:
        return self.target.is_relative

    @property
    def borne_by_contracts(self) -> bool:
        """The référentiel declares that the local contracts carry the target (`borne_by_contracts`)."""
        return self.target.borne_by_contracts

    @property
    def is_per_departement(self) -> bool:
        return self.target.scope == TargetScope.DEPARTEMENT and not self.is_relative

    def objective_for(self, departements: int) -> Decimal | None:
        """The objective of a target set per département for `departements` départements (a région's)."""
        return rules.objective(
            comparison=self.comparison,
            target_value=self.target.target_value,
            baseline=self.baseline,
            departements=departements,
        )

    @property
    def objective_rule(self) -> str:
        """How the objective is obtained from the référentiel's value, in French (empty for a plain level)."""
        target = self.target
        if self.is_per_departement:
            return (
                f"{formatting.number(target.target_value)} par département × "
                f"{formatting.plural(self.departements, 'département')}"
            )
        if self.comparison == TargetComparison.CHANGE:
            sign = "+" if target.target_value >= 0 else "−"
            return (
                f"{sign}{formatting.number(abs(target.target_value))} % par rapport à la situation de départ"
            )
        if self.comparison == TargetComparison.MULTIPLIER:
            return f"× {formatting.number(target.target_value)} par rapport à la situation de départ"
        if self.target_value is not None and self.target_value != target.target_value:
            return f"niveau de départ publié + {formatting.number(target.target_value)} {target.unit}"
        return ""

    @property
    def national_figure(self) -> NationalSeries | None:
        """The indicator whose national value is the most recent (first in the indicators' order on a tie)."""
        best = None
        for series in self.national:
            if series.latest is not None and (best is None or series.latest[0] > best.latest[0]):
                best = series
        return best

    @property
    def published_figures(self) -> list[NationalFigure]:
        """The published figures of the file with a value (levels and shares of the objective; not the starting
        levels), oldest first."""
        natures = (FigureNature.OBSERVATION, FigureNature.SHARE)
        items = [item for item in self.published if item.is_published and item.nature in natures]
        return sorted(items, key=lambda item: item.year)

    @property
    def published_levels(self) -> list[NationalFigure]:
        """The published levels (in the target's unit), oldest first: what the trajectory draws."""
        return [item for item in self.published_figures if item.nature == FigureNature.OBSERVATION]

    @property
    def searched(self) -> str:
        """What was searched when no figure was published."""
        return " ".join(item.searched for item in self.published if not item.is_published and item.searched)

    @property
    def national_value(self) -> NationalValue | None:
        """The value the target is judged on: a real value before a demo one, then the latest year, then a
        published figure of the file before an indicator's."""
        candidates = [NationalValue.of_figure(item) for item in self.published_figures]
        candidates += [NationalValue.of_series(item) for item in self.national if item.latest is not None]
        if not candidates:
            return None
        # On the same year, a level before a share of the objective, then the surer source (A, B, C).
        return max(
            candidates,
            key=lambda item: (
                not item.is_demo,
                item.year,
                item.figure is not None,
                not item.is_share,
                -RELIABILITY_ORDER.index(item.reliability) if item.reliability in RELIABILITY_ORDER else -9,
            ),
        )

    @property
    def has_published_value(self) -> bool:
        national = self.national_value
        return national is not None and national.is_published

    @property
    def contract_value(self) -> Decimal | None:
        """The contracts' contribution of their latest report year, for a count only."""
        return self.contracts.realised if self.is_additive else None

    @property
    def has_demo(self) -> bool:
        national = self.national_value
        return (national is not None and national.is_demo) or self.contracts.has_demo

    @property
    def last_value_date(self) -> date | int | None:
        """The year of the national value, or the date the latest counted report was validated."""
        if self.source == BarometerSource.NATIONAL:
            return self.year
        if self.source == BarometerSource.CONTRACTS:
            return self.contracts.validated_on or self.year
        if self.source == BarometerSource.REGISTER:
            return self.year
        return None

    @property
    def actuals(self) -> list[tuple[int, Decimal]]:
        """The values drawn on the trajectory: the national series of the value used, else (a target borne by the
        contracts) the yearly sums of validated contract reports."""
        if self.source == BarometerSource.NATIONAL:
            national = self.national_value
            if national.series is not None:
                return list(national.series.points)
            return [(item.year, item.value) for item in self.published_levels]
        if self.source == BarometerSource.CONTRACTS:
            return list(self.report_series)
        if self.source == BarometerSource.REGISTER:
            return [(self.year, self.value)]
        return []

    @property
    def has_trajectory(self) -> bool:
        return (
            self.target_year is not None
            and self.baseline.is_known
            and self.target_value is not None
            and self.target_value != self.baseline.value
        )

    def trajectory_rows(self) -> list[dict]:
        """The table alternative of the trajectory chart: one row per year from the baseline to the target
        (or to the last value when later), with the expected value on the line and the actual value."""
        if not self.has_trajectory:
            return []
        actual = dict(self.actuals)
        last = max([self.target_year, *actual.keys()])
        first = min(self.baseline.year, self.target_year)
        return [
            {
                "year": year,
                "expected": rules.rounded(
                    rules.expected_value(self.baseline, self.target_value, self.target_year, year)
                ),
                "actual": actual.get(year),
            }
            for year in range(first, last + 1)
        ]

    @property
    def explanation(self) -> str:
        """How the status was computed, in plain French."""
        unit = self.target.unit
        contribution = ""
        if self.contract_value is not None and self.source != BarometerSource.CONTRACTS:
            contribution = (
                f" La contribution des contrats locaux (rapports {self.contracts.year} : "
                f"{formatting.number(self.contract_value)} {unit}) est montrée à côté : les contrats ne sont qu'un "
                "des leviers de la cible, leur somme ne mesure pas sa progression."
            )
        if self.share is not None:
            national = self.national_value
            text = (
                f"Statut calculé sur la part de l'objectif atteinte publiée ({national.period}, {national.source}) : "
                f"{formatting.number(self.share)} % du chemin"
            )
            trajectory = self.trajectory
            if trajectory.expected is not None:
                text += (
                    f", pour {formatting.number(trajectory.expected_display)} % attendus en {self.year} "
                    f"(écart : {formatting.number(trajectory.gap_display)} points)"
                )
            return (
                f"{text} : « {self.status.label} ». La source ne publie pas de nombre de {unit} : aucun n'est "
                f"déduit de cette part.{contribution}"
            )
        if self.value is None:
            return f"Pas de statut : aucune valeur nationale publiée pour cette cible.{contribution}"
        if self.source == BarometerSource.NATIONAL:
            national = self.national_value
            origin = f"la valeur nationale publiée ({national.period}, {national.source})"
        elif self.source == BarometerSource.REGISTER:
            unknown = self.register.value - self.register.identified
            origin = (
                "le registre des territoires zéro non-recours de la plateforme (territoires sélectionnés par "
                "l'arrêté du 4 août 2023"
                + (
                    f", dont {formatting.plural(unknown, 'non identifié', 'non identifiés')}"
                    if unknown
                    else ""
                )
                + ")"
            )
        else:
            origin = (
                f"la somme des rapports {self.year} des contrats locaux, qui portent cette cible "
                f"({self.contracts.coverage_sentence})"
            )
        text = f"Statut calculé sur {origin} : {formatting.number(self.value)} {unit}"
        trajectory = self.trajectory
        if trajectory.progress is None:
            status = f" : « {self.status.label} »" if self.status != TrackStatus.NO_DATA else ""
            return f"{text}{status}. {trajectory.reason}{contribution}"
        start = f"{formatting.number(self.baseline.value)} en {self.baseline.year}"
        goal = f"{formatting.number(self.target_value)} {unit}"
        goal += f" en {self.target_year}" if self.target_year else f" ({rules.UNDATED_HORIZON})"
        text += f", soit {formatting.number(trajectory.progress_display)} % du chemin de {start} à {goal}"
        if trajectory.expected is not None:
            text += (
                f", pour {formatting.number(trajectory.expected_display)} % attendus en {self.year} "
                f"(écart : {formatting.number(trajectory.gap_display)} points)"
            )
        return f"{text} : « {self.status.label} ».{contribution}"

    def judge(self) -> "TargetProgress":
        """Pick the current value, assess the trajectory and the confidence (`rules`)."""
        national = self.national_value
        contracts = (
            (self.contracts.year, self.contract_value)
            if self.contract_value is not None and self.contracts.year is not None
            else None
        )
        self.source, self.year, self.value = rules.current_value(
            (national.year, national.value) if national is not None else None,
            contracts,
            borne_by_contracts=self.borne_by_contracts,
            register=(self.register.year, Decimal(self.register.value))
            if self.register is not None
            else None,
        )
        if self.source == BarometerSource.NATIONAL and national.is_share:
            # A share of the objective is no value in the target's unit: the progress itself.
            self.share, self.value = self.value, None
        self.trajectory = rules.assess(
            baseline_value=self.baseline.value,
            baseline_year=self.baseline.year,
            target_value=self.target_value,
            target_year=self.target_year,
            value=self.value,
            year=self.year,
            count=self.is_additive,
            share=self.share,
        )
        if self.source == BarometerSource.NATIONAL and national.figure is not None:
            self.confidence, self.confidence_reason = rules.published_confidence(
                reliability=national.reliability, period=national.period
            )
        elif self.source == BarometerSource.NATIONAL:
            self.confidence, self.confidence_reason = rules.national_confidence(
                period=national.year,
                lag=national.series.indicator.expected_lag_years,
                is_demo=national.is_demo,
                today=self.today,
            )
        elif self.source == BarometerSource.REGISTER:
            self.confidence, self.confidence_reason = rules.register_confidence(
                value=self.register.value, identified=self.register.identified
            )
        elif self.source == BarometerSource.CONTRACTS:
            self.confidence, self.confidence_reason = rules.contract_confidence(
                reporting=self.contracts.realising_contracts,
                linked=self.contracts.contracts,
                report_year=self.contracts.year,
                is_demo=self.contracts.has_demo,
                today=self.today,
            )
        else:
            self.confidence, self.confidence_reason = rules.NO_VALUE
        return self


@dataclass
class Barometer:
    today: date
    include_restricted: bool
    contracts: list[Contract]
    rows: list[TargetProgress]

    @property
    def counts(self) -> list[tuple[TrackStatus, int]]:
        """How many targets in each status, in the order of the statuses."""
        return [(item, sum(1 for row in self.rows if row.status == item)) for item in rules.STATUS_ORDER]

    @property
    def published_count(self) -> int:
        """How many targets carry a real national value (published, not a demo value)."""
        return sum(1 for row in self.rows if row.has_published_value)

    @property
    def has_demo(self) -> bool:
        return any(row.has_demo for row in self.rows)


# --- Drill-down France → région → département / métropole → contract → fiche-action ------------------------


@dataclass
class AreaRow:
    """The contracts of one area (a région, or the territory of a contract) for one target."""

    territory: Territory | None
    contributions: list[ContractContribution]
    commitment_year: int
    report_year: int | None = None

    @property
    def figures(self) -> ContractFigures:
        return ContractFigures(self.contributions, self.commitment_year, self.report_year)

    @property
    def level(self) -> str:
        """The level of the drill-down parameter: "region", "departement" or "metropole"."""
        if self.territory is None:
            return ""
        return "metropole" if self.territory.is_metropole else self.territory.level

    @property
    def key(self) -> str:
        return f"{self.level}:{self.territory.code}" if self.territory is not None else ""


def _sorted_areas(groups: dict, year: int, report_year: int | None) -> list[AreaRow]:
    rows = [AreaRow(territory, items, year, report_year) for territory, items in groups.values()]
    return sorted(
        rows, key=lambda row: (row.territory is None, french_key(row.territory.name if row.territory else ""))
    )


def by_region(items: list[ContractContribution], year: int, report_year: int | None = None) -> list[AreaRow]:
    """One row per région having contracts in force (linked to the target or not); contracts of a territory
    without région come last under an empty territory. Reports of `report_year` only. No query."""
    groups: dict[int | None, tuple[Territory | None, list[ContractContribution]]] = {}
    for item in items:
        region = item.territory.region
        groups.setdefault(region.pk if region else None, (region, []))[1].append(item)
    return _sorted_areas(groups, year, report_year)


def by_territory(
    items: list[ContractContribution], region: Territory, year: int, report_year: int | None = None
) -> list[AreaRow]:
    """One row per territory with a contract in `region`: each département and each métropole is its own row
    (a métropole's figures are never added to its département's). Sorted by département code, each métropole
    right after its département. No query."""
    groups: dict[int, tuple[Territory, list[ContractContribution]]] = {}
    for item in items:
        if item.territory.region_id != region.pk:
            continue
        groups.setdefault(item.territory.pk, (item.territory, []))[1].append(item)
    rows = [
        AreaRow(territory, contributions, year, report_year) for territory, contributions in groups.values()
    ]
    codes = {row.territory.pk: row.territory.code for row in rows if row.territory.level == Level.DEPARTEMENT}

    def order(row: AreaRow) -> tuple:
        territory = row.territory
        if territory.level == Level.DEPARTEMENT:
            return (territory.code, 0, territory.name)
        departement = codes.get(territory.departement_id) or codes.get(territory.parent_id) or "~"
        return (departement, 1, territory.name)

    return sorted(rows, key=order)


def of_territory(items: list[ContractContribution], territory: Territory) -> list[ContractContribution]:
    """The contracts of one département or métropole (a département's own contract only)."""
    return [item for item in items if item.territory.pk == territory.pk]


def metropoles_in(items: list[ContractContribution], departement: Territory) -> list[ContractContribution]:
    """The contracts of the métropoles lying in `departement`, shown apart from it."""
    return [
        item
        for item in items
        if item.territory.is_metropole
        and departement.pk in (item.territory.departement_id, item.territory.parent_id)
    ]


@dataclass
class IndicatorLine:
    label: str
    unit: str
    commitments: dict[int, Decimal] = field(default_factory=dict)
    realised: Decimal | None = None

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.commitments.get(year) for year in YEARS}


@dataclass
class ActionLine:
    """A fiche-action of a contract in force with its indicators linked to the target."""

    contract: Contract
    number: int
    title: str
    indicators: list[IndicatorLine] = field(default_factory=list)

    def committed_in(self, year: int) -> Decimal | None:
        return _sum(line.commitments.get(year) for line in self.indicators)

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.committed_in(year) for year in YEARS}

    @property
    def realised(self) -> Decimal | None:
        return _sum(line.realised for line in self.indicators)


# --- Stale data ----------------------------------------------------------------------------------------------


@dataclass
class StaleIndicator:
    indicator: Indicator
    latest: int | None
    threshold: int

    @property
    def reason(self) -> str:
        if self.latest is None:
            return "Aucune valeur"
        return f"Dernière valeur : {self.latest}, attendue au moins pour {self.threshold}"


@dataclass
class MissingReports:
    """The last execution report already due (its year, its due date) and the contracts in force that have
    not filed it."""

    year: int
    due_on: date
    contracts: list[Contract]
