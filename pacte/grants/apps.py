from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "pacte.grants"
    verbose_name = "Appels à projets et subventions aux associations"

    def ready(self) -> None:
        # A malformed GRANTS_ADVANCE_SHARE stops the platform at start, with a French message, rather than a page.
        from pacte.grants import rules

        rules.advance_share()
