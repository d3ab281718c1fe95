"""`pacte rights …` through Django's command: the engine's actions and the platform's ones side by side."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "menages.csv"


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
    assert "fichier(s) à supprimer" in out.getvalue()
