"""Reads of the batch screenings shared by the job page and the summary CSV: a job's figures per territory and
per benefit, with the statistical secrecy (`secrecy`) applied for whoever did not upload the households.

- The **uploader**, who has the list of its own households anyway, sees every figure: per département and
  commune, per benefit for the whole job and per benefit in each territory (the CSV).
- **Anyone else** (the steering of the territory), and the uploader too once the per-household results are
  past their retention (`perms.sees_every_figure`), sees the figures per département and commune (all benefits
  together) and per benefit for the whole job only, none computed on fewer than 11 households
  (`secrecy.MIN_HOUSEHOLDS`): a count or a share needs 11 households screened, an amount 11 households adding to
  it, a potential amount also 11 households (or none) behind its part « à vérifier » (potential − probable).
  The benefits of a job of fewer than 11 households are not even listed (a benefit's line says at least one
  household misses it). A hidden figure is named in `Figures.hidden`; the CSV writes « secret ».

Amounts: monthly benefits per month, yearly aids (chèque énergie, ARS, school grants, pass colo) per year; "as
computed" (each benefit as if the household's other rights stayed unclaimed) and "si tous les droits probables
sont ouverts" (`opened_amount`, the engine's second computation, which adds up). The CSS amount is a
participation the household would pay: never added up.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from pacte.formatting import share
from pacte.rights.catalogue import BENEFITS, CATALOGUE, Benefit, NrpeScope, Period
from pacte.rights.detect import UNKNOWN_COMMUNE, departement_of
from pacte.screening import secrecy
from pacte.screening.enums import AggregateLevel
from pacte.screening.models import ScreeningAggregate, ScreeningJob

SUMMARY_HEADER = [
    "niveau",
    "code",
    "territoire",
    "prestation",
    "libelle_prestation",
    "foyers_examines",
    "foyers_non_recours",
    "montant_mensuel_non_recours",
    "foyers_non_recours_probable",
    "montant_mensuel_probable",
    "montant_mensuel_si_droits_ouverts",
    "montant_annuel_non_recours",
    "montant_annuel_probable",
]
JOB_LEVEL = "traitement"  # the CSV's level of the figures of the whole job
JOB = "job"  # key of the whole job in the secrecy trees
NO_AMOUNT = frozenset({"css"})
# A potential amount and its probable part: their difference, the part « à vérifier », is a figure too.
PROBABLE_PART = {
    "non_take_up_amount": "probable_amount",
    "non_take_up_yearly_amount": "probable_yearly_amount",
}
COUNTS = ("households", "non_take_up_households", "probable_households")


@dataclass(frozen=True)
class Amount:
    """An amount of the summary: its field, the field counting the households adding to it on a benefit's line
    and on a territory's line (see `_contributors`), and the benefits adding to it (those of `period`; every
    benefit but the CSS on the lines of jobs older than the yearly amounts)."""

    field: str
    count: str
    total_count: str
    period: Period


AMOUNTS = (
    Amount("non_take_up_amount", "non_take_up_households", "monthly_households", Period.MONTH),
    Amount("probable_amount", "probable_households", "probable_monthly_households", Period.MONTH),
    Amount("opened_amount", "probable_households", "probable_monthly_households", Period.MONTH),
    Amount("non_take_up_yearly_amount", "non_take_up_households", "yearly_households", Period.YEAR),
    Amount("probable_yearly_amount", "probable_households", "probable_yearly_households", Period.YEAR),
)


@dataclass(frozen=True)
class Cell:
    """A figure as a page shows it: its value (None: not computed) or the statistical secrecy."""

    value: int | Decimal | None
    secret: bool


@dataclass(frozen=True)
class Figures:
    """The figures of a territory (or of the whole job) for a benefit (None: all benefits). A figure named in
    `hidden` is under the statistical secrecy; a figure None was not computed (jobs before the household file
    v2 have no probable figure nor yearly amount)."""

    level: str  # AggregateLevel, or JOB_LEVEL
    code: str
    name: str
    benefit: Benefit | None
    values: dict[str, int | Decimal | None]  # by name of ScreeningAggregate.FIGURES
    hidden: frozenset[str] = field(default_factory=frozenset)

    @property
    def cells(self) -> dict[str, Cell]:
        """Every figure by name, and `share`: what the templates show."""
        cells = {name: Cell(value, name in self.hidden) for name, value in self.values.items()}
        cells["share"] = Cell(self.share, "probable_households" in self.hidden)
        return cells

    @property
    def share(self) -> Decimal | None:
        """The share of the households screened with a probable non-take-up of a core benefit (the NRPE)."""
        if self.values.get("probable_households") is None:
            return None
        return share(self.values["probable_households"], self.values["households"], 0)

    @property
    def level_label(self) -> str:
        return AggregateLevel(self.level).label.lower() if self.level in AggregateLevel.values else ""

    @property
    def is_yearly(self) -> bool:
        return self.benefit is not None and self.benefit.period == Period.YEAR


@dataclass(frozen=True)
class JobSummary:
    territories: list[Figures]  # départements first, then communes, by code
    benefits: list[Figures]  # the whole job, per benefit of the catalogue with a potential non-take-up
    per_territory_benefits: list[Figures]  # per territory and benefit: the uploader's only (empty otherwise)
    masked: bool  # the secrecy applies (the viewer did not upload the households, or they are purged)
    benefits_withheld: bool = False  # masked, and fewer than MIN_HOUSEHOLDS households: no line per benefit

    @property
    def has_secret(self) -> bool:
        return self.benefits_withheld or any(row.hidden for row in self.territories + self.benefits)

    def benefit_groups(self) -> list[tuple[str, list[Figures]]]:
        """The job's benefits by class (core rights, optional aids, aids paid without a claim), in the
        catalogue's order; the classes without a benefit are left out."""
        groups: dict[NrpeScope, list[Figures]] = defaultdict(list)
        for row in self.benefits:
            groups[row.benefit.nrpe].append(row)
        return [(scope.label, groups[scope]) for scope in NrpeScope if groups[scope]]


def _name(aggregate: ScreeningAggregate) -> str:
    if aggregate.territory_id:
        return aggregate.territory.name
    return "Commune non renseignée" if aggregate.level == AggregateLevel.COMMUNE else "Non renseigné"


def _key(aggregate: ScreeningAggregate) -> tuple[str, str]:
    return (aggregate.level, aggregate.code)


def _parent(aggregate: ScreeningAggregate) -> Hashable:
    if aggregate.level == AggregateLevel.DEPARTEMENT:
        return JOB
    code = UNKNOWN_COMMUNE if aggregate.code == UNKNOWN_COMMUNE else departement_of(aggregate.code)
    return (AggregateLevel.DEPARTEMENT, code)


def _adds_to(amount: Amount, code: str, old: bool) -> bool:
    """Whether the benefit `code` adds to `amount` (on the lines of older jobs, every benefit but the CSS)."""
    if code in NO_AMOUNT:
        return False
    return old or BENEFITS[code].period == amount.period


def _values(aggregate: ScreeningAggregate) -> dict:
    return {name: getattr(aggregate, name) for name in ScreeningAggregate.FIGURES}


def job_summary(job: ScreeningJob, *, masked: bool, details: bool = False) -> JobSummary:
    """The figures of a finished job; `masked`: apply the statistical secrecy (everyone but the uploader);
    `details`: with the lines per territory and benefit (the uploader's CSV; never when masked)."""
    lines_of_job = job.aggregates.select_related("territory").order_by("-level", "code", "pk")
    totals = list(lines_of_job.filter(benefit=""))
    counted = all(getattr(row, amount.total_count) is not None for row in totals for amount in AMOUNTS)
    if (details and not masked) or (masked and not counted):  # the communes' lines are needed
        aggregates = list(lines_of_job)
    else:
        aggregates = totals + list(lines_of_job.exclude(benefit="").filter(level=AggregateLevel.DEPARTEMENT))
    totals = [row for row in aggregates if not row.benefit]
    lines: dict[tuple[str, str], list[ScreeningAggregate]] = defaultdict(list)
    for row in aggregates:
        if row.benefit in BENEFITS:
            lines[_key(row)].append(row)
    departements = [row for row in totals if row.level == AggregateLevel.DEPARTEMENT]
    old = any(row.probable_households is None for row in totals)  # a job before the household file v2

    # The whole job, per benefit: the sums over its départements.
    job_values: dict[str, dict] = {}
    for departement in departements:
        for row in lines[_key(departement)]:
            sums = job_values.setdefault(row.benefit, dict.fromkeys(_values(row), None))
            for name, value in _values(row).items():
                if value is not None:
                    sums[name] = (sums[name] or 0) + value
    screened = sum(row.households for row in departements)
    for sums in job_values.values():
        sums["households"] = screened

    hidden_counts: set = set()
    hidden_amounts: dict[str, set] = {amount.field: set() for amount in AMOUNTS}
    hidden_terms: dict[str, set] = {amount.field: set() for amount in AMOUNTS}
    if masked:
        counts = {JOB: secrecy.Node(None, screened)}
        counts.update({_key(row): secrecy.Node(_parent(row), row.households) for row in totals})
        hidden_counts = secrecy.hidden(counts)
        by_field = {amount.field: amount for amount in AMOUNTS}
        probable_first = sorted(AMOUNTS, key=lambda amount: amount.field in PROBABLE_PART)
        for amount in probable_first:
            also, also_terms = set(hidden_counts), set()
            probable = by_field[PROBABLE_PART[amount.field]] if amount.field in PROBABLE_PART else None
            if probable is not None and not old:
                # The part « à vérifier » (potential − probable), hidden where its probable part is.
                to_check = {_key(row): _to_check(row, lines[_key(row)], amount, probable) for row in totals}
                nodes = {JOB: secrecy.Node(None, sum(to_check[_key(row)] for row in departements))}
                nodes.update({_key(row): secrecy.Node(_parent(row), to_check[_key(row)]) for row in totals})
                also |= secrecy.hidden(nodes, also=hidden_counts | hidden_amounts[probable.field])
                also_terms = secrecy.hidden_among_terms(
                    {
                        code: (sums[amount.count] or 0) - (sums[probable.count] or 0)
                        for code, sums in job_values.items()
                        if _adds_to(amount, code, old)
                    },
                    also=hidden_terms[probable.field],
                )
            sizes = {_key(row): _contributors(row, lines[_key(row)], amount, old) for row in totals}
            nodes = {JOB: secrecy.Node(None, sum(sizes[_key(row)] for row in departements))}
            nodes.update({_key(row): secrecy.Node(_parent(row), sizes[_key(row)]) for row in totals})
            hidden_amounts[amount.field] = secrecy.hidden(nodes, also=also)
            hidden_terms[amount.field] = secrecy.hidden_among_terms(
                {
                    code: sums[amount.count] or 0
                    for code, sums in job_values.items()
                    if _adds_to(amount, code, old)
                },
                also=also_terms,
            )
    # A benefit's line says that at least one household misses it: not listed when the job's counts are secret.
    withheld = masked and JOB in hidden_counts

    def secret(key: Hashable, code: str | None = None) -> frozenset[str]:
        names = set(COUNTS) if key in hidden_counts else set()
        for amount in AMOUNTS:
            if key in hidden_amounts[amount.field] or (
                code is not None and code in hidden_terms[amount.field]
            ):
                names.add(amount.field)
        return frozenset(names)

    territories = [
        Figures(row.level, row.code, _name(row), None, _values(row), secret(_key(row))) for row in totals
    ]
    benefits = [
        Figures(
            JOB_LEVEL,
            job.territory.code,
            job.territory.name,
            benefit,
            job_values[benefit.code],
            secret(JOB, benefit.code),
        )
        for benefit in CATALOGUE
        if job_values.get(benefit.code, {}).get("non_take_up_households") and not withheld
    ]
    per_territory = (
        []
        if masked or not details
        else [
            Figures(row.level, row.code, _name(row), BENEFITS[row.benefit], _values(row))
            for row in aggregates
            if row.benefit in BENEFITS
        ]
    )
    return JobSummary(territories, benefits, per_territory, masked, withheld)


def uploader_only_lines(job: ScreeningJob):
    """The lines of `job` that only its uploader is shown (per commune and benefit) and that no masked summary
    reads (the job's lines count the households adding to each amount: every job since the household file v2;
    older jobs need them for `_contributors`): what the purge may delete with the per-household results, so that
    a commune's benefit figures on one household are not kept past the retention. A queryset."""
    lines = job.aggregates.filter(level=AggregateLevel.COMMUNE).exclude(benefit="")
    uncounted = job.aggregates.filter(benefit="").filter(
        Q(monthly_households__isnull=True)
        | Q(probable_monthly_households__isnull=True)
        | Q(yearly_households__isnull=True)
        | Q(probable_yearly_households__isnull=True)
    )
    return lines.none() if uncounted.exists() else lines


def _contributors(
    total: ScreeningAggregate, lines: list[ScreeningAggregate], amount: Amount, old: bool
) -> int:
    """The households adding to `amount` on a territory's line: the line's count (jobs since the household file
    v2), else the largest count of the benefits adding to it (a lower bound: a household may add to several
    benefits). Older jobs did not compute the probable and yearly amounts: 0."""
    count = getattr(total, amount.total_count)
    if count is not None:
        return count
    if old and amount.field != "non_take_up_amount":
        return 0  # not computed: nothing shown
    return max(
        (getattr(row, amount.count) or 0 for row in lines if _adds_to(amount, row.benefit, old)),
        default=0,
    )


def _to_check(
    total: ScreeningAggregate, lines: list[ScreeningAggregate], amount: Amount, probable: Amount
) -> int:
    """A lower bound of the households behind the part « à vérifier » of a potential `amount` on a territory's
    line (the potential amount minus its `probable` part): those adding to the potential amount and not to the
    probable one, and on each benefit's line (when read) those whose right is potential and not probable; at
    least 1 when the part is above 0 (a household may hold a probable right and another to check)."""
    bounds = []
    if getattr(total, amount.total_count) is not None and getattr(total, probable.total_count) is not None:
        bounds.append(getattr(total, amount.total_count) - getattr(total, probable.total_count))
    bounds.extend(
        (getattr(row, amount.count) or 0) - (getattr(row, probable.count) or 0)
        for row in lines
        if _adds_to(amount, row.benefit, False)
    )
    bound = max(bounds, default=0)
    part = (getattr(total, amount.field) or 0) - (getattr(total, probable.field) or 0)
    return max(bound, 1) if part > 0 else bound


def _cell(row: Figures, name: str) -> object:
    if name in row.hidden:
        return secrecy.SECRET
    value = row.values.get(name)
    if value is None or (row.benefit and row.benefit.code in NO_AMOUNT and name.endswith("amount")):
        return ""
    return value


def summary_rows(summary: JobSummary):
    """The rows of the summary CSV (columns of SUMMARY_HEADER): per territory (all benefits), per benefit for
    the whole job, then (the uploader's only) per territory and benefit."""
    for row in summary.territories + summary.benefits + summary.per_territory_benefits:
        yield [
            row.level,
            row.code,
            row.name,
            row.benefit.code if row.benefit else "",
            row.benefit.label if row.benefit else "toutes",
            *(_cell(row, name) for name in ScreeningAggregate.FIGURES),
        ]
