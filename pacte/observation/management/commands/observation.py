"""`pacte observation importer FICHIER …` imports a statistical file; `pacte observation imports` lists the
last imports (or shows one with every rejected row). Formats and options: docs/observation-import.md.

Options and actions are French; the English spellings of before (`import`, `--indicator`, `--dry-run`) stay
as aliases so that scripts keep working."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pacte import formatting
from pacte.observation.enums import BatchStatus
from pacte.observation.importers import FORCED_LEVELS, SHOWN_REJECTS, UnusableFileError, import_file
from pacte.observation.models import ImportBatch

IMPORT = "importer"


class Command(BaseCommand):
    help = (
        "Observation de la pauvreté : importe un fichier statistique (INSEE, CAF open data, XLSX, format long "
        "Pacte) ou liste les derniers imports."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        command = actions.add_parser(
            IMPORT,
            aliases=["import"],
            help="importe un fichier CSV ou XLSX de valeurs d'indicateurs",
            description=(
                "Importe un fichier CSV ou XLSX : format INSEE (CODGEO et une colonne par indicateur, comme "
                "TP6021 ou MED21), CAF open data (NUMCOM ou Codes_Insee, DTREF) ou format long Pacte "
                "(indicateur, territoire, niveau, periode, valeur). Le format est détecté ; un fichier "
                "inutilisable n'écrit rien. Voir docs/observation-import.md."
            ),
        )
        command.add_argument("file", type=Path, metavar="FICHIER", help="fichier CSV ou XLSX")
        command.add_argument(
            "--indicateur",
            "--indicator",
            dest="indicators",
            action="append",
            default=[],
            metavar="CODE|COLONNE=CODE",
            help=(
                "n'importe que cet indicateur (répétable), ou associe une colonne du fichier à un indicateur : "
                "--indicateur ALL_RSA=NB_RSA"
            ),
        )
        command.add_argument(
            "--niveau",
            choices=list(FORCED_LEVELS),
            help="niveau des codes, sinon déduit de leur forme ; obligatoire pour des régions (--niveau region)",
        )
        command.add_argument(
            "--annee",
            type=int,
            metavar="AAAA",
            help="année des colonnes qui n'en portent pas (TP60 au lieu de TP6021)",
        )
        command.add_argument(
            "--feuille", metavar="NOM", help="feuille du classeur XLSX (par défaut : la première)"
        )
        command.add_argument(
            "--essai",
            "--dry-run",
            dest="dry_run",
            action="store_true",
            help="vérifie et compte sans rien enregistrer",
        )
        command.add_argument(
            "--fictif",
            action="store_true",
            help="valeurs fictives (démonstration, formation) : marquées « donnée fictive », jamais à la place "
            "d'une valeur réelle",
        )
        listing = actions.add_parser(
            "imports",
            help="liste les derniers imports, ou détaille l'un d'eux",
            description="Liste les derniers imports ; avec un numéro, affiche cet import et toutes ses lignes rejetées.",
        )
        listing.add_argument("number", nargs="?", type=int, metavar="NUMÉRO", help="numéro d'un import")
        listing.add_argument(
            "--nombre",
            dest="count",
            type=int,
            default=20,
            metavar="N",
            help="nombre d'imports listés (défaut : 20)",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action in (IMPORT, "import"):
            self._import(options)
        elif options["number"] is not None:
            self._detail(options["number"])
        else:
            self._list(options["count"])

    def _import(self, options) -> None:
        path: Path = options["file"]
        try:
            result = import_file(
                path,
                file_name=path.name,
                indicators=options["indicators"],
                level=options["niveau"],
                year=options["annee"],
                sheet=options["feuille"],
                dry_run=options["dry_run"],
                demo=options["fictif"],
            )
        except UnusableFileError as error:
            if error.result is not None:
                for line in error.result.description_lines():
                    self.stdout.write(line)
                self._rejects(error.result.rejects)
            suffix = f" (import n° {error.batch.pk}, échoué)" if error.batch else ""
            raise CommandError(f"Rien n'a été importé{suffix} : {error.message}") from error
        for line in result.description_lines():
            self.stdout.write(line)
        self.stdout.write(result.counts_line())
        self._rejects(result.rejects)
        if result.dry_run:
            self.stdout.write(self.style.WARNING("Essai (--essai) : rien n'a été enregistré."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Import n° {result.batch.pk} enregistré."))

    def _rejects(self, rejects) -> None:
        if not rejects:
            return
        self.stdout.write(f"Rejets ({len(rejects)}) :")
        for reject in rejects[:SHOWN_REJECTS]:
            self.stdout.write(f"  {reject}")
        if len(rejects) > SHOWN_REJECTS:
            self.stdout.write(
                f"  … et {len(rejects) - SHOWN_REJECTS} autres (liste complète : pacte observation imports NUMÉRO)"
            )

    def _list(self, count: int) -> None:
        batches = (
            ImportBatch.objects.select_related("user")
            .defer("rejects", "message")
            .order_by("-started_at", "-pk")[:count]
        )
        if not batches:
            self.stdout.write("Aucun import.")
            return
        for batch in batches:
            self.stdout.write(self._summary(batch))

    def _summary(self, batch: ImportBatch) -> str:
        when = timezone.localtime(batch.started_at)
        who = f" par {batch.user.get_full_name() or batch.user.username}" if batch.user else ""
        fmt = f" [{batch.file_format}]" if batch.file_format else ""
        if batch.status == BatchStatus.FAILED:
            outcome = "ÉCHOUÉ, rien n'a été écrit"
        else:
            outcome = (
                f"{formatting.plural(batch.created, 'créée')}, {formatting.plural(batch.updated, 'modifiée')}, "
                f"{formatting.plural(batch.unchanged, 'inchangée')}, {formatting.plural(batch.rejected, 'ligne rejetée', 'lignes rejetées')}"
            )
        return f"n° {batch.pk}  {when:%d/%m/%Y %H:%M}  {batch.file_name}{fmt}{who} : {outcome}"

    def _detail(self, number: int) -> None:
        batch = ImportBatch.objects.select_related("user").filter(pk=number).first()
        if batch is None:
            raise CommandError(f"Aucun import n° {number} (voir : pacte observation imports).")
        self.stdout.write(self._summary(batch))
        if batch.message:
            self.stdout.write(batch.message)
        if batch.skipped:
            self.stdout.write(f"Cellules vides ou hors champ ignorées : {batch.skipped}.")
        if batch.rejects:
            self.stdout.write(f"Rejets ({len(batch.rejects)}) :")
            for reject in batch.rejects:
                where = f"ligne {reject.get('line')}"
                column = reject.get("column")
                self.stdout.write(
                    f"  {where}{', colonne ' + column if column else ''} : {reject.get('reason')}"
                )
