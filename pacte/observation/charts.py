"""Server-side SVG maps and charts for the observation pages.

Everything here returns SVG markup meant to be inlined in HTML pages served with a strict
Content-Security-Policy and in PDFs made with WeasyPrint: no JavaScript, no `style` attribute,
no <style> element, only presentation attributes (fill, stroke, font-size…). Each figure has
role="img", a <title> and a <desc> (referenced by aria-labelledby) summarising its content in
French; the individual shapes carry <title> tooltips. Pages should still offer the figures'
data as a table: screen readers only get the summary.

- `choropleth_departements`: map of the 101 départements (overseas ones as insets), values in
  quantile classes.
- `line_chart`: yearly series, told apart by colour, dash pattern and marker shape.
- `trajectory_chart`: expected trajectory from a baseline to a target, with the actual values.
- `format_number_fr` / `format_value_fr`: French number formatting used by all of them.

The outlines come from @gouvfr/dsfr-chart (see data/PROVENANCE.md). No Django model here.
"""

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | float | int

MAP_FILE = Path(__file__).resolve().parent / "data" / "departements_map.json"

NARROW_NBSP = "\u202f"  # thousands separator
NBSP = "\u00a0"  # between a number and its unit
FONT_FAMILY = "Marianne, Arial, sans-serif"
TEXT_COLOUR = "#161616"
MUTED_COLOUR = "#666666"
GRID_COLOUR = "#dddddd"
NO_DATA = "donnée non disponible"

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

# Series styles; the three cycles have different lengths so that combinations stay distinct.
# Colours: Okabe-Ito hues darkened to a contrast of at least 5:1 on white (bleu France first).
SERIES_COLOURS = ("#000091", "#b34700", "#007a5e", "#a8437e", "#8a6100", "#3a3a3a")
SERIES_DASHES = (None, "8 4", "2 3", "10 3 2 3", "5 5")
SERIES_MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross")

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

CHART_FONT = 13
LEGEND_ROW = 22
SAMPLE_WIDTH = 34
TRAJECTORY_EXPECTED = "#3a3a3a"
TRAJECTORY_ACTUAL = "#000091"


# --- numbers -----------------------------------------------------------------------------------


def _decimal(value: Number) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("Un booléen n'est pas un nombre.")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Nombre non fini : {value!r}")
    return number


def _rounded(value: Number, decimals: int) -> Decimal:
    if decimals < 0:
        raise ValueError("Le nombre de décimales doit être positif ou nul.")
    return _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number_fr(value: Number, decimals: int = 1) -> str:
    """French formatting: "21 340", "14,5", "-3,2" (narrow no-break space between thousands).

    Rounds half away from zero; a value that rounds to zero has no minus sign.
    """
    number = _rounded(value, decimals)
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = NARROW_NBSP.join([whole, *groups]) + ("," + fraction if fraction else "")
    return ("-" if number < 0 else "") + text


def format_value_fr(value: Number | None, decimals: int = 1, unit: str = "") -> str:
    """A value with its unit after a no-break space ("14,5 %", "21 340 €"), or "donnée non disponible"."""
    if value is None:
        return NO_DATA
    text = format_number_fr(value, decimals)
    return f"{text}{NBSP}{unit}" if unit else text


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


# --- SVG helpers -------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate, short and deterministic."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _el(tag: str, content: str = "", **attributes: object) -> str:
    """An element; attribute names use _ for - (a trailing _ is dropped), None values are skipped.

    `content` must already be markup: escape text with `escape()`.
    """
    attrs = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in attributes.items()
        if value is not None
    )
    return f"<{tag}{attrs}>{content}</{tag}>" if content else f"<{tag}{attrs}/>"


def _text(x: float, y: float, text: str, size: float, **attributes: object) -> str:
    return _el("text", escape(text), x=_n(x), y=_n(y), font_size=_n(size), **attributes)


def _segment(x1: float, y1: float, x2: float, y2: float, stroke: str, **attributes: object) -> str:
    return _el("line", x1=_n(x1), y1=_n(y1), x2=_n(x2), y2=_n(y2), stroke=stroke, **attributes)


def _title(text: str) -> str:
    return _el("title", escape(text))


def _root(
    content: str, *, element_id: str, size: tuple[float, float], title: str, desc: str, kind: str
) -> SafeString:
    """The <svg> element: no width/height, it takes the width of its container (CSS may set it)."""
    header = _el("title", escape(title), id=f"{element_id}-titre")
    header += _el("desc", escape(desc), id=f"{element_id}-desc")
    svg = _el(
        "svg",
        header + content,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {_n(size[0])} {_n(size[1])}",
        id=element_id,
        class_=f"pacte-{kind}",
        role="img",
        aria_labelledby=f"{element_id}-titre {element_id}-desc",
        font_family=FONT_FAMILY,
        fill=TEXT_COLOUR,
    )
    return mark_safe(svg)


def _check_id(element_id: str) -> None:
    if not (element_id[:1].isascii() and element_id[:1].isalpha()) or not all(
        c.isascii() and (c.isalnum() or c in "-_") for c in element_id
    ):
        raise ValueError(f"Identifiant invalide : {element_id!r} (lettres, chiffres, - et _).")


def _safe_href(url: str | None) -> str | None:
    """Relative or http(s) URLs only: a javascript: or data: link is dropped."""
    url = (url or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if url and scheme in ("", "http", "https") else None


def _text_width(text: str, font_size: float) -> float:
    """Rough width of a text: SVG has no text measurement server-side."""
    return len(text) * font_size * 0.56


# --- choropleth map ----------------------------------------------------------------------------


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
        return format_value_fr(upper, decimals, unit)
    return f"de {format_number_fr(lower, decimals)} à {format_value_fr(upper, decimals, unit)}"


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
    return _plural(count, "département", "départements")


@dataclass(frozen=True)
class _MapData:
    values: dict[str, Decimal]  # values rounded to the decimals shown, départements of the map only
    legend: list[LegendClass]
    labels: dict[str, str]  # code → "Nom (code) : valeur"
    no_data: int
    note: str


def _map_data(
    values: Mapping[str, Number | None],
    names: Mapping[str, str],
    *,
    unit: str,
    decimals: int,
    classes: int,
    higher_is_worse: bool,
) -> _MapData:
    paths = map_geometry().paths
    given = {normalise_code(code): value for code, value in values.items() if value is not None}
    rounded = {code: _rounded(value, decimals) for code, value in given.items() if code in paths}
    labels = {
        code: f"{names.get(code) or INSET_NAMES.get(code) or f'Département {code}'} ({code}) : "
        f"{format_value_fr(rounded.get(code), decimals, unit)}"
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
        f"{_plural(len(data.values), 'département renseigné', 'départements renseignés')}, "
        f"en {_plural(len(data.legend), 'classe', 'classes')} d'effectifs égaux : {classes}.",
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
    path = _el("path", _title(style.labels[code]), d=d, fill=style.fills[code])
    href = style.links.get(code)
    # Out of the tab order: 101 tab stops inside an image would be a trap; the page's table has the links.
    return _el("a", path, href=href, tabindex="-1") if href else path


def _highlights(codes: Sequence[str], scale: float) -> str:
    """A white halo then a dark outline, drawn over all the départements."""
    outlines = "".join(_el("path", d=map_geometry().paths[code]) for code in codes)
    if not outlines:
        return ""
    common = {"fill": "none", "stroke_linejoin": "round", "pointer_events": "none"}
    halo = _el("g", outlines, stroke="#ffffff", stroke_width=_n(8 / scale), **common)
    return halo + _el("g", outlines, stroke=TEXT_COLOUR, stroke_width=_n(4 / scale), **common)


def _map_group(codes: Sequence[str], style: _MapStyle, transform: str, scale: float) -> str:
    paths = map_geometry().paths
    shapes = "".join(_territory(code, paths[code], style) for code in codes)
    content = _el("g", shapes, stroke=MAP_BORDER, stroke_width=_n(1 / scale), stroke_linejoin="round")
    content += _highlights([code for code in codes if code in style.highlight], scale)
    return _el("g", content, transform=transform)


def _inset_scale(box: tuple[float, float, float, float]) -> float:
    return min(INSET_WIDTH / box[2], INSET_HEIGHT / box[3])


def _hatch_id(map_id: str, code: str) -> str:
    """Insets are scaled up: each has its own pattern so that the hatching looks the same."""
    return f"{map_id}-hachures-{code}" if code in map_geometry().insets else f"{map_id}-hachures"


def _hatch(pattern_id: str, scale: float) -> str:
    size = 12 / scale
    content = _el("rect", width=_n(size), height=_n(size), fill=NO_DATA_FILL)
    content += _segment(0, 0, 0, size, NO_DATA_HATCH, stroke_width=_n(5 / scale))
    return _el(
        "pattern",
        content,
        id=pattern_id,
        patternUnits="userSpaceOnUse",
        width=_n(size),
        height=_n(size),
        patternTransform="rotate(45)",
    )


def _map_defs(map_id: str) -> str:
    insets = sorted(map_geometry().insets.items())
    patterns = [_hatch(f"{map_id}-hachures", 1)]
    patterns += [_hatch(_hatch_id(map_id, code), _inset_scale(box)) for code, box in insets]
    return _el("defs", "".join(patterns))


def _insets_svg(style: _MapStyle, names: Mapping[str, str]) -> tuple[str, float]:
    """The column of overseas insets, each framed and named; returns the markup and its height."""
    parts, top = [], 0.0
    for code, box in sorted(map_geometry().insets.items()):
        min_x, min_y, width, height = box
        scale = _inset_scale(box)
        x = (INSET_WIDTH - width * scale) / 2 - min_x * scale
        y = top + INSET_LABEL + (INSET_HEIGHT - height * scale) / 2 - min_y * scale
        parts.append(_text(0, top + INSET_LABEL - 10, names[code], MAP_FONT))
        frame = {"width": INSET_WIDTH, "height": INSET_HEIGHT, "fill": "none", "stroke": "#cecece"}
        parts.append(_el("rect", x="0", y=_n(top + INSET_LABEL), stroke_width="1.5", **frame))
        parts.append(_map_group([code], style, f"translate({_n(x)} {_n(y)}) scale({_n(scale)})", scale))
        top += INSET_LABEL + INSET_HEIGHT + INSET_GAP
    return "".join(parts), top - INSET_GAP


def _swatch_row(y: float, fill: str, label: str) -> str:
    swatch = _el("rect", x="0", y=_n(y), width="44", height="30", fill=fill, stroke=MUTED_COLOUR)
    return swatch + _text(60, y + 24, label, MAP_FONT)


def _map_legend(top: float, data: _MapData, map_id: str) -> tuple[str, float]:
    """The legend drawn under the map; returns the markup and its height."""
    rows = [_text(0, top + 26, "Légende", MAP_FONT, font_weight="bold")]
    y = top + MAP_ROW
    for item in data.legend:
        rows.append(_swatch_row(y, item.colour, f"{item.label} ({_departements(item.count)})"))
        y += MAP_ROW
    if data.no_data:
        label = f"Donnée non disponible ({_departements(data.no_data)})"
        rows.append(_swatch_row(y, f"url(#{map_id}-hachures)", label))
        y += MAP_ROW
    if data.legend:
        rows.append(_text(0, y + 26, data.note, MAP_FONT, font_style="italic"))
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
    transform = f"translate({_n(METRO_OFFSET - min_x)} {_n(-min_y)})"
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
    _check_id(map_id)
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
        links={
            normalise_code(code): href for code, url in (links or {}).items() if (href := _safe_href(url))
        },
        highlight=frozenset(normalise_code(code) for code in highlight),
    )
    inset_names = {code: names.get(code) or INSET_NAMES[code] for code in map_geometry().insets}
    body, size = _map_body(data, style, inset_names, map_id, include_legend)
    svg = _root(body, element_id=map_id, size=size, title=title, desc=_map_desc(title, data), kind="carte")
    return ChoroplethMap(svg, data.legend, data.no_data, data.note)


# --- line and trajectory charts ----------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, Decimal | float | None]]
    emphasis: bool = False


@dataclass(frozen=True)
class _Style:
    """How a line and its markers look (also used for legend samples)."""

    colour: str
    width: float = 2  # 0: marker only
    dash: str | None = None
    marker: str | None = None
    size: float = 4.5


def _series_style(index: int, emphasis: bool) -> _Style:
    return _Style(
        colour=SERIES_COLOURS[index % len(SERIES_COLOURS)],
        width=3.5 if emphasis else 2,
        dash=SERIES_DASHES[index % len(SERIES_DASHES)],
        marker=SERIES_MARKERS[index % len(SERIES_MARKERS)],
        size=5.5 if emphasis else 4.5,
    )


@dataclass(frozen=True)
class _Frame:
    """The plot area (in SVG units) and the scales of both axes."""

    left: float
    top: float
    right: float
    bottom: float
    years: tuple[int, int]
    ticks: tuple[Decimal, ...]

    def x(self, year: int) -> float:
        first, last = self.years
        if first == last:
            return (self.left + self.right) / 2
        inner = 14  # keeps the first and last markers off the frame
        return self.left + inner + (year - first) * (self.right - self.left - 2 * inner) / (last - first)

    def y(self, value: Decimal) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.bottom - float((value - low) / (high - low)) * (self.bottom - self.top)


def _nice_ticks(low: Decimal, high: Decimal) -> tuple[Decimal, ...]:
    """4 to 6 round values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering [low, high]."""
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = low - pad, high + pad
    exponent = math.floor(math.log10(float(high - low) / 5))
    for power in range(exponent, exponent + 3):
        for mantissa in ("1", "2", "2.5", "5"):
            step = Decimal(mantissa).scaleb(power)
            first = (low / step).to_integral_value(ROUND_FLOOR) * step
            last = (high / step).to_integral_value(ROUND_CEILING) * step
            count = int((last - first) / step) + 1
            if count <= 6:
                return tuple(first + index * step for index in range(max(count, 4)))
    raise AssertionError("unreachable: a step of 10ⁿ⁺² gives fewer than 6 ticks")


def _tick_decimals(ticks: Sequence[Decimal]) -> int:
    exponent = (ticks[1] - ticks[0]).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def _year_labels(first: int, last: int) -> list[int]:
    """Every year up to 12 years, else the multiples of the smallest round step giving at most 12."""
    if last - first < 12:
        return list(range(first, last + 1))
    step = next(s for s in (2, 5, 10, 20, 25, 50, 100, 1000) if (last - first) // s < 12)
    return [year for year in range(first, last + 1) if year % step == 0]


def _tick_unit(unit: str) -> str:
    """Short units ("%", "€") go on every tick label; longer ones in a caption above the axis."""
    return unit if len(unit) <= 2 else ""


def _axes(frame: _Frame, unit: str) -> str:
    decimals = _tick_decimals(frame.ticks)
    parts = []
    for tick in frame.ticks:
        y = frame.y(tick)
        colour = "#929292" if tick == 0 and tick != frame.ticks[0] else GRID_COLOUR
        parts.append(_segment(frame.left, y, frame.right, y, colour))
        label = format_value_fr(tick, decimals, _tick_unit(unit))
        parts.append(_text(frame.left - 8, y + 4.5, label, CHART_FONT, text_anchor="end"))
    parts.append(_segment(frame.left, frame.bottom, frame.right, frame.bottom, MUTED_COLOUR))
    for year in _year_labels(*frame.years):
        x = frame.x(year)
        parts.append(_segment(x, frame.bottom, x, frame.bottom + 5, MUTED_COLOUR))
        parts.append(_text(x, frame.bottom + 20, str(year), CHART_FONT, text_anchor="middle"))
    return "".join(parts)


def _make_frame(
    *, size: tuple[float, float], top: float, years: Sequence[int], values: Sequence[Decimal], unit: str
) -> tuple[_Frame, str]:
    """The frame for these data below `top` (under the legend), with the axes' markup."""
    ticks = _nice_ticks(min(values), max(values))
    caption = ""
    if unit and not _tick_unit(unit):
        caption = _text(8, top + 14, f"Unité : {unit}", CHART_FONT, fill=MUTED_COLOUR)
        top += 22
    labels = [format_value_fr(tick, _tick_decimals(ticks), _tick_unit(unit)) for tick in ticks]
    left = 16 + max(_text_width(label, CHART_FONT) for label in labels)
    frame = _Frame(left, top + 8, size[0] - 16, size[1] - 30, (min(years), max(years)), ticks)
    return frame, caption + _axes(frame, unit)


def _polygon(x: float, y: float, size: float, points: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{_n(x + px * size)} {_n(y + py * size)}" for px, py in points) + "Z"


_PLUS = ((-0.4, -1.2), (0.4, -1.2), (0.4, -0.4), (1.2, -0.4), (1.2, 0.4), (0.4, 0.4))
_PLUS += tuple((-px, -py) for px, py in _PLUS)
_SHAPES = {
    "triangle": ((0, -1.3), (1.2, 0.9), (-1.2, 0.9)),
    "triangle-down": ((0, 1.3), (1.2, -0.9), (-1.2, -0.9)),
    "diamond": ((0, -1.35), (1.35, 0), (0, 1.35), (-1.35, 0)),
    "plus": _PLUS,
    "cross": tuple(((px - py) * 0.75, (px + py) * 0.75) for px, py in _PLUS),
}


def _marker(shape: str, x: float, y: float, size: float, colour: str, title: str = "") -> str:
    """A filled marker; "target" is the bull's eye of a target value."""
    content = _title(title) if title else ""
    common = {"fill": colour, "stroke": "#ffffff", "stroke_width": "1"}
    if shape == "circle":
        return _el("circle", content, cx=_n(x), cy=_n(y), r=_n(size), **common)
    if shape == "square":
        side = size * 1.7
        return _el(
            "rect", content, x=_n(x - side / 2), y=_n(y - side / 2), width=_n(side), height=_n(side), **common
        )
    if shape == "target":
        ring = _el(
            "circle", cx=_n(x), cy=_n(y), r=_n(size * 1.6), fill="#ffffff", stroke=colour, stroke_width="2.5"
        )
        return _el("g", content + ring + _el("circle", cx=_n(x), cy=_n(y), r=_n(size * 0.7), fill=colour))
    return _el("path", content, d=_polygon(x, y, size, _SHAPES[shape]), **common)


def _runs(points: Sequence[tuple[int, Decimal | None]]) -> list[list[tuple[int, Decimal]]]:
    """Consecutive points with a value: a None value breaks the line."""
    runs: list[list[tuple[int, Decimal]]] = [[]]
    for year, value in points:
        if value is None:
            runs.append([])
        else:
            runs[-1].append((year, value))
    return [run for run in runs if run]


def _polyline(frame: _Frame, run: Sequence[tuple[int, Decimal]], style: _Style, title: str = "") -> str:
    if len(run) < 2:
        return ""
    d = "M" + "L".join(f"{_n(frame.x(year))} {_n(frame.y(value))}" for year, value in run)
    return _el(
        "path",
        _title(title) if title else "",
        d=d,
        fill="none",
        stroke=style.colour,
        stroke_width=_n(style.width),
        stroke_dasharray=style.dash,
        stroke_linejoin="round",
        stroke_linecap="round",
    )


def _draw_series(
    frame: _Frame,
    label: str,
    points: Sequence[tuple[int, Decimal | None]],
    style: _Style,
    decimals: int,
    unit: str,
) -> str:
    """Lines (broken at None values) and one marker with a tooltip per value."""
    lines = "".join(_polyline(frame, run, style) for run in _runs(points))
    markers = "".join(
        _marker(
            style.marker or "circle",
            frame.x(year),
            frame.y(value),
            style.size,
            style.colour,
            f"{label} – {year} : {format_value_fr(value, decimals, unit)}",
        )
        for year, value in points
        if value is not None
    )
    return _el("g", lines + markers)


def _legend_sample(x: float, y: float, style: _Style) -> str:
    line = ""
    if style.width:
        line = _segment(
            x, y, x + SAMPLE_WIDTH, y, style.colour, stroke_width=_n(style.width), stroke_dasharray=style.dash
        )
    return line + (_marker(style.marker, x + SAMPLE_WIDTH / 2, y, 4.5, style.colour) if style.marker else "")


def _chart_legend(entries: Sequence[tuple[str, _Style]], width: float, top: float) -> tuple[str, float]:
    """Legend entries in rows at the top of the chart; returns the markup and its height."""
    parts, x, y = [], 8.0, top + LEGEND_ROW / 2
    for label, style in entries:
        entry_width = SAMPLE_WIDTH + 8 + _text_width(label, CHART_FONT) + 20
        if x > 8 and x + entry_width > width - 8:
            x, y = 8.0, y + LEGEND_ROW
        parts.append(_legend_sample(x, y, style))
        parts.append(_text(x + SAMPLE_WIDTH + 8, y + 4.5, label, CHART_FONT))
        x += entry_width
    return "".join(parts), (y + LEGEND_ROW / 2 - top) if entries else 0


def _clean(points: Iterable[tuple[int, Number | None]]) -> list[tuple[int, Decimal | None]]:
    cleaned = [(int(year), None if value is None else _decimal(value)) for year, value in points]
    return sorted(cleaned, key=lambda point: point[0])


def _no_data_chart(size: tuple[float, float], title: str, chart_id: str) -> SafeString:
    frame = _el(
        "rect",
        x="0.5",
        y="0.5",
        width=_n(size[0] - 1),
        height=_n(size[1] - 1),
        fill="none",
        stroke=GRID_COLOUR,
    )
    text = _text(
        size[0] / 2, size[1] / 2, "Aucune donnée disponible", 16, text_anchor="middle", fill=MUTED_COLOUR
    )
    desc = f"{title} : aucune donnée disponible."
    return _root(frame + text, element_id=chart_id, size=size, title=title, desc=desc, kind="graphique")


def _series_summary(
    label: str, points: Sequence[tuple[int, Decimal | None]], decimals: int, unit: str
) -> str:
    known = [(year, value) for year, value in points if value is not None]
    if not known:
        return f"{label} : aucune donnée"
    (first_year, first), (last_year, last) = known[0], known[-1]
    text = f"{label} : {format_value_fr(first, decimals, unit)} en {first_year}"
    if last_year != first_year:
        text += f", {format_value_fr(last, decimals, unit)} en {last_year}"
    missing = len(points) - len(known)
    return text + (f" ({_plural(missing, 'année sans donnée', 'années sans donnée')})" if missing else "")


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    decimals: int = 1,
    width: int = 640,
    height: int = 320,
    chart_id: str = "graphique",
) -> SafeString:
    """Yearly series as lines told apart by colour, dash pattern and marker shape.

    A None value leaves a gap (a year absent from the points does not); emphasised series are
    thicker and drawn on top. `chart_id` prefixes the SVG's ids: one per chart on a page.
    """
    _check_id(chart_id)
    size = (width, height)
    cleaned = [_clean(item.points) for item in series]
    values = [value for points in cleaned for _, value in points if value is not None]
    if not values:
        return _no_data_chart(size, title, chart_id)
    styles = [_series_style(index, item.emphasis) for index, item in enumerate(series)]
    legend, legend_height = _chart_legend(
        [(item.label, style) for item, style in zip(series, styles, strict=True)], width, 8
    )
    years = [year for points in cleaned for year, _ in points]
    frame, axes = _make_frame(size=size, top=8 + legend_height, years=years, values=values, unit=unit)
    order = sorted(range(len(series)), key=lambda index: series[index].emphasis)
    drawn = "".join(
        _draw_series(frame, series[i].label, cleaned[i], styles[i], decimals, unit) for i in order
    )
    summaries = " ; ".join(
        _series_summary(item.label, points, decimals, unit)
        for item, points in zip(series, cleaned, strict=True)
    )
    desc = f"Graphique en courbes, de {frame.years[0]} à {frame.years[1]} : {title}. {summaries}."
    return _root(
        axes + drawn + legend, element_id=chart_id, size=size, title=title, desc=desc, kind="graphique"
    )


def _expected_at(baseline: tuple[int, Decimal], target: tuple[int, Decimal], year: int) -> Decimal | None:
    """The value of the straight trajectory in that year (None outside it)."""
    (start, base), (end, goal) = baseline, target
    if not min(start, end) <= year <= max(start, end) or start == end:
        return None
    return base + (goal - base) * (year - start) / (end - start)


def _trajectory_desc(
    title: str,
    baseline: tuple[int, Decimal],
    target: tuple[int, Decimal],
    actuals: Sequence[tuple[int, Decimal | None]],
    decimals: int,
    unit: str,
) -> str:
    (start, base), (end, goal) = baseline, target
    text = (
        f"Trajectoire : {title}. Valeur de référence : {format_value_fr(base, decimals, unit)} en {start} ; "
        f"cible : {format_value_fr(goal, decimals, unit)} en {end}."
    )
    known = [(year, value) for year, value in actuals if value is not None]
    if not known:
        return f"{text} Aucune valeur constatée pour l'instant."
    year, value = known[-1]
    text += f" Dernière valeur constatée : {format_value_fr(value, decimals, unit)} en {year}"
    expected = _expected_at(baseline, target, year)
    if expected is not None:
        text += f", pour {format_value_fr(expected, decimals, unit)} attendus selon la trajectoire"
    return text + "."


def trajectory_chart(
    *,
    baseline: tuple[int, Decimal | float],
    target: tuple[int, Decimal | float],
    actuals: Sequence[tuple[int, Decimal | float | None]],
    title: str,
    unit: str = "",
    decimals: int = 1,
    width: int = 640,
    height: int = 320,
    chart_id: str = "trajectoire",
) -> SafeString:
    """Barometer of a target: the expected straight trajectory from baseline to target (dashed),
    the actual values (solid line with markers, gaps for None) and the target, marked."""
    _check_id(chart_id)
    size = (width, height)
    base, goal = (int(baseline[0]), _decimal(baseline[1])), (int(target[0]), _decimal(target[1]))
    points = _clean(actuals)
    base_label = f"Valeur de référence – {base[0]} : {format_value_fr(base[1], decimals, unit)}"
    goal_label = f"Cible – {goal[0]} : {format_value_fr(goal[1], decimals, unit)}"
    expected_style = _Style(TRAJECTORY_EXPECTED, 2, "8 6")
    actual_style = _Style(TRAJECTORY_ACTUAL, 2.5, None, "circle")
    reference_style = _Style(TRAJECTORY_EXPECTED, 0, None, "square", 4)
    target_style = _Style(TEXT_COLOUR, 0, None, "target", 5)
    entries = [
        ("Trajectoire attendue", expected_style),
        ("Valeurs constatées", actual_style),
        (f"Valeur de référence {base[0]} : {format_value_fr(base[1], decimals, unit)}", reference_style),
        (f"Cible {goal[0]} : {format_value_fr(goal[1], decimals, unit)}", target_style),
    ]
    legend, legend_height = _chart_legend(entries, width, 8)
    values = [base[1], goal[1], *(value for _, value in points if value is not None)]
    years = [base[0], goal[0], *(year for year, _ in points)]
    frame, axes = _make_frame(size=size, top=8 + legend_height, years=years, values=values, unit=unit)
    expected_label = (
        f"Trajectoire attendue : de {format_value_fr(base[1], decimals, unit)} en {base[0]} "
        f"à {format_value_fr(goal[1], decimals, unit)} en {goal[0]}"
    )
    body = axes + _polyline(frame, [base, goal], expected_style, expected_label)
    body += _marker("square", frame.x(base[0]), frame.y(base[1]), 4, TRAJECTORY_EXPECTED, base_label)
    body += _draw_series(frame, "Valeur constatée", points, actual_style, decimals, unit)
    body += _marker("target", frame.x(goal[0]), frame.y(goal[1]), 5, TEXT_COLOUR, goal_label)
    desc = _trajectory_desc(title, base, goal, points, decimals, unit)
    return _root(body + legend, element_id=chart_id, size=size, title=title, desc=desc, kind="graphique")
