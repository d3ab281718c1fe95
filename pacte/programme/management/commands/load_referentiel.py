from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pacte.programme.services.referentiel import DEFAULT_PATH, ReferentielFormatError, load_referentiel


class Command(BaseCommand):
    help = (
        "Charge le référentiel national (programme, axes, mesures, cibles, jalons) depuis son fichier YAML."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--fichier",
            "--file",
            dest="file",
            type=Path,
            default=None,
            metavar="CHEMIN",
            help=f"fichier YAML du référentiel (par défaut : {DEFAULT_PATH})",
        )

    def handle(self, *args, file: Path | None = None, **options) -> None:
        try:
            report = load_referentiel(file)
        except ReferentielFormatError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
