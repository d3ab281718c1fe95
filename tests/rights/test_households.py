"""Household file format v1: one row per person, households as consecutive rows, rejects with line and reason."""

import json
from datetime import date
from decimal import Decimal

import pytest

from pacte.rights.catalogue import BENEFITS
from pacte.rights.households import (
    KNOWN_COLUMNS,
    FamilyRole,
    FileFormatError,
    Housing,
    ReadReport,
    read_households,
    read_text,
)
from tests.rights.factories import DOCS, EXAMPLE

TODAY = date(2026, 11, 30)
HEADER = "foyer_id,role,date_naissance,salaire_net,chomage_net,retraite_nette,depcom,statut_occupation_logement,loyer,prestations_percues\n"


def read(text: str, communes=None):
    return read_text(text, today=TODAY, communes=communes)


def test_a_couple_with_a_child_is_read_with_its_housing_and_received_benefits():
    households, report = read(
        HEADER
        + "F1,demandeur,1985-04-23,1450,,,44109,locataire_vide,620,af|ppa\n"
        + "F1,conjoint,1987-01-02,0,820.5,,,,,\n"
        + "F1,enfant,2015-06-01,,,,,,,\n"
    )
    (household,) = households
    assert report.households == 1 and report.rows == 3 and not report.rejects
    assert [person.role for person in household.people] == [
        FamilyRole.APPLICANT,
        FamilyRole.SPOUSE,
        FamilyRole.CHILD,
    ]
    assert household.applicant.salary == Decimal("1450") and household.spouse.unemployment == Decimal("820.5")
    assert (household.depcom, household.housing, household.rent) == (
        "44109",
        Housing.RENTER_EMPTY,
        Decimal(620),
    )
    assert household.received == {"af", "ppa"} and len(household.children) == 1


def test_semicolons_a_bom_decimal_commas_and_a_lost_leading_zero_are_accepted():
    text = (
        "\ufeff" + HEADER.replace(",", ";") + "A;demandeur;1990-01-01;1200,50;;;1004;locataire_hlm;300,5;\n"
    )
    (household,), report = read(text, communes={"01004"})
    assert report.delimiter == ";"
    assert household.applicant.salary == Decimal("1200.50") and household.depcom == "01004"
    assert household.rent == Decimal("300.5")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("B,parent,1990-01-01,,,,,,,", "colonne « role » : « parent » inconnu"),
        ("B,demandeur,01/02/1990,,,,,,,", "colonne « date_naissance » : « 01/02/1990 » n'est pas une date"),
        ("B,demandeur,2030-01-01,,,,,,,", "n'est pas une date de naissance plausible"),
        ("B,demandeur,1990-01-01,-5,,,,,,", "colonne « salaire_net » : le montant doit être positif"),
        ("B,demandeur,1990-01-01,abc,,,,,,", "colonne « salaire_net » : « abc » n'est pas un montant"),
        ("B,demandeur,1990-01-01,,,,99999,,,", "commune « 99999 » inconnue"),
        ("B,demandeur,1990-01-01,,,,,chateau,,", "« chateau » inconnu ; valeurs possibles : locataire_vide"),
        ("B,demandeur,1990-01-01,,,,,,,rsa|loto", "code inconnu loto"),
        ("B,enfant,2015-01-01,,,,,,,", "le foyer n'a pas de ligne « demandeur »"),
    ],
)
def test_a_bad_row_rejects_its_household_with_line_and_reason_and_the_others_go_on(row, reason):
    text = HEADER + "A,demandeur,1980-01-01,,,,44109,,,\n" + row + "\n" + "C,demandeur,1970-01-01,,,,,,,\n"
    households, report = read(text, communes={"44109"})
    assert [household.id for household in households] == ["A", "C"]
    (reject,) = report.rejects
    assert (reject.line, reject.household_id) == (3, "B")
    assert reason in reject.reason
    assert str(reject).startswith("ligne 3 (foyer « B ») : ")


def test_households_must_be_contiguous_and_have_one_applicant_and_at_most_one_spouse():
    text = (
        HEADER
        + "A,demandeur,1980-01-01,,,,,,,\n"
        + "B,demandeur,1981-01-01,,,,,,,\nB,demandeur,1982-01-01,,,,,,,\n"
        + "A,enfant,2010-01-01,,,,,,,\n"
        + "D,demandeur,1981-01-01,,,,,,,\nD,conjoint,1982-01-01,,,,,,,\nD,conjoint,1983-01-01,,,,,,,\n"
    )
    households, report = read(text)
    assert [household.id for household in households] == ["A"]
    assert [(reject.line, reject.household_id) for reject in report.rejects] == [(3, "B"), (5, "A"), (6, "D")]
    assert "plusieurs lignes « demandeur »" in report.rejects[0].reason
    assert "ne se suivent pas" in report.rejects[1].reason
    assert "plusieurs lignes « conjoint »" in report.rejects[2].reason


def test_an_empty_household_id_is_rejected_on_its_line():
    households, report = read(HEADER + ",demandeur,1980-01-01,,,,,,,\n")
    assert households == [] and report.rejects[0].line == 2 and "foyer_id" in report.rejects[0].reason


def test_extra_columns_are_welcome_and_listed():
    (household,), report = read(
        "foyer_id,role,date_naissance,commentaire\nA,demandeur,1980-01-01,suivi CCAS\n"
    )
    assert report.extra_columns == ["commentaire"] and household.applicant.salary == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Le fichier est vide"),
        ("foyer_id,date_naissance\nA,1980-01-01\n", "colonne obligatoire absente : role"),
        ("foyer_id,role,role,date_naissance\n", "colonne en double : role"),
    ],
)
def test_an_unreadable_header_stops_the_whole_file_with_a_french_message(text, message):
    with pytest.raises(FileFormatError, match=message):
        read(text)


def test_the_reader_streams_and_never_holds_more_than_one_household():
    def lines():
        yield HEADER
        for number in range(50_000):
            yield f"F{number},demandeur,1980-01-01,1000,,,,,,\n"
            yield f"F{number},enfant,2015-01-01,,,,,,,\n"

    report = ReadReport()
    stream = read_households(lines(), today=TODAY, report=report)
    first = next(stream)
    assert first.id == "F0" and report.rows == 3  # only the next household's first row was read
    assert sum(1 for _ in stream) == 49_999


def test_the_example_file_of_the_docs_reads_without_rejects():
    text = EXAMPLE.read_text(encoding="utf-8")
    households, report = read(text)
    assert len(households) == 5 and not report.rejects
    assert sum(len(household.children) for household in households) == 3


def test_the_table_schema_lists_the_same_columns_housing_values_and_benefit_codes_as_the_reader():
    schema = json.loads((DOCS / "schemas" / "menages-v1.schema.json").read_text(encoding="utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}
    assert tuple(fields) == KNOWN_COLUMNS
    assert fields["statut_occupation_logement"]["constraints"]["enum"] == [value.value for value in Housing]
    assert fields["role"]["constraints"]["enum"] == [value.value for value in FamilyRole]
    for code in BENEFITS:
        assert code in fields["prestations_percues"]["constraints"]["pattern"]
