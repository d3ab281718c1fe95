from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pacte.governance.services.concertation import THEMES_FILE, ThemesFileError, load_concertation_themes


class Command(BaseCommand):
    help = (
        "Charge les quatre thématiques et les quatre questions transverses de la concertation "
        "(pacte/governance/data/concertation.yaml) ; relançable sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fichier",
            "--file",
            dest="fichier",
            default=str(THEMES_FILE),
            help="fichier YAML des thèmes (par défaut : %(default)s)",
        )

    def handle(self, *args, **options):
        path = Path(options["fichier"])
        if not path.is_file():
            raise CommandError(f"--fichier : le fichier « {path} » est introuvable.")
        try:
            report = load_concertation_themes(path)
        except ThemesFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
