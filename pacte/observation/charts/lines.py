"""Line charts of yearly series, and the trajectory chart of a barometer target.

Series are told apart by colour, dash pattern and marker shape; values are written by `pacte.formatting`.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.safestring import SafeString

from pacte import formatting
from pacte.observation.charts.svg import (
    GRID_COLOUR,
    MUTED_COLOUR,
    TEXT_COLOUR,
    check_id,
    coord,
    element,
    segment,
    svg_root,
    text_at,
    text_width,
    tooltip,
)

# Series styles; the three cycles have different lengths so that combinations stay distinct.
# Colours: Okabe-Ito hues darkened to a contrast of at least 5:1 on white (bleu France first).
SERIES_COLOURS = ("#000091", "#b34700", "#007a5e", "#a8437e", "#8a6100", "#3a3a3a")
SERIES_DASHES = (None, "8 4", "2 3", "10 3 2 3", "5 5")
SERIES_MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross")

CHART_FONT = 13
LEGEND_ROW = 22
SAMPLE_WIDTH = 34
TRAJECTORY_EXPECTED = "#3a3a3a"
TRAJECTORY_ACTUAL = "#000091"


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
        parts.append(segment(frame.left, y, frame.right, y, colour))
        label = formatting.measure(tick, _tick_unit(unit), decimals)
        parts.append(text_at(frame.left - 8, y + 4.5, label, CHART_FONT, text_anchor="end"))
    parts.append(segment(frame.left, frame.bottom, frame.right, frame.bottom, MUTED_COLOUR))
    for year in _year_labels(*frame.years):
        x = frame.x(year)
        parts.append(segment(x, frame.bottom, x, frame.bottom + 5, MUTED_COLOUR))
        parts.append(text_at(x, frame.bottom + 20, str(year), CHART_FONT, text_anchor="middle"))
    return "".join(parts)


def _make_frame(
    *, size: tuple[float, float], top: float, years: Sequence[int], values: Sequence[Decimal], unit: str
) -> tuple[_Frame, str]:
    """The frame for these data below `top` (under the legend), with the axes' markup."""
    ticks = _nice_ticks(min(values), max(values))
    caption = ""
    if unit and not _tick_unit(unit):
        caption = text_at(8, top + 14, f"Unité : {unit}", CHART_FONT, fill=MUTED_COLOUR)
        top += 22
    labels = [formatting.measure(tick, _tick_unit(unit), _tick_decimals(ticks)) for tick in ticks]
    left = 16 + max(text_width(label, CHART_FONT) for label in labels)
    frame = _Frame(left, top + 8, size[0] - 16, size[1] - 30, (min(years), max(years)), ticks)
    return frame, caption + _axes(frame, unit)


def _polygon(x: float, y: float, size: float, points: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{coord(x + px * size)} {coord(y + py * size)}" for px, py in points) + "Z"


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
    content = tooltip(title) if title else ""
    common = {"fill": colour, "stroke": "#ffffff", "stroke_width": "1"}
    if shape == "circle":
        return element("circle", content, cx=coord(x), cy=coord(y), r=coord(size), **common)
    if shape == "square":
        side = size * 1.7
        return element(
            "rect",
            content,
            x=coord(x - side / 2),
            y=coord(y - side / 2),
            width=coord(side),
            height=coord(side),
            **common,
        )
    if shape == "target":
        ring = element(
            "circle",
            cx=coord(x),
            cy=coord(y),
            r=coord(size * 1.6),
            fill="#ffffff",
            stroke=colour,
            stroke_width="2.5",
        )
        return element(
            "g",
            content + ring + element("circle", cx=coord(x), cy=coord(y), r=coord(size * 0.7), fill=colour),
        )
    return element("path", content, d=_polygon(x, y, size, _SHAPES[shape]), **common)


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
    d = "M" + "L".join(f"{coord(frame.x(year))} {coord(frame.y(value))}" for year, value in run)
    return element(
        "path",
        tooltip(title) if title else "",
        d=d,
        fill="none",
        stroke=style.colour,
        stroke_width=coord(style.width),
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
            f"{label} – {year} : {formatting.measure(value, unit, decimals)}",
        )
        for year, value in points
        if value is not None
    )
    return element("g", lines + markers)


def _legend_sample(x: float, y: float, style: _Style) -> str:
    line = ""
    if style.width:
        line = segment(
            x,
            y,
            x + SAMPLE_WIDTH,
            y,
            style.colour,
            stroke_width=coord(style.width),
            stroke_dasharray=style.dash,
        )
    return line + (_marker(style.marker, x + SAMPLE_WIDTH / 2, y, 4.5, style.colour) if style.marker else "")


def _chart_legend(entries: Sequence[tuple[str, _Style]], width: float, top: float) -> tuple[str, float]:
    """Legend entries in rows at the top of the chart; returns the markup and its height."""
    parts, x, y = [], 8.0, top + LEGEND_ROW / 2
    for label, style in entries:
        entry_width = SAMPLE_WIDTH + 8 + text_width(label, CHART_FONT) + 20
        if x > 8 and x + entry_width > width - 8:
            x, y = 8.0, y + LEGEND_ROW
        parts.append(_legend_sample(x, y, style))
        parts.append(text_at(x + SAMPLE_WIDTH + 8, y + 4.5, label, CHART_FONT))
        x += entry_width
    return "".join(parts), (y + LEGEND_ROW / 2 - top) if entries else 0


def _clean(points: Iterable[tuple[int, formatting.Number | None]]) -> list[tuple[int, Decimal | None]]:
    cleaned = [(int(year), None if value is None else formatting.to_decimal(value)) for year, value in points]
    return sorted(cleaned, key=lambda point: point[0])


def _no_data_chart(size: tuple[float, float], title: str, chart_id: str) -> SafeString:
    frame = element(
        "rect",
        x="0.5",
        y="0.5",
        width=coord(size[0] - 1),
        height=coord(size[1] - 1),
        fill="none",
        stroke=GRID_COLOUR,
    )
    text = text_at(
        size[0] / 2, size[1] / 2, "Aucune donnée disponible", 16, text_anchor="middle", fill=MUTED_COLOUR
    )
    desc = f"{title} : aucune donnée disponible."
    return svg_root(frame + text, element_id=chart_id, size=size, title=title, desc=desc, kind="graphique")


def _series_summary(
    label: str, points: Sequence[tuple[int, Decimal | None]], decimals: int, unit: str
) -> str:
    known = [(year, value) for year, value in points if value is not None]
    if not known:
        return f"{label} : aucune donnée"
    (first_year, first), (last_year, last) = known[0], known[-1]
    text = f"{label} : {formatting.measure(first, unit, decimals)} en {first_year}"
    if last_year != first_year:
        text += f", {formatting.measure(last, unit, decimals)} en {last_year}"
    missing = len(points) - len(known)
    return text + (
        f" ({formatting.plural(missing, 'année sans donnée', 'années sans donnée')})" if missing else ""
    )


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
    check_id(chart_id)
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
    return svg_root(
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
        f"Trajectoire : {title}. Valeur de référence : {formatting.measure(base, unit, decimals)} en {start} ; "
        f"cible : {formatting.measure(goal, unit, decimals)} en {end}."
    )
    known = [(year, value) for year, value in actuals if value is not None]
    if not known:
        return f"{text} Aucune valeur constatée pour l'instant."
    year, value = known[-1]
    text += f" Dernière valeur constatée : {formatting.measure(value, unit, decimals)} en {year}"
    expected = _expected_at(baseline, target, year)
    if expected is not None:
        text += f", alors que la trajectoire prévoyait {formatting.measure(expected, unit, decimals)}"
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
    check_id(chart_id)
    size = (width, height)
    base, goal = (
        (int(baseline[0]), formatting.to_decimal(baseline[1])),
        (int(target[0]), formatting.to_decimal(target[1])),
    )
    points = _clean(actuals)
    base_label = f"Valeur de référence – {base[0]} : {formatting.measure(base[1], unit, decimals)}"
    goal_label = f"Cible – {goal[0]} : {formatting.measure(goal[1], unit, decimals)}"
    expected_style = _Style(TRAJECTORY_EXPECTED, 2, "8 6")
    actual_style = _Style(TRAJECTORY_ACTUAL, 2.5, None, "circle")
    reference_style = _Style(TRAJECTORY_EXPECTED, 0, None, "square", 4)
    target_style = _Style(TEXT_COLOUR, 0, None, "target", 5)
    entries = [
        ("Trajectoire attendue", expected_style),
        ("Valeurs constatées", actual_style),
        (f"Valeur de référence {base[0]} : {formatting.measure(base[1], unit, decimals)}", reference_style),
        (f"Cible {goal[0]} : {formatting.measure(goal[1], unit, decimals)}", target_style),
    ]
    legend, legend_height = _chart_legend(entries, width, 8)
    values = [base[1], goal[1], *(value for _, value in points if value is not None)]
    years = [base[0], goal[0], *(year for year, _ in points)]
    frame, axes = _make_frame(size=size, top=8 + legend_height, years=years, values=values, unit=unit)
    expected_label = (
        f"Trajectoire attendue : de {formatting.measure(base[1], unit, decimals)} en {base[0]} "
        f"à {formatting.measure(goal[1], unit, decimals)} en {goal[0]}"
    )
    body = axes + _polyline(frame, [base, goal], expected_style, expected_label)
    body += _marker("square", frame.x(base[0]), frame.y(base[1]), 4, TRAJECTORY_EXPECTED, base_label)
    body += _draw_series(frame, "Valeur constatée", points, actual_style, decimals, unit)
    body += _marker("target", frame.x(goal[0]), frame.y(goal[1]), 5, TEXT_COLOUR, goal_label)
    desc = _trajectory_desc(title, base, goal, points, decimals, unit)
    return svg_root(body + legend, element_id=chart_id, size=size, title=title, desc=desc, kind="graphique")
