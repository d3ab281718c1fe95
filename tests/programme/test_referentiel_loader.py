from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pacte.programme.enums import MeasureKind, MilestoneStatus, TargetScope
from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.schemas import MilestoneItem
from pacte.programme.services import (
    DEFAULT_PATH,
    ReferentielFormatError,
    load_referentiel,
    milestone_status,
)
from tests.contracts.factories import ActionIndicatorFactory
from tests.observation.factories import IndicatorFactory
from tests.programme.factories import TargetFactory
from tests.territories.factories import RegionFactory

TODAY = date(2025, 3, 1)

MINIMAL = """\
programme:
  code: pacte-des-solidarites
  name: Pacte de test
  start_year: 2024
  end_year: 2027
  measure_count: 1
  budget_eur: 1000
  source_file: 003_15a36d82a2e300cb.txt
axes:
  - number: 1
    title: Axe unique
measures:
  - code: m-1
    axis: 1
    kind: action_nouvelle
    title: Mesure unique
    order: 1
    source_file: 000_ffdb588009e9a993.txt
targets:
  - code: t-cible
    measure: m-1
    kind: cible
    label: Places créées
    unit: places
    target_value: 1000
    target_year: 2027
    scope: national
    source_file: 000_ffdb588009e9a993.txt
  - code: t-region
    kind: reference
    label: Crédits régionaux
    unit: €
    baseline_value: 27.7
    scope: territoire
    territory: {level: region, code: "52"}
    source_file: 003_15a36d82a2e300cb.txt
milestones:
  - code: j-conference
    scope: regional
    title: Conférence régionale
    date_start: 2023-11-07
    precision: jour
    date_label: 7 novembre 2023
    territory: {level: region, code: "52"}
    source_file: 003_15a36d82a2e300cb.txt
"""


@pytest.fixture(autouse=True)
def pays_de_la_loire():
    return RegionFactory(code="52", name="Pays de la Loire")


def write(tmp_path: Path, text: str, name: str = "referentiel.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, marker: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if marker in line)


def database_state() -> list:
    return [
        list(Programme.objects.values_list("code", "name", "source_hash")),
        list(Axis.objects.values_list("number", "title", "source_hash")),
        list(Measure.objects.values_list("code", "title", "source_hash")),
        list(Target.objects.values_list("code", "label", "target_value", "source_hash")),
        list(Milestone.objects.values_list("code", "title", "status", "source_hash")),
    ]


# --- The committed file -----------------------------------------------------------------------


def test_the_committed_file_loads_four_axes_and_every_kind_of_measure():
    report = load_referentiel(today=TODAY)

    assert list(Axis.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert set(Measure.objects.values_list("kind", flat=True)) == set(MeasureKind.values)
    assert report.axes.created == 4
    assert report.measures.created == Measure.objects.count()
    assert report.targets.created == Target.objects.count()
    assert report.milestones.created == Milestone.objects.count()
    assert Axis.objects.get(number=3).measures.filter(kind=MeasureKind.REFORM).count() == 3


def test_the_programme_carries_its_headline_figures():
    load_referentiel(today=TODAY)

    programme = Programme.objects.get()
    assert programme.code == "pacte-des-solidarites"
    assert (programme.start_year, programme.end_year) == (2024, 2027)
    assert programme.measure_count == 25
    assert programme.budget_eur == Decimal("20000000000")
    assert "+50 %" in programme.budget_comparison
    assert programme.source_file.startswith("003_")
    assert Target.objects.get(code="pacte-budget").baseline_value == Decimal("20000000000")


def test_the_figures_keep_their_values_years_and_scope():
    load_referentiel(today=TODAY)

    cantine = Target.objects.get(code="a4-n2-eleves")
    assert cantine.measure.code == "a4-n2"
    assert (cantine.baseline_value, cantine.baseline_year) == (120000, 2022)
    assert (cantine.target_value, cantine.target_year) == (200000, 2027)
    assert cantine.scope == TargetScope.NATIONAL

    maisons = Target.objects.get(code="a1-n2-maisons-des-parents")
    assert (maisons.scope, maisons.target_value, maisons.target_year) == (TargetScope.DEPARTEMENT, 1, 2027)

    equipes = Target.objects.get(code="a3-n4-equipes-mobiles")
    assert (equipes.baseline_value, equipes.target_value, equipes.target_year) == (300, 430, 2027)

    assert Target.objects.get(code="a3-n3-precarite-menstruelle").target_value == 1700000
    assert Target.objects.get(code="a1-n4-ventre-vide").baseline_value == Decimal("12.5")
    plafond = Target.objects.get(code="a1-n5-pass-colo-plafond")
    assert (plafond.baseline_value, plafond.unit) == (4000, "€ par mois")
    assert "jusqu'à 4 000 € par mois" in plafond.source_excerpt


def test_the_pays_de_la_loire_figures_belong_to_the_region(pays_de_la_loire):
    load_referentiel(today=TODAY)

    calpae = Target.objects.get(code="pdl-calpae-credits-2019-2023")
    assert calpae.measure is None
    assert calpae.scope == TargetScope.TERRITORY
    assert calpae.territory == pays_de_la_loire
    assert calpae.baseline_value == 27700000
    assert Target.objects.get(code="pdl-calpae-credits-2023").baseline_year == 2023
    regional = Milestone.objects.filter(scope="regional")
    assert regional.count() == 8
    assert set(regional.values_list("territory", flat=True)) == {pays_de_la_loire.pk}


def test_milestone_statuses_are_computed_from_today():
    load_referentiel(today=TODAY)

    statuses = dict(Milestone.objects.values_list("code", "status"))
    assert statuses["concertation-lancement"] == MilestoneStatus.DONE
    assert statuses["pdl-conference-regionale"] == MilestoneStatus.DONE
    assert statuses["national-pactes-locaux-2024-2027"] == MilestoneStatus.IN_PROGRESS
    assert statuses["national-evaluation-mi-parcours"] == MilestoneStatus.PLANNED
    conference = Milestone.objects.get(code="pdl-conference-regionale")
    assert (conference.date_start, conference.precision) == (date(2023, 11, 7), "jour")


def test_a_month_milestone_runs_until_the_end_of_its_month():
    item = MilestoneItem(
        code="jalon",
        scope="national",
        title="Jalon",
        date_start=date(2023, 12, 1),
        precision="mois",
        date_label="D'ici décembre 2023",
        source_file="000_ffdb588009e9a993.txt",
    )
    assert milestone_status(item, date(2023, 11, 30)) == MilestoneStatus.PLANNED
    assert milestone_status(item, date(2023, 12, 31)) == MilestoneStatus.IN_PROGRESS
    assert milestone_status(item, date(2024, 1, 1)) == MilestoneStatus.DONE
    assert milestone_status(item.model_copy(update={"status": "a_venir"}), date(2024, 1, 1)) == "a_venir"


# --- Reloading --------------------------------------------------------------------------------


def test_a_second_load_reports_everything_unchanged():
    load_referentiel(today=TODAY)
    before = database_state()

    report = load_referentiel(today=TODAY)

    for kind in report.kinds():
        assert (kind.created, kind.updated, kind.deleted) == (0, 0, [])
    assert report.targets.unchanged == Target.objects.count()
    assert report.milestones.unchanged == Milestone.objects.count()
    assert "Aucun changement." in report.summary()
    assert database_state() == before


def test_an_admin_edit_survives_a_reload():
    load_referentiel(today=TODAY)
    Target.objects.filter(code="a2-n4-creches-avip").update(label="Crèches AVIP (libellé revu)")
    Measure.objects.filter(code="a2-n4").update(title="Garde d'enfant (titre revu)")

    report = load_referentiel(today=TODAY)

    assert Target.objects.get(code="a2-n4-creches-avip").label == "Crèches AVIP (libellé revu)"
    assert Measure.objects.get(code="a2-n4").title == "Garde d'enfant (titre revu)"
    assert report.targets.updated == 0


def test_a_changed_yaml_item_updates_its_row_and_only_it(tmp_path):
    load_referentiel(today=TODAY)
    Target.objects.filter(code="a2-n2-jeunes").update(label="Édité dans l'administration")
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    edited = text.replace("label: Crèches labellisées AVIP supplémentaires", "label: Crèches AVIP en plus")
    assert edited != text

    report = load_referentiel(write(tmp_path, edited), today=TODAY)

    assert report.targets.updated == 1
    assert report.targets.unchanged == Target.objects.count() - 1
    assert Target.objects.get(code="a2-n4-creches-avip").label == "Crèches AVIP en plus"
    assert Target.objects.get(code="a2-n2-jeunes").label == "Édité dans l'administration"


def test_spelling_a_value_differently_does_not_count_as_a_change(tmp_path):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    respelled = MINIMAL.replace("target_value: 1000", "target_value: 1000.000").replace(
        "label: Places créées", 'label: "Places créées"'
    )

    report = load_referentiel(write(tmp_path, respelled), today=TODAY)

    assert report.targets.updated == 0
    assert report.targets.unchanged == 2


def test_a_milestone_status_moves_forward_with_time_but_an_explicit_one_is_kept(tmp_path):
    text = MINIMAL.replace("date_start: 2023-11-07", "date_start: 2025-11-07")
    path = write(tmp_path, text)
    load_referentiel(path, today=TODAY)
    assert Milestone.objects.get().status == MilestoneStatus.PLANNED

    report = load_referentiel(path, today=date(2026, 1, 1))

    assert Milestone.objects.get().status == MilestoneStatus.DONE
    assert report.refreshed_statuses == ["« j-conference » (Réalisé)"]
    assert "Statut de jalon actualisé" in report.summary()

    fixed = write(
        tmp_path, text.replace("precision: jour", "precision: jour\n    status: a_venir"), "fixe.yaml"
    )
    load_referentiel(fixed, today=date(2026, 1, 1))
    assert Milestone.objects.get().status == MilestoneStatus.PLANNED


def test_rows_no_longer_in_the_file_are_deleted_and_reported(tmp_path):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    without_region = MINIMAL[: MINIMAL.index("  - code: t-region")] + MINIMAL[MINIMAL.index("milestones:") :]

    report = load_referentiel(write(tmp_path, without_region), today=TODAY)

    assert report.targets.deleted == ["cible « t-region »"]
    assert not Target.objects.filter(code="t-region").exists()
    assert "Supprimés car absents du fichier : cible « t-region »" in report.summary()


def test_rows_still_referenced_or_made_in_the_admin_are_kept_and_reported(tmp_path):
    two_measures = MINIMAL.replace(
        "targets:\n",
        "  - code: m-2\n    axis: 1\n    kind: contrat_local\n    title: Mesure retirée ensuite\n"
        "    order: 2\n    source_file: 000_ffdb588009e9a993.txt\ntargets:\n",
    )
    load_referentiel(write(tmp_path, two_measures), today=TODAY)
    TargetFactory(code="ajout-admin", measure=Measure.objects.get(code="m-2"), source_hash="")

    report = load_referentiel(write(tmp_path, MINIMAL), today=TODAY)

    assert report.targets.kept_manual == ["cible « ajout-admin »"]
    assert report.measures.kept_referenced == ["mesure « m-2 » (1 × cible ou valeur de référence)"]
    assert Measure.objects.filter(code="m-2").exists()
    summary = report.summary()
    assert "conservés car encore référencés : mesure « m-2 »" in summary
    assert "créés dans l'administration et conservés : cible « ajout-admin »" in summary


def test_a_new_programme_code_takes_the_axes_measures_and_figures_along(tmp_path):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    renamed = MINIMAL.replace("code: pacte-des-solidarites", "code: pacte-renomme")

    report = load_referentiel(write(tmp_path, renamed), today=TODAY)

    programme = Programme.objects.get()
    assert programme.code == "pacte-renomme"
    assert Measure.objects.get(code="m-1").axis.programme == programme
    assert set(Target.objects.values_list("programme", flat=True)) == {programme.pk}
    assert report.measures.updated == 1
    assert report.axes.deleted == ["axe 1 du programme « pacte-des-solidarites »"]
    assert report.programme.deleted == ["programme « pacte-des-solidarites »"]


def test_the_summary_speaks_french():
    report = load_referentiel(today=TODAY)

    summary = report.summary()
    assert summary.startswith(f"Référentiel chargé depuis {DEFAULT_PATH} :")
    assert "- axes : 4 créés, 0 mis à jour, 0 inchangé" in summary
    assert f"- mesures : {Measure.objects.count()} créées, 0 mise à jour, 0 inchangée" in summary


# --- Malformed files --------------------------------------------------------------------------

MALFORMED = {
    # case: (text to replace, replacement, marker of the expected line, expected field, expected words)
    "yaml_syntax": ("title: Axe unique", "title: Axe: unique", "Axe: unique", None, "syntaxe YAML invalide"),
    "wrong_type": (
        "order: 1",
        "order: premier",
        "order: premier",
        "measures[0].order",
        "nombre entier attendu",
    ),
    "unknown_key": (
        "title: Mesure unique",
        "title: Mesure unique\n    colour: bleu",
        "colour: bleu",
        "measures[0].colour",
        "clé inconnue",
    ),
    "missing_field": (
        "    unit: places\n",
        "",
        "- code: t-cible",
        "targets[0].unit",
        "champ obligatoire manquant",
    ),
    "unknown_measure": (
        "measure: m-1",
        "measure: m-9",
        "measure: m-9",
        "targets[0].measure",
        "mesure « m-9 » inconnue",
    ),
    "unknown_axis": ("axis: 1", "axis: 7", "axis: 7", "measures[0].axis", "axe 7 inconnu"),
    "duplicate_code": (
        "code: t-region",
        "code: t-cible",
        "code: t-cible\n",
        "targets[1].code",
        "déjà utilisé (ligne",
    ),
    "non_numeric": (
        "target_value: 1000",
        "target_value: beaucoup",
        "target_value: beaucoup",
        "targets[0].target_value",
        "nombre attendu",
    ),
    "unknown_territory": (
        'code: "52"}',
        'code: "99"}',
        'code: "99"}',
        "targets[1].territory",
        "territoire inconnu",
    ),
    "unknown_choice": (
        "kind: cible",
        "kind: objectif",
        "kind: objectif",
        "targets[0].kind",
        "valeurs permises",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_file_names_file_line_and_field_and_changes_nothing(tmp_path, case):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    before = database_state()
    old, new, marker, field, words = MALFORMED[case]
    bad = MINIMAL.replace(old, new, 1).replace("name: Pacte de test", "name: Pacte modifié")
    if case == "duplicate_code":
        marker = "code: t-cible"
        expected_line = [n for n, line in enumerate(bad.splitlines(), 1) if marker in line][1]
    else:
        expected_line = line_of(bad, marker)
    path = write(tmp_path, bad, "mauvais.yaml")

    with pytest.raises(ReferentielFormatError) as caught:
        load_referentiel(path, today=TODAY)

    message = str(caught.value)
    assert "mauvais.yaml" in message
    assert f"ligne {expected_line}" in message
    assert caught.value.line == expected_line
    if field:
        assert f"champ « {field} »" in message
    assert words in message
    assert database_state() == before


def test_every_problem_of_a_file_is_reported_in_line_order(tmp_path):
    bad = MINIMAL.replace("order: 1", "order: premier").replace(
        "target_value: 1000", "target_value: beaucoup"
    )

    with pytest.raises(ReferentielFormatError) as caught:
        load_referentiel(write(tmp_path, bad), today=TODAY)

    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert "measures[0].order" in lines[0]
    assert "targets[0].target_value" in lines[1]


def test_an_inconsistent_target_is_refused(tmp_path):
    bad = MINIMAL.replace("    scope: territoire\n", "    scope: national\n")

    with pytest.raises(ReferentielFormatError, match=r"targets\[1\]\.territory"):
        load_referentiel(write(tmp_path, bad), today=TODAY)


@pytest.mark.parametrize("count, rest", [(11, "… et 1 autre erreur."), (12, "… et 2 autres erreurs.")])
def test_past_ten_problems_the_others_are_counted(tmp_path, count, rest):
    measures = "".join(
        f"  - code: m-{number}\n    axis: 9\n    kind: action_nouvelle\n    title: Mesure {number}\n"
        "    order: 1\n    source_file: 000_ffdb588009e9a993.txt\n"
        for number in range(count)
    )
    bad = MINIMAL.split("measures:\n")[0] + "measures:\n" + measures

    with pytest.raises(ReferentielFormatError) as caught:
        load_referentiel(write(tmp_path, bad), today=TODAY)

    lines = str(caught.value).splitlines()
    assert len(lines) == 11
    assert "axe 9 inconnu" in lines[0]
    assert lines[-1] == rest


def test_a_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(ReferentielFormatError, match="absent.yaml : fichier introuvable"):
        load_referentiel(tmp_path / "absent.yaml")


def test_the_committed_file_needs_the_region_in_the_cog(pays_de_la_loire):
    pays_de_la_loire.delete()

    with pytest.raises(ReferentielFormatError, match="territoire inconnu : région 52"):
        load_referentiel(today=TODAY)
    assert not Programme.objects.exists()


# --- The command ------------------------------------------------------------------------------


def test_the_command_loads_the_committed_file_and_prints_the_report():
    out = StringIO()

    call_command("load_referentiel", stdout=out)

    assert "Référentiel chargé depuis" in out.getvalue()
    assert "- axes : 4 créés" in out.getvalue()
    assert Axis.objects.count() == 4


@pytest.mark.parametrize("option", ["--fichier", "--file"])
def test_the_command_takes_another_file(tmp_path, option):
    out = StringIO()

    call_command("load_referentiel", option, str(write(tmp_path, MINIMAL)), stdout=out)

    assert "- mesures : 1 créée" in out.getvalue()


def test_the_command_fails_cleanly_on_a_bad_file(tmp_path):
    path = write(tmp_path, MINIMAL.replace("order: 1", "order: premier"), "mauvais.yaml")

    with pytest.raises(CommandError, match=r"mauvais.yaml, ligne 17, champ « measures\[0\]\.order »"):
        call_command("load_referentiel", "--fichier", str(path))
    assert not Programme.objects.exists()


def test_a_removed_target_that_a_contract_indicator_follows_is_kept_withdrawn_and_said(tmp_path):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    indicator = ActionIndicatorFactory(national_target=Target.objects.get(code="t-cible"))
    without_target = (
        MINIMAL[: MINIMAL.index("  - code: t-cible")] + MINIMAL[MINIMAL.index("  - code: t-region") :]
    )

    report = load_referentiel(write(tmp_path, without_target), today=TODAY)

    target = Target.objects.get(code="t-cible")
    assert (target.withdrawn, indicator.national_target_id) == (True, target.pk)
    assert not Target.objects.national_targets().filter(pk=target.pk).exists()
    assert report.unlinked_targets == ["cible « t-cible », retirée du fichier (1 × indicateur)"]
    assert "ne sont plus des cibles nationales (le lien est conservé" in report.summary()

    back = load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    target.refresh_from_db()
    assert (target.withdrawn, back.unlinked_targets) == (False, [])


def test_a_reclassified_target_keeps_its_indicators_and_the_report_says_so(tmp_path):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    ActionIndicatorFactory.create_batch(2, national_target=Target.objects.get(code="t-cible"))
    as_a_reform = MINIMAL.replace(
        "    kind: cible\n    label: Places créées\n    unit: places\n    target_value: 1000\n    target_year: 2027\n",
        "    kind: reforme\n    label: Places créées\n    unit: places\n    baseline_value: 1000\n"
        "    baseline_year: 2022\n    in_force_on: 2022-11-01\n    in_force_source: Décret du 27 octobre 2022\n",
    )

    report = load_referentiel(write(tmp_path, as_a_reform), today=TODAY)

    target = Target.objects.get(code="t-cible")
    assert (target.kind, target.local_indicators.count()) == ("reforme", 2)
    assert report.unlinked_targets == ["cible « t-cible », désormais « Réforme en vigueur » (2 × indicateur)"]


def test_an_observation_indicator_following_a_reclassified_target_is_said_too(tmp_path):
    load_referentiel(write(tmp_path, MINIMAL), today=TODAY)
    IndicatorFactory(national_target=Target.objects.get(code="t-cible"))
    as_a_parameter = MINIMAL.replace(
        "    kind: cible\n    label: Places créées\n    unit: places\n    target_value: 1000\n    target_year: 2027\n",
        "    kind: parametre\n    label: Places créées\n    unit: places\n    baseline_value: 1000\n",
    )

    report = load_referentiel(write(tmp_path, as_a_parameter), today=TODAY)

    assert report.unlinked_targets == [
        "cible « t-cible », désormais « Paramètre » (1 × indicateur statistique)"
    ]
