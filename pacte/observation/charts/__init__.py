"""Server-side SVG maps and charts for the observation pages and PDFs.

Everything here returns SVG markup meant to be inlined in HTML pages served with a strict
Content-Security-Policy and in PDFs made with WeasyPrint: no JavaScript, no `style` attribute,
no <style> element, only presentation attributes (fill, stroke, font-size…). Each figure has
role="img" (role="group" for a map whose départements are links), a <title> and a <desc> (referenced by aria-labelledby) summarising its content in
French; the individual shapes carry <title> tooltips. Pages should still offer the figures'
data as a table: screen readers only get the summary.

- `maps.choropleth_departements`: map of the 101 départements (overseas ones as insets), values in
  quantile classes.
- `lines.line_chart`: yearly series, told apart by colour, dash pattern and marker shape.
- `lines.trajectory_chart`: expected trajectory from a baseline to a target, with the actual values.
- `svg`: the building blocks (elements, text, the root, safe ids and links).

Numbers, units and counts are written by `pacte.formatting` (narrow no-break spaces, half-up rounding).
No Django model here.
"""

from pacte.observation.charts.lines import Series, line_chart, trajectory_chart
from pacte.observation.charts.maps import ChoroplethMap, LegendClass, choropleth_departements, map_geometry
from pacte.observation.charts.svg import NO_DATA

__all__ = [
    "NO_DATA",
    "ChoroplethMap",
    "LegendClass",
    "Series",
    "choropleth_departements",
    "line_chart",
    "map_geometry",
    "trajectory_chart",
]
