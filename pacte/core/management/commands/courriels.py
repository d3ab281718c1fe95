"""`pacte courriels envoyer|etat|purger`: the queue of outgoing e-mails (`pacte.core.mail`). The worker sends the
queue and purges it by itself; these actions are for an operator (send now, look at the queue, purge by hand) or a
deployment without the worker; `essayer ADRESSE` sends a test message at once, outside the queue, and tells in
French why the server refused it (Django's `sendtestemail` does the same with a traceback). The English spellings
`send`, `status`, `purge` and `test` are kept as aliases."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from pacte import formatting
from pacte.core import mail
from pacte.core.models import MailStatus

SEND = "envoyer"
STATUS = "etat"
PURGE = "purger"
TRY = "essayer"
ALIASES = {SEND: ["send"], STATUS: ["status"], PURGE: ["purge"], TRY: ["test"]}


class Command(BaseCommand):
    help = (
        "File des courriels : « envoyer » envoie les courriels dus, « etat » compte les courriels par statut, "
        "« purger » supprime les courriels envoyés depuis plus de PACTE_MAIL_RETENTION_DAYS jours, « essayer ADRESSE » "
        "envoie tout de suite un courriel d'essai (sans passer par la file)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")
        send = actions.add_parser(
            SEND, aliases=ALIASES[SEND], help="Envoie les courriels dont l'heure d'envoi est venue."
        )
        send.add_argument(
            "--limite",
            "--limit",
            dest="limit",
            type=int,
            default=50,
            metavar="N",
            help="nombre de courriels envoyés au plus (50 par défaut)",
        )
        actions.add_parser(
            STATUS,
            aliases=ALIASES[STATUS],
            help="Compte les courriels par statut ; date du plus ancien en attente.",
        )
        purge = actions.add_parser(
            PURGE,
            aliases=ALIASES[PURGE],
            help="Supprime les courriels envoyés, ou en échec définitif, depuis plus de N jours.",
        )
        purge.add_argument(
            "--jours",
            "--days",
            dest="days",
            type=int,
            default=None,
            metavar="N",
            help="ancienneté en jours (par défaut PACTE_MAIL_RETENTION_DAYS, 30)",
        )

        trial = actions.add_parser(
            TRY,
            aliases=ALIASES[TRY],
            help="Envoie tout de suite un courriel d'essai à ADRESSE, avec le délai EMAIL_TIMEOUT.",
        )
        trial.add_argument("address", metavar="ADRESSE", help="adresse du destinataire de l'essai")

    def handle(self, *args, **options):
        action = options["action"]
        if action in (TRY, *ALIASES[TRY]):
            self._try(options["address"])
            return
        if action in (SEND, *ALIASES[SEND]):
            if options["limit"] < 1:
                raise CommandError("--limite : indiquez un nombre de courriels d'au moins 1.")
            report = mail.send_pending(limit=options["limit"])
            self.stdout.write(
                f"Courriels envoyés : {report.sent} ; à retenter plus tard : {report.retried} ; "
                f"en échec définitif : {report.failed}."
            )
            return
        if action in (PURGE, *ALIASES[PURGE]):
            if options["days"] is not None and options["days"] < 0:
                raise CommandError("--jours : indiquez un nombre de jours positif ou nul.")
            deleted = mail.purge(options["days"])
            self.stdout.write(f"Courriels supprimés : {deleted}.")
            return
        state = mail.state()
        for status in MailStatus:
            self.stdout.write(f"{status.label} : {state.counts[status.value]}")
        if state.oldest_waiting is None:
            self.stdout.write("Aucun courriel en attente.")
        else:
            self.stdout.write(
                f"Plus ancien courriel en attente : créé le {formatting.date_time(timezone.localtime(state.oldest_waiting))} ; "
                f"prochaine tentative le {formatting.date_time(timezone.localtime(state.next_attempt))}."
            )

    def _try(self, address: str) -> None:
        try:
            validate_email(address)
        except ValidationError as error:
            raise CommandError(
                f"ADRESSE : « {address} » n'est pas une adresse électronique valide."
            ) from error
        message = EmailMessage(
            subject="Pacte : courriel d'essai",
            body="Ce courriel d'essai confirme que la plateforme Pacte peut envoyer des courriels.",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        try:
            with get_connection(timeout=mail.timeout()) as connection:
                sent = connection.send_messages([message])
        except Exception as error:  # noqa: BLE001 - told in French, not as a traceback
            raise CommandError(
                f"Le serveur de courriel ({settings.EMAIL_HOST}:{settings.EMAIL_PORT}) n'a pas accepté l'essai : "
                f"{mail.describe(error)}. Vérifiez EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS et les identifiants."
            ) from error
        if not sent:
            raise CommandError("Le serveur de courriel n'a rien envoyé.")
        self.stdout.write(f"Courriel d'essai envoyé à {address} par {settings.EMAIL_BACKEND}.")
