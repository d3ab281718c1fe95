from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pacte.accounts"
    label = "accounts"
    verbose_name = "Organisations et utilisateurs"
