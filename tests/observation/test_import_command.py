from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pacte.observation.enums import BatchStatus
from pacte.observation.models import ImportBatch, Observation
from tests.observation.factories import IndicatorFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "docs" / "exemples" / "filosofi_fictif.csv"


@pytest.fixture
def cog():
    region = RegionFactory(code="52", name="Pays de la Loire")
    departements = {
        code: DepartementFactory(code=code, name=f"Département {code}", parent=region)
        for code in ("44", "49", "53", "72", "85")
    }
    return {"region": region, **departements}


@pytest.fixture
def indicators():
    return [IndicatorFactory(code="TP60"), IndicatorFactory(code="MED", kind="montant", unit="€")]


def run(*args) -> str:
    out = StringIO()
    call_command("observation", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def test_import_prints_the_detected_format_the_counts_and_the_batch_number(cog, indicators):
    output = run("importer", EXAMPLE)
    batch = ImportBatch.objects.get()
    assert "Format détecté : CSV, INSEE (code CODGEO, une colonne par indicateur)" in output
    assert "Colonnes importées : TP6021 → TP60 2021, MED21 → MED 2021." in output
    assert "Valeurs : 10 créées, 0 modifiée, 0 inchangée" in output
    assert f"Import n° {batch.pk} enregistré." in output
    assert Observation.objects.get(indicator__code="TP60", territory__code="44").value == D("10.9")


def test_reimporting_with_the_command_reports_every_value_unchanged(cog, indicators):
    run("importer", EXAMPLE)
    output = run("importer", EXAMPLE)
    assert "Valeurs : 0 créée, 0 modifiée, 10 inchangées" in output
    assert "déjà été importé" in output


@pytest.mark.parametrize(("action", "option"), [("importer", "--indicateur"), ("import", "--indicator")])
def test_indicator_option_restricts_the_import(cog, indicators, action, option):
    output = run(action, EXAMPLE, option, "MED")
    assert "MED21 → MED 2021" in output
    assert "TP6021 (indicateur TP60 non demandé)" in output
    assert not Observation.objects.filter(indicator__code="TP60").exists()


@pytest.mark.parametrize("option", ["--essai", "--dry-run"])
def test_a_dry_run_reports_without_writing(cog, indicators, option):
    output = run("importer", EXAMPLE, option)
    assert "Valeurs qui seraient : 10 créées" in output
    assert "Essai (--essai) : rien n'a été enregistré." in output
    assert not Observation.objects.exists() and not ImportBatch.objects.exists()


def test_the_example_file_is_imported_as_fictitious_data_with_fictif(cog, indicators):
    run("importer", EXAMPLE, "--fictif")
    assert Observation.objects.count() == 10
    assert not Observation.objects.filter(is_demo=False).exists()


def test_rejected_rows_are_listed_up_to_twenty_then_counted(tmp_path, cog, indicators):
    path = tmp_path / "communes.csv"
    lines = ["CODGEO;TP6021", "44;12,5"] + [f"{44900 + n};10" for n in range(25)]
    path.write_text("\n".join(lines), encoding="utf-8")
    output = run("importer", path)
    assert "Rejets (25) :" in output
    assert "  ligne 3 : code commune « 44900 » inconnu du COG" in output
    assert "  ligne 22 : code commune « 44919 » inconnu du COG" in output
    assert "ligne 23 :" not in output
    assert "… et 5 autres" in output
    assert "25 lignes rejetées" in output


def test_an_unusable_file_exits_with_code_1_and_a_french_message(tmp_path, cog, indicators):
    path = tmp_path / "vide.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run("importer", path)
    assert raised.value.returncode == 1
    batch = ImportBatch.objects.get()
    assert str(raised.value) == f"Rien n'a été importé (import n° {batch.pk}, échoué) : Le fichier est vide."
    assert batch.status == BatchStatus.FAILED


def test_the_exit_code_is_1_from_the_command_line(tmp_path, cog, indicators, monkeypatch, capsys):
    from django.core.management import base

    from pacte.observation.management.commands.observation import Command

    monkeypatch.setattr(base.connections, "close_all", lambda: None)  # keep the test database open
    path = tmp_path / "notes.csv"
    path.write_text("Nom;Note\nNantes;12\n", encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        Command().run_from_argv(["pacte", "observation", "import", str(path)])
    assert raised.value.code == 1
    assert "Rien n'a été importé" in capsys.readouterr().err
    assert Observation.objects.count() == 0


def test_a_file_whose_rows_are_all_rejected_lists_them_before_failing(tmp_path, cog, indicators):
    path = tmp_path / "communes.csv"
    path.write_text("CODGEO;TP6021\n99998;12\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="Aucune valeur importable"):
        call_command("observation", "import", str(path), stdout=out)
    assert "ligne 2 : code commune « 99998 » inconnu du COG" in out.getvalue()


def test_a_missing_file_is_reported(tmp_path, cog, indicators):
    with pytest.raises(CommandError, match="introuvable"):
        run("importer", tmp_path / "absent.csv")


def test_region_level_and_year_options_are_passed_on(tmp_path, cog, indicators):
    RegionFactory(code="53", name="Bretagne")
    path = tmp_path / "regions.csv"
    path.write_text("CODGEO;TP60\n52;11,9\n53;10,8\n", encoding="utf-8")
    output = run("importer", path, "--niveau", "region", "--annee", "2022")
    assert "Territoires : 2 régions." in output
    assert "Années : 2022." in output
    assert Observation.objects.filter(territory__level="region", period=2022).count() == 2


def test_imports_lists_the_last_imports_and_details_one(tmp_path, cog, indicators):
    run("importer", EXAMPLE)
    bad = tmp_path / "vide.csv"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(CommandError):
        run("importer", bad)
    listing = run("imports")
    first, failed = ImportBatch.objects.order_by("pk")
    assert f"n° {failed.pk}" in listing and "vide.csv" in listing and "ÉCHOUÉ" in listing
    assert f"n° {first.pk}" in listing and "10 créées" in listing
    detail = run("imports", first.pk)
    assert "filosofi_fictif.csv" in detail and "Format détecté" in detail
    with pytest.raises(CommandError, match="Aucun import n° 999"):
        run("imports", 999)


def test_imports_says_so_when_there_is_none(db):
    assert run("imports") == "Aucun import.\n"


def test_commune_codes_of_the_example_rows_are_read_by_shape(tmp_path, cog, indicators):
    CommuneFactory(code="44109", name="Nantes", parent=cog["44"])
    path = tmp_path / "communes.csv"
    path.write_text("CODGEO;TP6021\n44109;15,2\n", encoding="utf-8")
    assert "Territoires : 1 commune." in run("importer", path)
