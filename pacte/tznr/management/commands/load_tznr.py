from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pacte.tznr.register import DATA_FILE, RegisterFileError, load_register


class Command(BaseCommand):
    help = (
        "Charge les 39 territoires zéro non-recours de l'arrêté du 4 août 2023 (pacte/tznr/data/territoires.yaml) "
        "dans le registre ; relançable sans doublon, sans toucher à ce que les porteurs et l'État y ont saisi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fichier",
            "--file",
            dest="fichier",
            default=str(DATA_FILE),
            help="fichier YAML des territoires (par défaut : %(default)s)",
        )

    def handle(self, *args, **options):
        path = Path(options["fichier"])
        if not path.is_file():
            raise CommandError(f"--fichier : le fichier « {path} » est introuvable.")
        try:
            report = load_register(path)
        except RegisterFileError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
