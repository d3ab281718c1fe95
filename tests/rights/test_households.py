"""Household file format v1 and v2: one row per person, households as consecutive rows, rejects with line and
reason, the people who cannot be computed for the month, the chunks sent to the computing processes."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest

from pacte.rights.catalogue import BENEFITS
from pacte.rights.households import (
    KNOWN_COLUMNS,
    V1_COLUMNS,
    FamilyRole,
    FileFormatError,
    Household,
    Housing,
    Person,
    ReadReport,
    household_problems,
    raw_chunks,
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
    schema = json.loads((DOCS / "schemas" / "menages-v2.schema.json").read_text(encoding="utf-8"))
    fields = {field["name"]: field for field in schema["fields"]}
    assert tuple(fields) == KNOWN_COLUMNS
    assert fields["statut_occupation_logement"]["constraints"]["enum"] == [value.value for value in Housing]
    assert fields["role"]["constraints"]["enum"] == [value.value for value in FamilyRole]
    for code in BENEFITS:
        assert code in fields["prestations_percues"]["constraints"]["pattern"]


# --- Format v2 -------------------------------------------------------------------------------------------

V2_HEADER = ",".join(KNOWN_COLUMNS) + "\n"


def v2_row(**cells) -> str:
    return ",".join(cells.get(column, "") for column in KNOWN_COLUMNS) + "\n"


def test_a_v1_file_is_a_v2_file_whose_new_columns_are_unknown():
    (household,), report = read(HEADER + "A,demandeur,1980-01-01,1000,,,44109,locataire_vide,500,af\n")
    assert not report.rejects and set(report.names) < set(V1_COLUMNS)
    person = household.applicant
    assert (person.child_support, person.student, person.rsdae, person.invalidity_pension) == (
        None,
        None,
        None,
        None,
    )
    assert household.child_support is None


def test_the_v2_columns_are_read_and_an_empty_cell_stays_unknown_not_zero():
    text = (
        V2_HEADER
        + v2_row(
            foyer_id="A",
            role="demandeur",
            date_naissance="1990-01-01",
            pension_alimentaire_recue="250.5",
            etudiant="non",
            rsdae="OUI",
            taux_incapacite="60",
            pension_invalidite="400",
        )
        + v2_row(foyer_id="A", role="enfant", date_naissance="2015-01-01")
        + v2_row(
            foyer_id="B",
            role="demandeur",
            date_naissance="2004-01-01",
            etudiant="o",
            pension_alimentaire_recue="0",
        )
        + v2_row(foyer_id="C", role="demandeur", date_naissance="1990-01-01")
    )
    (a, b, c), report = read(text)
    assert not report.rejects
    assert a.applicant.child_support == Decimal("250.5") and a.child_support == Decimal("250.5")
    assert (a.applicant.student, a.applicant.rsdae, a.applicant.disability_rate) == (False, True, 60)
    assert a.applicant.invalidity_pension == Decimal(400) and a.children[0].child_support is None
    assert b.applicant.student is True and b.child_support == Decimal(0)  # 0 is known: no child support
    assert c.child_support is None and c.applicant.student is None


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            {"etudiant": "peut-être"},
            "colonne « etudiant » : « peut-être » inconnu ; valeurs possibles : oui, non",
        ),
        ({"rsdae": "2"}, "colonne « rsdae » : « 2 » inconnu"),
        (
            {"pension_alimentaire_recue": "-10"},
            "colonne « pension_alimentaire_recue » : le montant doit être positif",
        ),
        (
            {"pension_invalidite": "beaucoup"},
            "colonne « pension_invalidite » : « beaucoup » n'est pas un montant",
        ),
    ],
)
def test_a_bad_v2_value_rejects_its_household_naming_the_column(cells, reason):
    text = V2_HEADER + v2_row(foyer_id="A", role="demandeur", date_naissance="1990-01-01", **cells)
    households, report = read(text)
    assert households == [] and reason in report.rejects[0].reason


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (
            [("demandeur", "1990-01-01"), ("enfant", "2026-11-02")],
            3,
            "personne née le 02/11/2026, après le mois calculé (2026-10)",
        ),
        ([("demandeur", "1970-01-01"), ("enfant", "2001-10-01")], 3, "un « enfant » de 25 ans au 01/10/2026"),
        (
            [("demandeur", "2011-01-01")],
            2,
            "« demandeur » de 15 ans au 01/10/2026 : le demandeur et son conjoint",
        ),
    ],
)
def test_people_who_cannot_be_computed_for_the_month_reject_their_household_with_the_reason(
    rows, line, reason
):
    text = HEADER + "".join(f"B,{role},{born},,,,,,,\n" for role, born in rows)
    households, report = read_text(text, today=TODAY, month="2026-10")
    assert households == [] and (report.rejects[0].line, report.rejects[0].household_id) == (line, "B")
    assert reason in report.rejects[0].reason


def test_a_child_born_during_the_month_or_before_is_accepted_and_checked_against_the_month_not_today():
    text = HEADER + "B,demandeur,1990-01-01,,,,,,,\nB,enfant,2026-10-31,,,,,,,\n"
    assert len(read_text(text, today=TODAY, month="2026-10")[0]) == 1
    # Born in November 2026, before "today" (30 November), but after the computed month.
    assert read_text(text.replace("2026-10-31", "2026-11-15"), today=TODAY, month="2026-10")[0] == []


def test_household_problems_lists_every_reason_for_the_simulator():
    household = Household(
        id="S",
        line=1,
        people=[
            Person(role=FamilyRole.SPOUSE, birth_date=date(2015, 1, 1)),
            Person(role=FamilyRole.CHILD, birth_date=date(2027, 1, 1)),
        ],
    )
    problems = household_problems(household, "2026-10")
    assert len(problems) == 3
    assert "« conjoint » de 11 ans" in problems[0] and "après le mois calculé" in problems[1]
    assert problems[2] == "le foyer n'a pas de ligne « demandeur »."


def test_the_applicant_comes_first_whatever_the_order_of_the_rows():
    (household,), _ = read(HEADER + "A,conjoint,1980-01-01,,,,,,,\nA,demandeur,1982-01-01,,,,44109,,,\n")
    assert [person.role for person in household.adults] == [FamilyRole.APPLICANT, FamilyRole.SPOUSE]
    assert household.depcom == "44109"


# --- Chunks for the computing processes --------------------------------------------------------------------


def test_raw_chunks_keep_whole_households_line_numbers_and_the_splitters_rejects():
    text = (
        HEADER
        + "A,demandeur,1980-01-01,,,,,,,\nA,enfant,2015-01-01,,,,,,,\n"
        + "\n"
        + ",demandeur,1980-01-01,,,,,,,\n"
        + "B,demandeur,1980-01-01,,,,,,,\n"
        + "A,enfant,2016-01-01,,,,,,,\n"
        + "C,demandeur,1980-01-01,,,,,,,\n"
    )
    report = ReadReport()
    chunks = list(raw_chunks(text.splitlines(keepends=True), size=2, report=report))
    assert [chunk.households for chunk in chunks] == [2, 1] and report.rows == 6
    assert [(reject.line, reject.household_id) for reject in chunks[0].rejects] == [(5, "")]
    assert [(reject.line, reject.household_id) for reject in chunks[1].rejects] == [(7, "A")]
    # The rejected rows and the empty line are blank lines: the reader finds every row on its own line.
    first = list(
        read_households(
            io.StringIO(HEADER + chunks[0].text), today=TODAY, line_offset=chunks[0].first_line - 2
        )
    )
    assert [household.id for household in first] == ["A", "B"] and first[1].line == 6
    second = list(
        read_households(
            io.StringIO(HEADER + chunks[1].text), today=TODAY, line_offset=chunks[1].first_line - 2
        )
    )
    assert [(household.id, household.line) for household in second] == [("C", 8)]


def test_a_quoted_line_break_stays_inside_its_row():
    text = (
        HEADER
        + 'A,demandeur,1980-01-01,,,,,,,\n"B\nbis",demandeur,1980-01-01,,,,,,,\nC,demandeur,1980-01-01,,,,,,,\n'
    )
    report = ReadReport()
    (chunk,) = raw_chunks(text.splitlines(keepends=True), size=10, report=report)
    households = list(
        read_households(io.StringIO(HEADER + chunk.text), today=TODAY, line_offset=chunk.first_line - 2)
    )
    # A line break is no part of a household id (tests/rights/test_household_ids_hardening.py): B is refused
    # without its id written back, and the line numbers after it stay right.
    assert [(household.id, household.line) for household in households] == [("A", 2), ("C", 5)]
    assert [(reject.line, reject.household_id) for reject in chunk.rejects] == [(4, "")]


def test_a_cell_over_the_csv_field_limit_stops_the_file_with_its_line_in_french():
    """An unclosed quote joins the following lines into one cell: both readers name the line, never _csv.Error."""
    text = HEADER + "A,demandeur,1980-01-01,,,,44109,,,\n" + 'B,demandeur,"' + "x" * 140_000 + "\n"
    with pytest.raises(FileFormatError, match=r"^Ligne 3 : une cellule dépasse 131\u202f072 caractères"):
        read(text)
    with pytest.raises(FileFormatError, match=r"^Ligne 3 : une cellule dépasse"):
        list(raw_chunks(io.StringIO(text), size=10, report=ReadReport()))
