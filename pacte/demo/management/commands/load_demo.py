from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from pacte.demo.accounts import load_demo
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.governance import load_governance_demo
from pacte.demo.grants import load_grants_demo
from pacte.demo.observation import load_observation_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (Pays de la Loire : comptes par rôle, contrats locaux des "
        "solidarités, instances et concertation, appels à projets et subventions ; valeurs statistiques fictives pour "
        "toute la France). "
        "Mode démonstration seulement."
    )

    def handle(self, *args, **options):
        try:
            report = load_demo()
            contracts = load_contracts_demo()
            observations = load_observation_demo()
            governance = load_governance_demo()
            grants = load_grants_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
        self.stdout.write(self.style.SUCCESS(contracts.summary()))
        self.stdout.write(self.style.SUCCESS(observations.summary()))
        self.stdout.write(self.style.SUCCESS(governance.summary()))
        self.stdout.write(self.style.SUCCESS(grants.summary()))
