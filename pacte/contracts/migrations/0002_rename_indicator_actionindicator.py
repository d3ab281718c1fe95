# A fiche-action's indicator is `ActionIndicator`, no longer a second `Indicator` beside observation's: the table and
# its history are renamed, rows and links kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial")]

    operations = [
        migrations.RenameModel(old_name="Indicator", new_name="ActionIndicator"),
        migrations.RenameModel(old_name="HistoricalIndicator", new_name="HistoricalActionIndicator"),
    ]
