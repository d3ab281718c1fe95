from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pacte.observation.reference import DEFAULT_PATH, ReferenceFormatError, load_reference


class Command(BaseCommand):
    help = "Charge les indicateurs statistiques et les valeurs nationales de référence (fichier YAML)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fichier",
            "--file",
            dest="file",
            type=Path,
            default=None,
            metavar="CHEMIN",
            help=f"par défaut : {DEFAULT_PATH}",
        )

    def handle(self, *args, file: Path | None = None, **options) -> None:
        try:
            report = load_reference(file)
        except ReferenceFormatError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
