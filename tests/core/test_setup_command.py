"""`pacte setup`: migrations and every reference dataset in one command, one French line per step with its counts
and time; run again it duplicates nothing; a failing step is named and stops the run."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from pacte import formatting
from pacte.governance.models import ConcertationTheme
from pacte.observation.models import Indicator
from pacte.programme.models import Axis, Measure, Target
from pacte.programme.services.referentiel import ReferentielFormatError
from pacte.territories.models import Territory

MODELS = (Territory, Axis, Measure, Target, Indicator, ConcertationTheme)


def setup(*args) -> list[str]:
    out = io.StringIO()
    call_command("setup", *args, stdout=out)
    return out.getvalue().splitlines()


def line_of(lines: list[str], start: str) -> str:
    [line] = [line for line in lines if line.startswith(start)]
    return line


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_loads_every_reference_dataset_then_a_second_run_duplicates_nothing():
    first = setup()
    loaded = counts()
    assert all(loaded.values()), loaded
    territories = formatting.number(loaded["Territory"])
    assert [line.split(" : ")[0] for line in first[:-1] if not line.startswith(" ")] == [
        "Migrations",
        "Code officiel géographique 2026",
        "Référentiel national",
        "Indicateurs et valeurs de référence",
        "Thèmes de la concertation",
        "Territoires zéro non-recours",
    ]
    assert first[-1].startswith("Mise en place terminée en ")
    # The test database is migrated before the test runs.
    assert line_of(first, "Migrations").startswith("Migrations : aucune à appliquer (")
    assert line_of(first, "Code officiel").startswith(
        f"Code officiel géographique 2026 : {territories} territoires nouveaux, 0 modifié, 0 inchangé, 0 obsolète ("
    )
    assert line_of(first, "Référentiel").startswith("Référentiel national : ")
    assert ", 0 mis à jour, 0 inchangé (" in line_of(first, "Référentiel")
    assert line_of(first, "Thèmes").startswith(
        f"Thèmes de la concertation : {loaded['ConcertationTheme']} créés, "
    )
    assert first[-1].endswith(" s : des données ont été écrites.")

    second = setup()
    assert counts() == loaded
    assert line_of(second, "Code officiel").startswith(
        f"Code officiel géographique 2026 : 0 territoire nouveau, 0 modifié, {territories} inchangés, 0 obsolète ("
    )
    assert line_of(second, "Référentiel").startswith("Référentiel national : 0 créé, 0 mis à jour, ")
    assert line_of(second, "Indicateurs").startswith(
        "Indicateurs et valeurs de référence : 0 créé, 0 mis à jour, "
    )
    themes = loaded["ConcertationTheme"]
    assert line_of(second, "Thèmes").startswith(
        f"Thèmes de la concertation : 0 créé, 0 mis à jour, {themes} inchangés ("
    )
    assert line_of(second, "Territoires zéro").startswith(
        "Territoires zéro non-recours : 0 créé, 0 mis à jour, 39 inchangés ("
    )
    assert second[-1].endswith(" s : aucun changement.")

    assert setup("--verbosity", "0") == []
    detailed = setup("--verbosity", "2")
    assert counts() == loaded
    index = detailed.index(line_of(detailed, "Référentiel"))
    assert detailed[index + 1].startswith("    Référentiel chargé depuis ")
    assert "    Aucun changement." in detailed


def test_a_step_that_fails_is_named_and_stops_the_run(monkeypatch, quick_cog):
    error = ReferentielFormatError(Path("referentiel.yaml"), [(3, "axes", "champ manquant")])

    def broken(path=None):
        raise error

    monkeypatch.setattr("pacte.programme.management.commands.load_referentiel.load_referentiel", broken)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("setup", stdout=out)
    message = str(raised.value)
    assert message.startswith(f"Étape 3/6 « Référentiel national » en échec : {error}\n")
    assert (
        "\nLes étapes 1 à 2 sont faites ; corrigez la cause puis relancez « pacte setup » (rien n'est dupliqué)."
        in message
    )
    # The steps before it are done and said so; the ones after it did not run.
    assert out.getvalue().startswith("Migrations : aucune à appliquer")
    assert (
        "Code officiel géographique 2026 : 0 territoire nouveau, 0 modifié, 0 inchangé, 0 obsolète ("
        in out.getvalue()
    )
    assert not ConcertationTheme.objects.exists()


def test_an_unexpected_error_is_reported_with_the_step_not_as_a_traceback(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("la base ne répond pas")

    monkeypatch.setattr("pacte.territories.management.commands.load_cog.import_cog", unreachable)
    with pytest.raises(
        CommandError, match=r"^Étape 2/6 « Code officiel géographique » en échec : OperationalError"
    ) as raised:
        call_command("setup", stdout=io.StringIO())
    assert "la base ne répond pas\nL'étape 1 est faite ; corrigez la cause" in str(raised.value)
    assert not Territory.objects.exists()


class FixedSummary:
    def __init__(self, text: str):
        self.text = text

    def summary(self) -> str:
        return self.text


@pytest.fixture
def quick_cog(monkeypatch):
    """The tests of the output alone skip the 36 000 territories (the first test loads them for real)."""
    summary = FixedSummary(
        "Code officiel géographique 2026 importé depuis essai.\nTotal     0     0     0     0"
    )
    monkeypatch.setattr("pacte.territories.management.commands.load_cog.import_cog", lambda *a, **k: summary)
    # Without the COG the territoires zéro non-recours of the arrêté have no territory to lie in.
    register = FixedSummary("Territoires zéro non-recours : 0 créé, 0 mis à jour, 0 inchangé.")
    monkeypatch.setattr("pacte.tznr.management.commands.load_tznr.load_register", lambda path: register)


def test_a_summary_it_cannot_read_is_shown_whole(monkeypatch, quick_cog):
    monkeypatch.setattr(
        "pacte.programme.management.commands.load_referentiel.load_referentiel",
        lambda path: FixedSummary("Un résumé d'une forme nouvelle."),
    )
    lines = setup()
    index = lines.index(line_of(lines, "Référentiel"))
    assert lines[index].startswith("Référentiel national : terminé (détail ci-dessous) (")
    assert lines[index + 1] == "    Un résumé d'une forme nouvelle."
    themes = ConcertationTheme.objects.count()
    assert line_of(lines, "Thèmes").startswith(
        f"Thèmes de la concertation : {themes} créés, 0 mis à jour, 0 inchangé ("
    )
