import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from pacte.observation.enums import BatchStatus, FileFormat, ValueStatus
from pacte.observation.importers import UnusableFileError, import_file
from pacte.observation.importers.cells import CellError, read_value, read_year
from pacte.observation.importers.layouts import split_code_year
from pacte.observation.models import ImportBatch, Observation
from pacte.territories.enums import Level
from tests.accounts.factories import UserFactory
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.territories.factories import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cog():
    """Pays de la Loire (52) and its five départements, two communes, Nantes Métropole; Bretagne (53)."""
    region = RegionFactory(code="52", name="Pays de la Loire")
    RegionFactory(code="53", name="Bretagne")
    departements = {
        code: DepartementFactory(code=code, name=name, parent=region)
        for code, name in [
            ("44", "Loire-Atlantique"),
            ("49", "Maine-et-Loire"),
            ("53", "Mayenne"),
            ("72", "Sarthe"),
            ("85", "Vendée"),
        ]
    }
    metropole = EpciFactory(
        code="244400404", name="Nantes Métropole", parent=departements["44"], metropole=True
    )
    nantes = CommuneFactory(code="44109", name="Nantes", parent=departements["44"], epci=metropole)
    angers = CommuneFactory(code="49007", name="Angers", parent=departements["49"])
    return {"region": region, **departements, "metropole": metropole, "nantes": nantes, "angers": angers}


@pytest.fixture
def indicators():
    return {
        "TP60": IndicatorFactory(code="TP60", label="Taux de pauvreté"),
        "MED": IndicatorFactory(code="MED", label="Niveau de vie médian", kind="montant", unit="€"),
        "NB_RSA": IndicatorFactory(code="NB_RSA", label="Foyers allocataires du RSA", count=True),
    }


def write(tmp_path, text: str, name: str = "fichier.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values(code: str, period: int = 2021) -> dict[str, tuple]:
    """{territory code: (value, status)} of an indicator for a year."""
    rows = Observation.objects.filter(indicator__code=code, period=period).select_related("territory")
    return {row.territory.code if row.territory else "FR": (row.value, row.status) for row in rows}


INSEE = "CODGEO;LIBGEO;TP6021;MED21\n44;Loire-Atlantique;12,5;23 450\n49;Maine-et-Loire;13,1;22 120\n"


# --- Cells ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14,5", D("14.5")),
        ("14.5", D("14.5")),
        ("1 234,5", D("1234.5")),
        ("1\u00a0234,5", D("1234.5")),
        ("1\u202f234", D("1234")),
        ("1.234,5", D("1234.5")),
        ("1,234.5", D("1234.5")),
        ("14,5 %", D("14.5")),
        ("-3,25", D("-3.25")),
        ("1,5E+03", D("1500")),
        (12, D("12")),
        (12.25, D("12.25")),
    ],
)
def test_numbers_are_read_with_a_decimal_comma_and_spaces_between_thousands(raw, expected):
    assert read_value(raw) == (expected, ValueStatus.AVAILABLE)


@pytest.mark.parametrize("marker", ["s", "S", "secret", "c", "nc"])
def test_secret_markers_give_a_secret_value(marker):
    assert read_value(marker) == (None, ValueStatus.SECRET)


@pytest.mark.parametrize("marker", ["nd", "ND", "n.d.", "ns", "so", "-", "#N/A"])
def test_not_available_markers_give_a_missing_value(marker):
    assert read_value(marker) == (None, ValueStatus.MISSING)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_an_empty_cell_is_nothing_to_import(raw):
    assert read_value(raw) is None


@pytest.mark.parametrize("raw", ["abc", "12,5,3", "#DIV/0!", True])
def test_an_unreadable_value_says_a_number_was_expected(raw):
    with pytest.raises(CellError):
        read_value(raw)


@pytest.mark.parametrize(
    ("raw", "year"),
    [("31/12/2021", 2021), ("2021-12-31", 2021), ("2021", 2021), (2021, 2021), ("20211231", 2021)],
)
def test_reference_dates_give_their_year(raw, year):
    assert read_year(raw) == year


def test_an_indicator_code_and_its_year_are_read_from_a_column_name():
    codes = {"TP60", "MED"}
    assert split_code_year("TP6021", codes) == ("TP60", 2021)
    assert split_code_year("MED21", codes) == ("MED", 2021)
    assert split_code_year("med_2019", codes) == ("MED", 2019)
    assert split_code_year("TP60", codes) == ("TP60", None)
    assert split_code_year("NBMENFISC21", codes) is None


# --- INSEE ---------------------------------------------------------------------------------------------


def test_an_insee_file_is_detected_and_its_values_created(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, INSEE), file_name="filosofi.csv")
    assert result.file_format == FileFormat.INSEE
    assert "INSEE" in result.format_label and "point-virgule" in result.format_label
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert values("TP60") == {"44": (D("12.5"), "disponible"), "49": (D("13.1"), "disponible")}
    assert values("MED")["44"] == (D("23450"), "disponible")
    batch = result.batch
    assert batch.status == BatchStatus.SUCCEEDED and batch.file_format == FileFormat.INSEE
    assert Observation.objects.filter(batch=batch, is_demo=False).count() == 4
    assert "TP6021 → TP60 2021" in batch.message


def test_the_code_column_is_found_whatever_its_case_or_vintage_suffix(tmp_path, cog, indicators):
    text = "codgeo_2024,libgeo,TP6021\n44,Loire-Atlantique,12.5\n"
    result = import_file(write(tmp_path, text), file_name="insee.csv")
    assert result.file_format == FileFormat.INSEE
    assert "virgule" in result.format_label
    assert values("TP60") == {"44": (D("12.5"), "disponible")}


def test_a_column_without_year_takes_the_year_given_with_annee(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, "CODGEO;TP60\n44;12,5\n"), file_name="f.csv", year=2022)
    assert result.created == 1
    assert values("TP60", 2022) == {"44": (D("12.5"), "disponible")}


def test_a_column_without_any_year_makes_the_file_unusable_and_says_to_give_one(tmp_path, cog, indicators):
    with pytest.raises(UnusableFileError, match="--annee"):
        import_file(write(tmp_path, "CODGEO;TP60\n44;12,5\n"), file_name="f.csv")


def test_secret_markers_are_stored_as_secret_or_missing_and_empty_cells_skipped(tmp_path, cog, indicators):
    text = "CODGEO;TP6021;MED21\n44;s;nd\n49;;n.d.\n53;ns;so\n72;nc;\n"
    result = import_file(write(tmp_path, text), file_name="secret.csv")
    assert values("TP60") == {"44": (None, "secret"), "53": (None, "non_disponible"), "72": (None, "secret")}
    assert values("MED") == {
        "44": (None, "non_disponible"),
        "49": (None, "non_disponible"),
        "53": (None, "non_disponible"),
    }
    assert result.skipped == 2


def test_a_file_with_a_bom_is_read(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, "\ufeff" + INSEE), file_name="bom.csv")
    assert "UTF-8 avec BOM" in result.format_label
    assert result.created == 4


def test_a_latin1_file_is_read_with_its_accents(tmp_path, cog, indicators):
    text = "CODGEO;LIBGEO;TP6021\n85;Vendée;11,2\n"
    result = import_file(write(tmp_path, text, encoding="latin-1"), file_name="latin1.csv")
    assert "Windows-1252" in result.format_label
    assert values("TP60") == {"85": (D("11.2"), "disponible")}


def test_title_lines_above_the_header_are_skipped(tmp_path, cog, indicators):
    text = (
        "Revenus et pauvreté des ménages en 2021\nSource : Insee-DGFiP-Cnaf-Cnav-CCMSA, Filosofi\n\n" + INSEE
    )
    result = import_file(write(tmp_path, text), file_name="titre.csv")
    assert "en-tête ligne 4" in result.format_label
    assert result.created == 4


def test_an_unknown_code_is_rejected_with_its_line_and_the_good_rows_are_written(tmp_path, cog, indicators):
    lines = ["CODGEO;TP6021"] + ["44;12,5"] + [f"{44000 + n};10" for n in range(11)] + ["99999;12"]
    lines[2] = "44109;15"
    result = import_file(write(tmp_path, "\n".join(lines)), file_name="communes.csv")
    reasons = [str(reject) for reject in result.rejects]
    assert "ligne 14 : code commune « 99999 » inconnu du COG" in reasons
    assert values("TP60")["44109"] == (D("15"), "disponible")
    assert values("TP60")["44"] == (D("12.5"), "disponible")
    assert result.batch.rejects[-1] == {
        "line": 14,
        "column": "CODGEO",
        "reason": "code commune « 99999 » inconnu du COG",
    }
    assert result.batch.rejected == result.rejected == 11


def test_an_unreadable_value_rejects_the_cell_only(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, "CODGEO;TP6021;MED21\n44;douze;23000\n"), file_name="f.csv")
    assert [str(reject) for reject in result.rejects] == [
        "ligne 2, colonne TP6021 : valeur « douze » illisible : un nombre est attendu (14,5 ou 1 234)"
    ]
    assert values("MED") == {"44": (D("23000"), "disponible")}


def test_a_duplicate_row_is_rejected_and_the_first_value_kept(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, "CODGEO;TP6021\n44;12\n44;13\n"), file_name="f.csv")
    assert "déjà donnée ligne 2" in str(result.rejects[0])
    assert values("TP60") == {"44": (D("12"), "disponible")}


def test_an_unknown_column_is_ignored_and_reported_with_how_to_declare_it(tmp_path, cog, indicators):
    result = import_file(
        write(tmp_path, "CODGEO;LIBGEO;TP6021;NBMENFISC21\n44;L-A;12;560000\n"), file_name="f.csv"
    )
    assert result.created == 1
    message = result.batch.message
    assert "sans indicateur connu : NBMENFISC21" in message
    assert "data/indicateurs.yaml" in message and "--indicateur COLONNE=CODE" in message
    assert "Colonnes descriptives, non importées : LIBGEO" in message


def test_indicator_option_restricts_to_the_given_codes(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, INSEE), file_name="f.csv", indicators=["TP60"])
    assert result.created == 2
    assert values("MED") == {}
    assert "MED21 (indicateur MED non demandé)" in result.message


def test_indicator_option_maps_a_column_to_an_indicator(tmp_path, cog, indicators):
    result = import_file(
        write(tmp_path, "CODGEO;taux_pauvrete\n44;12,5\n"),
        file_name="f.csv",
        indicators=["taux_pauvrete=TP60"],
        year=2021,
    )
    assert result.created == 1
    assert values("TP60") == {"44": (D("12.5"), "disponible")}


def test_an_unknown_indicator_in_the_option_makes_the_import_fail(tmp_path, cog, indicators):
    with pytest.raises(UnusableFileError, match="Indicateur « XYZ » inconnu"):
        import_file(write(tmp_path, INSEE), file_name="f.csv", indicators=["XYZ"])


def test_commune_epci_departement_and_com_codes_are_found_by_their_shape(tmp_path, cog, indicators):
    com = RegionFactory(code="975", name="Saint-Pierre-et-Miquelon", level=Level.COM)
    text = "CODGEO;TP6021\n44109;15\n244400404;14\n49;13\n975;9\n7001;8\n"
    CommuneFactory(code="07001", parent=DepartementFactory(code="07"))
    result = import_file(write(tmp_path, text), file_name="niveaux.csv")
    assert result.territories == {Level.COMMUNE: 2, Level.EPCI: 1, Level.DEPARTEMENT: 1, Level.COM: 1}
    assert set(values("TP60")) == {"44109", "244400404", "49", com.code, "07001"}
    assert any("zéro initial" in note for note in result.notes)


def test_region_codes_are_read_with_the_forced_level(tmp_path, cog, indicators):
    text = "CODGEO;TP6021\n52;12\n53;11\n"
    as_departements = import_file(write(tmp_path, text), file_name="f.csv", dry_run=True)
    assert any("--niveau region" in note for note in as_departements.notes)
    result = import_file(write(tmp_path, text), file_name="f.csv", level="region")
    assert result.territories == {Level.REGION: 2}
    rows = Observation.objects.filter(indicator__code="TP60", territory__level=Level.REGION)
    assert {row.territory.code for row in rows} == {"52", "53"}


def test_a_municipal_arrondissement_is_rejected_with_a_clear_reason(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, "CODGEO;TP6021\n44;12\n75101;9\n"), file_name="f.csv")
    assert "arrondissement municipal" in str(result.rejects[0])


# --- Idempotence, demo values, failures ---------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(tmp_path, cog, indicators):
    path = write(tmp_path, INSEE)
    import_file(path, file_name="f.csv")
    first = {row.pk: (row.value, row.updated_at, row.batch_id) for row in Observation.objects.all()}
    again = import_file(path, file_name="f.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert {row.pk: (row.value, row.updated_at, row.batch_id) for row in Observation.objects.all()} == first
    assert any("déjà été importé" in note for note in again.notes)
    assert ImportBatch.objects.count() == 2


def test_a_changed_value_is_updated_in_place(tmp_path, cog, indicators):
    import_file(write(tmp_path, INSEE), file_name="f.csv")
    before = Observation.objects.get(indicator__code="TP60", territory__code="44").pk
    result = import_file(write(tmp_path, INSEE.replace("12,5", "12,6"), name="v2.csv"), file_name="v2.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    observation = Observation.objects.get(indicator__code="TP60", territory__code="44")
    assert (observation.pk, observation.value, observation.batch) == (before, D("12.6"), result.batch)


def test_imported_values_replace_demo_values(tmp_path, cog, indicators):
    ObservationFactory(
        indicator=indicators["TP60"], territory=cog["44"], value=D("12.5"), demo=True, source="Valeur fictive"
    )
    result = import_file(write(tmp_path, INSEE), file_name="f.csv")
    assert (result.created, result.updated) == (3, 1)
    observation = Observation.objects.get(indicator__code="TP60", territory__code="44")
    assert (observation.is_demo, observation.source) == (False, "")


def test_a_file_of_fictitious_values_is_labelled_and_never_replaces_a_real_value(tmp_path, cog, indicators):
    ObservationFactory(indicator=indicators["TP60"], territory=cog["44"], value=D("11.0"))  # a real value
    result = import_file(write(tmp_path, INSEE), file_name="f.csv", demo=True)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 1)
    assert any("1 valeur réelle conservée" in note for note in result.notes)
    assert values("TP60") == {"44": (D("11.0"), "disponible"), "49": (D("13.1"), "disponible")}
    assert set(Observation.objects.filter(batch=result.batch).values_list("is_demo", flat=True)) == {True}
    again = import_file(write(tmp_path, INSEE), file_name="f.csv", demo=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    real = import_file(write(tmp_path, INSEE), file_name="f.csv")  # the same figures, now as real values
    assert (real.created, real.updated, real.unchanged) == (0, 4, 0)
    assert set(Observation.objects.values_list("is_demo", flat=True)) == {False}


def test_a_dry_run_counts_without_writing_anything(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, INSEE), file_name="f.csv", dry_run=True)
    assert result.created == 4 and result.batch is None
    assert Observation.objects.count() == 0 and ImportBatch.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"LIBGEO;TP6021\nNantes;12\n", "Aucune ligne d'en-t\u00eate reconnue"),
        (b"CODGEO;LIBGEO;NBMENFISC21\n44;L-A;3\n", "Aucune colonne ne correspond \u00e0 un indicateur connu"),
        (b"CODGEO;TP6021\n", "aucune ligne de donn\u00e9es"),
        (b"\x00\x01\x02binaire" * 10, "contenu binaire"),
        (b"CODGEO;TP6021\n44;12\x81\x8d\n", "Encodage illisible"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "Excel 97-2003"),
        (b"PK\x03\x04 not really a workbook", "Classeur XLSX illisible"),
        (b"CODGEO;TP6021\n99999;12\n99998;13\n", "Aucune valeur importable"),
    ],
)
def test_an_unusable_file_writes_nothing_and_records_a_failed_batch(
    tmp_path, cog, indicators, content, message
):
    ObservationFactory(indicator=indicators["TP60"], territory=cog["49"], value=D("9"))
    path = tmp_path / "mauvais.csv"
    path.write_bytes(content)
    user = UserFactory(national=True)
    with pytest.raises(UnusableFileError, match=message) as raised:
        import_file(path, file_name="mauvais.csv", user=user)
    assert Observation.objects.count() == 1
    assert values("TP60") == {"49": (D("9.0000"), "disponible")}
    batch = ImportBatch.objects.get()
    assert batch == raised.value.batch
    assert (batch.status, batch.user, batch.created) == (BatchStatus.FAILED, user, 0)
    assert batch.message.startswith(raised.value.message)


def test_a_file_over_the_size_limit_is_refused(tmp_path, cog, indicators, settings):
    settings.OBSERVATION_IMPORT_MAX_SIZE = 20
    with pytest.raises(UnusableFileError, match="la limite est de"):
        import_file(write(tmp_path, INSEE), file_name="gros.csv")
    assert ImportBatch.objects.get().status == BatchStatus.FAILED


def test_a_database_error_rolls_back_the_values_and_still_records_the_failure(
    tmp_path, cog, indicators, monkeypatch
):
    from django.db import IntegrityError

    from pacte.observation.importers import writing

    def broken(*args, **kwargs):
        raise IntegrityError("contrainte violée")

    ObservationFactory(indicator=indicators["TP60"], territory=cog["44"], value=D("1"))
    monkeypatch.setattr(writing, "update", broken)  # after the new values are inserted
    with pytest.raises(UnusableFileError, match="rien n'a été enregistré"):
        import_file(write(tmp_path, INSEE), file_name="f.csv")
    assert list(Observation.objects.values_list("value", flat=True)) == [D("1")]
    assert list(ImportBatch.objects.values_list("status", flat=True)) == [BatchStatus.FAILED]


def test_an_import_runs_a_number_of_queries_that_does_not_grow_with_its_rows(
    tmp_path, cog, indicators, django_assert_max_num_queries
):
    for number in range(40):
        CommuneFactory(code=f"44{200 + number}", parent=cog["44"])

    def insee_file(rows: int, median: int) -> Path:
        lines = "".join(f"44{200 + n};{n},5;{median + n}\n" for n in range(rows))
        return write(tmp_path, "CODGEO;TP6021;MED21\n" + lines, f"communes-{rows}-{median}.csv")

    with django_assert_max_num_queries(12) as small_first:
        import_file(insee_file(3, 20000), file_name="petit.csv")
    with django_assert_max_num_queries(14) as small_update:
        assert import_file(insee_file(3, 30000), file_name="petit.csv").updated == 3
    Observation.objects.all().delete()
    with django_assert_max_num_queries(len(small_first)):
        assert import_file(insee_file(40, 20000), file_name="grand.csv").created == 80
    with django_assert_max_num_queries(len(small_update)):
        assert import_file(insee_file(40, 30000), file_name="grand.csv").updated == 40


# --- CAF, XLSX, long format ------------------------------------------------------------------------------


def test_a_caf_file_takes_its_year_from_dtref_and_its_level_from_the_code_column(tmp_path, cog, indicators):
    text = (
        "Communes;Codes_Insee;NB_allocataires;ALL_RSA;DTREF\n"
        "ETRANGER;99999;120;4;31/12/2021\n"
        "INCONNUE;XXXXX;80;2;31/12/2021\n"
        "NANTES;44109;61 234;9 876;31/12/2021\n"
        "ANGERS;49007;30 001;4 321;2022-12-31\n"
    )
    result = import_file(write(tmp_path, text), file_name="rsa_com.csv")
    assert result.file_format == FileFormat.CAF
    assert "CAF" in result.format_label and "DTREF" in result.format_label
    assert values("NB_RSA", 2021) == {"44109": (D("9876"), "disponible")}
    assert values("NB_RSA", 2022) == {"49007": (D("4321"), "disponible")}
    assert "ALL_RSA → NB_RSA" in result.message
    assert "NB_allocataires" in result.message and "sans indicateur connu" in result.message
    assert any("99999" in note and "étranger" in note for note in result.notes)
    assert result.rejects == []


def test_a_caf_column_is_mapped_with_the_indicator_option(tmp_path, cog, indicators):
    IndicatorFactory(code="NB_ALLOC", count=True)
    text = "NUMDEPT;NOMDEPT;NB_allocataires;DTREF\n44;LOIRE-ATLANTIQUE;250 000;2021\n"
    result = import_file(
        write(tmp_path, text), file_name="caf_dep.csv", indicators=["NB_allocataires=NB_ALLOC"]
    )
    assert result.territories == {Level.DEPARTEMENT: 1}
    assert values("NB_ALLOC") == {"44": (D("250000"), "disponible")}


def test_an_unreadable_dtref_rejects_the_row(tmp_path, cog, indicators):
    text = "NUMCOM;ALL_RSA;DTREF\n44109;10;fin 2021\n49007;12;2021\n"
    result = import_file(write(tmp_path, text), file_name="caf.csv")
    assert str(result.rejects[0]).startswith("ligne 2 : période « fin 2021 » illisible")
    assert result.created == 1


def workbook(path: Path, rows, *, title: str = "Données", other_first: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    if other_first:
        sheet.title = "Lisez-moi"
        sheet.append(["Ce classeur contient des données fictives."])
        sheet = book.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_workbook_is_read_with_its_title_rows_and_numeric_codes(tmp_path, cog, indicators):
    path = workbook(
        tmp_path / "filosofi.xlsx",
        [
            ["Revenus et pauvreté 2021"],
            [],
            ["Code géographique", "Libellé", "Taux de pauvreté", "Médiane"],
            ["CODGEO", "LIBGEO", "TP6021", "MED21"],
            [44109, "Nantes", 14.5, 23450],
            ["49007", "Angers", "s", 21000.5],
            [None, None, None, None],
        ],
    )
    result = import_file(path, file_name="filosofi.xlsx")
    assert result.file_format == FileFormat.XLSX
    assert "classeur XLSX" in result.format_label and "feuille « Données »" in result.format_label
    assert values("TP60") == {"44109": (D("14.5"), "disponible"), "49007": (None, "secret")}
    assert values("MED")["49007"] == (D("21000.5"), "disponible")


def test_an_xlsx_sheet_is_chosen_by_name(tmp_path, cog, indicators):
    path = workbook(tmp_path / "c.xlsx", [["CODGEO", "TP6021"], ["44", 12]], title="DEP", other_first=True)
    with pytest.raises(UnusableFileError, match="Aucune ligne d'en-tête"):
        import_file(path, file_name="c.xlsx", dry_run=True)
    with pytest.raises(UnusableFileError, match="La feuille « COM » n'existe pas"):
        import_file(path, file_name="c.xlsx", sheet="COM", dry_run=True)
    assert import_file(path, file_name="c.xlsx", sheet="DEP").created == 1


def test_an_uploaded_file_object_is_read_like_a_path(cog, indicators):
    upload = io.BytesIO(INSEE.encode())
    assert import_file(upload, file_name="upload.csv").created == 4


LONG = (
    "indicateur;libelle_indicateur;territoire;nom_territoire;niveau;periode;valeur;statut\n"
    "TP60;Taux de pauvreté;44;Loire-Atlantique;departement;2021;12,5;disponible\n"
    "TP60;Taux de pauvreté;52;Pays de la Loire;region;2021;11,9;disponible\n"
    "TP60;Taux de pauvreté;FR;France;france;2021;14,5;disponible\n"
    "MED;Niveau de vie médian;244400404;Nantes Métropole;epci;2021;;secret\n"
    "INCONNU;?;44;Loire-Atlantique;departement;2021;1;disponible\n"
    "TP60;Taux de pauvreté;44;Loire-Atlantique;canton;2021;1;disponible\n"
)


def test_the_long_format_reads_one_value_per_row_with_its_level_and_status(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, LONG), file_name="export.csv")
    assert result.file_format == FileFormat.LONG
    assert values("TP60") == {
        "44": (D("12.5"), "disponible"),
        "52": (D("11.9"), "disponible"),
        "FR": (D("14.5"), "disponible"),
    }
    assert values("MED") == {"244400404": (None, "secret")}
    assert [str(reject) for reject in result.rejects] == [
        "ligne 6 : indicateur « INCONNU » inconnu : déclarez-le dans l'administration ou data/indicateurs.yaml, "
        "ou associez-le avec --indicateur INCONNU=CODE",
        "ligne 7 : niveau « canton » inconnu : commune, epci, departement, region, com ou france sont attendus",
    ]
    assert import_file(write(tmp_path, LONG), file_name="export.csv").unchanged == 4


def test_the_long_format_skips_indicators_not_asked_for(tmp_path, cog, indicators):
    result = import_file(write(tmp_path, LONG), file_name="export.csv", indicators=["MED"])
    assert result.created == 1
    assert result.skipped == 4
    assert any("TP60 (4 lignes)" in note for note in result.notes)


def test_the_shipped_example_file_imports_the_five_departements(cog, indicators):
    result = import_file(
        REPO_ROOT / "docs" / "exemples" / "filosofi_fictif.csv", file_name="filosofi_fictif.csv"
    )
    assert result.territories == {Level.DEPARTEMENT: 5}
    assert result.rejects == []
    statuses = {status for _, status in values("TP60").values()} | {
        status for _, status in values("MED").values()
    }
    assert statuses == {"disponible", "secret", "non_disponible"}


def test_the_long_format_leaves_out_rows_marked_as_demo_data(tmp_path, cog, indicators):
    text = (
        "indicateur;territoire;niveau;periode;valeur;statut;donnee_fictive\n"
        "TP60;44;departement;2021;12,5;disponible;non\n"
        "TP60;49;departement;2021;13,5;disponible;oui\n"
    )
    result = import_file(write(tmp_path, text), file_name="export.csv")
    assert values("TP60") == {"44": (D("12.5"), "disponible")}
    assert result.skipped == 1
    assert any("1 ligne de donnée fictive ignorée" in note for note in result.notes)


def test_a_long_format_workbook_is_read(tmp_path, cog, indicators):
    path = workbook(
        tmp_path / "long.xlsx",
        [
            ["indicateur", "territoire", "niveau", "periode", "valeur"],
            ["TP60", 44, "departement", 2021, 12.5],
        ],
    )
    result = import_file(path, file_name="long.xlsx")
    assert result.file_format == FileFormat.XLSX and "format long" in result.format_label
    assert values("TP60") == {"44": (D("12.5"), "disponible")}


def test_the_open_data_csv_export_reimports_without_any_change(client, tmp_path, cog, indicators):
    ObservationFactory(indicator=indicators["TP60"], territory=cog["44"], value=D("11.2"))
    ObservationFactory(indicator=indicators["TP60"], territory=cog["49"], secret=True)
    ObservationFactory(indicator=indicators["TP60"], national=True, value=D("14.5"))
    ObservationFactory(indicator=indicators["TP60"], territory=cog["53"], value=D("9.9"), demo=True)
    ObservationFactory(indicator=indicators["MED"], territory=cog["metropole"], value=D("24010"))
    for code in ("TP60", "MED"):
        response = client.get(reverse("observation:opendata_csv", args=[code]))
        assert response.status_code == 200
        path = tmp_path / f"{code}.csv"
        path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
        result = import_file(path, file_name=path.name)
        assert result.file_format == FileFormat.LONG
        assert (result.created, result.updated, result.rejects) == (0, 0, [])
    assert Observation.objects.filter(is_demo=True).count() == 1
