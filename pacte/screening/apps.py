from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "pacte.screening"
    verbose_name = "Accès aux droits"
