from django.apps import AppConfig


class TznrConfig(AppConfig):
    name = "pacte.tznr"
    verbose_name = "Territoires zéro non-recours"
