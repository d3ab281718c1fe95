from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "pacte.programme"
    label = "programme"
    verbose_name = "Référentiel national"
