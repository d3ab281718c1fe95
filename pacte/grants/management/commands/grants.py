"""`pacte grants cloturer`: record the closure of the appels à projets whose deadline passed (run it daily from
cron or a systemd timer; pages already treat such a call as closed, this writes it down and puts its filed
candidatures under instruction). The former English spelling `close` is kept as an alias."""

from django.core.management.base import BaseCommand

from pacte.grants.services import calls

CLOSE = "cloturer"
ALIASES = {CLOSE: ["close"]}


class Command(BaseCommand):
    help = "Appels à projets : « cloturer » enregistre la clôture des appels dont la date limite est passée."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        actions.add_parser(
            CLOSE,
            aliases=ALIASES[CLOSE],
            help="Enregistre la clôture des appels dont la date limite est passée (à lancer chaque jour).",
        )

    def handle(self, *args, **options):
        # The only action (`cloturer`, or its alias `close`).
        count = calls.close_expired_calls()
        self.stdout.write(f"Appels à projets clos : {count}.")
