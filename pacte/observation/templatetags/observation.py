"""Template tags of the observation layer for the pages of other apps: `{% load observation %}`.

`{% poverty_split region amount year %}` shows the suggested split of a région's envelope for the pactes locaux
among its départements, in proportion to the number of people living below the poverty line. Source: the
instruction of 12 June 2024 on the pactes locaux, as cited by ASH
(https://ash.tm.fr/juridique/pactes-locaux-de-solidarite-quels-enjeux-pour-2024-914195.php): « L'attribution des
crédits se fait en fonction d'indicateurs établis au niveau départemental, du nombre de personnes vivant en
dessous du seuil de pauvreté ». The contracts app cannot read the observation data (layers): its pages load this
tag, and the commissioner types the split in the contracts form.

The headcount is the indicator `POVERTY_HEADCOUNT` (NBPAUV, « Personnes vivant sous le seuil de pauvreté à
60 % »), in the latest year (not after the envelope's) for which every département of the région has a value.
When the indicator or one département's value is missing, the suggestion is « non disponible »: a split over
part of the région would be wrong, and the platform never estimates a headcount (not even as a rate times a
population).
"""

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django import template

from pacte import formatting
from pacte.observation import queries
from pacte.observation.enums import ValueKind, ValueStatus
from pacte.observation.models import Observation
from pacte.territories.enums import Level
from pacte.territories.models import Territory

register = template.Library()

POVERTY_HEADCOUNT = "NBPAUV"
CENT = Decimal("0.01")


@dataclass
class SplitRow:
    departement: Territory
    headcount: Decimal
    share: Decimal  # percentage, one decimal
    suggested: Decimal


@dataclass
class SuggestedSplit:
    available: bool
    reason: str = ""
    indicator: object = None
    period: int | None = None
    is_demo: bool = False
    rows: list[SplitRow] = field(default_factory=list)


def proportional_split(amount: Decimal, weights: dict) -> dict:
    """`amount` shared in proportion to `weights` (all positive), to the cent, the shares adding up to `amount`
    exactly: each gets its share rounded down, and the cents left go one by one to the largest remainders
    (ties: in the order of `weights`)."""
    total = sum(weights.values())
    cents = int((amount / CENT).to_integral_value(rounding=ROUND_FLOOR))
    exact = {key: Decimal(cents) * weight / total for key, weight in weights.items()}
    floors = {key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact.items()}
    order = sorted(weights, key=lambda key: exact[key] - floors[key], reverse=True)
    for key in order[: cents - sum(floors.values())]:
        floors[key] += 1
    return {key: Decimal(floors[key]) * CENT for key in weights}


def suggested_split(
    user, region: Territory, amount: Decimal | None, year: int | None = None
) -> SuggestedSplit:
    """The split of `amount` among the départements of `region` by poverty headcount (see the module docstring);
    three queries."""
    indicator = queries.visible_indicator(user, POVERTY_HEADCOUNT)
    if indicator is None or indicator.kind != ValueKind.COUNT:
        return SuggestedSplit(
            False, f"l'indicateur {POVERTY_HEADCOUNT} (personnes pauvres) n'est pas chargé."
        )
    departements = list(
        Territory.objects.active().filter(level=Level.DEPARTEMENT, region=region).order_by("code")
    )
    if not departements:
        return SuggestedSplit(False, "la région n'a pas de département.", indicator)
    values = Observation.objects.filter(
        indicator=indicator, territory__in=departements, status=ValueStatus.AVAILABLE, value__gt=0
    )
    if year is not None:
        values = values.filter(period__lte=year)
    by_period: dict[int, dict[int, Observation]] = {}
    for observation in values.only("territory_id", "period", "value", "is_demo"):
        by_period.setdefault(observation.period, {})[observation.territory_id] = observation
    complete = [period for period, found in by_period.items() if len(found) == len(departements)]
    if not complete:
        return SuggestedSplit(
            False,
            f"aucune année où chaque département de {region.name} a une valeur de l'indicateur "
            f"« {indicator.label} ».",
            indicator,
        )
    period = max(complete)
    found = by_period[period]
    weights = {departement.pk: found[departement.pk].value for departement in departements}
    total = sum(weights.values())
    shares = proportional_split(amount, weights) if amount else {key: None for key in weights}
    rows = [
        SplitRow(
            departement=departement,
            headcount=weights[departement.pk],
            share=formatting.share(weights[departement.pk], total),
            suggested=shares[departement.pk],
        )
        for departement in departements
    ]
    return SuggestedSplit(
        True,
        indicator=indicator,
        period=period,
        is_demo=any(observation.is_demo for observation in found.values()),
        rows=rows,
    )


@register.inclusion_tag("observation/_poverty_split.html", takes_context=True)
def poverty_split(context, region, amount, year=None) -> dict:
    """The suggested split of a région's envelope for the pactes locaux by poverty headcount, or « non
    disponible » with the reason."""
    return {"split": suggested_split(context["request"].user, region, amount, year), "amount": amount}
