"""`pacte grants cloturer`: record the closure of the appels à projets whose deadline passed; `pacte grants
relancer`: queue the e-mail reminders of the yearly financial reports due within a month or late. Run both daily
from cron or a systemd timer (pages already treat an expired call as closed; the reminders wait a month between
two messages on the same report). The English spellings `close` and `remind` are kept as aliases."""

from django.core.management.base import BaseCommand

from pacte import formatting
from pacte.grants.services import calls, reminders

CLOSE = "cloturer"
REMIND = "relancer"
ALIASES = {CLOSE: ["close"], REMIND: ["remind"]}


class Command(BaseCommand):
    help = (
        "Appels à projets : « cloturer » enregistre la clôture des appels dont la date limite est passée ; "
        "« relancer » met en file d'envoi les relances des comptes rendus attendus (le worker les envoie)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        actions.add_parser(
            CLOSE,
            aliases=ALIASES[CLOSE],
            help="Enregistre la clôture des appels dont la date limite est passée (à lancer chaque jour).",
        )
        remind = actions.add_parser(
            REMIND,
            aliases=ALIASES[REMIND],
            help=(
                "Met en file d'envoi pour les associations la relance des comptes rendus financiers à déposer "
                "dans le mois ou en retard, au plus une fois par mois pour chacun (à lancer chaque jour ; le "
                "worker envoie la file)."
            ),
        )
        remind.add_argument(
            "--adresse-site",
            "--site-url",
            dest="base_url",
            default="",
            metavar="URL",
            help="adresse du site, pour un lien complet dans le message : --adresse-site https://pacte.example.gouv.fr",
        )

    def handle(self, *args, **options):
        action = options["action"]
        if action in (REMIND, *ALIASES[REMIND]):
            outcome = reminders.send_report_reminders(base_url=options["base_url"])
            self.stdout.write(
                f"Comptes rendus relancés : {outcome.reports} ({formatting.plural(outcome.messages, 'courriel')} en file "
                f"d'envoi) ; "
                f"sans adresse : {outcome.without_address}."
            )
            return
        count = calls.close_expired_calls()
        self.stdout.write(f"Appels à projets clos : {count}.")
