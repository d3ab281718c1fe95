"""`pacte rights detecter|situation|generer` without Django settings, with French option names and the English
spellings kept as aliases."""

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pacte.cli import main
from pacte.rights import cli, detect
from pacte.rights.households import read_households
from tests.rights.factories import EXAMPLE


def test_detect_writes_results_rejects_and_summary_and_prints_a_french_report(tmp_path, capsys):
    output, summary = tmp_path / "resultats.csv", tmp_path / "synthese.csv"
    status = cli.main(
        [
            "detecter",
            str(EXAMPLE),
            "--mois",
            "2026-10",
            "--sortie",
            str(output),
            "--synthese",
            str(summary),
            "--processus",
            "1",
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "5 foyers examinés (9 lignes)" in printed and "Prime d'activité : 2 foyers (dont " in printed
    assert "0 foyer ou ligne rejeté → " in printed and "\u202f€ par mois" in printed
    with output.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    assert {row["foyer_id"] for row in rows} >= {"F001", "F002"}
    assert (tmp_path / "resultats.rejets.csv").read_text(encoding="utf-8-sig") == "ligne;foyer_id;motif\n"
    with summary.open(encoding="utf-8-sig") as file:
        assert {row["niveau"] for row in csv.DictReader(file, delimiter=";")} == {"commune", "departement"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--mois", "2026-13"], "argument --mois/--month: mois « 2026-13 » invalide"),
        (["--month", "2019-01"], "hors de la période calculable"),
        (
            ["--mois", "2026-10", "--processus", "0"],
            "argument --processus/--workers: « 0 » : un nombre au moins égal à 1",
        ),
    ],
)
def test_bad_options_are_refused_in_french_naming_the_option(tmp_path, capsys, arguments, message):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["detecter", str(EXAMPLE), "--sortie", str(tmp_path / "r.csv"), *arguments])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_unusable_or_missing_file_is_a_french_error_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("nom;prenom\nDupont;Jean\n", encoding="utf-8")
    assert cli.main(["detecter", str(bad), "--mois", "2026-10", "--sortie", str(tmp_path / "r.csv")]) == 2
    assert "colonnes obligatoires absentes : foyer_id, role, date_naissance" in capsys.readouterr().err
    assert cli.main(["detect", str(tmp_path / "absent.csv"), "--month", "2026-10", "--output", "r.csv"]) == 2
    assert "Impossible de lire" in capsys.readouterr().err


def test_situation_prints_the_web_api_json_of_one_household(capsys):
    assert cli.main(["situation", str(EXAMPLE), "--foyer", "F002", "--mois", "2026-10"]) == 0
    situation = json.loads(capsys.readouterr().out)
    assert len(situation["individus"]) == 3 and situation["familles"]["foyer_1"]["af"]["2026-10"] is None
    assert cli.main(["situation", str(EXAMPLE), "--foyer", "F999", "--month", "2026-10"]) == 2
    assert "Aucun foyer « F999 »" in capsys.readouterr().err


def test_generer_writes_a_readable_file_of_fictitious_households(tmp_path, capsys):
    path = tmp_path / "fictifs.csv"
    assert cli.main(["generer", "--foyers", "300", "--sortie", str(path), "--departement", "44"]) == 0
    assert "300 foyers fictifs" in capsys.readouterr().out
    from datetime import date

    with path.open(encoding="utf-8") as file:
        households = list(read_households(file, today=date.today()))
    assert len(households) == 300 and all(household.depcom.startswith("44") for household in households)


def test_the_pacte_command_runs_the_engine_without_django_settings(tmp_path):
    code = (
        "import sys; from pacte.cli import main; "
        f"status = main(['pacte', 'rights', 'generer', '--foyers', '3', '--sortie', {str(tmp_path / 'g.csv')!r}]); "
        "print(status, 'django.conf' in sys.modules and bool(__import__('django.conf').conf.settings.configured))"
    )
    env = {"PATH": "/usr/bin:/bin"}
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    ).stdout
    assert output.split()[-2:] == ["0", "False"]


def parsed(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser.add_subparsers(dest="action", required=True))
    return vars(parser.parse_args(argv))


@pytest.mark.parametrize(
    ("french", "english"),
    [
        (
            "detecter F.csv --mois 2026-10 --sortie R.csv --synthese S.csv --rejets J.csv --processus 3 "
            "--taille-lot 100 --sans-controle-communes --silencieux",
            "detect F.csv --month 2026-10 --output R.csv --summary S.csv --rejects J.csv --workers 3 "
            "--chunk-size 100 --no-check-communes --quiet",
        ),
        ("situation F.csv --foyer F1 --mois 2026-10", "situation F.csv --foyer F1 --month 2026-10"),
        ("generer --foyers 5 --sortie G.csv --graine 7", "generer --foyers 5 --output G.csv --seed 7"),
    ],
)
def test_every_action_and_option_has_a_french_name_and_keeps_its_english_spelling(french, english):
    options = parsed(french.split())
    assert options == parsed(english.split())
    assert options["action"] == french.split()[0]


def test_detect_and_its_english_options_still_run_through_the_pacte_command(tmp_path, capsys):
    output = tmp_path / "r.csv"
    argv = ["pacte", "rights", "detect", str(EXAMPLE), "--month", "2026-10", "--output", str(output)]
    assert main([*argv, "--workers", "1", "--quiet"]) == 0
    assert output.read_text(encoding="utf-8-sig").startswith("foyer_id;prestation;")
    assert capsys.readouterr().out == ""


def test_the_closing_report_writes_counts_and_amounts_the_french_way():
    report = detect.DetectReport(
        rows=2_500, households=1_200, rejected=1, result_rows=3, non_take_up_households=1
    )
    flagged = np.array([[code in ("ppa", "pass_colo") for code in detect.CODES]])
    likely = np.array([[code == "ppa" for code in detect.CODES]])
    amounts = np.where(flagged, 1234.5, 0.0)
    opened = np.where(flagged, 1000.0, 0.0)
    report.summary.add(np.array(["44109"]), flagged, amounts, likely, opened)
    text = cli.closing_report(
        report, seconds=2, rejects_path=Path("r.rejets.csv"), output=Path("r.csv"), summary=Path("s.csv")
    )
    assert text == (
        "1\u202f200 foyers examinés (2\u202f500 lignes) en 2,0\u202fs, 600\u202ffoyers/s ; "
        "1 foyer ou ligne rejeté → r.rejets.csv\n"
        "1 foyer en non-recours potentiel sur au moins une prestation ; 3 lignes de résultat → r.csv\n"
        "  dont 1 foyer avec un non-recours probable d'un droit du socle (indicateur de non-recours)\n"
        "  Prime d'activité : 1 foyer (dont 1 probable), 1\u202f234,50\u202f€ par mois\n"
        "  Pass colo (séjour en colonie de vacances) : 1 foyer (dont 0 probable), 1\u202f234,50\u202f€ par an\n"
        "Montants mensuels en jeu : 1\u202f234,50\u202f€, chaque prestation calculée seule, dont "
        "1\u202f234,50\u202f€ probables ; 1\u202f000,00\u202f€ si tous les droits probables sont ouverts "
        "(montants qui s'additionnent) ; aides annuelles : 1\u202f234,50\u202f€ par an\n"
        "Synthèse par commune et par département → s.csv\n"
    )


def test_situation_puts_the_applicant_first_even_when_the_spouse_comes_first_in_the_file(tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text(
        "foyer_id,role,date_naissance,retraite_nette,depcom\n"
        "A,conjoint,1950-01-01,700,\nA,demandeur,1990-01-01,,44109\n",
        encoding="utf-8",
    )
    assert cli.main(["situation", str(path), "--foyer", "A", "--mois", "2026-10"]) == 0
    situation = json.loads(capsys.readouterr().out)
    assert situation["individus"]["personne_1"]["date_naissance"] == {"ETERNITY": "1990-01-01"}
    assert situation["menages"]["foyer_1"]["personne_de_reference"] == ["personne_1"]


def test_situation_refuses_a_household_that_cannot_be_computed_for_the_month(tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text(
        "foyer_id,role,date_naissance\nA,demandeur,1990-01-01\nA,enfant,2026-11-20\n", encoding="utf-8"
    )
    assert cli.main(["situation", str(path), "--foyer", "A", "--mois", "2026-10"]) == 2
    assert "après le mois calculé (2026-10)" in capsys.readouterr().err
