"""`pacte setup`: bring a database up to date in one command, on a fresh install as after an upgrade.

It runs, in order, `migrate --noinput`, `load_cog`, `load_referentiel`, `load_observation`, `load_concertation` and
`load_tznr`, each of which is repeatable (only the changes are written), and prints one French line per step with
its counts and its time, then the total time. A failing step stops the run with a French message naming the step; the steps
before it are done, and running the command again resumes without duplicating anything.

Core lies below the apps whose loaders it runs: it calls them by command name (`call_command`) and reads their
summaries, never imports them. Each summary's format is fixed by its app; the digests below turn it into one line
and show, indented, any line they do not recognise (a warning such as entries ignored), so nothing is hidden when a
format changes. `--verbosity 2` also prints each command's whole output; `--verbosity 0` prints nothing but errors.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from pacte import formatting

# A count as `pacte.formatting.number` writes it: digits grouped by narrow no-break spaces.
NUMBER = r"\d[\d\u202f\u00a0]*"
COUNT = re.compile(rf"({NUMBER}) (créé|mis|inchangé)")
KINDS = {"créé": "created", "mis": "updated", "inchangé": "unchanged"}


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@dataclass(frozen=True)
class StepDigest:
    """What a step did, in one phrase, the lines worth showing beside it, and whether it wrote anything."""

    summary: str
    notes: list[str]
    changed: bool


def _counted(output: str, quiet: tuple[str, ...]) -> StepDigest | None:
    """The created / updated / unchanged counts of every line of `output` summed (None when no line has one);
    the lines without a count that do not start with one of `quiet` are notes."""
    totals: dict[str, int] = {}
    notes = []
    for line in filter(None, (line.strip() for line in output.splitlines())):
        found = COUNT.findall(line)
        for number, word in found:
            kind = KINDS[word]
            totals[kind] = totals.get(kind, 0) + _int(number)
        if not found and not line.startswith(quiet):
            notes.append(line)
    if not totals:
        return None
    parts = [formatting.plural(totals.get("created", 0), "créé")]
    parts.append(formatting.plural(totals.get("updated", 0), "mis à jour", "mis à jour"))
    if "unchanged" in totals:
        parts.append(formatting.plural(totals["unchanged"], "inchangé"))
    changed = bool(totals.get("created") or totals.get("updated"))
    return StepDigest(", ".join(parts), notes, changed)


def _cog(output: str) -> StepDigest | None:
    """The « Total » row of load_cog's table: new, changed, unchanged, obsolete territories."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    totals = [index for index, line in enumerate(lines) if line.startswith("Total")]
    if not totals:
        return None
    numbers = [_int(number) for number in re.findall(NUMBER, lines[totals[0]])]
    if len(numbers) != 4:
        return None
    created, updated, unchanged, obsolete = numbers
    summary = ", ".join(
        (
            formatting.plural(created, "territoire nouveau", "territoires nouveaux"),
            formatting.plural(updated, "modifié"),
            formatting.plural(unchanged, "inchangé"),
            formatting.plural(obsolete, "obsolète"),
        )
    )
    # « obsolète » counts the territories this run marked as no longer in force: a change too.
    return StepDigest(summary, lines[totals[0] + 1 :], bool(created or updated or obsolete))


def _referentiel(output: str) -> StepDigest | None:
    """The loader also deletes rows and refreshes milestone statuses (shown as notes); it says « Aucun
    changement. » when it wrote nothing at all."""
    digest = _counted(output, ("Référentiel chargé depuis", "Aucun changement"))
    if digest is None:
        return None
    return StepDigest(digest.summary, digest.notes, "Aucun changement." not in output.splitlines())


def _observation(output: str) -> StepDigest | None:
    return _counted(output, ("Chiffres nationaux publiés",))


def _concertation(output: str) -> StepDigest | None:
    return _counted(output, ())


@dataclass(frozen=True)
class SetupStep:
    label: str
    command: str
    digest: Callable[[str], StepDigest | None]


LOADERS = (
    SetupStep("Code officiel géographique", "load_cog", _cog),
    SetupStep("Référentiel national", "load_referentiel", _referentiel),
    SetupStep("Indicateurs et valeurs de référence", "load_observation", _observation),
    SetupStep("Thèmes de la concertation", "load_concertation", _concertation),
    SetupStep("Territoires zéro non-recours", "load_tznr", _concertation),
)
MIGRATIONS = "Migrations"
STEP_COUNT = 1 + len(LOADERS)


def _seconds(duration: float) -> str:
    return f"{formatting.number(duration, 1)} s"


def _year(output: str) -> str:
    match = re.search(r"géographique (\d{4})", output)
    return f" {match.group(1)}" if match else ""


class Command(BaseCommand):
    help = (
        "Met la base en place ou à jour : applique les migrations puis charge le Code officiel géographique, "
        "le référentiel national, les indicateurs et valeurs de référence et les thèmes de la concertation. "
        "Relançable sans doublon (seuls les changements sont écrits) : à lancer à l'installation et après chaque "
        "mise à jour. Une ligne par étape, avec ses nombres et sa durée ; --verbosity 2 montre aussi le détail "
        "de chaque étape."
    )

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        changed = self._migrate()
        for number, step in enumerate(LOADERS, start=2):
            changed |= self._load(number, step)
        if self.verbosity:
            outcome = "des données ont été écrites" if changed else "aucun changement"
            self.stdout.write(
                f"Mise en place terminée en {_seconds(time.monotonic() - started)} : {outcome}."
            )

    def _migrate(self) -> bool:
        started = time.monotonic()
        output = StringIO()
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
            call_command("migrate", interactive=False, stdout=output, stderr=self.stderr)
        except Exception as error:
            raise self._failure(1, MIGRATIONS, error) from error
        if pending:
            summary = formatting.plural(pending, "appliquée")
        else:
            summary = "aucune à appliquer"
        self._report(MIGRATIONS, summary, [], output.getvalue(), time.monotonic() - started)
        return bool(pending)

    def _load(self, number: int, step: SetupStep) -> bool:
        started = time.monotonic()
        output = StringIO()
        try:
            call_command(step.command, stdout=output, stderr=self.stderr)
        except Exception as error:
            raise self._failure(number, step.label, error) from error
        text = output.getvalue()
        label = step.label + (_year(text) if step.command == "load_cog" else "")
        digest = step.digest(text)
        if digest is None:
            # A summary this command cannot read: say so and show it whole rather than guess.
            digest = StepDigest(
                "terminé (détail ci-dessous)", [line for line in text.splitlines() if line], True
            )
        self._report(label, digest.summary, digest.notes, text, time.monotonic() - started)
        return digest.changed

    def _report(self, label: str, summary: str, notes: list[str], output: str, duration: float) -> None:
        if not self.verbosity:
            return
        self.stdout.write(f"{label} : {summary} ({_seconds(duration)}).")
        if self.verbosity >= 2:
            notes = [line for line in output.splitlines() if line.strip()]
        for note in notes:
            self.stdout.write(f"    {note}")

    @staticmethod
    def _failure(number: int, label: str, error: Exception) -> CommandError:
        reason = str(error).strip() or type(error).__name__
        if not isinstance(error, CommandError):
            reason = f"{type(error).__name__} : {reason}"
        rerun = "corrigez la cause puis relancez « pacte setup » (rien n'est dupliqué)."
        if number == 1:
            advice = rerun[0].upper() + rerun[1:]
        elif number == 2:
            advice = f"L'étape 1 est faite ; {rerun}"
        else:
            advice = f"Les étapes 1 à {number - 1} sont faites ; {rerun}"
        return CommandError(f"Étape {number}/{STEP_COUNT} « {label} » en échec : {reason}\n{advice}")
