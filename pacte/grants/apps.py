from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "pacte.grants"
    verbose_name = "Appels à projets et subventions aux associations"
