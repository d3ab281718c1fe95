from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pacte.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from django.db.backends.signals import connection_created

        from pacte.core import collation, data_version

        # Every connection of every process notes its writes (the data version of the page cache).
        connection_created.connect(data_version.install, dispatch_uid="pacte-data-version")
        # The French alphabetical order of `pacte.core.collation` on SQLite (PostgreSQL has it from a migration).
        connection_created.connect(collation.register, dispatch_uid="pacte-french-collation")
