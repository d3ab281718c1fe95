from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "pacte.territories"
    label = "territories"
    verbose_name = "Territoires (COG)"
