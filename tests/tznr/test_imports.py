"""The file of rights opened of a period: CSV (either separator, any of the encodings) and XLSX, every faulty line
reported with its column, all or nothing, limits, and no traceback whatever the bytes."""

import datetime
import io
import random
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from pacte.core.locking import StaleEditError
from pacte.tznr import imports
from pacte.tznr.enums import OpenedBenefit, RightSource
from tests.tznr.factories import OpenedRightFactory, PeriodFactory


@pytest.fixture
def period(experiment):
    return PeriodFactory(experiment=experiment)


def rights_of(period):
    return sorted((r.benefit, r.source, r.count, r.monthly_amount) for r in period.rights.all())


def messages(error) -> list[str]:
    return error.value.message_dict["file"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_with_labels_accents_and_spaced_amounts_replaces_the_rights(porteur, period):
    OpenedRightFactory(period=period, benefit=OpenedBenefit.AAH, count=3)
    data = (
        "\ufeffPrestation;Compte par;Droits ouverts;Montant mensuel total\n"
        "RSA;;12;7 632,40\n"
        "Prime d’activité;Organisme payeur;8;1520.5\n"
        "\n"
        "cheque_energie;porteur;5;\n"
    ).encode()
    report = imports.import_rights(porteur, period, data, "droits.csv")
    assert rights_of(period) == [
        (OpenedBenefit.ENERGY, RightSource.LEAD, 5, None),
        (OpenedBenefit.PPA, RightSource.PAYER, 8, Decimal("1520.50")),
        (OpenedBenefit.RSA, RightSource.LEAD, 12, Decimal("7632.40")),
    ]
    assert (report.lines, report.rights, report.monthly_amount) == (3, 25, Decimal("9152.90"))
    assert str(report).startswith("Fichier CSV importé : 3 lignes lues, 25 droits ouverts")


def test_a_comma_separated_windows_1252_file_is_read(porteur, period):
    data = "prestation,droits_ouverts\nComplémentaire santé solidaire,4\n".encode("cp1252")
    imports.import_rights(porteur, period, data, "droits.csv")
    assert rights_of(period) == [(OpenedBenefit.CSS, RightSource.LEAD, 4, None)]


def test_an_xlsx_file_is_read_from_its_first_sheet(porteur, period):
    data = xlsx(
        [
            ["prestation", "compte_par", "droits_ouverts", "montant_mensuel_total"],
            ["aah", "porteur", 2, 2012.5],
            ["Aides au logement (APL, ALF, ALS)", None, 7.0, "1 100,00"],
        ]
    )
    report = imports.import_rights(porteur, period, data, "droits.xlsx")
    assert report.container == "XLSX"
    assert rights_of(period) == [
        (OpenedBenefit.AAH, RightSource.LEAD, 2, Decimal("2012.50")),
        (OpenedBenefit.AL, RightSource.LEAD, 7, Decimal("1100.00")),
    ]


def test_the_model_file_imports_as_it_is(porteur, period):
    report = imports.import_rights(porteur, period, imports.MODEL_FILE.read_bytes(), "modele.csv")
    assert report.lines == 2
    assert "Exemple" in imports.MODEL_FILE.read_text(encoding="utf-8")


def test_every_faulty_line_is_reported_and_nothing_is_written(porteur, period):
    OpenedRightFactory(period=period, benefit=OpenedBenefit.AAH, count=3)
    data = (
        b"prestation;compte_par;droits_ouverts;montant_mensuel_total\n"
        b"rsa;porteur;12;100\n"
        b"allocation lune;porteur;1;\n"
        b"rsa;caf;-2;12,345\n"
        b"ppa;porteur;douze;-5\n"
        b"rsa;porteur;3;\n"
    )
    with pytest.raises(ValidationError) as error:
        imports.import_rights(porteur, period, data, "droits.csv")
    assert messages(error) == [
        "Ligne 3, colonne « prestation » : prestation inconnue « allocation lune » (codes possibles : "
        + ", ".join(OpenedBenefit.values)
        + ")",
        "Ligne 4, colonne « compte_par » : « porteur » ou « organisme_payeur » attendu, « caf » lu",
        "Ligne 4, colonne « droits_ouverts » : nombre positif ou nul attendu, « -2 » lu",
        "Ligne 4, colonne « montant_mensuel_total » : deux décimales au plus (des centimes)",
        "Ligne 5, colonne « droits_ouverts » : nombre entier positif ou nul attendu, « douze » lu",
        "Ligne 5, colonne « montant_mensuel_total » : montant positif ou nul attendu",
        "Ligne 6, colonne « prestation » : même prestation et même compteur qu'à la ligne 2",
    ]
    assert rights_of(period) == [(OpenedBenefit.AAH, RightSource.LEAD, 3, Decimal("21080"))]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Le fichier est vide."),
        (b"\xef\xbb\xbf\r\n\r\n", "Le fichier est vide."),
        (b"prestation;droits_ouverts\n", "aucune ligne de droits ouverts"),
        (b"prestation;montant\nrsa;12\n", "Colonnes manquantes : « droits_ouverts »"),
        (b"prestation;droits_ouverts;Prestation\nrsa;1;rsa\n", "Colonne en double : « prestation »"),
        (b"\xd0\xcf\x11\xe0rest", "Excel 97-2003"),
        (b"%PDF-1.4 ...", "document PDF"),
        (b"PK\x03\x04garbage", "Classeur XLSX illisible"),
        (b"prestation;droits_ouverts\n\x81\x8d;1\n", "Encodage illisible"),
        (b"a\x00b", "contenu binaire"),
    ],
)
def test_an_unusable_file_is_refused_in_french(porteur, period, data, expected):
    with pytest.raises(ValidationError) as error:
        imports.import_rights(porteur, period, data, "droits.csv")
    assert expected in " ".join(messages(error))


def test_the_size_and_line_limits(porteur, period):
    big = b"prestation;droits_ouverts\n" + b"rsa;1;" + b"x" * imports.MAX_BYTES + b"\n"
    with pytest.raises(ValidationError) as error:
        imports.import_rights(porteur, period, big, "droits.csv")
    assert "dépasse la limite de 2\u202fMo" in messages(error)[0]
    long = b"prestation;droits_ouverts\n" + b"rsa;1\n" * imports.MAX_LINES
    with pytest.raises(ValidationError) as error:
        imports.import_rights(porteur, period, long, "droits.csv")
    assert "plus de 200 lignes" in messages(error)[0]
    sheet = xlsx([["prestation", "droits_ouverts"]] + [["rsa", 1]] * imports.MAX_LINES)
    with pytest.raises(ValidationError) as error:
        imports.import_rights(porteur, period, sheet, "droits.xlsx")
    assert "plus de 200 lignes" in messages(error)[0]


def test_an_archive_that_inflates_beyond_the_limit_is_refused(porteur, period):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (imports.MAX_UNCOMPRESSED + 1))
    assert len(buffer.getvalue()) < imports.MAX_BYTES
    with pytest.raises(ValidationError) as error:
        imports.import_rights(porteur, period, buffer.getvalue(), "droits.xlsx")
    assert "une fois décompressé" in messages(error)[0]


def test_only_the_porteur_imports_into_an_editable_period(porteur, other_porteur, commissioner, experiment):
    data = b"prestation;droits_ouverts\nrsa;1\n"
    period = PeriodFactory(experiment=experiment)
    for user in (other_porteur, commissioner):
        with pytest.raises(PermissionDenied):
            imports.import_rights(user, period, data, "droits.csv")
    submitted = PeriodFactory(
        experiment=experiment, submitted=True, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30)
    )
    with pytest.raises(PermissionDenied):
        imports.import_rights(porteur, submitted, data, "droits.csv")
    assert not period.rights.exists()


def test_a_stale_version_writes_nothing(porteur, period):
    with pytest.raises(StaleEditError):
        imports.import_rights(porteur, period, b"prestation;droits_ouverts\nrsa;1\n", "d.csv", version=99)
    assert not period.rights.exists()
    imports.import_rights(porteur, period, b"prestation;droits_ouverts\nrsa;1\n", "d.csv", version=0)
    assert rights_of(period) == [(OpenedBenefit.RSA, RightSource.LEAD, 1, None)]


def test_no_bytes_make_a_traceback(porteur, period):
    """Fuzz: random bytes, mangled copies of a good CSV and of a good XLSX give a French refusal or an import."""
    generator = random.Random(18)
    good_csv = imports.MODEL_FILE.read_bytes()
    good_xlsx = xlsx([["prestation", "droits_ouverts"], ["rsa", 3]])
    samples = [bytes(generator.randrange(256) for _ in range(generator.randrange(1, 400))) for _ in range(40)]
    for good in (good_csv, good_xlsx):
        for _ in range(30):
            mangled = bytearray(good)
            for _ in range(generator.randrange(1, 8)):
                mangled[generator.randrange(len(mangled))] = generator.randrange(256)
            samples.append(bytes(mangled))
        samples.append(good[: len(good) // 2])
    samples += [
        b'prestation;droits_ouverts\n"rsa;1\n',
        b"prestation;droits_ouverts\nrsa;" + b"9" * 5000 + b"\n",
    ]
    samples += [b"prestation;droits_ouverts;montant_mensuel_total\nrsa;1;1e999999\n", b"\r\r\r;;;\n"]
    for sample in samples:
        try:
            imports.import_rights(porteur, period, sample, "fuzz.bin")
        except ValidationError as error:
            assert error.message_dict["file"]
