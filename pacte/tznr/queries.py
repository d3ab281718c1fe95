"""The reads of the register shared by the pages, the exports, the API and the barometer, each in a fixed number
of queries whatever the number of experiments and periods."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from pacte.core.collation import french
from pacte.tznr import cost, perms
from pacte.tznr.enums import ExperimentStatus, PeriodStatus
from pacte.tznr.models import Experiment, FollowUpPeriod, OpenedRight

# The référentiel's target that the register bears (programme/data/referentiel.yaml): « Expérimenter 39
# "territoires zéro non-recours" dès 2024 » (seed 000, 18 September 2023).
TARGET_CODE = "a3-n1-territoires-zero-non-recours"
# The arrêté du 4 août 2023 makes the territories of its article 2 take part « à compter du 1er janvier 2024 »:
# the year the register's count is of.
DECREE_YEAR = 2024


def register() -> QuerySet[Experiment]:
    """Every experiment, for the public register (territories and région fetched)."""
    return Experiment.objects.select_related("region", "departement", "porteur").prefetch_related(
        Prefetch("territories", queryset=_territories())
    )


def _territories():
    from pacte.territories.models import Territory

    return Territory.objects.order_by("level", french("name"))


def followed(user) -> QuerySet[Experiment]:
    """The experiments whose follow-up `user` may read."""
    ids = Experiment.objects.filter(perms.visible_experiments_q(user)).values("pk")
    return register().filter(pk__in=ids)


def validated_periods(experiments) -> dict[int, list[cost.PeriodFigures]]:
    """The validated periods of `experiments` as figures, by experiment (two queries)."""
    ids = [e.pk for e in experiments]
    periods = list(
        FollowUpPeriod.objects.filter(experiment_id__in=ids, status=PeriodStatus.VALIDATED).order_by("start")
    )
    lines = defaultdict(list)
    for right in OpenedRight.objects.filter(period__in=[p.pk for p in periods]):
        lines[right.period_id].append(
            cost.RightLine(right.benefit, right.source, right.count, right.monthly_amount)
        )
    figures = defaultdict(list)
    for period in periods:
        figures[period.experiment_id].append(
            cost.PeriodFigures(period.start, period.end, period.spent, tuple(lines[period.pk]))
        )
    return figures


def costs(experiments) -> dict[int, cost.Cost]:
    """The cost figures of each experiment, from its validated periods."""
    experiments = list(experiments)
    figures = validated_periods(experiments)
    return {e.pk: cost.compute(figures.get(e.pk, [])) for e in experiments}


def all_costs() -> tuple[list[Experiment], dict[int, cost.Cost]]:
    """Every identified experiment (demo ones only beside demo ones: a demo database has no real figures) and its
    cost figures, for the comparisons."""
    experiments = list(Experiment.objects.filter(identified=True).select_related("region"))
    return experiments, costs(experiments)


def comparisons(experiments, by_pk: dict[int, cost.Cost]):
    """(national, {région pk: comparison}) of the experiments given."""
    national = cost.compare(by_pk[e.pk] for e in experiments)
    regional = defaultdict(list)
    for experiment in experiments:
        if experiment.region_id:
            regional[experiment.region_id].append(by_pk[experiment.pk])
    return national, {region: cost.compare(items) for region, items in regional.items()}


def periods_of(experiment) -> QuerySet[FollowUpPeriod]:
    return experiment.periods.prefetch_related("rights").select_related("submitted_by", "validated_by")


def decree_count() -> tuple[int, int]:
    """(territories selected by the arrêté du 4 août 2023 in the register, of which identified): the experiments
    of articles 1 and 2, not abandoned, demo rows left out (one query)."""
    counts = (
        Experiment.objects.filter(article__isnull=False, is_demo=False)
        .exclude(status=ExperimentStatus.STOPPED)
        .aggregate(total=Count("pk"), identified=Count("pk", filter=Q(identified=True)))
    )
    return counts["total"], counts["identified"]


@dataclass(frozen=True)
class RegisterCount:
    """The value the register gives the référentiel's target: the territories of the arrêté."""

    year: int
    value: int
    identified: int


def register_value() -> RegisterCount | None:
    """The count of the référentiel's target borne by the register (one query), None when the register is
    empty."""
    total, identified = decree_count()
    if not total:
        return None
    return RegisterCount(DECREE_YEAR, total, identified)
