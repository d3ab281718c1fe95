from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pacte.territories.services import DEFAULT_YEAR, CogFormatError, import_cog


class Command(BaseCommand):
    help = (
        "Charge le code officiel géographique (régions, collectivités d'outre-mer, départements, "
        "EPCI, communes). Peut être relancée : seuls les changements sont écrits."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source",
            type=Path,
            metavar="DOSSIER",
            help="dossier des fichiers regions.csv, departements.csv, epci.csv et communes.csv "
            "(par défaut : l'extrait livré avec Pacte pour le millésime)",
        )
        parser.add_argument(
            "--annee",
            "--year",
            dest="year",
            type=int,
            default=DEFAULT_YEAR,
            metavar="ANNEE",
            help="millésime du COG",
        )

    def handle(self, *args, source: Path | None, year: int, **options) -> None:
        try:
            report = import_cog(source, year=year)
        except CogFormatError as error:
            raise CommandError(f"Import du COG annulé, aucune donnée modifiée. {error}") from error
        self.stdout.write(report.summary())
