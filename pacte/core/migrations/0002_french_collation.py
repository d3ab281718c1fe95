"""The ICU collation `pacte_fr` on PostgreSQL: the French alphabetical order of `pacte.core.collation`.

Nothing on SQLite: there the collation of the same name is registered on every connection by `CoreConfig.ready`.
"""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_outgoing_mail"),
    ]

    operations = [
        CreateCollation("pacte_fr", provider="icu", locale="fr"),
    ]
