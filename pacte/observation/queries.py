"""Reads of indicator values for the observation pages, the open data and the API.

Every function runs a fixed number of queries, whatever the number of territories: the values of a whole
level (101 départements, 35,000 communes) for one period come in one query (a LEFT JOIN from the
territories, so that a territory without a value is listed as "non disponible"), a time series of several
territories in one query, the peers of a territory in one query. Pages slice what they show (a table of
communes is paginated) and downloads iterate in chunks.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, FilteredRelation, Max, OuterRef, Q, QuerySet

from pacte import formatting
from pacte.core.collation import french
from pacte.observation import perms
from pacte.observation.enums import NationalScope, ValueKind, ValueStatus
from pacte.observation.models import Indicator, Observation
from pacte.territories.enums import METROPOLE_TYPES, Level
from pacte.territories.models import Territory

# Levels of the indicator pages and of the open data, in display order ("metropole": the EPCI that are
# métropoles; "france": the national values, which have no territory).
LEVELS: dict[str, str] = {
    "departement": "Départements",
    "region": "Régions",
    "metropole": "Métropoles",
    "epci": "EPCI à fiscalité propre",
    "commune": "Communes",
    "com": "Collectivités d'outre-mer",
}
LEVEL_SINGULAR: dict[str, str] = {
    "france": "France",
    "departement": "Département",
    "region": "Région",
    "metropole": "Métropole",
    "epci": "EPCI",
    "commune": "Commune",
    "com": "Collectivité d'outre-mer",
}
DIAGNOSTIC_LEVELS: dict[str, str] = {
    "departement": "Département",
    "region": "Région",
    "metropole": "Métropole",
}
TABLE_ORDERS = ("code", "-code", "nom", "-nom", "valeur", "-valeur")
PEER_COUNT = 5


def level_q(level: str, prefix: str = "") -> Q:
    """A filter on Territory (or, with `prefix` "territory__", on Observation) keeping one level."""
    if level == "metropole":
        return Q(**{f"{prefix}level": Level.EPCI, f"{prefix}epci_type__in": METROPOLE_TYPES})
    return Q(**{f"{prefix}level": level})


def level_of(territory: Territory) -> str:
    """The page level of a territory ("metropole" for an EPCI that is one)."""
    return "metropole" if territory.is_metropole else territory.level


# --- Indicators ---------------------------------------------------------------------------------------


def visible_indicators(user) -> QuerySet:
    """The indicators `user` may see, in their display order."""
    return perms.visible_indicators(user, Indicator.objects.all()).order_by("order", "code")


def visible_indicator(user, code: str) -> Indicator | None:
    """The indicator `code` if `user` may see it."""
    return visible_indicators(user).filter(code=code).first()


def indicator_with_levels(user, code: str) -> Indicator | None:
    """The indicator `code` if `user` may see it, annotated `has_<level>` for each of LEVELS and
    `has_france` (True when it has at least one value there): one query, each EXISTS stopping at the
    first value found."""
    values = Observation.objects.filter(indicator=OuterRef("pk"))
    flags = {f"has_{level}": Exists(values.filter(territory__in=of_level(level))) for level in LEVELS}
    flags["has_france"] = Exists(values.filter(territory__isnull=True))
    return visible_indicators(user).filter(code=code).annotate(**flags).first()


def levels_with_values(indicator: Indicator) -> list[str]:
    """The levels (of LEVELS, in order) where `indicator_with_levels()` found values."""
    return [level for level in LEVELS if getattr(indicator, f"has_{level}", False)]


def periods(indicator: Indicator, level: str) -> list[int]:
    """Years with at least one value at `level` ("france": the national values), latest first: one query,
    walking the (indicator, territory, period) index from the territories of the level."""
    values = Observation.objects.filter(indicator=indicator)
    if level == "france":
        values = values.filter(territory__isnull=True)
    else:
        values = values.filter(territory__in=of_level(level))
    return sorted(values.order_by().values_list("period", flat=True).distinct(), reverse=True)


def availability(indicator: Indicator) -> dict[str, list[int]]:
    """The years with values of `indicator` at each level ("france" for the national values), latest
    first; levels without values are absent. One query, reading every value of the indicator: for the API's
    description of an indicator; pages use `indicator_with_levels()` and `periods()`."""
    found: dict[str, set[int]] = defaultdict(set)
    rows = (
        Observation.objects.filter(indicator=indicator)
        .order_by()
        .values_list("territory__level", "territory__epci_type", "period")
        .distinct()
    )
    for level, epci_type, period in rows:
        if level is None:
            found["france"].add(period)
            continue
        found[level].add(period)
        if level == Level.EPCI and epci_type in METROPOLE_TYPES:
            found["metropole"].add(period)
    return {level: sorted(years, reverse=True) for level, years in found.items()}


# --- Values of a level ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    period: int
    value: Decimal | None
    status: str = ValueStatus.AVAILABLE
    is_demo: bool = False
    source: str = ""
    scope: str = ""  # a national value's field (enums.NationalScope), "" when not said or territorial

    @property
    def is_available(self) -> bool:
        return self.status == ValueStatus.AVAILABLE and self.value is not None


def level_territories(
    indicator: Indicator, level: str, period: int, *, departement: Territory | None = None
) -> QuerySet:
    """The territories listed for `level` and `period`: those of the COG in force, and former ones that
    have a value for that year; `departement` keeps the EPCI or communes of one département. Lazy."""
    has_value = Exists(
        Observation.objects.filter(territory=OuterRef("pk"), indicator=indicator, period=period)
    )
    territories = Territory.objects.filter(level_q(level)).filter(Q(is_active=True) | has_value)
    if departement is not None:
        territories = territories.filter(Q(departement=departement) | Q(parent=departement))
    return territories


def territory_rows(
    indicator: Indicator,
    level: str,
    period: int,
    *,
    order: str = "code",
    departement: Territory | None = None,
    ids: Sequence[int] | None = None,
) -> QuerySet:
    """Every territory of `level_territories()` with its value for `period`, one dict per territory (keys
    pk, code, name, region_id, region_name, departement_code, value, status, is_demo, updated_at); a
    territory without a value has status None. `ids` keeps those territories only (a page). Lazy."""
    rows = level_territories(indicator, level, period, departement=departement)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    rows = rows.annotate(
        obs=FilteredRelation(
            "observations", condition=Q(observations__indicator=indicator, observations__period=period)
        )
    ).values(
        "pk",
        "code",
        "name",
        "region_id",
        region_name=F("region__name"),
        departement_code=F("departement__code"),
        value=F("obs__value"),
        status=F("obs__status"),
        is_demo=F("obs__is_demo"),
        updated_at=F("obs__updated_at"),
    )
    return rows.order_by(*_ordering(order))


def territory_page(
    indicator: Indicator,
    level: str,
    period: int,
    *,
    order: str = "code",
    departement: Territory | None = None,
    page_number=1,
    page_size: int = 50,
) -> tuple[Page, list[dict]]:
    """One page of `territory_rows()`: the page (for the navigation) and its rows, in three queries. The
    count and, when sorted by code or name, the page's territories are read without the values; the values
    are joined to those territories only, so that the last page of 35,000 communes costs no more than the
    first. Sorted by value, the page is cut from the joined rows."""
    territories = level_territories(indicator, level, period, departement=departement)
    key = order.lstrip("-")
    ordering = (
        [french("name").desc() if order.startswith("-") else french("name"), "code"]
        if key == "nom"
        else ["-code" if order.startswith("-") else "code"]
    )
    page = Paginator(territories.order_by(*ordering).values_list("pk", flat=True), page_size).get_page(
        page_number
    )
    if key == "valeur":
        start = (page.number - 1) * page_size
        rows = territory_rows(indicator, level, period, order=order, departement=departement)
        return page, list(rows[start : start + page_size])
    ids = list(page.object_list)
    return page, list(territory_rows(indicator, level, period, order=order, ids=ids))


def _ordering(order: str) -> list:
    descending = order.startswith("-")
    key = order.lstrip("-")
    if key == "valeur":
        value = F("value").desc(nulls_last=True) if descending else F("value").asc(nulls_last=True)
        return [value, "code"]
    if key == "nom":
        return [french("name").desc() if descending else french("name"), "code"]
    return ["-code" if descending else "code", "code"]


def status_label(status: str | None) -> str:
    if status is None:
        return ValueStatus.MISSING.label
    return ValueStatus(status).label


def find_territory(level: str, code: str) -> Territory | None:
    return (
        Territory.objects.select_related("region", "departement", "parent")
        .filter(level_q(level), code=code)
        .first()
    )


def find_territories(level: str, codes: Sequence[str]) -> list[Territory]:
    """The territories of `level` among `codes`, in the order of `codes` (unknown codes are dropped)."""
    if not codes:
        return []
    found = {
        territory.code: territory
        for territory in Territory.objects.filter(level_q(level), code__in=list(codes)).select_related(
            "region"
        )
    }
    return [found[code] for code in codes if code in found]


# --- Series ---------------------------------------------------------------------------------------------


def series(
    indicator_ids: Iterable[int], territory_ids: Iterable[int], *, national: bool = True
) -> dict[tuple[int, int | None], list[Point]]:
    """The values of the indicators for the territories (and France when `national`), by
    (indicator id, territory id or None for France), in period order: one query for France, one for the
    territories (each on its own index: an OR of both would scan every value of the indicators)."""
    indicator_ids = list(indicator_ids)
    territory_ids = [pk for pk in territory_ids if pk is not None]
    fields = ("indicator_id", "territory_id", "period", "value", "status", "is_demo", "source", "scope")
    parts = []
    if national:
        parts.append(Observation.objects.filter(territory__isnull=True, indicator__in=indicator_ids))
    if territory_ids:
        parts.append(Observation.objects.filter(territory__in=territory_ids, indicator__in=indicator_ids))
    result: dict[tuple[int, int | None], list[Point]] = defaultdict(list)
    for part in parts:
        # No ORDER BY: sorting on the period would lead SQLite to the (indicator, period) index, that is to
        # every value of the indicators; the few points are sorted here.
        for (
            indicator_id,
            territory_id,
            period,
            value,
            status,
            is_demo,
            source,
            scope,
        ) in part.order_by().values_list(*fields):
            result[indicator_id, territory_id].append(Point(period, value, status, is_demo, source, scope))
    for points in result.values():
        points.sort(key=lambda point: point.period)
    return result


def of_level(level: str) -> QuerySet:
    """Ids of the territories of `level`, as a subquery: `territory__in=of_level(…)` lets the database
    walk the (indicator, territory) index from the territories instead of every value of an indicator."""
    return Territory.objects.filter(level_q(level)).values("pk")


def latest(points: Sequence[Point]) -> Point | None:
    """The latest available value of a series."""
    for point in reversed(points):
        if point.is_available:
            return point
    return None


def at(points: Sequence[Point], period: int) -> Point | None:
    for point in points:
        if point.period == period:
            return point
    return None


def latest_national(indicator_ids: Iterable[int]) -> dict[int, Point]:
    """The latest available national value of each indicator: one query."""
    found = series(indicator_ids, [], national=True)
    result = {}
    for (indicator_id, _territory), points in found.items():
        point = latest(points)
        if point is not None:
            result[indicator_id] = point
    return result


def national_label(points: Sequence[Point]) -> str:
    """How a national series is named beside territories: « France métropolitaine » when its values are of that
    field (the ERFS), else « France »."""
    scopes = {point.scope for point in points if point.scope}
    if scopes == {NationalScope.METROPOLITAN}:
        return NationalScope.METROPOLITAN.label
    return "France"


def last_update(indicator: Indicator) -> datetime:
    """Date of the last change of the indicator or of any of its values: one query."""
    updated = Observation.objects.filter(indicator=indicator).aggregate(last=Max("updated_at"))["last"]
    return max(filter(None, [updated, indicator.updated_at]))


# --- Peers ----------------------------------------------------------------------------------------------


@dataclass
class Peer:
    pk: int
    code: str
    name: str
    distance: float
    common: int
    values: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class Peers:
    """The territories of the same level whose poverty profile is closest, and what was compared:
    `basis` lists (indicator, period) pairs, `own` the territory's values."""

    basis: list[tuple[Indicator, int]]
    own: dict[int, Decimal]
    items: list[Peer]
    compared: int = 0


def profile_indicators(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators that describe a poverty profile: rates, amounts and ratios, not counts (a count says
    more about a territory's size than about its poverty)."""
    return [indicator for indicator in indicators if indicator.kind != ValueKind.COUNT]


def peers(
    territory: Territory,
    indicators: Sequence[Indicator],
    own_series: dict[int, list[Point]],
    *,
    count: int = PEER_COUNT,
) -> Peers:
    """The `count` territories of the level of `territory` with the closest profile: for each indicator of
    `indicators` (see `profile_indicators`), the latest year with a value for `territory`; each value is
    standardised over the territories of the level that have one for that year (z = (x − mean) / standard
    deviation), and the distance is the root mean square of the differences of z over the indicators both
    territories have (at least half of them). `own_series` holds the territory's series by indicator id.
    One query."""
    basis: list[tuple[Indicator, int]] = []
    own: dict[int, Decimal] = {}
    for indicator in indicators:
        point = latest(own_series.get(indicator.pk, []))
        if point is not None:
            basis.append((indicator, point.period))
            own[indicator.pk] = point.value
    if not basis:
        return Peers(basis, own, [])
    # Indicators, years and territories as three IN lists: the database walks the (indicator, territory,
    # period) index from the territories of the level; the exact (indicator, year) pairs are kept here.
    wanted = {(indicator.pk, period) for indicator, period in basis}
    rows = (
        Observation.objects.filter(
            indicator__in=[indicator.pk for indicator, _period in basis],
            period__in={period for _indicator, period in basis},
            territory__in=of_level(level_of(territory)),
            status=ValueStatus.AVAILABLE,
        )
        .order_by()
        .values_list("territory_id", "territory__code", "territory__name", "indicator_id", "period", "value")
    )
    by_indicator: dict[int, dict[int, float]] = defaultdict(dict)
    names: dict[int, tuple[str, str]] = {}
    raw: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for territory_id, code, name, indicator_id, period, value in rows:
        if (indicator_id, period) not in wanted or value is None:
            continue
        by_indicator[indicator_id][territory_id] = float(value)
        raw[territory_id][indicator_id] = value
        names[territory_id] = (code, name)
    scores: dict[int, dict[int, float]] = defaultdict(dict)  # territory → indicator → z
    for indicator_id, values in by_indicator.items():
        if len(values) < 3 or territory.pk not in values:
            continue
        mean = sum(values.values()) / len(values)
        deviation = math.sqrt(sum((value - mean) ** 2 for value in values.values()) / len(values))
        if deviation == 0:
            continue
        for territory_id, value in values.items():
            scores[territory_id][indicator_id] = (value - mean) / deviation
    mine = scores.get(territory.pk, {})
    basis = [(indicator, period) for indicator, period in basis if indicator.pk in mine]
    needed = max(1, math.ceil(len(mine) / 2))
    found = []
    for territory_id, theirs in scores.items():
        if territory_id == territory.pk:
            continue
        common = [indicator_id for indicator_id in mine if indicator_id in theirs]
        if len(common) < needed:
            continue
        distance = math.sqrt(sum((mine[i] - theirs[i]) ** 2 for i in common) / len(common))
        code, name = names[territory_id]
        found.append(Peer(territory_id, code, name, distance, len(common), raw[territory_id]))
    found.sort(key=lambda peer: (peer.distance, peer.code))
    return Peers(basis, own, found[:count], compared=len(found))


# --- Downloads ------------------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "territory__code",
    "territory__name",
    "territory__level",
    "period",
    "value",
    "status",
    "is_demo",
    "source",
    "updated_at",
    "scope",
)


def values_of(
    indicator: Indicator,
    *,
    level: str | None = None,
    territory: Territory | None = None,
    period: int | None = None,
) -> QuerySet:
    """The values of `indicator`, France first then by level, territory and period; `level` "france" keeps the
    national values, `territory` and `period` narrow them. Lazy."""
    values = Observation.objects.filter(indicator=indicator)
    if level == "france":
        values = values.filter(territory__isnull=True)
    elif level:
        values = values.filter(level_q(level, "territory__"))
    if territory is not None:
        values = values.filter(territory=territory)
    if period is not None:
        values = values.filter(period=period)
    return values.order_by(F("territory__level").asc(nulls_first=True), "territory__code", "period")


def export_values(indicator: Indicator, level: str | None = None, period: int | None = None) -> QuerySet:
    """`values_of()` as tuples (EXPORT_FIELDS), for the downloads: iterate with `.iterator(chunk_size=…)`."""
    return values_of(indicator, level=level, period=period).values_list(*EXPORT_FIELDS)


def observations(
    indicator: Indicator,
    *,
    level: str | None = None,
    territory: Territory | None = None,
    period: int | None = None,
) -> QuerySet:
    """`values_of()` as Observation rows with their territory and `indicator_code`, for the API."""
    return (
        values_of(indicator, level=level, territory=territory, period=period)
        .select_related("territory")
        .annotate(indicator_code=F("indicator__code"))
    )


def iter_chunks(queryset: QuerySet, chunk_size: int = 2000) -> Iterator:
    return queryset.iterator(chunk_size=chunk_size)


# --- Values as shown on the pages ---------------------------------------------------------------------


def display(indicator: Indicator, point: Point | None, *, with_period: bool = False) -> str:
    """A value as shown on the pages: "14,5 %", "21 340 €" (with " (2021)" when `with_period`), or why it
    is missing ("secret statistique", "non disponible")."""
    if point is None:
        return "non disponible"
    if not point.is_available:
        return status_label(point.status).lower()
    text = formatting.measure(point.value, indicator.unit, indicator.decimals)
    return f"{text} ({point.period})" if with_period else text


def value_text(indicator: Indicator, value, status: str | None) -> str:
    if status == ValueStatus.AVAILABLE and value is not None:
        return formatting.measure(value, indicator.unit, indicator.decimals)
    return status_label(status).lower()
