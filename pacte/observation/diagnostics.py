"""Territorial diagnostic of a département, a métropole or a région, for its page and its PDF for a COPIL.

Key indicators (every indicator the user may see) next to the région and France, their trend, the peers
with the closest poverty profile, the contrats locaux des solidarités of the territory with their
fiches-actions (signed versions for everyone, drafts as pacte.contracts.perms allows) and the map of
départements with the territory highlighted. `build_diagnostic` reads all of it in a fixed number of queries
whatever the number of territories and indicators; the page (views/diagnostics.py) and the PDF (pdf.py)
show the same `Diagnostic`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from pacte import formatting
from pacte.contracts.enums import ContractStatus
from pacte.contracts.models import Action, Contract
from pacte.contracts.perms import visible_contracts_q
from pacte.observation import charts, queries
from pacte.observation.enums import NationalScope, ValueStatus
from pacte.observation.models import Indicator, Observation
from pacte.territories.enums import Level
from pacte.territories.models import Territory


@dataclass
class Trend:
    direction: str  # "hausse", "baisse" or "stable"
    text: str
    icon: str
    reading: str  # "favorable", "défavorable" or ""


@dataclass
class KeyRow:
    indicator: Indicator
    latest: queries.Point | None
    value: str
    region: str
    france: str
    trend: Trend | None
    chart: SafeString | None
    years: list[int] = field(default_factory=list)
    table: list[tuple[str, list[str]]] = field(default_factory=list)
    is_demo: bool = False
    region_is_demo: bool = False  # the value shown in the région column is a demo value
    france_is_demo: bool = False  # the value shown in the France column is a demo value


@dataclass
class DiagnosticMap:
    indicator: Indicator
    period: int
    choropleth: charts.ChoroplethMap


@dataclass
class Diagnostic:
    territory: Territory
    level: str
    level_label: str
    region: Territory | None
    rows: list[KeyRow]
    peers: queries.Peers
    peer_rows: list[dict]
    contracts: list[Contract]
    map: DiagnosticMap | None
    sources: list[str]
    has_demo: bool
    generated_at: object

    @property
    def title(self) -> str:
        return f"Diagnostic territorial – {self.territory.name}"


# How the peers are found (shown under their table, on the page and in the PDF).
METHOD = (
    "Pour chaque indicateur exprimé en taux, en montant ou en rapport (les effectifs, qui dépendent surtout "
    "de la taille du territoire, sont écartés), on retient la dernière année disponible pour ce territoire. "
    "Chaque valeur est centrée et réduite parmi les territoires du même niveau qui en ont une cette année-là "
    "(écart à la moyenne divisé par l’écart-type). La distance entre deux territoires est la moyenne "
    "quadratique des écarts de ces valeurs réduites sur les indicateurs qu’ils ont en commun (au moins la "
    "moitié d’entre eux) : distance euclidienne standardisée. Les cinq territoires les plus proches sont "
    "retenus ; une distance de 0 signifie un profil identique, une distance de 1 un écart moyen d’un "
    "écart-type."
)


def diagnostic_territory(level: str, code: str) -> Territory | None:
    if level not in queries.DIAGNOSTIC_LEVELS:
        return None
    return queries.find_territory(level, code)


def _trend(indicator: Indicator, points: list[queries.Point]) -> Trend | None:
    available = [point for point in points if point.is_available]
    if len(available) < 2:
        return None
    previous, last = available[-2], available[-1]
    delta = last.value - previous.value
    threshold = Decimal(1).scaleb(-indicator.decimals) / 2
    if abs(delta) < threshold:
        return Trend("stable", f"stable depuis {previous.period}", "fr-icon-arrow-right-line", "")
    rising = delta > 0
    unit = formatting.plural_word(abs(delta), "point") if indicator.unit.strip() == "%" else indicator.unit
    amount = formatting.measure(abs(delta), unit, indicator.decimals)
    text = f"en {'hausse' if rising else 'baisse'} de {amount} depuis {previous.period}"
    worse = rising == indicator.higher_is_worse
    return Trend(
        "hausse" if rising else "baisse",
        text,
        "fr-icon-arrow-right-up-line" if rising else "fr-icon-arrow-right-down-line",
        "défavorable" if worse else "favorable",
    )


def _compared_point(points: list[queries.Point], period: int | None) -> tuple[queries.Point | None, bool]:
    """The point set beside the territory's value: the one at `period` when there is one, else the latest;
    and whether its year must be said."""
    point = queries.at(points, period) if period is not None else None
    with_period = point is None or not point.is_available
    if with_period:
        point = queries.latest(points)
    return point, with_period


def _shown_is_demo(points: list[queries.Point], period: int | None) -> bool:
    """The point `_comparison` shows is a demo value (« donnée fictive » beside it)."""
    point, _with_period = _compared_point(points, period)
    return bool(point is not None and point.is_demo)


def _comparison(
    indicator: Indicator, points: list[queries.Point], period: int | None, field: str = ""
) -> str:
    """The value at `period` when there is one, else the latest with its year; `field` (« France
    métropolitaine ») is said beside the value."""
    point, with_period = _compared_point(points, period)
    text = queries.display(indicator, point)
    notes = [str(point.period)] if with_period and point is not None else []
    if field and point is not None:
        notes.append(field)
    return f"{text} ({', '.join(notes)})" if notes else text


def _names(lines: list) -> str:
    """« Loire-Atlantique, Pays de la Loire et France métropolitaine »: the labels of the drawn lines."""
    labels = [label for label, _points, _emphasis in lines]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} et {labels[-1]}"


def _national(france: list[queries.Point], territory: Territory) -> tuple[list[queries.Point], str, str]:
    """The national points that may be set beside `territory`, their name, and the text shown when none may.

    A national value of the ERFS covers metropolitan France only (enums.NationalScope): it is named « France
    métropolitaine » and is not set beside a territory d'outre-mer, whose values (Filosofi, CAF) are of another
    field."""
    label = queries.national_label(france)
    kept = [
        point for point in france if not point.scope or NationalScope(point.scope).compares_with(territory)
    ]
    if france and not kept:
        return [], label, f"non comparable : la valeur nationale ne porte que sur la {label}"
    return kept, label, ""


def _key_rows(
    indicators: list[Indicator], found: dict, territory: Territory, region: Territory | None
) -> list[KeyRow]:
    rows = []
    for indicator in indicators:
        own = found.get((indicator.pk, territory.pk), [])
        regional = found.get((indicator.pk, region.pk), []) if region else []
        france, france_label, refused = _national(found.get((indicator.pk, None), []), territory)
        latest = queries.latest(own)
        period = latest.period if latest else None
        lines = [(territory.name, own, True), *([(region.name, regional, False)] if region else [])]
        lines.append((france_label, france, False))
        lines = [(label, points, emphasis) for label, points, emphasis in lines if points]
        chart = None
        years: list[int] = []
        table: list[tuple[str, list[str]]] = []
        if lines:
            chart = charts.line_chart(
                [
                    charts.Series(label, [(point.period, point.value) for point in points], emphasis=emphasis)
                    for label, points, emphasis in lines
                ],
                title=f"{indicator.short_label or indicator.label} : {_names(lines)}",
                unit=indicator.unit,
                decimals=indicator.decimals,
                width=480,
                height=240,
                chart_id=f"evolution-{indicator.code.lower()}",
            )
            years = sorted({point.period for _label, points, _emphasis in lines for point in points})
            for label, points, _emphasis in lines:
                by_year = {point.period: point for point in points}
                table.append((label, [queries.display(indicator, by_year.get(year)) for year in years]))
        rows.append(
            KeyRow(
                indicator=indicator,
                latest=latest,
                value=queries.display(indicator, latest, with_period=True),
                region=_comparison(indicator, regional, period) if region else "",
                france=refused
                or _comparison(indicator, france, period, "" if france_label == "France" else france_label),
                trend=_trend(indicator, own),
                chart=chart,
                years=years,
                table=table,
                is_demo=any(point.is_demo for point in own + regional),
                region_is_demo=bool(region) and _shown_is_demo(regional, period),
                france_is_demo=not refused and _shown_is_demo(france, period),
            )
        )
    return rows


def _peer_rows(territory: Territory, level: str, peers: queries.Peers) -> list[dict]:
    rows = [
        {
            "code": territory.code,
            "name": territory.name,
            "url": None,
            "distance": None,
            "values": [
                formatting.measure(
                    peers.own.get(indicator.pk), indicator.unit, indicator.decimals, empty=charts.NO_DATA
                )
                for indicator, _period in peers.basis
            ],
            "is_self": True,
        }
    ]
    for peer in peers.items:
        rows.append(
            {
                "code": peer.code,
                "name": peer.name,
                "url": reverse("observation:diagnostic", kwargs={"level": level, "code": peer.code}),
                "distance": formatting.number(peer.distance, 2),
                "values": [
                    formatting.measure(
                        peer.values.get(indicator.pk),
                        indicator.unit,
                        indicator.decimals,
                        empty=charts.NO_DATA,
                    )
                    for indicator, _period in peers.basis
                ],
                "is_self": False,
            }
        )
    return rows


def _contracts(user, territory: Territory, with_actions: bool) -> list[Contract]:
    contracts = (
        Contract.objects.filter(territory.within_q("territory__"))
        .filter(visible_contracts_q(user))
        .exclude(status=ContractStatus.SUPERSEDED)
        .select_related("territory")
        .annotate(action_count=Count("actions"))
        .order_by("territory__level", "territory__code", "amendment_number")
    )
    if with_actions:
        contracts = contracts.prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("axis").order_by("number"))
        )
    return list(contracts)


def _map(indicators: list[Indicator], territory: Territory, level: str) -> DiagnosticMap | None:
    """The choropleth of the first indicator (in display order) that has values for départements, for its
    latest year, with the territory (its départements for a région) highlighted."""
    latest_years = dict(
        Observation.objects.filter(
            indicator__in=indicators,
            territory__in=queries.of_level(Level.DEPARTEMENT),
            status=ValueStatus.AVAILABLE,
        )
        .values("indicator_id")
        .annotate(latest=Max("period"))
        .order_by()
        .values_list("indicator_id", "latest")
    )
    indicator = next((item for item in indicators if item.pk in latest_years), None)
    if indicator is None:
        return None
    period = latest_years[indicator.pk]
    rows = list(queries.territory_rows(indicator, Level.DEPARTEMENT, period))
    if level == "region":
        highlight = [row["code"] for row in rows if row["region_id"] == territory.pk]
    elif level == "metropole":
        highlight = [territory.departement.code] if territory.departement_id else []
    else:
        highlight = [territory.code]
    choropleth = charts.choropleth_departements(
        {row["code"]: row["value"] if row["status"] == ValueStatus.AVAILABLE else None for row in rows},
        names={row["code"]: row["name"] for row in rows},
        title=f"{indicator.label} par département en {period}",
        unit=indicator.unit,
        decimals=indicator.decimals,
        higher_is_worse=indicator.higher_is_worse,
        highlight=highlight,
        links={
            row["code"]: reverse(
                "observation:diagnostic", kwargs={"level": "departement", "code": row["code"]}
            )
            for row in rows
        },
        map_id="carte-diagnostic",
        include_legend=False,
    )
    return DiagnosticMap(indicator, period, choropleth)


def build_diagnostic(user, territory: Territory) -> Diagnostic:
    level = queries.level_of(territory)
    region = territory.region if level != "region" else None
    indicators = list(queries.visible_indicators(user))
    found = queries.series(
        [indicator.pk for indicator in indicators], [territory.pk, region.pk if region else None]
    )
    rows = _key_rows(indicators, found, territory, region)
    own_series = {indicator.pk: found.get((indicator.pk, territory.pk), []) for indicator in indicators}
    peers = queries.peers(territory, queries.profile_indicators(indicators), own_series)
    diagnostic_map = _map(indicators, territory, level)
    has_demo = any(row.is_demo for row in rows) or any(
        point.is_demo for points in found.values() for point in points
    )
    sources = []
    for indicator in indicators:
        text = indicator.source + (f" ({indicator.vintage})" if indicator.vintage else "")
        if indicator.territorial_scope:
            text += f" – champ des valeurs territoriales : {indicator.territorial_scope}"
        if text not in sources:
            sources.append(text)
    return Diagnostic(
        territory=territory,
        level=level,
        level_label=queries.DIAGNOSTIC_LEVELS[level],
        region=region,
        rows=rows,
        peers=peers,
        peer_rows=_peer_rows(territory, level, peers),
        contracts=_contracts(user, territory, with_actions=level != "region"),
        map=diagnostic_map,
        sources=sources,
        has_demo=has_demo,
        generated_at=timezone.localtime(),
    )
