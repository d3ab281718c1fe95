"""`pacte governance synchroniser`: give the members of each région's GT « Pauvreté » the région's observation
imports and take them back from those whose seat ended (services.observation_platform). A change of a seat or of
an instance does it at once; run this daily from cron or a systemd timer for the seats that end on a date. The
English spelling `sync` is kept as an alias."""

from django.core.management.base import BaseCommand

from pacte import formatting
from pacte.governance.services.observation_platform import IMPORTERS_GROUP, sync_all_importers

SYNC = "synchroniser"
ALIASES = {SYNC: ["sync"]}


class Command(BaseCommand):
    help = (
        "Gouvernance : « synchroniser » donne aux membres du GT « Pauvreté » d'une région les imports "
        "d'observation de la région et les retire à ceux dont le mandat a pris fin."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        actions.add_parser(
            SYNC,
            aliases=ALIASES[SYNC],
            help=(
                "Met à jour le groupe des membres du GT « Pauvreté » qui importent les fichiers d'observation "
                "de leur région (à lancer chaque jour)."
            ),
        )

    def handle(self, *args, **options):
        members, removed = sync_all_importers()
        self.stdout.write(
            f"Groupe « {IMPORTERS_GROUP} » : {formatting.plural(members, 'compte')} ; "
            f"{formatting.plural(removed, 'compte retiré', 'comptes retirés')}."
        )
