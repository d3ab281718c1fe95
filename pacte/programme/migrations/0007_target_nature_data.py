"""The new nature of the figures of the référentiel on the rows already loaded (frozen copy of the reclassification
of data/referentiel.yaml at the time of this migration, issue 13). Rows are kept; the value of a figure that is no
longer a target moves to baseline_value, as the rules ask. Their source_hash is left as it was, so the next
`pacte load_referentiel` rewrites them from the file (dates in force and their sources, horizons, labels)."""

from datetime import date

from django.db import migrations

REFORMS = {
    "a1-r3-revalorisation": (2022, date(2022, 11, 1)),
    "a1-r3-familles": (2022, date(2022, 11, 1)),
    "a1-r4-eleves": (2023, date(2024, 9, 1)),
    "a1-r7-revalorisation": (2023, date(2023, 9, 1)),
    "a1-r7-nouveaux-boursiers": (2023, date(2023, 9, 1)),
    "a1-r7-echelon": (2023, date(2023, 9, 1)),
    "a4-r4-cee-precarite": (2023, date(2023, 1, 1)),
    "a4-r1-fonds-vert": (2023, date(2023, 1, 1)),
    "a4-r3-plafond-serenite": (2023, date(2023, 1, 1)),
    "a4-r3-coproprietes": (2023, date(2023, 2, 1)),
}
PARAMETERS = {
    "a1-r2-age-limite": (2025, date(2025, 9, 1)),
    "a1-r5-heures": (2023, date(2023, 9, 1)),
    "a4-n2-soutien-par-repas": (2024, date(2024, 1, 1)),
    "a1-n5-pass-colo-age": (2024, date(2024, 3, 30)),
    "a1-n5-pass-colo-aide-min": (2024, date(2024, 3, 30)),
    "a1-n5-pass-colo-aide-max": (2024, date(2024, 3, 30)),
    "a1-n5-pass-colo-plafond": (2024, date(2024, 3, 30)),
    "a1-r7-bourse-nouveaux-boursiers": (2023, date(2023, 9, 1)),
    "a1-r8-prix": (None, date(2020, 9, 1)),
    "a4-r2-leasing-social": (2024, date(2024, 1, 1)),
    "pdl-copil-reunions": (2023, None),
    "a1-n1-age": (None, None),
    "a4-n2-tarif-repas": (None, None),
    "a4-c1-soutien-par-repas": (None, None),
}
# The programme of the Angers regional conference of 7 November 2023: figures of a past event, not targets.
CONFERENCE = [
    "pdl-conference-kiosques",
    "pdl-conference-ateliers",
    "pdl-conference-thematiques",
    "pdl-conference-participants",
]
# Relative targets: (comparison, value, base year).
RELATIVE = {
    "a1-r6-segregation": ("variation", -20, 2023),
    "a1-n1-passerelles": ("multiplicateur", 3, 2023),
    "a2-n3-personnes-accompagnees": ("multiplicateur", 2, 2023),
    "a3-n3-precarite-menstruelle-multiplication": ("multiplicateur", 2, 2022),
}
SOURCE = "Reclassement du référentiel (issue 13) : rechargez le fichier pour la source (pacte load_referentiel)."
BASELINE_YEARS = {"a3-n4-personnes": 2023, "a3-n4-places-hors-les-murs": 2023, "a3-n4-equipes-mobiles": 2023}
HORIZONS = {"a1-r1-places": 2030, "a3-r2-intermediation-locative": 2027, "a3-r2-pensions-de-famille": 2027}


def reclassify(apps, schema_editor):
    Target = apps.get_model("programme", "Target")
    for kind, rows in (("reforme", REFORMS), ("parametre", PARAMETERS)):
        for code, (year, in_force_on) in rows.items():
            _frame(Target, code, kind, year, in_force_on)
    for code in CONFERENCE:
        _frame(Target, code, "reference", 2023, None)
    for code, (comparison, value, year) in RELATIVE.items():
        Target.objects.filter(code=code, kind="cible").update(
            comparison=comparison, target_value=value, baseline_year=year, baseline_value=None
        )
    for code, year in BASELINE_YEARS.items():
        Target.objects.filter(code=code, baseline_value__isnull=False).update(baseline_year=year)
    for code, year in HORIZONS.items():
        Target.objects.filter(code=code, kind="cible").update(target_year=year)


def _frame(Target, code, kind, year, in_force_on):
    """A figure that is not a target: its value (the old target value if it was one) is noted as its baseline."""
    target = Target.objects.filter(code=code).first()
    if target is None:
        return
    if target.kind == "cible":
        target.baseline_value = target.target_value
    target.kind = kind
    target.target_value = None
    target.target_year = None
    target.baseline_year = year if year is not None else target.baseline_year
    target.in_force_on = in_force_on
    target.in_force_source = SOURCE if in_force_on else ""
    target.save()


class Migration(migrations.Migration):
    dependencies = [("programme", "0006_target_nature")]

    operations = [migrations.RunPython(reclassify, migrations.RunPython.noop)]
