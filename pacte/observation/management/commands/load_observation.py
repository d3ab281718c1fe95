from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pacte.observation import national_figures
from pacte.observation.reference import DEFAULT_PATH, ReferenceFormatError, load_reference


class Command(BaseCommand):
    help = (
        "Charge les indicateurs statistiques et les valeurs nationales de référence, puis les chiffres nationaux "
        "publiés des cibles du Pacte (fichiers YAML)."
    )

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
        parser.add_argument(
            "--chiffres-nationaux",
            dest="figures",
            type=Path,
            default=None,
            metavar="CHEMIN",
            help=f"par défaut : {national_figures.DATA_FILE}",
        )

    def handle(self, *args, file: Path | None = None, figures: Path | None = None, **options) -> None:
        try:
            report = load_reference(file)
            figures_report = national_figures.load_national_figures(figures)
        except (ReferenceFormatError, national_figures.NationalFiguresFileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
        self.stdout.write(figures_report.summary())
