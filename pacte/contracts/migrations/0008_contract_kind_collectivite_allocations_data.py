"""Existing conventions get their kind, their signing collectivité and notified ceilings; no row is lost.

- kind: a métropole's contract (EPCI of nature METRO) becomes `metropole`; every other one (a département's, the
  Métropole de Lyon's, which holds a département's social powers) `departement`. Existing axis-2 actions of a
  département's contract are kept (listed on the compliance page).
- collectivite: the one that signs for the contract's territory (frozen copy of territories/data/collectivites.yaml
  for the special ones; a département or a métropole otherwise).
- the typed `annual_state_ceiling` of the version in force (the last signed one, else the last one) becomes the
  notified allocation of the collectivité for the contract's envelope and each year of its period, unless one
  was already notified; the typed value stays on the version (read by no rule).
"""

import datetime

from django.db import migrations

# code, name, kind, [(level, code)…] — frozen copy of pacte/territories/data/collectivites.yaml.
SPECIALS = [
    ("metropole-de-lyon", "Métropole de Lyon", "metropole_lyon", [("epci", "200046977")]),
    ("ville-de-paris", "Ville de Paris", "ville_paris", [("departement", "75")]),
    ("collectivite-de-corse", "Collectivité de Corse", "corse", [("departement", "2A"), ("departement", "2B")]),
    ("collectivite-territoriale-de-guyane", "Collectivité territoriale de Guyane", "ctu", [("departement", "973")]),
    (
        "collectivite-territoriale-de-martinique",
        "Collectivité territoriale de Martinique",
        "ctu",
        [("departement", "972")],
    ),
    ("departement-de-mayotte", "Département de Mayotte", "departement", [("departement", "976")]),
    (
        "collectivite-europeenne-d-alsace",
        "Collectivité européenne d'Alsace",
        "alsace",
        [("departement", "67"), ("departement", "68")],
    ),
]
METROPOLE_TYPES = ("METRO",)
SIGNED = ("signe", "remplace")


def _collectivite(apps, territory):
    Collectivite = apps.get_model("territories", "Collectivite")
    Territory = apps.get_model("territories", "Territory")
    for code, name, kind, refs in SPECIALS:
        if (territory.level, territory.code) in refs:
            covered = [
                found
                for level, ref_code in refs
                for found in Territory.objects.filter(level=level, code=ref_code)
            ]
            row, _ = Collectivite.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "main_territory": covered[0]}
            )
            row.territories.add(*covered)
            return row
    existing = Collectivite.objects.filter(territories=territory).first()
    if existing is not None:
        return existing
    if territory.level == "departement":
        kind, prefix = "departement", "departement"
    elif territory.epci_type == "MET69":
        kind, prefix = "metropole_lyon", "epci"
    else:
        kind, prefix = "metropole", "epci"
    row, _ = Collectivite.objects.get_or_create(
        code=f"{prefix}-{territory.code.lower()}",
        defaults={"name": territory.name, "kind": kind, "main_territory": territory},
    )
    row.territories.add(territory)
    return row


def forwards(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    NotifiedAllocation = apps.get_model("contracts", "NotifiedAllocation")
    for contract in Contract.objects.select_related("territory").order_by("pk"):
        territory = contract.territory
        is_metropole = territory.level == "epci" and territory.epci_type in METROPOLE_TYPES
        contract.kind = "metropole" if is_metropole else "departement"
        contract.collectivite = _collectivite(apps, territory)
        contract.save(update_fields=["kind", "collectivite"])
    roots = Contract.objects.filter(root__isnull=True).select_related("collectivite")
    for root in roots:
        versions = list(Contract.objects.filter(pk=root.pk)) + list(Contract.objects.filter(root=root))
        signed = [version for version in versions if version.status in SIGNED]
        in_force = max(signed or versions, key=lambda version: version.amendment_number)
        if in_force.annual_state_ceiling is None:
            continue
        envelope = "metropoles" if root.kind == "metropole" else "solidarites"
        notified_on = in_force.signed_on or root.created_at.date() or datetime.date.today()
        for year in range(root.period_start, root.period_end + 1):
            NotifiedAllocation.objects.get_or_create(
                collectivite=root.collectivite,
                envelope=envelope,
                year=year,
                defaults={
                    "amount": in_force.annual_state_ceiling,
                    "notified_on": notified_on,
                    "reference": "Plafond annuel saisi avant la notification par le pilotage national (repris)",
                    "is_demo": root.is_demo,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0007_contract_kind_collectivite_allocations"),
        ("territories", "0002_collectivite"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
