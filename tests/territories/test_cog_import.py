import csv
import importlib.util
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pacte.territories.enums import EpciType, Level, Zone
from pacte.territories.models import Territory
from pacte.territories.services import CogFormatError, import_cog

REPO_ROOT = Path(__file__).resolve().parents[2]

# A tiny edition: two régions, one COM, three départements, two EPCI, six communes.
# CC Loire-Divatte straddles Loire-Atlantique (44) and Maine-et-Loire (49), with more people in 49.
BASE_FILES = {
    "regions.csv": [
        ["code", "nom", "zone", "chef_lieu"],
        ["52", "Pays de la Loire", "metro", "44109"],
        ["53", "Bretagne", "metro", "35238"],
        ["975", "Saint-Pierre-et-Miquelon", "com", "97502"],
    ],
    "departements.csv": [
        ["code", "nom", "region", "zone", "chef_lieu"],
        ["35", "Ille-et-Vilaine", "53", "metro", "35238"],
        ["44", "Loire-Atlantique", "52", "metro", "44109"],
        ["49", "Maine-et-Loire", "52", "metro", "49007"],
    ],
    "epci.csv": [
        ["code", "nom", "type", "population"],
        ["200000001", "CC Loire-Divatte", "CC", "11000"],
        ["244400404", "Nantes Métropole", "METRO", "690000"],
    ],
    "communes.csv": [
        ["code", "nom", "departement", "epci", "population"],
        ["35238", "Rennes", "35", "", "225000"],
        ["44003", "Ancenis", "44", "200000001", "4000"],
        ["44109", "Nantes", "44", "244400404", "325000"],
        ["44162", "Saint-Herblain", "44", "244400404", "50000"],
        ["49007", "Angers", "49", "200000001", "7000"],
        ["97502", "Saint-Pierre", "975", "", "5000"],
    ],
}


def write_cog(folder: Path, **files: list[list[str]]) -> Path:
    """Write the tiny edition into `folder`; `communes=[...]` etc. replace a whole file, header included."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = BASE_FILES | {f"{name}.csv": rows for name, rows in files.items()}
    for name, rows in contents.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder


def communes_with(*changes: tuple[int, int, str]) -> list[list[str]]:
    """communes.csv with cell (row, column) replaced; row 0 is the header, so row n is line n + 1."""
    rows = [list(row) for row in BASE_FILES["communes.csv"]]
    for row, column, value in changes:
        rows[row][column] = value
    return rows


def snapshot() -> list[tuple]:
    return list(Territory.objects.order_by("pk").values_list())


def get(level: str, code: str) -> Territory:
    return Territory.objects.get(level=level, code=code)


def test_a_first_import_creates_every_level(tmp_path):
    report = import_cog(write_cog(tmp_path), year=2026)

    created = {level: counts.created for level, counts in report.levels.items()}
    assert created == {Level.REGION: 2, Level.COM: 1, Level.DEPARTEMENT: 3, Level.EPCI: 2, Level.COMMUNE: 6}
    assert report.total.updated == report.total.unchanged == report.total.obsolete == 0
    assert Territory.objects.filter(cog_year=2026, is_active=True).count() == 14


def test_communes_hang_under_their_departement_region_and_epci(tmp_path):
    import_cog(write_cog(tmp_path))

    nantes = get(Level.COMMUNE, "44109")
    loire_atlantique = get(Level.DEPARTEMENT, "44")
    pays_de_la_loire = get(Level.REGION, "52")
    assert nantes.parent == nantes.departement == loire_atlantique
    assert nantes.region == pays_de_la_loire
    assert nantes.epci == get(Level.EPCI, "244400404")
    assert nantes.zone == Zone.METRO
    assert loire_atlantique.parent == loire_atlantique.region == pays_de_la_loire
    assert loire_atlantique.chef_lieu == "44109"
    assert get(Level.COMMUNE, "35238").epci is None


def test_an_epci_belongs_to_the_departement_holding_most_of_its_population(tmp_path):
    import_cog(write_cog(tmp_path))

    loire_divatte = get(Level.EPCI, "200000001")
    assert loire_divatte.parent == loire_divatte.departement == get(Level.DEPARTEMENT, "49")
    assert loire_divatte.region == get(Level.REGION, "52")
    assert loire_divatte.epci_type == EpciType.CC
    assert loire_divatte.zone == Zone.METRO
    assert get(Level.EPCI, "244400404").is_metropole


def test_populations_add_up_from_the_communes_except_for_epci(tmp_path):
    import_cog(write_cog(tmp_path))

    assert get(Level.DEPARTEMENT, "44").population == 4000 + 325000 + 50000
    assert get(Level.DEPARTEMENT, "49").population == 7000
    assert get(Level.REGION, "52").population == 4000 + 325000 + 50000 + 7000
    assert get(Level.REGION, "53").population == 225000
    assert get(Level.COM, "975").population == 5000
    assert get(Level.EPCI, "244400404").population == 690000


def test_the_communes_of_a_com_hang_under_the_com_without_departement(tmp_path):
    import_cog(write_cog(tmp_path))

    saint_pierre = get(Level.COMMUNE, "97502")
    com = get(Level.COM, "975")
    assert saint_pierre.parent == saint_pierre.region == com
    assert saint_pierre.departement is None
    assert saint_pierre.zone == com.zone == Zone.COM
    assert not Territory.objects.filter(level=Level.REGION, code="975").exists()


def test_a_second_import_changes_nothing(tmp_path):
    source = write_cog(tmp_path)
    import_cog(source)
    before = snapshot()

    report = import_cog(source)

    assert report.total.created == report.total.updated == report.total.obsolete == 0
    assert report.total.unchanged == 14
    assert snapshot() == before


def test_a_re_import_reads_each_level_once_whatever_the_number_of_rows(
    tmp_path, django_assert_max_num_queries
):
    source = write_cog(tmp_path)
    import_cog(source)

    with django_assert_max_num_queries(len(Level) + 2):  # one SELECT per level, plus the savepoint
        import_cog(source)


def test_a_renamed_commune_is_updated(tmp_path):
    import_cog(write_cog(tmp_path / "2026"))

    report = import_cog(write_cog(tmp_path / "renamed", communes=communes_with((3, 1, "Nantes-sur-Loire"))))

    assert report.levels[Level.COMMUNE].updated == 1
    assert report.levels[Level.COMMUNE].unchanged == 5
    assert get(Level.COMMUNE, "44109").name == "Nantes-sur-Loire"


def test_a_commune_moved_to_another_departement_and_epci_is_updated(tmp_path):
    import_cog(write_cog(tmp_path / "before"))

    import_cog(write_cog(tmp_path / "after", communes=communes_with((2, 2, "49"), (2, 3, "244400404"))))

    ancenis = get(Level.COMMUNE, "44003")
    assert ancenis.parent == ancenis.departement == get(Level.DEPARTEMENT, "49")
    assert ancenis.epci == get(Level.EPCI, "244400404")
    assert get(Level.DEPARTEMENT, "44").population == 325000 + 50000
    assert get(Level.DEPARTEMENT, "49").population == 4000 + 7000


def test_a_new_population_updates_the_commune_and_its_sums(tmp_path):
    import_cog(write_cog(tmp_path / "2026"))

    report = import_cog(write_cog(tmp_path / "2027", communes=communes_with((5, 4, "8000"))), year=2027)

    assert get(Level.COMMUNE, "49007").population == 8000
    assert get(Level.DEPARTEMENT, "49").population == 8000
    assert report.levels[Level.REGION].updated == 2  # the year changed for every territory
    assert Territory.objects.exclude(cog_year=2027).count() == 0


def test_a_commune_missing_from_the_new_file_becomes_obsolete(tmp_path):
    import_cog(write_cog(tmp_path / "before"))
    without_angers = [row for row in BASE_FILES["communes.csv"] if row[0] != "49007"]

    report = import_cog(write_cog(tmp_path / "after", communes=without_angers))

    assert report.levels[Level.COMMUNE].obsolete == 1
    angers = get(Level.COMMUNE, "49007")
    assert angers.is_active is False
    assert angers.name == "Angers"
    assert "obsolètes sont conservés" in report.summary()


def test_an_obsolete_commune_comes_back_when_it_reappears(tmp_path):
    import_cog(write_cog(tmp_path / "before"))
    without_angers = [row for row in BASE_FILES["communes.csv"] if row[0] != "49007"]
    import_cog(write_cog(tmp_path / "after", communes=without_angers))

    report = import_cog(write_cog(tmp_path / "again"))

    assert report.levels[Level.COMMUNE].updated == 1
    assert report.levels[Level.COMMUNE].obsolete == 0
    assert get(Level.COMMUNE, "49007").is_active is True
    assert Territory.objects.filter(level=Level.COMMUNE, code="49007").count() == 1


def test_an_obsolete_commune_stays_obsolete_without_being_counted_again(tmp_path):
    import_cog(write_cog(tmp_path / "before"))
    without_angers = write_cog(
        tmp_path / "after", communes=[r for r in BASE_FILES["communes.csv"] if r[0] != "49007"]
    )
    import_cog(without_angers)

    report = import_cog(without_angers)

    assert report.total.obsolete == report.total.updated == 0
    assert get(Level.COMMUNE, "49007").is_active is False


MALFORMED = {
    "bad population": (
        {"communes": communes_with((2, 4, "abc"))},
        "communes.csv, ligne 3, champ « population » : « abc » n'est pas un entier.",
    ),
    "negative population": (
        {"communes": communes_with((2, 4, "-5"))},
        "communes.csv, ligne 3, champ « population » : « -5 » n'est pas une population plausible.",
    ),
    "unknown parent département": (
        {"communes": communes_with((4, 2, "99"))},
        "communes.csv, ligne 5, champ « departement » : « 99 » n'est ni un département de departements.csv "
        "ni une collectivité d'outre-mer de regions.csv.",
    ),
    "unknown EPCI": (
        {"communes": communes_with((6, 3, "999999999"))},
        "communes.csv, ligne 7, champ « epci » : « 999999999 » n'est pas un EPCI de epci.csv.",
    ),
    "bad commune code": (
        {"communes": communes_with((1, 0, "3523"))},
        "communes.csv, ligne 2, champ « code » : « 3523 » n'est pas un code valide",
    ),
    "empty name": (
        {"communes": communes_with((6, 1, ""))},
        "communes.csv, ligne 7, champ « nom » : valeur obligatoire manquante.",
    ),
    "duplicate code": (
        {"communes": communes_with((2, 0, "35238"))},
        "communes.csv, ligne 3, champ « code » : le code « 35238 » figure déjà ligne 2.",
    ),
    "missing column": (
        {"epci": [["code", "nom", "population"], ["244400404", "Nantes Métropole", "690000"]]},
        "epci.csv, ligne 1, champ « type » : colonne absente de l'en-tête.",
    ),
    "short line": (
        {"epci": [*BASE_FILES["epci.csv"], ["200000002", "CC Sans type"]]},
        "epci.csv, ligne 4, champ « type » : valeur absente, la ligne compte 2 champs au lieu de 4.",
    ),
    "bad EPCI type": (
        {"epci": [*BASE_FILES["epci.csv"][:2], ["244400404", "Nantes Métropole", "METROPOLE", "1"]]},
        "epci.csv, ligne 3, champ « type » : « METROPOLE » n'est pas une valeur permise (CC, CA, CU, METRO, MET69).",
    ),
    "bad SIREN": (
        {"epci": [*BASE_FILES["epci.csv"][:2], ["24440040", "Nantes Métropole", "METRO", "1"]]},
        "epci.csv, ligne 3, champ « code » : « 24440040 » n'est pas un code valide (SIREN à 9 chiffres).",
    ),
    "EPCI without members": (
        {"epci": [*BASE_FILES["epci.csv"], ["200000002", "CC Fantôme", "CC", "10"]]},
        "epci.csv, ligne 4, champ « code » : l'EPCI « 200000002 » n'a aucune commune membre dans communes.csv.",
    ),
    "bad département code": (
        {"departements": [*BASE_FILES["departements.csv"], ["4", "Quatre", "52", "metro", ""]]},
        "departements.csv, ligne 5, champ « code » : « 4 » n'est pas un code valide",
    ),
    "unknown région": (
        {"departements": [*BASE_FILES["departements.csv"], ["85", "Vendée", "99", "metro", ""]]},
        "departements.csv, ligne 5, champ « region » : « 99 » n'est pas une région de regions.csv.",
    ),
    "COM zone on a région code": (
        {"regions": [*BASE_FILES["regions.csv"], ["28", "Normandie", "com", ""]]},
        "regions.csv, ligne 5, champ « zone » : « com » ne convient pas au code « 28 »",
    ),
}


@pytest.mark.parametrize(("files", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_is_refused_with_file_line_and_field_and_nothing_is_written(
    tmp_path, files, message
):
    import_cog(write_cog(tmp_path / "good"))
    before = snapshot()

    with pytest.raises(CogFormatError) as error:
        import_cog(write_cog(tmp_path / "bad", **files))

    assert str(error.value).startswith(message)
    assert snapshot() == before


def test_a_malformed_file_leaves_an_empty_database_empty(tmp_path):
    with pytest.raises(CogFormatError):
        import_cog(write_cog(tmp_path, communes=communes_with((6, 4, "beaucoup"))))

    assert not Territory.objects.exists()


def test_a_missing_file_is_named(tmp_path):
    source = write_cog(tmp_path)
    (source / "epci.csv").unlink()

    with pytest.raises(CogFormatError, match="epci.csv : fichier introuvable"):
        import_cog(source)


def test_the_shipped_2026_extract_imports_every_territory():
    report = import_cog()

    created = {level: counts.created for level, counts in report.levels.items()}
    assert created[Level.REGION] == 18
    assert created[Level.COM] == 8
    assert created[Level.DEPARTEMENT] == 101
    assert created[Level.EPCI] == 1255
    assert 34_900 <= created[Level.COMMUNE] <= 35_000
    assert Territory.objects.metropoles().count() == 22
    assert Territory.objects.filter(epci_type=EpciType.METRO).count() == 21
    assert Territory.objects.filter(epci_type=EpciType.MET69).count() == 1
    nantes = get(Level.COMMUNE, "44109")
    assert nantes.epci == get(Level.EPCI, "244400404")
    assert nantes.epci.departement == get(Level.DEPARTEMENT, "44")
    assert get(Level.DEPARTEMENT, "44").region == get(Level.REGION, "52")
    assert Territory.objects.filter(level=Level.COMMUNE, epci=None).count() == 98
    assert get(Level.COMMUNE, "2A004").departement == get(Level.DEPARTEMENT, "2A")


def test_load_cog_prints_the_report_in_french(tmp_path):
    out = StringIO()

    call_command("load_cog", "--source", str(write_cog(tmp_path)), stdout=out)

    text = out.getvalue()
    assert "Code officiel géographique 2026 importé" in text
    assert "nouveaux" in text
    assert [line.split() for line in text.splitlines() if line.startswith("Communes")] == [
        ["Communes", "6", "0", "0", "0"]
    ]


@pytest.mark.parametrize("option", ["--annee", "--year"])
def test_load_cog_takes_the_year_in_french_or_in_english(tmp_path, option):
    out = StringIO()

    call_command("load_cog", "--source", str(write_cog(tmp_path)), option, "2025", stdout=out)

    assert "Code officiel géographique 2025 importé" in out.getvalue()
    assert set(Territory.objects.values_list("cog_year", flat=True)) == {2025}


def test_load_cog_refuses_a_year_that_is_not_a_number(tmp_path):
    with pytest.raises(CommandError, match="--annee"):
        call_command("load_cog", "--annee", "deux-mille")


def test_load_cog_says_when_the_files_of_a_year_are_missing():
    with pytest.raises(CommandError, match="Dossier des fichiers du COG introuvable"):
        call_command("load_cog", "--annee", "1999")


def test_the_report_groups_thousands_the_french_way(tmp_path):
    report = import_cog(write_cog(tmp_path))
    report.levels[Level.COMMUNE].created = 34_935

    assert [
        line.split(maxsplit=1)[1] for line in report.summary().splitlines() if line.startswith("Communes")
    ] == ["34\u202f935          0          0          0"]


def test_load_cog_turns_a_format_error_into_a_command_error(tmp_path):
    source = write_cog(tmp_path, communes=communes_with((2, 4, "abc")))

    with pytest.raises(CommandError, match="communes.csv, ligne 3, champ « population »"):
        call_command("load_cog", "--source", str(source))


def test_load_cog_exits_with_an_error_and_no_traceback(tmp_path):
    source = write_cog(tmp_path, communes=communes_with((2, 4, "abc")))
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings.test"}

    # A separate process, since the command closes the database connections when it ends.
    result = subprocess.run(
        [sys.executable, "-m", "django", "load_cog", "--source", str(source)],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "communes.csv, ligne 3, champ « population » : « abc » n'est pas un entier." in result.stderr
    assert "aucune donnée modifiée" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def load_extract_script():
    spec = importlib.util.spec_from_file_location("extract_cog", REPO_ROOT / "scripts" / "extract_cog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_extract_script_keeps_current_communes_with_their_epci_and_the_com_once(tmp_path):
    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "6.0.0"}))
    sources = {
        "regions.json": [
            {"code": "52", "nom": "Pays de la Loire", "zone": "metro", "chefLieu": "44109"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com", "chefLieu": "97502"},
        ],
        "departements.json": [
            {"code": "44", "nom": "Loire-Atlantique", "region": "52", "zone": "metro", "chefLieu": "44109"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "975", "zone": "com"},
        ],
        "epci.json": [
            {
                "code": "244400404",
                "nom": "Nantes Métropole",
                "type": "METRO",
                "populationMunicipale": 690000,
                "membres": [{"code": "44109", "nom": "Nantes"}],
            }
        ],
        "communes.json": [
            {"code": "97502", "nom": "Saint-Pierre", "departement": "975", "type": "commune-actuelle"},
            {
                "code": "44109",
                "nom": "Nantes",
                "departement": "44",
                "type": "commune-actuelle",
                "population": 1,
            },
            {"code": "44225", "nom": "Rezé ancienne", "departement": "44", "type": "commune-deleguee"},
        ],
    }
    for name, content in sources.items():
        (package / "data" / name).write_text(json.dumps(content), encoding="utf-8")
    output = tmp_path / "cog"

    assert load_extract_script().main([str(tmp_path), "--sortie", str(output)]) == 0

    communes = (output / "communes.csv").read_text(encoding="utf-8").splitlines()
    assert communes == [
        "code,nom,departement,epci,population",
        "44109,Nantes,44,244400404,1",
        "97502,Saint-Pierre,975,,",
    ]
    assert (output / "departements.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "44,Loire-Atlantique,52,metro,44109"
    ]
    provenance = (output / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "@etalab/decoupage-administratif" in provenance
    assert "Licence Ouverte" in provenance
    import_cog(output)
    assert get(Level.COMMUNE, "97502").parent == get(Level.COM, "975")
