from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from pacte.accounts.notifications import muted
from pacte.demo.accounts import load_accounts_demo
from pacte.demo.common import DemoDataError
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.files import DemoFileError
from pacte.demo.governance import load_governance_demo
from pacte.demo.grants import load_grants_demo
from pacte.demo.observation import load_observation_demo
from pacte.demo.roadmap import load_roadmap_demo
from pacte.demo.sponsorship import load_sponsorship_demo
from pacte.demo.tznr import load_tznr_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (Pays de la Loire : comptes par rôle, plafonds notifiés, conventions "
        "des solidarités et France Travail, pacte local, instances et concertation, appels à projets et "
        "subventions, feuille de route régionale, mécénat de proximité, territoires zéro non-recours déclarés ; "
        "une convention de La Réunion pour la page Outre-mer ; valeurs statistiques fictives pour toute la "
        "France), lues dans pacte/demo/data/. Mode démonstration seulement."
    )

    def handle(self, *args, **options):
        try:
            # The demo's history (contracts signed, reports filed, applications decided) mails nobody.
            with muted():
                reports = [
                    load_accounts_demo(),
                    load_contracts_demo(),
                    load_observation_demo(),
                    load_governance_demo(),
                    load_grants_demo(),
                    load_roadmap_demo(),
                    load_sponsorship_demo(),
                    load_tznr_demo(),
                ]
        except (ImproperlyConfigured, DemoFileError, DemoDataError) as error:
            raise CommandError(str(error)) from None
        for report in reports:
            self.stdout.write(self.style.SUCCESS(report.summary()))
