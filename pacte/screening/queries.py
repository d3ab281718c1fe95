"""Reads of the batch screenings shared by the pages and the exports: a job's totals per territory and per
benefit, and its summary as CSV rows."""

from decimal import Decimal

from django.db.models import Sum

from pacte.formatting import share
from pacte.rights.catalogue import BENEFITS, CATALOGUE
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
]


def territory_totals(job: ScreeningJob) -> list[dict]:
    """One row per territory of the summary (départements first): households screened, households with a
    potential non-take-up and their share (a percentage, half up to the unit), monthly amount not claimed (sum
    over the benefits)."""
    amounts = dict(
        ((level, code), amount)
        for level, code, amount in job.aggregates.exclude(benefit="")
        .values("level", "code")
        .annotate(total=Sum("non_take_up_amount"))
        .values_list("level", "code", "total")
    )
    rows = job.aggregates.filter(benefit="").select_related("territory").order_by("-level", "code")
    return [
        {
            "aggregate": aggregate,
            "name": aggregate.territory.name if aggregate.territory_id else "Commune non renseignée",
            "amount": amounts.get((aggregate.level, aggregate.code), Decimal(0)),
            "share": share(aggregate.non_take_up_households, aggregate.households, 0),
        }
        for aggregate in rows
    ]


def benefit_totals(job: ScreeningJob) -> list[dict]:
    """Per benefit, over the job's départements: households with a potential non-take-up and amount."""
    sums = {
        benefit: (households, amount)
        for benefit, households, amount in job.aggregates.filter(level=AggregateLevel.DEPARTEMENT)
        .exclude(benefit="")
        .values("benefit")
        .annotate(households=Sum("non_take_up_households"), amount=Sum("non_take_up_amount"))
        .values_list("benefit", "households", "amount")
    }
    return [
        {"benefit": benefit, "households": sums[benefit.code][0], "amount": sums[benefit.code][1]}
        for benefit in CATALOGUE
        if benefit.code in sums
    ]


def summary_rows(job: ScreeningJob):
    """The rows of the summary CSV (columns of SUMMARY_HEADER), per commune and département, then benefit."""
    return (
        [
            aggregate.level,
            aggregate.code,
            aggregate.territory.name if aggregate.territory_id else "",
            aggregate.benefit,
            BENEFITS[aggregate.benefit].label if aggregate.benefit in BENEFITS else "toutes",
            aggregate.households,
            aggregate.non_take_up_households,
            aggregate.non_take_up_amount,
        ]
        for aggregate in ScreeningAggregate.objects.filter(job=job)
        .select_related("territory")
        .order_by("-level", "code", "pk")
    )
