from django.core.management.base import BaseCommand

from pacte.governance.services import THEMES_FILE, load_concertation_themes


class Command(BaseCommand):
    help = (
        "Charge les quatre thématiques et les quatre questions transverses de la concertation "
        "(pacte/governance/data/concertation.yaml) ; relançable sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(THEMES_FILE), help="fichier YAML des thèmes")

    def handle(self, *args, **options):
        report = load_concertation_themes(options["file"])
        self.stdout.write(self.style.SUCCESS(report.summary()))
