"""Issue 15, findings 3 and 4: an observation import cannot crash on a long CSV cell nor exhaust memory on a
decompression bomb; every failed import is recorded (ImportBatch FAILED) with its French message."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from pacte.observation.enums import BatchStatus
from pacte.observation.importers import UnusableFileError, import_file, layouts
from pacte.observation.models import ImportBatch, Observation
from tests.accounts.factories import UserFactory
from tests.helpers import is_login
from tests.observation.factories import IndicatorFactory
from tests.territories.factories import DepartementFactory, RegionFactory

LONG_CELL = "x" * 140_000  # over the csv module's field limit (131 072 characters)


def plain(text: str) -> str:
    """A message with its narrow no-break spaces (between thousands, before units) as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def cog():
    region = RegionFactory(code="52", name="Pays de la Loire")
    return {
        "region": region,
        "44": DepartementFactory(code="44", name="Loire-Atlantique", parent=region),
        "49": DepartementFactory(code="49", name="Maine-et-Loire", parent=region),
    }


@pytest.fixture
def indicator():
    return IndicatorFactory(code="TP60")


def long_cell_csv() -> bytes:
    return f"CODGEO;LIBGEO;TP6021\n44;Loire-Atlantique;10,9\n49;{LONG_CELL};12,4\n".encode()


def workbook(rows: int, *, title: str = "COM") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["CODGEO", "TP6021"])
    for number in range(rows):
        sheet.append(["44" if number % 2 == 0 else "49", 10 + number % 7])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def failed_batch(error: UnusableFileError) -> ImportBatch:
    batch = ImportBatch.objects.get()
    assert batch == error.batch
    assert batch.status == BatchStatus.FAILED
    assert batch.message.startswith(error.message)
    return batch


# --- A CSV cell over the field limit ----------------------------------------------------------------------


def test_a_csv_cell_over_the_field_limit_is_refused_naming_its_line_and_recorded(cog, indicator):
    user = UserFactory(national=True)
    with pytest.raises(UnusableFileError) as raised:
        import_file(io.BytesIO(long_cell_csv()), file_name="long.csv", user=user)
    message = plain(raised.value.message)
    assert message.startswith("Ligne 3 : une cellule dépasse 131 072 caractères (128 ko)")
    assert failed_batch(raised.value).user == user
    assert not Observation.objects.exists()


def test_a_long_cell_in_the_header_search_is_refused_too(cog, indicator):
    text = f"Titre {LONG_CELL}\nCODGEO;TP6021\n44;10,9\n".replace("Titre ", '"Titre ";')
    with pytest.raises(UnusableFileError, match="^Ligne 1 : une cellule dépasse"):
        import_file(io.BytesIO(text.encode()), file_name="titre.csv")
    assert ImportBatch.objects.get().status == BatchStatus.FAILED


def test_an_unclosed_quote_that_swallows_the_file_is_refused_with_advice(cog, indicator):
    text = 'CODGEO;TP6021\n44;"10,9\n' + "49;12\n" * 30_000
    with pytest.raises(UnusableFileError, match="un guillemet non fermé"):
        import_file(io.BytesIO(text.encode()), file_name="guillemet.csv")


def test_a_dry_run_of_a_long_cell_records_nothing_and_says_why(cog, indicator):
    with pytest.raises(UnusableFileError, match="Ligne 3"):
        import_file(io.BytesIO(long_cell_csv()), file_name="long.csv", dry_run=True)
    assert not ImportBatch.objects.exists()  # a trial never records, as documented


def upload(content: bytes, name: str) -> dict:
    return {"fichier": SimpleUploadedFile(name, content, content_type="text/csv")}


def test_national_steering_uploading_a_long_cell_gets_the_reason_on_the_file_field(client, cog, indicator):
    national = UserFactory(national=True)
    client.force_login(national)
    response = client.post(reverse("observation:import"), upload(long_cell_csv(), "long.csv"))
    assert response.status_code == 200
    error = plain(response.context["form"].errors["fichier"][0])
    assert error.startswith("Ligne 3 : une cellule dépasse 131 072 caractères")
    failed = ImportBatch.objects.get()
    assert (failed.status, failed.user) == (BatchStatus.FAILED, national)
    assert reverse("observation:import_detail", args=[failed.pk]) in response.content.decode()


def test_a_commissioner_of_another_region_gets_the_same_refusal_recorded_for_that_region(
    client, cog, indicator
):
    bretagne = RegionFactory(code="53", name="Bretagne")
    client.force_login(UserFactory(commissioner=True, territory=bretagne))
    response = client.post(reverse("observation:import"), upload(long_cell_csv(), "long.csv"))
    assert response.status_code == 200
    assert "Ligne 3 : une cellule dépasse" in response.context["form"].errors["fichier"][0]
    failed = ImportBatch.objects.get()
    assert (failed.status, failed.region) == (BatchStatus.FAILED, bretagne)
    assert not Observation.objects.exists()


def test_an_anonymous_upload_of_a_long_cell_is_sent_to_sign_in_and_records_nothing(client, cog, indicator):
    response = client.post(reverse("observation:import"), upload(long_cell_csv(), "long.csv"))
    assert is_login(response)
    assert not ImportBatch.objects.exists()


# --- Rows and cells ---------------------------------------------------------------------------------------


def test_a_csv_over_the_row_limit_is_refused_naming_the_limit(cog, indicator, settings):
    settings.OBSERVATION_IMPORT_MAX_ROWS = 5
    text = "CODGEO;TP6021\n" + "44;10,9\n" * 10
    with pytest.raises(UnusableFileError) as raised:
        import_file(io.BytesIO(text.encode()), file_name="lignes.csv")
    assert raised.value.message.startswith("Le fichier compte plus de 5 lignes : la limite est de 5 lignes")
    failed_batch(raised.value)


def test_a_csv_over_the_cell_limit_is_refused_naming_the_limit(cog, indicator, settings):
    settings.OBSERVATION_IMPORT_MAX_CELLS = 100
    text = "CODGEO;TP6021" + ";" * 120 + "\n44;10,9\n"
    with pytest.raises(UnusableFileError, match="plus de 100 cellules : la limite est de 100 cellules"):
        import_file(io.BytesIO(text.encode()), file_name="cellules.csv")
    assert ImportBatch.objects.get().status == BatchStatus.FAILED


def test_a_file_within_the_limits_is_imported(cog, indicator, settings):
    settings.OBSERVATION_IMPORT_MAX_ROWS = 3
    settings.OBSERVATION_IMPORT_MAX_CELLS = 6
    result = import_file(io.BytesIO(b"CODGEO;TP6021\n44;10,9\n49;12,4\n"), file_name="ok.csv")
    assert result.created == 2 and result.batch.status == BatchStatus.SUCCEEDED


# --- XLSX: the decompression bomb -------------------------------------------------------------------------


def test_a_workbook_over_the_row_limit_is_refused_before_openpyxl_reads_it(
    cog, indicator, settings, monkeypatch
):
    import openpyxl

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook that the archive check should have refused")

    settings.OBSERVATION_IMPORT_MAX_ROWS = 100
    data = workbook(200)
    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    with pytest.raises(UnusableFileError) as raised:
        import_file(io.BytesIO(data), file_name="bombe.xlsx")
    assert raised.value.message.startswith("Le fichier compte plus de 100 lignes : la limite est de 100")
    failed_batch(raised.value)


def test_a_workbook_over_the_cell_limit_is_refused(cog, indicator, settings):
    settings.OBSERVATION_IMPORT_MAX_CELLS = 150
    with pytest.raises(UnusableFileError, match="plus de 150 cellules"):
        import_file(io.BytesIO(workbook(100)), file_name="cellules.xlsx")
    assert ImportBatch.objects.get().status == BatchStatus.FAILED


def test_a_workbook_over_the_uncompressed_size_is_refused_on_its_declared_sizes(cog, indicator, settings):
    data = workbook(2_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        declared = sum(info.file_size for info in archive.infolist())
    settings.OBSERVATION_IMPORT_MAX_UNCOMPRESSED_SIZE = len(data) + 1_000
    assert declared > len(data) + 1_000  # small on the wire, big once inflated
    with pytest.raises(UnusableFileError) as raised:
        import_file(io.BytesIO(data), file_name="bombe.xlsx")
    assert raised.value.message.startswith("Le classeur pèse ")
    assert "une fois décompressé : la limite est de " in raised.value.message
    failed_batch(raised.value)


def _lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The archive with the uncompressed size of `member` replaced by `size` in its local header and in the
    central directory (a lying header)."""
    patched = bytearray(data)
    name = member.encode()
    local = patched.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", patched, local + 26)[0]
        if patched[local + 30 : local + 30 + name_length] == name:
            struct.pack_into("<I", patched, local + 22, size)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", patched, central + 24, size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def test_a_workbook_whose_header_lies_about_its_size_is_refused_in_french(cog, indicator, settings):
    data = workbook(5_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        real = archive.getinfo("xl/worksheets/sheet1.xml").file_size
        others = sum(info.file_size for info in archive.infolist()) - real
    # The declared sizes pass the limit, the real one would not.
    settings.OBSERVATION_IMPORT_MAX_UNCOMPRESSED_SIZE = real // 2 + others + 10_000
    assert real > real // 2 + others + 10_000
    lying = _lie_about_size(data, "xl/worksheets/sheet1.xml", real // 2)
    with pytest.raises(UnusableFileError) as raised:
        import_file(io.BytesIO(lying), file_name="menteur.xlsx")
    assert raised.value.message.startswith("Classeur XLSX illisible")
    failed_batch(raised.value)
    assert not Observation.objects.exists()


def test_a_sheet_declaring_a_huge_dimension_is_read_as_it_is(cog, indicator, settings):
    settings.OBSERVATION_IMPORT_MAX_CELLS = 1_000
    data = workbook(2)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index("<dimension")
    parts["xl/worksheets/sheet1.xml"] = (
        sheet[:start] + '<dimension ref="A1:XFD1048576"/>' + sheet[sheet.index("/>", start) + 2 :]
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    result = import_file(io.BytesIO(buffer.getvalue()), file_name="dimension.xlsx")
    assert result.created == 2


def test_a_workbook_within_the_limits_is_imported(cog, indicator, settings):
    settings.OBSERVATION_IMPORT_MAX_ROWS = 3
    settings.OBSERVATION_IMPORT_MAX_CELLS = 6
    result = import_file(io.BytesIO(workbook(2)), file_name="ok.xlsx")
    assert result.created == 2 and result.batch.status == BatchStatus.SUCCEEDED


# --- Any other failure ------------------------------------------------------------------------------------


def test_an_unexpected_error_is_recorded_as_a_failed_import_with_a_french_message(
    cog, indicator, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(layouts, "plan", broken)
    user = UserFactory(national=True)
    with pytest.raises(UnusableFileError) as raised:
        import_file(io.BytesIO(b"CODGEO;TP6021\n44;10,9\n"), file_name="f.csv", user=user)
    assert raised.value.message.startswith("Erreur inattendue pendant la lecture du fichier")
    assert failed_batch(raised.value).user == user


# --- The other CSV files the platform reads: the COG ------------------------------------------------------


COG_FILES = {
    "regions.csv": "code,nom,zone,chef_lieu\n52,Pays de la Loire,metro,44109\n",
    "departements.csv": "code,nom,region,zone,chef_lieu\n44,Loire-Atlantique,52,metro,44109\n",
    "epci.csv": "code,nom,type,population\n244400404,Nantes Métropole,METRO,690000\n",
    "communes.csv": "code,nom,departement,epci,population\n44109,Nantes,44,244400404,325000\n"
    f"44162,{'N' * 140_000},44,244400404,50000\n",
}


@pytest.mark.django_db
def test_a_cog_file_with_a_cell_over_the_field_limit_is_refused_in_french_with_its_line(tmp_path):
    from pacte.territories.models import Territory
    from pacte.territories.services import CogFormatError, import_cog

    for name, text in COG_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CogFormatError) as raised:
        import_cog(tmp_path)
    assert plain(str(raised.value)).startswith(
        "communes.csv, ligne 3 : une cellule dépasse 131 072 caractères, la limite d'une cellule CSV"
    )
    assert not Territory.objects.exists()
