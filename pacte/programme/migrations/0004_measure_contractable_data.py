"""The référentiel's contractable flags on the measures already loaded (frozen copy of data/referentiel.yaml at the
time of this migration; `pacte load_referentiel` then writes the reasons and their sources)."""

from django.db import migrations

SOLIDARITES = ["a1-n1", "a1-n2", "a1-c1", "a3-n1", "a3-n2", "a4-n1", "a4-c1", "a4-c2"]
FRANCE_TRAVAIL = ["a2-n6", "a2-c1"]


def set_flags(apps, schema_editor):
    Measure = apps.get_model("programme", "Measure")
    Measure.objects.filter(code__in=SOLIDARITES).update(contractable_departement=True, contractable_metropole=True)
    Measure.objects.filter(code__in=FRANCE_TRAVAIL).update(
        contractable_france_travail=True, contractable_metropole=True
    )


class Migration(migrations.Migration):
    dependencies = [("programme", "0003_measure_contractable")]

    operations = [migrations.RunPython(set_flags, migrations.RunPython.noop)]
