"""`pacte notifications resume [--adresse-site URL]`: the daily digest of the notifications (to run once a day). It
puts in the queue of outgoing e-mails one message per user who chose « Un résumé par jour », with the events kept
since their last digest, and marks them sent: run twice, it sends nothing more; two runs at once never send an event
twice (`pacte.accounts.notifications.send_digests`). The English spelling `digest` is kept as an alias."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from pacte.accounts import notifications

DIGEST = "resume"
ALIASES = {DIGEST: ["digest"]}


class Command(BaseCommand):
    help = (
        "Notifications par courriel : « resume » met en file d'envoi le résumé quotidien de chaque utilisateur qui "
        "l'a choisi (à lancer une fois par jour ; relancée, elle n'envoie rien de plus)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        digest = actions.add_parser(
            DIGEST,
            aliases=ALIASES[DIGEST],
            help="Met en file d'envoi un résumé par utilisateur avec les événements en attente, puis les marque "
            "envoyés.",
        )
        digest.add_argument(
            "--adresse-site",
            "--site-url",
            dest="site_url",
            default=None,
            metavar="URL",
            help="adresse du site pour des liens complets (par défaut le réglage PACTE_SITE_URL), par exemple "
            "https://pacte.example.gouv.fr",
        )

    def handle(self, *args, **options):
        site = options.get("site_url")
        if site is not None:
            try:
                URLValidator(schemes=["http", "https"])(site)
            except ValidationError as error:
                raise CommandError(
                    f"--adresse-site : « {site} » n'est pas une adresse de site valide, par exemple "
                    "https://pacte.example.gouv.fr."
                ) from error
        report = notifications.send_digests(base_url=site)
        self.stdout.write(
            f"Résumés mis en file d'envoi : {report.users} ; événements résumés : {report.items} ; "
            f"abandonnés (compte inactif, sans adresse ou sans courriel) : {report.dropped} ; "
            f"anciens supprimés : {report.purged}."
        )
