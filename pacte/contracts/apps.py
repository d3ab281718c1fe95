from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "pacte.contracts"
    label = "contracts"
    verbose_name = "Contrats et pactes locaux des solidarités"
