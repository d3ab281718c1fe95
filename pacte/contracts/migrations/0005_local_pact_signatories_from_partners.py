"""Each existing pacte local keeps its signatories: the organisations of `partners` (by name) then the lines of
`other_signatories` become `PactSignatory` rows, in that order, with an empty contribution (to be written by the
parties before the pact is signed; a pact already signed keeps them as they were). The two old fields are left
untouched."""

from django.db import migrations


def copy_signatories(apps, schema_editor):
    LocalPact = apps.get_model("contracts", "LocalPact")
    PactSignatory = apps.get_model("contracts", "PactSignatory")
    rows = []
    for pact in LocalPact.objects.prefetch_related("partners").order_by("pk"):
        if PactSignatory.objects.filter(pact=pact).exists():
            continue
        rank = 0
        for organisation in sorted(pact.partners.all(), key=lambda o: o.name):
            rank += 1
            rows.append(PactSignatory(pact=pact, rank=rank, organisation=organisation))
        for line in pact.other_signatories.splitlines():
            if line.strip():
                rank += 1
                rows.append(PactSignatory(pact=pact, rank=rank, name=line.strip()[:250]))
    PactSignatory.objects.bulk_create(rows)


def remove_copies(apps, schema_editor):
    apps.get_model("contracts", "PactSignatory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_local_pact_perimeter_signatories_envelopes_actions")]

    operations = [migrations.RunPython(copy_signatories, remove_copies)]
