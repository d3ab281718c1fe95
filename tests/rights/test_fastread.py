"""Parsing chunks in the computing processes: the column-by-column fast path gives exactly the arrays of the
reference reader, and any value it does not take as it is goes to the reference reader, rejects included."""

import dataclasses
import io
from datetime import date

import numpy as np
import pytest

from pacte.rights import fastread, synthetic
from pacte.rights.detect import load_communes
from pacte.rights.households import KNOWN_COLUMNS, ReadReport, raw_chunks

TODAY = date(2026, 11, 30)
MONTH = "2026-10"


def _chunks(text: str, size: int = 1000, communes=None):
    report = ReadReport()
    chunks = list(raw_chunks(io.StringIO(text), size=size, report=report))
    context = fastread.ChunkContext(
        header=report.header,
        names=tuple(report.names),
        delimiter=report.delimiter,
        today=TODAY,
        month=MONTH,
        communes=frozenset(communes) if communes is not None else None,
    )
    return chunks, context


def _same(fast, reference) -> bool:
    return all(
        np.array_equal(getattr(fast, item.name), getattr(reference, item.name))
        if isinstance(getattr(fast, item.name), np.ndarray)
        else getattr(fast, item.name) == getattr(reference, item.name)
        for item in dataclasses.fields(fast)
    )


@pytest.fixture(scope="module")
def generated():
    buffer = io.StringIO()
    synthetic.write(buffer, 3000, seed=11, today=TODAY)
    return buffer.getvalue()


def test_the_fast_path_gives_the_reference_arrays_on_a_v2_file(generated):
    chunks, context = _chunks(generated, communes=load_communes())
    for chunk in chunks:
        fast = fastread._fast(chunk.text, context)
        reference, rejects = fastread._reference(chunk.text, chunk.first_line, context)
        assert rejects == [] and _same(fast, reference)


def test_the_fast_path_gives_the_reference_arrays_on_a_v1_file_with_semicolons_and_commas(generated):
    v1 = KNOWN_COLUMNS.index("taux_incapacite") + 1
    lines = [";".join(line.split(",")[:v1]) for line in generated.splitlines()]
    text = "\n".join(lines).replace("1200", "1200,5") + "\n"
    chunks, context = _chunks(text)
    for chunk in chunks:
        assert _same(fastread._fast(chunk.text, context), fastread._reference(chunk.text, 2, context)[0])


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("B,demandeur,1990-02-30,,,,,,,", "n'est pas une date AAAA-MM-JJ"),
        ("B,demandeur,1990-13-01,,,,,,,", "n'est pas une date AAAA-MM-JJ"),
        ("B,demandeur,1890-01-01,,,,,,,", "pas une date de naissance plausible"),
        ("B,demandeur,1990-01-01,1_000x,,,,,,", "n'est pas un montant"),
        ("B,demandeur,1990-01-01,,,,,,,,120", "taux entier entre 0 et 100"),
        ("B,demandeur,1990-01-01,,,,,,,,8O", "taux entier entre 0 et 100"),
        ("B,demandeur,1990-01-01,nan,,,,,,", "le montant doit être positif ou nul"),
        ("B,Demandeur,1990-01-01,,,,,,,loto", "code inconnu loto"),
        ("B,enfant,2015-01-01,,,,,,,", "pas de ligne « demandeur »"),
    ],
)
def test_a_value_the_fast_path_refuses_goes_to_the_reference_reader_and_its_reject(row, reason):
    text = (
        "foyer_id,role,date_naissance,salaire_net,chomage_net,retraite_nette,depcom,statut_occupation_logement,"
        "loyer,prestations_percues,taux_incapacite\n"
        "A,demandeur,1980-01-01,1000,,,,,,,\n" + row + "\nC,demandeur,1970-01-01,,,,,,,,\n"
    )
    (chunk,), context = _chunks(text)
    inputs, rejects = fastread.parse_chunk(chunk.text, chunk.first_line, context)
    assert inputs.household_ids == ["A", "C"]
    assert [(reject.line, reject.household_id) for reject in rejects] == [(3, "B")]
    assert reason in rejects[0].reason


def test_a_quoted_line_break_and_short_rows_read_as_the_reference_does():
    text = (
        "foyer_id,role,date_naissance,salaire_net\n"
        'A,demandeur,1980-01-01,"1000\n"\n'
        "B,demandeur,1980-01-01\n"
        "C,demandeur,1970-01-01,12,extra\n"
    )
    # (The line break is quoted in an amount: a household id refuses it, test_household_ids_hardening.py.)
    (chunk,), context = _chunks(text)
    fast = fastread._fast(chunk.text, context)
    assert fast.household_ids == ["A", "B", "C"] and list(fast.salary) == [1000, 0, 12]
    assert _same(fast, fastread._reference(chunk.text, chunk.first_line, context)[0])


def test_what_only_the_reference_reader_accepts_it_reads_and_computes():
    """Dates written AAAAMMJJ and digits of other scripts are read by Python, not by the fast path."""
    text = "foyer_id,role,date_naissance,taux_incapacite\nA,demandeur,19900101,\u0668\u0660\n"
    (chunk,), context = _chunks(text)
    inputs, rejects = fastread.parse_chunk(chunk.text, chunk.first_line, context)
    assert rejects == [] and str(inputs.birth[0]) == "1990-01-01" and inputs.disability[0] == 0.8
