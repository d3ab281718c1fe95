"""The NRPE indicator's rule changed (issue 14): it now counts the households with a *probable* non-take-up of
a core benefit (the lines' `probable_households`) and hides every value on fewer than 11 households. Its values
computed under the former rule (any potential non-take-up, « à vérifier » and optional aids included; secrecy
below 5 households) cannot be recomputed under the new one — the older jobs have no probable count — and some
show territories of 5 to 10 households: they are withdrawn. The jobs and their summaries are kept; the next
finished job recomputes the indicator of its year (pacte.screening.indicator.refresh).
"""

from django.db import migrations


def withdraw(apps, schema_editor):
    Observation = apps.get_model("observation", "Observation")
    Observation.objects.filter(indicator__code="NRPE", territory__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0002_probable_and_yearly_figures"),
        ("observation", "0001_initial"),
    ]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
