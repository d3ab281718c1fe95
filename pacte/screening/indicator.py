"""The observation indicator "Non-recours potentiel estimé" (NRPE), computed from the batch screenings.

For a year, each commune takes the totals of the latest finished job of that year that screened households
of it (a newer screening of the same commune replaces an older one rather than adding to it); a département
adds up its communes. The value is the share of screened households with at least one potential
non-take-up. Below MIN_HOUSEHOLDS screened households the value is published as statistical secrecy, so
that a figure never points at a handful of families. The indicator owns its territorial values: each
refresh rewrites those of the year in one transaction.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from pacte.formatting import plural, share
from pacte.observation.enums import ValueStatus
from pacte.observation.models import Indicator, Observation
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate

logger = logging.getLogger(__name__)

CODE = "NRPE"
MIN_HOUSEHOLDS = 5


def _rate(non_take_up: int, screened: int) -> Decimal:
    return share(non_take_up, screened, 2)


@transaction.atomic
def refresh(year: int) -> int:
    """Rewrite the indicator's territorial values of `year`; the number of values written."""
    indicator = Indicator.objects.filter(code=CODE).first()
    if indicator is None:
        logger.warning("indicator %s is not loaded (pacte load_observation): not refreshed", CODE)
        return 0
    totals = (
        ScreeningAggregate.objects.filter(
            job__status=JobStatus.DONE,
            job__month__startswith=f"{year}-",
            level=AggregateLevel.COMMUNE,
            benefit="",
            territory__isnull=False,
        )
        .order_by("job__finished_at", "job_id")
        .values_list("territory_id", "territory__departement_id", "households", "non_take_up_households")
    )
    communes: dict[int, tuple[int | None, int, int]] = {}
    for commune, departement, screened, non_take_up in totals:
        communes[commune] = (departement, screened, non_take_up)  # a later job replaces an earlier one
    departements: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for departement, screened, non_take_up in communes.values():
        if departement is not None:
            departements[departement][0] += screened
            departements[departement][1] += non_take_up
    values = {commune: (screened, non_take_up) for commune, (_, screened, non_take_up) in communes.items()}
    values.update({departement: tuple(counts) for departement, counts in departements.items()})
    Observation.objects.filter(indicator=indicator, period=year, territory__isnull=False).delete()
    Observation.objects.bulk_create(
        _observation(indicator, territory, year, screened, non_take_up)
        for territory, (screened, non_take_up) in values.items()
    )
    logger.info("indicator %s %s refreshed: %s territories", CODE, year, len(values))
    return len(values)


def _observation(indicator, territory_id: int, year: int, screened: int, non_take_up: int) -> Observation:
    source = f"Pacte — détection du non-recours : {plural(screened, 'foyer examiné', 'foyers examinés')}"
    if screened < MIN_HOUSEHOLDS:
        return Observation(
            indicator=indicator,
            territory_id=territory_id,
            period=year,
            value=None,
            status=ValueStatus.SECRET,
            source=f"{source} (moins de {MIN_HOUSEHOLDS} : valeur non diffusée)",
        )
    return Observation(
        indicator=indicator,
        territory_id=territory_id,
        period=year,
        value=_rate(non_take_up, screened),
        source=source,
    )
