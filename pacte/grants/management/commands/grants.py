"""`pacte grants close`: record the closure of the appels à projets whose deadline passed (run it daily from
cron or a systemd timer; pages already treat such a call as closed, this writes it down and puts its filed
candidatures under instruction)."""

from django.core.management.base import BaseCommand

from pacte.grants import services


class Command(BaseCommand):
    help = "Appels à projets : « close » enregistre la clôture des appels dont la date limite est passée."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["close"])

    def handle(self, *args, **options):
        count = services.close_expired_calls()
        self.stdout.write(f"Appels à projets clos : {count}.")
