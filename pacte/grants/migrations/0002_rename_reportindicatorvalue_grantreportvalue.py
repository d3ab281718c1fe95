# The value of an indicator in a grant report is `GrantReportValue`, no longer a second `ReportIndicatorValue` beside
# the contracts' one: the table and its history are renamed, rows and links kept.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]

    operations = [
        migrations.RenameModel(old_name="ReportIndicatorValue", new_name="GrantReportValue"),
        migrations.RenameModel(old_name="HistoricalReportIndicatorValue", new_name="HistoricalGrantReportValue"),
    ]
