from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "pacte.workspace"
    verbose_name = "Mon espace"
