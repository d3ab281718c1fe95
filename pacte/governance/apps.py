from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "pacte.governance"
    verbose_name = "Gouvernance et concertation"

    def ready(self):
        from pacte.governance import logs

        logs.install()
