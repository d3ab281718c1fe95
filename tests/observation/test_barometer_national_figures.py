"""The published national figures of the targets (pacte/observation/national_figures.py): the file as written,
its French errors with line and field, and the load (repeatable, the file is the truth)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from pacte.observation import national_figures
from pacte.observation.models import NationalFigure
from pacte.observation.national_figures import NationalFiguresFileError
from tests.programme.factories import TargetFactory

GOOD = """\
- cible: eleves
  valeur: 1410000
  unite: élèves
  periode: année scolaire 2023-2024
  champ: France entière
  source: Bulletin officiel de l'Éducation nationale n° 23 de 2024
  date_publication: 2024-05-21
  adresse: https://education.gouv.fr/bo/2024/Hebdo23/MENE2413111C
  citation: « Plus de 1 410 000 élèves ont bénéficié d'une bourse de collège ou de lycée »
  fiabilite: A
- cible: eleves
  nature: note
  statut: pas de donnée publiée
  recherche: doublon de contrôle
- cible: domiciliations
  statut: pas de donnée publiée
  recherche: Requêtes « domiciliation nombre » ; pages lues.
- cible: retiree
  statut: pas de donnée publiée
  recherche: cible retirée du référentiel
"""


def test_the_file_of_the_platform_reads_without_error():
    items = national_figures.read_file()
    assert items
    for item in items:
        if item.valeur is not None and item.nature != "note":
            assert item.year and item.adresse.startswith("http") and item.citation


def test_a_load_replaces_the_figures_and_names_the_unknown_targets(tmp_path):
    eleves = TargetFactory(code="eleves", unit="élèves")
    TargetFactory(code="domiciliations")
    path = tmp_path / "chiffres.yaml"
    path.write_text(GOOD, encoding="utf-8")
    report = national_figures.load_national_figures(path)
    assert (report.published, report.not_published, report.unknown) == (1, 1, ["retiree"])
    assert "retiree" in report.summary()
    figure = NationalFigure.objects.get(target=eleves)
    assert (figure.value, figure.year, figure.period) == (
        Decimal("1410000"),
        2024,
        "année scolaire 2023-2024",
    )
    assert figure.published_display == "21 mai 2024"
    national_figures.load_national_figures(path)
    assert NationalFigure.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "- cible: x\n  valeur: 3\n  periode: 2024\n",
            1,
            "une valeur publiée doit avoir : source, adresse, citation",
        ),
        ("- cible: x\n  statut: pas de donnée publiée\n", 1, "« recherche » doit dire ce qui a été cherché"),
        ("- cible: x\n  valeur: beaucoup\n", 2, "nombre attendu"),
        (
            "- cible: x\n  nature: part\n  valeur: 0.5\n  unite: part\n  periode: 2025\n  source: s\n"
            "  adresse: https://a.fr\n  citation: c\n",
            1,
            "une part de l'objectif (« nature: part ») a pour unité « % de l'objectif »",
        ),
        (
            "- cible: x\n  fiabilite: D\n  statut: pas de donnée publiée\n  recherche: r\n",
            2,
            "valeur inconnue",
        ),
    ],
)
def test_a_bad_entry_is_refused_with_its_line_and_field(tmp_path, text, line, message):
    path = tmp_path / "chiffres.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NationalFiguresFileError) as error:
        national_figures.read_file(path)
    assert error.value.line == line
    assert message in str(error.value)


def test_load_observation_loads_the_national_figures_too(tmp_path, capsys):
    TargetFactory(code="eleves", unit="élèves")
    path = tmp_path / "chiffres.yaml"
    path.write_text(GOOD, encoding="utf-8")
    call_command("load_observation", "--chiffres-nationaux", str(path))
    assert "Chiffres nationaux publiés : 1 valeur" in capsys.readouterr().out
    assert NationalFigure.objects.filter(value__isnull=False).count() == 1


def test_the_sources_table_of_the_docs_matches_the_file():
    """docs/barometre.md lists the sources of data/chiffres_nationaux.yaml: regenerate it with sources_markdown()."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "barometre.md").read_text(encoding="utf-8")
    assert national_figures.sources_markdown() in docs


def test_the_platform_file_counts_every_published_figure_of_the_national_targets():
    """The count the public page states comes from the file: 8 of the 26 national targets carry a published value
    (5 December 2026); raise it when a figure is added, never by estimating one."""
    items = [item for item in national_figures.read_file() if item.nature in ("observation", "part")]
    published = {item.cible for item in items if item.valeur is not None}
    assert {
        "a1-r1-places",
        "a1-r6-segregation",
        "a2-n2-jeunes",
        "a3-n1-territoires-zero-non-recours",
        "a3-r1-france-services",
        "a3-r2-intermediation-locative",
        "a3-r2-pensions-de-famille",
        "a4-n2-eleves",
    } <= published
