from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "pacte.governance"
    verbose_name = "Gouvernance et concertation"
