"""Batch detection: output, rejects, summary, chunks, worker processes and a Dask local cluster."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from pacte.rights import detect, synthetic
from pacte.rights.households import FileFormatError
from tests.rights.factories import EXAMPLE, EXAMPLE_V2

TODAY = date(2026, 11, 30)


def _run(text, **options):
    output, rejects = io.StringIO(), io.StringIO()
    options.setdefault("month", "2026-10")
    report = detect.detect(io.StringIO(text), output=output, rejects=rejects, today=TODAY, **options)
    return report, _rows(output), _rows(rejects)


def _rows(buffer):
    return list(csv.DictReader(io.StringIO(buffer.getvalue()), delimiter=";"))


@pytest.fixture(scope="module")
def generated():
    buffer = io.StringIO()
    synthetic.write(buffer, 60, seed=7, today=TODAY)
    return buffer.getvalue()


def test_the_example_file_gives_one_row_per_household_and_entitled_benefit():
    report, rows, rejects = _run(EXAMPLE.read_text(encoding="utf-8"), communes=detect.load_communes())
    assert (report.households, report.rejected, rejects) == (5, 0, [])
    assert list(rows[0]) == list(detect.OUTPUT_HEADER)
    assert report.result_rows == len(rows) > 0
    f002 = {row["prestation"]: row for row in rows if row["foyer_id"] == "F002"}
    assert f002["af"]["percue"] == "oui" and f002["af"]["non_recours"] == "non"
    assert f002["af"]["montant"] == "153,01" and f002["af"]["periode"] == "2026-10"
    assert f002["ppa"]["non_recours"] == "oui" and f002["ppa"]["confiance"] == "probable"
    assert f002["cheque_energie"]["periode"] == "2026"
    # A zero amount: the CSS without participation, or a benefit declared received but not due (F003).
    zero = [row for row in rows if row["montant"] == "0,00" and row["prestation"] != "css"]
    assert {(row["foyer_id"], row["prestation"], row["percue"], row["confiance"]) for row in zero} == {
        ("F003", "ppa", "oui", "a_verifier"),
        ("F003", "aide_logement", "oui", "a_verifier"),
    }
    assert {row["motif"] for row in zero} == {"déclarée perçue, mais sans droit selon le calcul"}
    assert report.non_take_up_households == len(
        {row["foyer_id"] for row in rows if row["non_recours"] == "oui"}
    )


def test_bad_rows_go_to_the_rejects_with_line_and_reason_and_the_other_households_are_computed():
    text = (
        "foyer_id;role;date_naissance;salaire_net;depcom\n"
        "A;demandeur;1980-01-01;0;44109\n"
        "B;grand-parent;1950-01-01;0;44109\n"
        "C;demandeur;1980-13-01;0;44109\n"
        "D;enfant;2015-01-01;;\n"
        "E;demandeur;1985-01-01;0;99999\n"
        "F;demandeur;1990-01-01;1200;85191\n"
    )
    report, rows, rejects = _run(text, communes=detect.load_communes())
    assert report.households == 2 and report.rejected == 4
    assert {row["foyer_id"] for row in rows} <= {"A", "F"}
    assert [(row["ligne"], row["foyer_id"]) for row in rejects] == [
        ("3", "B"),
        ("4", "C"),
        ("5", "D"),
        ("6", "E"),
    ]
    assert "role" in rejects[0]["motif"] and "date_naissance" in rejects[1]["motif"]
    assert "demandeur" in rejects[2]["motif"] and "99999" in rejects[3]["motif"]


def test_a_commune_outside_the_allowed_ones_is_rejected_with_the_given_reason():
    text = "foyer_id,role,date_naissance,depcom\nA,demandeur,1980-01-01,44109\nB,demandeur,1980-01-01,85191\n"
    report, _, rejects = _run(text, communes={"44109"}, commune_reason="commune {depcom} hors du territoire")
    assert report.households == 1
    assert rejects[0]["motif"] == "commune 85191 hors du territoire"


def test_an_unusable_file_raises_a_french_message():
    with pytest.raises(FileFormatError, match="date_naissance"):
        _run("foyer_id;role\nA;demandeur\n")


def test_the_summary_counts_per_commune_and_departement_add_up(generated):
    report, rows, _ = _run(generated)
    summary = list(report.summary.rows())
    communes = [row for row in summary if row.level == "commune" and row.benefit == ""]
    departements = [row for row in summary if row.level == "departement" and row.benefit == ""]
    assert sum(row.households for row in communes) == sum(row.households for row in departements) == 60
    total_any = sum(row.non_take_up_households for row in departements)
    assert total_any == report.non_take_up_households
    rsa_rows = sum(1 for row in rows if row["prestation"] == "rsa" and row["non_recours"] == "oui")
    assert (
        sum(r.non_take_up_households for r in summary if r.level == "departement" and r.benefit == "rsa")
        == rsa_rows
    )
    buffer = io.StringIO()
    detect.write_summary(report.summary, buffer)
    written = _rows(buffer)
    assert list(written[0]) == list(detect.SUMMARY_HEADER) and len(written) == len(summary)


def test_results_do_not_depend_on_the_chunk_size_and_progress_reaches_the_end(generated):
    seen = []
    small, small_rows, _ = _run(generated, chunk_size=7, progress=seen.append)
    large, large_rows, _ = _run(generated, chunk_size=1000)
    assert small_rows == large_rows
    assert len(seen) >= 60 // 7 and seen[-1].households == 60 and seen[-1].rows == small.rows


def test_worker_processes_give_the_same_rows(generated):
    _, alone, _ = _run(generated, chunk_size=20)
    _, processes, _ = _run(generated, chunk_size=20, workers=2)
    assert processes == alone


def test_a_dask_local_cluster_gives_the_same_rows(generated):
    distributed = pytest.importorskip("distributed")
    _, alone, _ = _run(generated, chunk_size=20)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        _, on_dask, _ = _run(generated, chunk_size=20, dask_scheduler=client)
    assert on_dask == alone


def test_the_v2_example_file_gives_the_figures_of_issue_14():
    report, rows, rejects = _run(EXAMPLE_V2.read_text(encoding="utf-8"), month="2025-06")
    found = {(row["foyer_id"], row["prestation"]): row for row in rows}
    # A 72-year-old owner with a 500 € net pension: the ASPA of OpenFisca-France, flagged.
    assert found["F101", "aspa"]["montant"] == "534,29" and found["F101", "aspa"]["non_recours"] == "oui"
    # A single parent receiving 250 € of child support for one child: no ASF.
    assert ("F102", "asf") not in found
    # Child support known (none): probable; unknown: never probable, with the reason.
    assert found["F103", "asf"]["confiance"] == "probable"
    assert found["F104", "asf"]["confiance"] == "a_verifier" and found["F104", "asf"]["motif"]
    # Opening the ASF lowers the prime d'activité: the additive amount.
    assert found["F103", "ppa"]["montant_si_droits_ouverts"] < found["F103", "ppa"]["montant"]
    # A student earning 400 €: no prime d'activité; AAH at 60 % with the RSDAE.
    assert ("F105", "ppa") not in found and found["F107", "aah"]["confiance"] == "probable"
    assert found["F108", "rsa"]["motif"].startswith("Mayotte")
    assert {("F109", "cf"), ("F109", "aeeh")} <= set(found)
    # A child born after the month: the household is refused with its reason.
    assert [(row["ligne"], row["foyer_id"]) for row in rejects] == [("13", "F106")]
    assert "après le mois calculé (2025-06)" in rejects[0]["motif"]
    assert report.households == 9


def test_the_summary_puts_yearly_aids_in_yearly_columns_and_counts_the_probable_core_non_take_up():
    report, rows, _ = _run(EXAMPLE_V2.read_text(encoding="utf-8"), month="2025-06")
    [total] = [
        row
        for row in report.summary.rows()
        if row.level == "departement" and row.code == "44" and not row.benefit
    ]
    ours = [
        row
        for row in rows
        if row["foyer_id"] in {"F101", "F102", "F103", "F107"} and row["non_recours"] == "oui"
    ]
    monthly = [row for row in ours if row["periode"] == "2025-06" and row["prestation"] != "css"]
    yearly = [row for row in ours if row["periode"] == "2025"]

    def euros(values):
        return sum(Decimal(value.replace(",", ".")) for value in values)

    assert total.non_take_up_amount == euros(row["montant"] for row in monthly)
    assert total.non_take_up_yearly_amount == euros(row["montant"] for row in yearly)  # not a twelfth
    probable = [row for row in monthly if row["confiance"] == "probable"]
    assert total.probable_amount == euros(row["montant"] for row in probable)
    assert total.opened_amount == euros(row["montant_si_droits_ouverts"] for row in probable)
    assert (
        total.opened_amount < total.probable_amount
    )  # F103's prime d'activité falls once the ASF is claimed
    # The NRPE: F102 (PPA), F103 (PPA, ASF), F107 (AAH); F101's ASPA is to check.
    assert total.probable_households == 3
    # The households adding to each amount, for statistical secrecy.
    assert (total.monthly_households, total.probable_monthly_households) == (4, 3)
    assert (total.yearly_households, total.probable_yearly_households) == (4, 0)


def test_a_v1_file_gives_the_results_of_the_same_file_with_empty_v2_columns():
    """Format v2 only adds columns: a v1 file is read as one whose new columns are all unknown, and the results
    keep the seven columns of format v1 first."""
    v1 = EXAMPLE.read_text(encoding="utf-8")
    lines = v1.splitlines()
    v2 = "\n".join(
        [lines[0] + ",pension_alimentaire_recue,etudiant,rsdae,pension_invalidite"]
        + [line + ",,,," for line in lines[1:]]
    )
    _, from_v1, _ = _run(v1)
    _, from_v2, _ = _run(v2)
    assert from_v1 == from_v2 and len(from_v1) > 10
    assert detect.OUTPUT_HEADER[:7] == (
        "foyer_id",
        "prestation",
        "periode",
        "montant",
        "percue",
        "non_recours",
        "confiance",
    )


def test_count_rows_counts_data_lines_with_or_without_a_final_newline(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("foyer_id,role\nA,demandeur\nB,demandeur")
    assert detect.count_rows(path) == 2
    path.write_text("foyer_id,role\nA,demandeur\n")
    assert detect.count_rows(path) == 1
