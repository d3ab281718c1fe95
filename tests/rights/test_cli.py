"""`pacte rights detect|situation|generer` without Django settings."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pacte.rights import cli
from pacte.rights.households import read_households

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "menages.csv"


def test_detect_writes_results_rejects_and_summary_and_prints_a_french_report(tmp_path, capsys):
    output, summary = tmp_path / "resultats.csv", tmp_path / "synthese.csv"
    status = cli.main(
        [
            "detect",
            str(EXAMPLE),
            "--month",
            "2026-10",
            "--output",
            str(output),
            "--summary",
            str(summary),
            "--workers",
            "1",
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "5 foyers examinés" in printed and "Prime d'activité : 2 foyers" in printed
    with output.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    assert {row["foyer_id"] for row in rows} >= {"F001", "F002"}
    assert (tmp_path / "resultats.rejets.csv").read_text(encoding="utf-8-sig") == "ligne;foyer_id;motif\n"
    with summary.open(encoding="utf-8-sig") as file:
        assert {row["niveau"] for row in csv.DictReader(file, delimiter=";")} == {"commune", "departement"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2026-13"], "mois « 2026-13 » invalide"),
        (["--month", "2019-01"], "hors de la période calculable"),
        (["--month", "2026-10", "--workers", "0"], "au moins égal à 1"),
    ],
)
def test_bad_options_are_refused_in_french_naming_the_option(tmp_path, capsys, arguments, message):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["detect", str(EXAMPLE), "--output", str(tmp_path / "r.csv"), *arguments])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unusable_or_missing_file_is_a_french_error_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("nom;prenom\nDupont;Jean\n", encoding="utf-8")
    assert cli.main(["detect", str(bad), "--month", "2026-10", "--output", str(tmp_path / "r.csv")]) == 2
    assert "colonnes obligatoires absentes : foyer_id, role, date_naissance" in capsys.readouterr().err
    assert cli.main(["detect", str(tmp_path / "absent.csv"), "--month", "2026-10", "--output", "r.csv"]) == 2
    assert "Impossible de lire" in capsys.readouterr().err


def test_situation_prints_the_web_api_json_of_one_household(capsys):
    assert cli.main(["situation", str(EXAMPLE), "--foyer", "F002", "--month", "2026-10"]) == 0
    situation = json.loads(capsys.readouterr().out)
    assert len(situation["individus"]) == 3 and situation["familles"]["foyer_1"]["af"]["2026-10"] is None
    assert cli.main(["situation", str(EXAMPLE), "--foyer", "F999", "--month", "2026-10"]) == 2
    assert "Aucun foyer « F999 »" in capsys.readouterr().err


def test_generer_writes_a_readable_file_of_fictitious_households(tmp_path, capsys):
    path = tmp_path / "fictifs.csv"
    assert cli.main(["generer", "--foyers", "300", "--output", str(path), "--departement", "44"]) == 0
    assert "300 foyers fictifs" in capsys.readouterr().out
    from datetime import date

    with path.open(encoding="utf-8") as file:
        households = list(read_households(file, today=date.today()))
    assert len(households) == 300 and all(household.depcom.startswith("44") for household in households)


def test_the_pacte_command_runs_the_engine_without_django_settings(tmp_path):
    code = (
        "import sys; from pacte.cli import main; "
        f"status = main(['pacte', 'rights', 'generer', '--foyers', '3', '--output', {str(tmp_path / 'g.csv')!r}]); "
        "print(status, 'django.conf' in sys.modules and bool(__import__('django.conf').conf.settings.configured))"
    )
    env = {"PATH": "/usr/bin:/bin"}
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    ).stdout
    assert output.split()[-2:] == ["0", "False"]
