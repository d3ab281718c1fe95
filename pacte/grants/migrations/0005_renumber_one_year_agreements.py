"""One-year grants were all numbered « CPO-… »; « CPO » (convention pluriannuelle d'objectifs) is now kept for
grants of several years. Each one-year grant becomes « CAO-… » (convention annuelle d'objectifs: every grant
created before this migration was recorded as a convention), its old number kept in `former_number` and shown on
its page. Nothing else changes; the reverse migration restores the old numbers."""

from django.db import migrations


def renumber(apps, schema_editor):
    GrantAgreement = apps.get_model("grants", "GrantAgreement")
    for agreement in GrantAgreement.objects.filter(number__startswith="CPO-"):
        if agreement.start_date.year != agreement.end_date.year:
            continue
        agreement.former_number = agreement.number
        agreement.number = "CAO-" + agreement.number.removeprefix("CPO-")
        agreement.save(update_fields=["number", "former_number"])


def restore(apps, schema_editor):
    GrantAgreement = apps.get_model("grants", "GrantAgreement")
    for agreement in GrantAgreement.objects.filter(former_number__startswith="CPO-"):
        agreement.number = agreement.former_number
        agreement.former_number = ""
        agreement.save(update_fields=["number", "former_number"])


class Migration(migrations.Migration):
    dependencies = [("grants", "0004_four_year_agreements_acts_reminders")]

    operations = [migrations.RunPython(renumber, restore)]
