"""The observation indicator "Non-recours potentiel estimé" (NRPE), computed from the batch screenings.

For a year, each commune takes the totals of the latest finished job of that year that screened households
of it (a newer screening of the same commune replaces an older one rather than adding to it); a département
adds up its communes. The value is the share of screened households with at least one *probable* non-take-up
of a core benefit (`pacte.rights.results.counts_in_nrpe`: RSA, prime d'activité, aides au logement, AF, CF,
ASF, CSS, AAH, ASPA, ASI; computed as due, not received, and with the confidence « probable » for the
household); the optional aids and those paid without a claim do not count (the job pages report them apart).
Jobs computed before that rule (their lines have no probable count) are left out. The statistical secrecy of `secrecy` applies: a territory with fewer than 11 screened households
(`secrecy.MIN_HOUSEHOLDS`, INSEE's rule) is published as « secret statistique », and so is the smallest other
commune of its département when the hidden ones would otherwise be recomputed from the département's value;
the source of a hidden value does not give its count either. The indicator owns its territorial values: each
refresh rewrites those of the year in one transaction.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from pacte.formatting import plural, share
from pacte.observation.enums import ValueStatus
from pacte.observation.models import Indicator, Observation
from pacte.screening import secrecy
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate

logger = logging.getLogger(__name__)

CODE = "NRPE"
SOURCE = "Pacte — détection du non-recours"


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
            probable_households__isnull=False,
        )
        .order_by("job__finished_at", "job_id")
        .values_list("territory_id", "territory__departement_id", "households", "probable_households")
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
    nodes = {
        commune: secrecy.Node(departement if departement in departements else None, screened)
        for commune, (departement, screened, _) in communes.items()
    }
    nodes.update({departement: secrecy.Node(None, counts[0]) for departement, counts in departements.items()})
    hidden = secrecy.hidden(nodes, tops_shown=False)
    Observation.objects.filter(indicator=indicator, period=year, territory__isnull=False).delete()
    Observation.objects.bulk_create(
        _observation(indicator, territory, year, screened, non_take_up, territory in hidden)
        for territory, (screened, non_take_up) in values.items()
    )
    logger.info("indicator %s %s refreshed: %s territories", CODE, year, len(values))
    return len(values)


def _observation(
    indicator, territory_id: int, year: int, screened: int, non_take_up: int, hidden: bool
) -> Observation:
    if hidden:
        reason = (
            f"moins de {plural(secrecy.MIN_HOUSEHOLDS, 'foyer examiné', 'foyers examinés')}"
            if screened < secrecy.MIN_HOUSEHOLDS
            else f"pour qu'une commune voisine de moins de {secrecy.MIN_HOUSEHOLDS} foyers examinés ne se déduise "
            "pas de celle du département"
        )
        return Observation(
            indicator=indicator,
            territory_id=territory_id,
            period=year,
            value=None,
            status=ValueStatus.SECRET,
            source=f"{SOURCE} : valeur non diffusée, secret statistique ({reason})",
        )
    return Observation(
        indicator=indicator,
        territory_id=territory_id,
        period=year,
        value=_rate(non_take_up, screened),
        source=f"{SOURCE} : {plural(screened, 'foyer examiné', 'foyers examinés')}",
    )
