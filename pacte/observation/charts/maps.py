"""Choropleth map of the 101 départements (overseas ones as insets), values in quantile classes.

The outlines come from @gouvfr/dsfr-chart (see data/PROVENANCE.md). Values are written by `pacte.formatting`.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString

from pacte import formatting
from pacte.observation.charts.svg import (
    MUTED_COLOUR,
    NO_DATA,
    TEXT_COLOUR,
    check_id,
    coord,
    element,
    safe_href,
    segment,
    svg_root,
    text_at,
    tooltip,
)

MAP_FILE = Path(__file__).resolve().parent.parent / "data" / "departements_map.json"

# Sequential palettes "YlGnBu" of ColorBrewer (Cynthia Brewer, Apache 2.0 licence), safe for
# colour-blind readers: light = low, dark = high. Index = number of classes.
PALETTES = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
NO_DATA_FILL = "#e5e5e5"
NO_DATA_HATCH = "#7b7b7b"

# Overseas départements: default names and layout of the inset column (map units).
INSET_NAMES = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
INSET_WIDTH, INSET_HEIGHT, INSET_LABEL, INSET_GAP = 180, 140, 34, 28
METRO_OFFSET = 220  # the metropolitan map starts right of the inset column
MAP_FONT, MAP_ROW = 26, 44
MAP_BORDER = "#9a9a9a"  # grey rather than white: light classes keep a visible coastline


@dataclass(frozen=True)
class LegendClass:
    lower: Decimal
    upper: Decimal
    colour: str
    count: int
    label: str  # "de 12,0 à 14,5 %"


@dataclass(frozen=True)
class ChoroplethMap:
    svg: SafeString
    legend: list[LegendClass]  # from the lowest class to the highest
    no_data_count: int  # départements of the map without a value
    legend_note: str = ""  # "Teinte plus foncée : valeur plus élevée (…)."


@dataclass(frozen=True)
class _Geometry:
    box: tuple[float, float, float, float]  # viewBox of the metropolitan map
    paths: dict[str, str]  # code → path data, 101 départements
    insets: dict[str, tuple[float, float, float, float]]  # overseas code → its own viewBox


def _box(view_box: str) -> tuple[float, float, float, float]:
    x, y, width, height = (float(part) for part in view_box.split())
    return x, y, width, height


@cache
def map_geometry() -> _Geometry:
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return _Geometry(
        box=_box(data["viewBox"]),
        paths={code: entry["d"] for code, entry in data["departements"].items()},
        insets={code: _box(entry["viewBox"]) for code, entry in data["insets"].items()},
    )


def normalise_code(code: object) -> str:
    """ "1" → "01", "2a" → "2A"; other codes unchanged (stripped)."""
    text = str(code).strip().upper()
    return text.zfill(2) if text.isdigit() and len(text) == 1 else text


def _quantile_groups(values: Sequence[Decimal], classes: int) -> list[list[Decimal]]:
    """Sorted values cut into at most `classes` groups of equal counts; equal values stay together."""
    ordered = sorted(values)
    count = len(ordered)
    wanted = min(classes, len(set(ordered)))
    groups, start = [], 0
    for index in range(1, wanted + 1):
        if start >= count:
            break
        end = count if index == wanted else max(start + 1, index * count // wanted)
        while end < count and ordered[end] == ordered[end - 1]:
            end += 1
        groups.append(ordered[start:end])
        start = end
    return groups


def _palette(count: int) -> tuple[str, ...]:
    """`count` colours from light to dark (the middle one alone, the ends of three for two)."""
    if count >= 3:
        return PALETTES[count]
    three = PALETTES[3]
    return ((), (three[1],), (three[0], three[2]))[count]


def _class_label(lower: Decimal, upper: Decimal, decimals: int, unit: str) -> str:
    if lower == upper:
        return formatting.measure(upper, unit, decimals)
    # A range agrees with its larger bound: « de 0,5 à 1 point », « de -3,3 à -1,0 points ».
    largest = max(
        abs(formatting.round_half_up(lower, decimals)), abs(formatting.round_half_up(upper, decimals))
    )
    upper_text = formatting.with_unit(upper, formatting.agree(largest, unit), decimals)
    return f"de {formatting.number(lower, decimals)} à {upper_text}"


def _legend(values: Sequence[Decimal], classes: int, decimals: int, unit: str) -> list[LegendClass]:
    groups = _quantile_groups(values, classes)
    return [
        LegendClass(
            group[0], group[-1], colour, len(group), _class_label(group[0], group[-1], decimals, unit)
        )
        for group, colour in zip(groups, _palette(len(groups)), strict=True)
    ]


def _colour_of(value: Decimal, legend: Sequence[LegendClass]) -> str:
    return next(item.colour for item in legend if item.lower <= value <= item.upper)


def _departements(count: int) -> str:
    return formatting.plural(count, "département")


@dataclass(frozen=True)
class _MapData:
    values: dict[str, Decimal]  # values rounded to the decimals shown, départements of the map only
    legend: list[LegendClass]
    labels: dict[str, str]  # code → "Nom (code) : valeur"
    no_data: int
    note: str


def _map_data(
    values: Mapping[str, formatting.Number | None],
    names: Mapping[str, str],
    *,
    unit: str,
    decimals: int,
    classes: int,
    higher_is_worse: bool,
) -> _MapData:
    paths = map_geometry().paths
    given = {normalise_code(code): value for code, value in values.items() if value is not None}
    rounded = {
        code: formatting.round_half_up(value, decimals) for code, value in given.items() if code in paths
    }
    labels = {
        code: f"{names.get(code) or INSET_NAMES.get(code) or f'Département {code}'} ({code}) : "
        f"{formatting.measure(rounded.get(code), unit, decimals, empty=NO_DATA)}"
        for code in paths
    }
    meaning = "situation plus défavorable" if higher_is_worse else "situation plus favorable"
    note = f"Teinte plus foncée : valeur plus élevée ({meaning})."
    legend = _legend(list(rounded.values()), classes, decimals, unit)
    return _MapData(rounded, legend, labels, len(paths) - len(rounded), note)


def _map_desc(title: str, data: _MapData) -> str:
    intro = f"Carte des départements, avec les 5 départements d'outre-mer en encarts : {title}."
    if not data.legend:
        return f"{intro} Aucune donnée disponible."
    classes = " ; ".join(f"{item.label} : {_departements(item.count)}" for item in data.legend)
    highest = max(data.values, key=lambda code: (data.values[code], code))
    lowest = min(data.values, key=lambda code: (data.values[code], code))
    parts = [
        intro,
        f"{formatting.plural(len(data.values), 'département renseigné', 'départements renseignés')}, "
        f"en {formatting.plural(len(data.legend), 'classe')} d'effectifs égaux : {classes}.",
    ]
    if data.no_data:
        parts.append(f"Donnée non disponible pour {_departements(data.no_data)}.")
    parts.append(f"Valeur la plus élevée : {data.labels[highest]} ; la plus faible : {data.labels[lowest]}.")
    return " ".join([*parts, data.note])


@dataclass(frozen=True)
class _MapStyle:
    """How each département is drawn: fill, tooltip, link, highlight."""

    fills: dict[str, str]
    labels: dict[str, str]
    links: dict[str, str]
    highlight: frozenset[str]


def _territory(code: str, d: str, style: _MapStyle) -> str:
    path = element("path", tooltip(style.labels[code]), d=d, fill=style.fills[code])
    href = style.links.get(code)
    # Out of the tab order and hidden from assistive technologies: 101 stops would be a trap; the page's table has
    # the same links.
    return element("a", path, href=href, tabindex="-1", aria_hidden="true") if href else path


def _highlights(codes: Sequence[str], scale: float) -> str:
    """A white halo then a dark outline, drawn over all the départements."""
    outlines = "".join(element("path", d=map_geometry().paths[code]) for code in codes)
    if not outlines:
        return ""
    common = {"fill": "none", "stroke_linejoin": "round", "pointer_events": "none"}
    halo = element("g", outlines, stroke="#ffffff", stroke_width=coord(8 / scale), **common)
    return halo + element("g", outlines, stroke=TEXT_COLOUR, stroke_width=coord(4 / scale), **common)


def _map_group(codes: Sequence[str], style: _MapStyle, transform: str, scale: float) -> str:
    paths = map_geometry().paths
    shapes = "".join(_territory(code, paths[code], style) for code in codes)
    content = element("g", shapes, stroke=MAP_BORDER, stroke_width=coord(1 / scale), stroke_linejoin="round")
    content += _highlights([code for code in codes if code in style.highlight], scale)
    return element("g", content, transform=transform)


def _inset_scale(box: tuple[float, float, float, float]) -> float:
    return min(INSET_WIDTH / box[2], INSET_HEIGHT / box[3])


def _hatch_id(map_id: str, code: str) -> str:
    """Insets are scaled up: each has its own pattern so that the hatching looks the same."""
    return f"{map_id}-hachures-{code}" if code in map_geometry().insets else f"{map_id}-hachures"


def _hatch(pattern_id: str, scale: float) -> str:
    size = 12 / scale
    content = element("rect", width=coord(size), height=coord(size), fill=NO_DATA_FILL)
    content += segment(0, 0, 0, size, NO_DATA_HATCH, stroke_width=coord(5 / scale))
    return element(
        "pattern",
        content,
        id=pattern_id,
        patternUnits="userSpaceOnUse",
        width=coord(size),
        height=coord(size),
        patternTransform="rotate(45)",
    )


def _map_defs(map_id: str) -> str:
    insets = sorted(map_geometry().insets.items())
    patterns = [_hatch(f"{map_id}-hachures", 1)]
    patterns += [_hatch(_hatch_id(map_id, code), _inset_scale(box)) for code, box in insets]
    return element("defs", "".join(patterns))


def _insets_svg(style: _MapStyle, names: Mapping[str, str]) -> tuple[str, float]:
    """The column of overseas insets, each framed and named; returns the markup and its height."""
    parts, top = [], 0.0
    for code, box in sorted(map_geometry().insets.items()):
        min_x, min_y, width, height = box
        scale = _inset_scale(box)
        x = (INSET_WIDTH - width * scale) / 2 - min_x * scale
        y = top + INSET_LABEL + (INSET_HEIGHT - height * scale) / 2 - min_y * scale
        parts.append(text_at(0, top + INSET_LABEL - 10, names[code], MAP_FONT))
        frame = {"width": INSET_WIDTH, "height": INSET_HEIGHT, "fill": "none", "stroke": "#cecece"}
        parts.append(element("rect", x="0", y=coord(top + INSET_LABEL), stroke_width="1.5", **frame))
        parts.append(
            _map_group([code], style, f"translate({coord(x)} {coord(y)}) scale({coord(scale)})", scale)
        )
        top += INSET_LABEL + INSET_HEIGHT + INSET_GAP
    return "".join(parts), top - INSET_GAP


def _swatch_row(y: float, fill: str, label: str) -> str:
    swatch = element("rect", x="0", y=coord(y), width="44", height="30", fill=fill, stroke=MUTED_COLOUR)
    return swatch + text_at(60, y + 24, label, MAP_FONT)


def _map_legend(top: float, data: _MapData, map_id: str) -> tuple[str, float]:
    """The legend drawn under the map; returns the markup and its height."""
    rows = [text_at(0, top + 26, "Légende", MAP_FONT, font_weight="bold")]
    y = top + MAP_ROW
    for item in data.legend:
        rows.append(_swatch_row(y, item.colour, f"{item.label} ({_departements(item.count)})"))
        y += MAP_ROW
    if data.no_data:
        label = f"Donnée non disponible ({_departements(data.no_data)})"
        rows.append(_swatch_row(y, f"url(#{map_id}-hachures)", label))
        y += MAP_ROW
    if data.legend:
        rows.append(text_at(0, y + 26, data.note, MAP_FONT, font_style="italic"))
        y += MAP_ROW
    return "".join(rows), y - top


def _map_body(
    data: _MapData, style: _MapStyle, names: Mapping[str, str], map_id: str, include_legend: bool
) -> tuple[str, tuple[float, float]]:
    """The content of the map's <svg> and its size: insets at the left, legend below."""
    geometry = map_geometry()
    min_x, min_y, width, height = geometry.box
    metro = [code for code in geometry.paths if code not in geometry.insets]
    insets, insets_height = _insets_svg(style, names)
    transform = f"translate({coord(METRO_OFFSET - min_x)} {coord(-min_y)})"
    body = _map_defs(map_id) + insets + _map_group(metro, style, transform, 1)
    total_height = max(height, insets_height)
    if include_legend:
        legend, legend_height = _map_legend(total_height + 40, data, map_id)
        body += legend
        total_height += 40 + legend_height
    return body, (METRO_OFFSET + width, total_height)


def choropleth_departements(
    values: Mapping[str, Decimal | float | None],
    *,
    names: Mapping[str, str],
    title: str,
    unit: str = "",
    decimals: int = 1,
    higher_is_worse: bool = True,
    classes: int = 5,
    highlight: Iterable[str] = (),
    links: Mapping[str, str] | None = None,
    map_id: str = "carte",
    include_legend: bool = True,
) -> ChoroplethMap:
    """Map of the 101 départements coloured by quantile classes of `values` (code → value).

    Values are rounded to `decimals` before being classified, so that two départements showing
    the same figure share a colour; codes missing from `values` (or None) are hatched grey.
    `links` (code → URL) makes départements clickable for pointer users only (out of the tab
    order: the page's data table must carry the same links). `map_id` prefixes the SVG's ids:
    use a distinct one per map on a page. `include_legend=False` leaves the legend out of the
    SVG, for a page that renders `ChoroplethMap.legend` in HTML.
    """
    check_id(map_id)
    if not 1 <= classes <= 7:
        raise ValueError("Le nombre de classes doit être compris entre 1 et 7.")
    names = {normalise_code(code): name for code, name in names.items()}
    data = _map_data(
        values, names, unit=unit, decimals=decimals, classes=classes, higher_is_worse=higher_is_worse
    )
    paths = map_geometry().paths
    style = _MapStyle(
        fills={
            code: _colour_of(data.values[code], data.legend)
            if code in data.values
            else f"url(#{_hatch_id(map_id, code)})"
            for code in paths
        },
        labels=data.labels,
        links={normalise_code(code): href for code, url in (links or {}).items() if (href := safe_href(url))},
        highlight=frozenset(normalise_code(code) for code in highlight),
    )
    inset_names = {code: names.get(code) or INSET_NAMES[code] for code in map_geometry().insets}
    body, size = _map_body(data, style, inset_names, map_id, include_legend)
    svg = svg_root(
        body,
        element_id=map_id,
        size=size,
        title=title,
        desc=_map_desc(title, data),
        kind="carte",
        role="group" if style.links else "img",
    )
    return ChoroplethMap(svg, data.legend, data.no_data, data.note)
