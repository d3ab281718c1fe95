"""`pacte rights …` through Django's command: the engine's actions and the platform's ones side by side."""

import argparse
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.rights.factories import EXAMPLE


def test_situation_and_generer_run_through_the_django_command(tmp_path):
    out = io.StringIO()
    call_command("rights", "situation", str(EXAMPLE), "--foyer", "F004", "--mois", "2026-10", stdout=out)
    assert json.loads(out.getvalue())["individus"]["personne_1"]["retraite_nette"]["2026-10"] > 0
    out = io.StringIO()
    call_command("rights", "generer", "--foyers", "5", "--sortie", str(tmp_path / "g.csv"), stdout=out)
    assert "5 foyers fictifs" in out.getvalue()


def test_a_french_usage_error_becomes_a_command_error():
    with pytest.raises(CommandError, match="Aucun foyer « X »"):
        call_command("rights", "situation", str(EXAMPLE), "--foyer", "X", "--month", "2026-10")


def test_the_platform_actions_are_listed_beside_the_engine_ones(tmp_path):
    out = io.StringIO()
    call_command("rights", "purge", "--dry-run", stdout=out)
    assert "0 fichier à supprimer" in out.getvalue()


@pytest.mark.parametrize(
    ("french", "english"),
    [(["purger", "--essai"], ["purge", "--dry-run"]), (["traiter", "--une-fois"], ["worker", "--once"])],
)
def test_the_platform_actions_take_their_french_names_and_keep_the_english_ones(french, english):
    printed = []
    for argv in (french, english):
        out = io.StringIO()
        call_command("rights", *argv, stdout=out)
        printed.append(out.getvalue())
    assert printed[0] == printed[1]
    assert printed[0] in (
        "0 fichier à supprimer ; résultats expirés de 0 traitement ; 0 traitement interrompu marqué en échec.\n",
        "0 traitement effectué.\n",
    )


def test_the_worker_options_have_french_names_and_keep_the_english_ones():
    from pacte.rights.cli import add_arguments
    from pacte.screening.commands import add_subcommands

    parser = argparse.ArgumentParser()
    actions = parser.add_subparsers(dest="action", required=True)
    add_arguments(actions)
    add_subcommands(actions)
    french = vars(
        parser.parse_args("traiter --une-fois --intervalle 5 --processus 2 --dask tcp://h:8786".split())
    )
    english = vars(parser.parse_args("worker --once --poll 5 --workers 2 --dask tcp://h:8786".split()))
    assert (
        french
        == english
        == {
            "action": "traiter",
            "once": True,
            "poll": 5.0,
            "workers": 2,
            "dask_scheduler": "tcp://h:8786",
        }
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["detecter", "absent.csv", "--mois", "2026-10", "--sortie", "r.csv"],
        ["detect", "absent.csv", "--month", "2026-10", "--output", "r.csv"],
    ],
)
def test_detect_takes_its_french_and_english_names_through_the_django_command(tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match="Impossible de lire absent.csv"):
        call_command("rights", *argv)
