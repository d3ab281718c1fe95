"""`pacte pages vider`: forget every kept public page and consolidation, and draw a new data version
(pacte/core/page_cache.py). Run it after writing to the database outside Django (a restore, psql); a deployment
needs nothing (the release is in the key). The English spelling `clear` is kept as an alias."""

from django.core.cache import caches
from django.core.management.base import BaseCommand

from pacte.core import data_version, page_cache

CLEAR = "vider"
ALIASES = {CLEAR: ["clear"]}


class Command(BaseCommand):
    help = "Pages publiques gardées : « vider » les oublie toutes et tire une nouvelle version des données."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        actions.add_parser(
            CLEAR,
            aliases=ALIASES[CLEAR],
            help="Oublie les pages et les consolidations gardées (après une restauration ou une écriture en SQL).",
        )

    def handle(self, *args, **options):
        caches[page_cache.ALIAS].clear()
        data_version.bump()
        self.stdout.write("Pages gardées oubliées ; nouvelle version des données tirée.")
