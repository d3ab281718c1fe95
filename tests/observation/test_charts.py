import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from pacte import formatting
from pacte.observation.charts import (
    NO_DATA,
    Series,
    choropleth_departements,
    line_chart,
    map_geometry,
    trajectory_chart,
)
from pacte.observation.charts.lines import _nice_ticks, _trajectory_desc
from pacte.observation.charts.maps import MAP_FILE, PALETTES

REPO_ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
NNBSP = "\u202f"  # the canonical narrow no-break space: thousands, and before a unit
CODES = sorted(map_geometry().paths)
NAMES = {"23": "Creuse", "48": "Lozère", "75": "Paris", "93": "Seine-Saint-Denis", "973": "Guyane"}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def title_of(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    return "" if title is None else title.text


def departement_paths(svg) -> dict[str, ET.Element]:
    """Code → the <path> of that département (found through its tooltip "Nom (code) : …")."""
    paths = {}
    for path in parse(svg).iter(f"{SVG}path"):
        match = re.match(r".* \((\w+)\) : ", title_of(path))
        if match:
            paths[match[1]] = path
    return paths


def texts(svg) -> list[str]:
    return ["".join(text.itertext()) for text in parse(svg).iter(f"{SVG}text")]


def load_script():
    spec = importlib.util.spec_from_file_location(
        "extract_map_geometry", REPO_ROOT / "scripts" / "extract_map_geometry.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- geometry ----------------------------------------------------------------------------------


def test_the_map_file_holds_the_101_departements_with_corsica_and_the_overseas_insets():
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))

    assert len(data["departements"]) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(data["departements"])
    assert "20" not in data["departements"]
    assert sorted(data["insets"]) == ["971", "972", "973", "974", "976"]
    assert all(
        entry["inset"] == (code if code.startswith("97") else None)
        for code, entry in data["departements"].items()
    )
    assert data["licence"] == "MIT"
    assert data["source"]["package"] == "@gouvfr/dsfr-chart"
    assert data["source"]["version"] == "2.0.4"


def test_the_map_file_is_written_sorted_so_that_a_new_extraction_gives_the_same_bytes():
    text = MAP_FILE.read_text(encoding="utf-8")

    assert load_script().dump(json.loads(text)) == text


def test_the_extraction_script_reads_only_paths_and_viewboxes_from_the_component(tmp_path):
    # A script shaped like dist/MapChart/MapChart.js, rebuilt from the committed geometry.
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    departements = data["departements"]
    metro = "".join(
        f'w("path", {{\n class: "FR-{code}",\n style: D({{ display: n.config.displayDep["FR-{code}"] }}),\n'
        f' d: "{entry["d"]}",\n onClick: e[0]\n}}, null, 36),\n'
        for code, entry in departements.items()
        if entry["inset"] is None
    )
    metro += 'w("path", {\n class: "FR-20R",\n d: "M0 0h1z"\n}),\n'  # a region of the other map
    overseas = "".join(
        f'}}, Pv = {{\n xmlns: "http://www.w3.org/2000/svg",\n viewBox: "{inset["viewBox"]}"\n}};\n'
        f'w("g", {{ "stroke-width": "0.2%" }}, [w("path", {{\n class: "FR-{code}",\n'
        f' d: "{departements[code]["d"]}",\n}})]);\n'
        for code, inset in data["insets"].items()
    )
    script = f'rt("svg", {{ viewBox: n.config.viewBox }}, [{metro}]);\n{overseas}FranceProps: {{\n viewBox: "0 0 1010 1010",\n}}'
    package = tmp_path / "package"
    (package / "dist" / "MapChart").mkdir(parents=True)
    (package / "dist" / "MapChart" / "MapChart.js").write_text(script, encoding="utf-8")
    (package / "package.json").write_text('{"version": "2.0.4"}', encoding="utf-8")
    (package / "LICENSE").write_text("MIT License\n\nCopyright (c) 2021 DINUM\n", encoding="utf-8")
    output = tmp_path / "map.json"

    assert load_script().main([str(tmp_path), "--output", str(output)]) == 0
    rebuilt = json.loads(output.read_text(encoding="utf-8"))
    assert rebuilt["departements"] == departements
    assert rebuilt["insets"] == data["insets"]
    assert rebuilt["viewBox"] == data["viewBox"]


def test_the_extraction_script_refuses_a_package_missing_a_departement(tmp_path, capsys):
    package = tmp_path / "package"
    (package / "dist" / "MapChart").mkdir(parents=True)
    (package / "dist" / "MapChart" / "MapChart.js").write_text(
        'w("path", {\n class: "FR-01",\n d: "M0 0h1z"\n})', encoding="utf-8"
    )
    (package / "package.json").write_text('{"version": "2.0.4"}', encoding="utf-8")
    (package / "LICENSE").write_text("MIT License\n\nCopyright (c) 2021 DINUM\n", encoding="utf-8")

    assert load_script().main([str(package), "--output", str(tmp_path / "map.json")]) == 1
    assert "Départements manquants" in capsys.readouterr().err
    assert not (tmp_path / "map.json").exists()


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (21340, 0, f"21{NNBSP}340"),
        (14.5, 1, "14,5"),
        (Decimal("14.45"), 1, "14,5"),  # half away from zero, not banker's rounding
        (2.675, 2, "2,68"),  # the float is read as written, not as its binary approximation
        (-1234.56, 1, f"-1{NNBSP}234,6"),
        (1234567, 0, f"1{NNBSP}234{NNBSP}567"),
        (999, 0, "999"),
        (7, 2, "7,00"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (Decimal("-12"), 0, "-12"),
    ],
)
def test_the_figures_write_their_numbers_with_pacte_formatting(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_a_value_takes_its_unit_after_a_narrow_no_break_space_and_none_reads_as_unavailable():
    assert formatting.with_unit(Decimal("14.5"), "%", 1) == f"14,5{NNBSP}%"
    assert formatting.with_unit(21340, "€", 0) == f"21{NNBSP}340{NNBSP}€"
    assert formatting.with_unit(3, "", 0) == "3"
    assert formatting.with_unit(None, "%", 1, empty=NO_DATA) == "donnée non disponible"


def test_formatting_refuses_what_is_not_a_finite_number():
    with pytest.raises(ValueError):
        formatting.number(float("nan"), 1)
    with pytest.raises(ValueError):
        formatting.number(True, 1)


# --- choropleth --------------------------------------------------------------------------------


def test_quantile_classes_hold_equal_counts_and_the_darkest_colour_goes_to_the_highest_value():
    values = {code: Decimal(index) for index, code in enumerate(CODES[:100], start=1)}

    carte = choropleth_departements(values, names=NAMES, title="Taux", unit="%", classes=5)

    assert [item.count for item in carte.legend] == [20, 20, 20, 20, 20]
    assert [item.colour for item in carte.legend] == list(PALETTES[5])
    paths = departement_paths(carte.svg)
    assert paths[CODES[99]].get("fill") == PALETTES[5][-1]
    assert paths[CODES[0]].get("fill") == PALETTES[5][0]
    assert carte.legend[0].label == f"de 1,0 à 20,0{NNBSP}%"
    assert carte.legend[-1].lower == Decimal("81.0") and carte.legend[-1].upper == Decimal("100.0")


def test_equal_values_share_a_class_even_when_counts_become_unequal():
    values = {code: 1 for code in CODES[:8]} | {CODES[8]: 2, CODES[9]: 3}

    carte = choropleth_departements(values, names=NAMES, title="Taux", classes=3)

    assert [(item.lower, item.upper, item.count) for item in carte.legend] == [
        (Decimal("1.0"), Decimal("1.0"), 8),
        (Decimal("2.0"), Decimal("2.0"), 1),
        (Decimal("3.0"), Decimal("3.0"), 1),
    ]
    assert carte.legend[0].label == "1,0"


def test_values_are_classified_as_shown_so_that_equal_figures_share_a_colour():
    carte = choropleth_departements(
        {"01": 14.44, "02": 14.36, "03": 20}, names=NAMES, title="Taux", classes=2
    )

    paths = departement_paths(carte.svg)
    assert paths["01"].get("fill") == paths["02"].get("fill") != paths["03"].get("fill")
    assert title_of(paths["01"]).endswith(": 14,4")


def test_a_missing_value_is_hatched_grey_and_said_to_be_unavailable():
    values = {code: 10 for code in CODES} | {"23": None}
    del values["48"]
    del values["973"]

    carte = choropleth_departements(values, names=NAMES, title="Taux", unit="%")

    paths = departement_paths(carte.svg)
    assert carte.no_data_count == 3
    assert paths["23"].get("fill") == "url(#carte-hachures)"
    assert title_of(paths["23"]) == "Creuse (23) : donnée non disponible"
    assert title_of(paths["48"]) == "Lozère (48) : donnée non disponible"
    assert paths["973"].get("fill") == "url(#carte-hachures-973)"
    patterns = {pattern.get("id"): pattern for pattern in parse(carte.svg).iter(f"{SVG}pattern")}
    assert {"carte-hachures", "carte-hachures-973"} <= set(patterns)
    assert patterns["carte-hachures"].find(f"{SVG}line").get("stroke")  # stripes, not only a colour
    assert "Donnée non disponible (3 départements)" in texts(carte.svg)


def test_a_map_without_any_value_is_all_hatched_without_classes():
    carte = choropleth_departements({"01": None}, names={}, title="Taux")

    assert carte.legend == []
    assert carte.no_data_count == 101
    assert {path.get("fill") for path in departement_paths(carte.svg).values()} == {
        "url(#carte-hachures)",
        *(f"url(#carte-hachures-{code})" for code in ("971", "972", "973", "974", "976")),
    }
    assert "Aucune donnée disponible" in parse(carte.svg).find(f"{SVG}desc").text


def test_a_single_distinct_value_makes_one_class_in_the_middle_colour():
    carte = choropleth_departements({code: 5 for code in CODES}, names=NAMES, title="Taux")

    assert len(carte.legend) == 1
    assert carte.legend[0].count == 101
    assert carte.legend[0].colour == PALETTES[3][1]
    assert carte.legend[0].label == "5,0"


def test_fewer_departements_than_classes_keep_light_to_dark_order():
    carte = choropleth_departements({"01": 3, "02": 1}, names=NAMES, title="Taux", classes=5)

    assert [item.upper for item in carte.legend] == [Decimal("1.0"), Decimal("3.0")]
    paths = departement_paths(carte.svg)
    assert paths["02"].get("fill") == PALETTES[3][0]
    assert paths["01"].get("fill") == PALETTES[3][-1]
    assert carte.no_data_count == 99


def test_negative_and_decimal_values_are_classified_and_labelled():
    values = {"01": Decimal("-3.25"), "02": Decimal("-1"), "03": Decimal("0.5"), "04": 2.0}

    carte = choropleth_departements(values, names=NAMES, title="Évolution", unit="points", classes=2)

    assert [item.label for item in carte.legend] == [
        f"de -3,3 à -1,0{NNBSP}points",
        f"de 0,5 à 2,0{NNBSP}points",
    ]


def test_codes_are_normalised_and_unknown_codes_ignored():
    carte = choropleth_departements({"1": 2, "2a": 3, "977": 4}, names={"1": "Ain"}, title="Taux")

    paths = departement_paths(carte.svg)
    assert title_of(paths["01"]) == "Ain (01) : 2,0"
    assert title_of(paths["2A"]).endswith("(2A) : 3,0")
    assert sum(item.count for item in carte.legend) == 2


def test_links_and_names_are_escaped_and_cannot_break_the_svg():
    names = {"75": 'Paris "<b>" & Cie'}
    links = {
        "75": '/territoires/75/?a=1&b="2"<script>',
        "93": "javascript:alert(1)",
        "23": "https://example.org/x",
    }

    carte = choropleth_departements({"75": 1, "93": 2, "23": 3}, names=names, title='Taux "<i>"', links=links)

    root = parse(carte.svg)
    anchors = {anchor.get("href"): anchor for anchor in root.iter(f"{SVG}a")}
    assert set(anchors) == {'/territoires/75/?a=1&b="2"<script>', "https://example.org/x"}
    assert (
        title_of(anchors['/territoires/75/?a=1&b="2"<script>'].find(f"{SVG}path"))
        == 'Paris "<b>" & Cie (75) : 1,0'
    )
    assert root.find(f"{SVG}title").text == 'Taux "<i>"'
    assert "<script" not in str(carte.svg)
    assert "javascript:" not in str(carte.svg)


def test_a_map_with_links_is_a_group_whose_links_are_hidden_and_a_map_without_stays_an_image():
    """An image's children are presentational: a link inside role="img" is « nested-interactive » for axe-core."""
    linked = parse(
        choropleth_departements({"75": 1, "93": 2}, names=NAMES, title="T", links={"75": "/t/75/"}).svg
    )
    plain = parse(choropleth_departements({"75": 1, "93": 2}, names=NAMES, title="T").svg)

    assert linked.get("role") == "group"
    anchors = list(linked.iter(f"{SVG}a"))
    assert len(anchors) == 1
    assert anchors[0].get("tabindex") == "-1" and anchors[0].get("aria-hidden") == "true"
    assert plain.get("role") == "img"
    assert not list(plain.iter(f"{SVG}a"))


def test_highlighted_departements_are_outlined_in_dark_on_top():
    carte = choropleth_departements({"93": 1, "974": 2}, names=NAMES, title="Taux", highlight=["93", "974"])

    root = parse(carte.svg)
    outlines = [g for g in root.iter(f"{SVG}g") if g.get("stroke") == "#161616"]
    geometry = map_geometry().paths
    assert sorted(path.get("d") for g in outlines for path in g) == sorted([geometry["93"], geometry["974"]])
    assert all(g.get("fill") == "none" and float(g.get("stroke-width")) > 1 for g in outlines)
    last_group = list(root.iter(f"{SVG}g"))[-1]  # outlines follow the shapes of the metropolitan map
    assert last_group.get("stroke") == "#161616"


def test_the_map_is_an_accessible_image_with_a_title_and_a_summary():
    carte = choropleth_departements(
        {"23": 20.1, "75": 10, "93": 27.6},
        names=NAMES,
        title="Taux de pauvreté",
        unit="%",
        map_id="carte-2021",
    )

    root = parse(carte.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "carte-2021-titre carte-2021-desc"
    assert root.find(f"{SVG}title").get("id") == "carte-2021-titre"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == "carte-2021-desc"
    assert "Valeur la plus élevée : Seine-Saint-Denis (93) : 27,6" in desc.text
    assert "Donnée non disponible pour 98 départements" in desc.text
    assert [
        name in texts(carte.svg) for name in ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte")
    ] == [True] * 5


def test_the_legend_can_be_left_to_the_page():
    with_legend = choropleth_departements({"01": 1}, names=NAMES, title="Taux")
    without = choropleth_departements({"01": 1}, names=NAMES, title="Taux", include_legend=False)

    assert "Légende" in texts(with_legend.svg)
    assert "Légende" not in texts(without.svg)
    assert without.legend == with_legend.legend


def test_two_maps_on_a_page_have_distinct_ids_and_bad_ids_are_refused():
    first = choropleth_departements({"01": None}, names=NAMES, title="A", map_id="carte-a")
    second = choropleth_departements({"01": None}, names=NAMES, title="B", map_id="carte-b")

    ids = [
        {element.get("id") for element in parse(svg).iter() if element.get("id")}
        for svg in (first.svg, second.svg)
    ]
    assert not ids[0] & ids[1]
    with pytest.raises(ValueError):
        choropleth_departements({}, names=NAMES, title="A", map_id='x" onload="alert(1)')
    with pytest.raises(ValueError):
        choropleth_departements({}, names=NAMES, title="A", classes=9)


def test_rendering_many_maps_is_deterministic_and_reads_the_geometry_once():
    # A sanity check of the cost, without timing: the JSON is parsed once, the output is stable and light.
    values = {code: index for index, code in enumerate(CODES)}
    map_geometry()
    misses = map_geometry.cache_info().misses

    svgs = {str(choropleth_departements(values, names=NAMES, title="Taux").svg) for _ in range(20)}

    assert len(svgs) == 1
    assert map_geometry.cache_info().misses == misses
    assert len(svgs.pop().encode()) < 150_000


# --- all figures -------------------------------------------------------------------------------


def all_figures():
    yield choropleth_departements(
        {"23": None, "75": 1.5}, names=NAMES, title="Carte", links={"75": "/p?a=1&b=2"}
    ).svg
    yield line_chart([Series("France", [(2020, 1), (2021, None), (2022, 2)])], title="Courbes", unit="%")
    yield line_chart([], title="Vide")
    yield trajectory_chart(
        baseline=(2022, 14.5), target=(2027, 12), actuals=[(2023, 14)], title="Trajectoire"
    )


def test_every_figure_parses_as_xml_without_style_or_script():
    for svg in all_figures():
        root = parse(svg)
        assert tag(root) == "svg"
        assert not re.search(r"\sstyle=", str(svg))
        assert not [element for element in root.iter() if "style" in element.attrib]
        assert not [
            element for element in root.iter() if tag(element) in ("style", "script", "foreignObject")
        ]
        assert not [name for element in root.iter() for name in element.attrib if name.startswith("on")]
        assert root.get("role") == ("group" if root.find(f".//{SVG}a") is not None else "img")
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None


# --- line chart --------------------------------------------------------------------------------


def series_lines(svg, colour: str) -> list[ET.Element]:
    return [
        path
        for path in parse(svg).iter(f"{SVG}path")
        if path.get("stroke") == colour and path.get("fill") == "none"
    ]


def markers_titled(svg, prefix: str) -> list[str]:
    return [title_of(element) for element in parse(svg).iter() if title_of(element).startswith(prefix)]


def test_line_chart_leaves_a_gap_where_a_value_is_missing():
    series = Series("Taux", [(2018, 14.5), (2019, 14.7), (2020, None), (2021, 15), (2022, Decimal("15.2"))])

    svg = line_chart([series], title="Taux de pauvreté", unit="%")

    assert len(series_lines(svg, "#000091")) == 2
    assert markers_titled(svg, "Taux – ") == [
        f"Taux – 2018 : 14,5{NNBSP}%",
        f"Taux – 2019 : 14,7{NNBSP}%",
        f"Taux – 2021 : 15,0{NNBSP}%",
        f"Taux – 2022 : 15,2{NNBSP}%",
    ]
    assert "(1 année sans donnée)" in parse(svg).find(f"{SVG}desc").text


def test_line_chart_draws_a_one_point_series_as_a_lone_marker():
    svg = line_chart([Series("Creuse", [(2021, 19.2)])], title="Taux")

    assert series_lines(svg, "#000091") == []
    assert markers_titled(svg, "Creuse") == ["Creuse – 2021 : 19,2"]
    assert "2021" in texts(svg)


def test_line_chart_tells_series_apart_by_colour_dash_and_marker_and_has_a_legend():
    svg = line_chart(
        [Series("France", [(2020, 1), (2021, 2)]), Series("Creuse", [(2020, 3), (2021, 4)], emphasis=True)],
        title="Taux",
    )

    root = parse(svg)
    lines = [path for path in root.iter(f"{SVG}path") if path.get("fill") == "none"]
    first, second = lines  # emphasised series drawn last
    assert first.get("stroke") != second.get("stroke")
    assert first.get("stroke-dasharray") != second.get("stroke-dasharray")
    assert float(second.get("stroke-width")) > float(first.get("stroke-width"))
    first_marker = markers_titled(svg, "France")[0]
    shapes = {
        tag(element)
        for element in root.iter()
        if title_of(element) in (first_marker, markers_titled(svg, "Creuse")[0])
    }
    assert len(shapes) == 2
    assert {"France", "Creuse"} <= set(texts(svg))


def test_line_chart_labels_every_year_up_to_twelve_years_and_fewer_beyond():
    short = line_chart([Series("A", [(2012, 1), (2023, 2)])], title="Taux")
    long = line_chart([Series("A", [(1990, 1), (2023, 2)])], title="Taux")

    assert [str(year) for year in range(2012, 2024)] == [text for text in texts(short) if text.isdigit()]
    long_years = [int(text) for text in texts(long) if text.isdigit()]
    assert 3 <= len(long_years) <= 12
    assert long_years == list(range(1990, 2021, 5))


def test_line_chart_y_axis_has_four_to_six_round_ticks_in_french():
    svg = line_chart([Series("A", [(2020, 12.3), (2021, 15.8)])], title="Taux", unit="%")

    ticks = [text for text in texts(svg) if text.endswith("%")]
    assert 4 <= len(ticks) <= 6
    assert ticks == [f"{value}{NNBSP}%" for value in ("12", "13", "14", "15", "16")]


def test_line_chart_puts_a_long_unit_in_a_caption():
    svg = line_chart(
        [Series("A", [(2020, 21340), (2021, 22000)])], title="Revenu", unit="€ par an", decimals=0
    )

    assert "Unité : € par an" in texts(svg)
    assert f"21{NNBSP}340{NNBSP}€ par an" in markers_titled(svg, "A – 2020")[0]


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("12.3", "15.8"),
        ("0", "100"),
        ("-3.2", "4.1"),
        ("0.012", "0.018"),
        ("5", "5"),
        ("0", "0"),
        ("21340", "98765"),
    ],
)
def test_nice_ticks_cover_the_range_with_four_to_six_round_values(low, high):
    ticks = _nice_ticks(Decimal(low), Decimal(high))

    assert 4 <= len(ticks) <= 6
    assert ticks[0] <= Decimal(low) and ticks[-1] >= Decimal(high)
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    assert steps.pop().normalize().as_tuple().digits[0] in (1, 2, 5)


def test_a_chart_without_any_value_says_so():
    svg = line_chart([Series("A", [(2020, None)])], title="Taux")

    assert "Aucune donnée disponible" in texts(svg)
    assert "aucune donnée disponible" in parse(svg).find(f"{SVG}desc").text


# --- trajectory --------------------------------------------------------------------------------


def test_trajectory_chart_draws_the_expected_line_from_baseline_to_target():
    svg = trajectory_chart(
        baseline=(2022, Decimal("14.5")),
        target=(2027, 12),
        actuals=[(2022, 14.5), (2023, 14.2), (2024, None), (2025, 13.9)],
        title="Taux de pauvreté des enfants",
        unit="%",
    )

    root = parse(svg)
    expected = [path for path in root.iter(f"{SVG}path") if path.get("stroke-dasharray")]
    assert len(expected) == 1
    assert title_of(expected[0]) == f"Trajectoire attendue : de 14,5{NNBSP}% en 2022 à 12,0{NNBSP}% en 2027"
    start, end = re.fullmatch(r"M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)", expected[0].get("d")).group(1, 3)
    assert float(start) < float(end)
    actual_lines = [
        path
        for path in root.iter(f"{SVG}path")
        if path.get("stroke") == "#000091" and not path.get("stroke-dasharray")
    ]
    assert len(actual_lines) == 1  # 2022-2023, then a gap; 2025 stands alone
    assert markers_titled(svg, "Valeur constatée") == [
        f"Valeur constatée – 2022 : 14,5{NNBSP}%",
        f"Valeur constatée – 2023 : 14,2{NNBSP}%",
        f"Valeur constatée – 2025 : 13,9{NNBSP}%",
    ]
    assert markers_titled(svg, "Cible") == [f"Cible – 2027 : 12,0{NNBSP}%"]
    assert f"Cible 2027 : 12,0{NNBSP}%" in texts(svg)
    desc = root.find(f"{SVG}desc").text
    assert (
        f"Dernière valeur constatée : 13,9{NNBSP}% en 2025, alors que la trajectoire prévoyait 13,0{NNBSP}%"
        in desc
    )


def test_trajectory_chart_without_actual_values_still_shows_the_trajectory():
    svg = trajectory_chart(baseline=(2022, 100), target=(2027, 150), actuals=[], title="Places", decimals=0)

    assert "Aucune valeur constatée pour l'instant." in parse(svg).find(f"{SVG}desc").text
    assert markers_titled(svg, "Cible") == ["Cible – 2027 : 150"]


def test_the_trajectory_description_agrees_with_one_expected_household():
    desc = _trajectory_desc(
        "Foyers accompagnés", (2023, Decimal("0")), (2027, Decimal("4")), [(2024, Decimal("2"))], 0, "foyers"
    )
    assert desc.endswith(
        f"Dernière valeur constatée : 2{NNBSP}foyers en 2024, alors que la trajectoire prévoyait 1{NNBSP}foyer."
    )
