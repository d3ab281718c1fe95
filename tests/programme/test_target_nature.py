"""The nature of the figures of the référentiel (issue 13): which are targets, which are reforms in force,
parameters or reference values; relative and undated targets; targets borne by the local contracts; the rules
that keep them consistent (pacte.programme.rules) and the data migration of the rows already loaded."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from pacte.programme import rules
from pacte.programme.enums import TargetComparison, TargetKind
from pacte.programme.models import Target
from pacte.programme.services import load_referentiel, read_referentiel, update_target
from tests.programme.factories import TargetFactory
from tests.territories.factories import RegionFactory

# Known items of the référentiel and their nature, with the source that decides it (docs/referentiel.md).
KNOWN_KINDS = {
    # Reforms in force: ASF +50 % since 1 November 2022 (décret du 27 octobre 2022).
    "a1-r3-revalorisation": TargetKind.REFORM,
    "a1-r3-familles": TargetKind.REFORM,
    # Student grants, rentrée 2023 (ministry communiqué of 29 March 2023).
    "a1-r7-revalorisation": TargetKind.REFORM,
    "a1-r7-nouveaux-boursiers": TargetKind.REFORM,
    "a1-r7-echelon": TargetKind.REFORM,
    # Automatic examination of school grants, rentrée 2024 (décret n° 2024-306 du 3 avril 2024).
    "a1-r4-eleves": TargetKind.REFORM,
    # CEE précarité obligations raised for 2023-2025 (décret n° 2022-1368 du 27 octobre 2022).
    "a4-r4-cee-precarite": TargetKind.REFORM,
    # Parameters: CMG to 12 years (décret n° 2025-515), 1 h a week of homework help, 4 € per meal.
    "a1-r2-age-limite": TargetKind.PARAMETER,
    "a1-r5-heures": TargetKind.PARAMETER,
    "a4-n2-soutien-par-repas": TargetKind.PARAMETER,
    "a1-n5-pass-colo-aide-max": TargetKind.PARAMETER,
    "a4-r2-leasing-social": TargetKind.PARAMETER,
    "pdl-copil-reunions": TargetKind.PARAMETER,
    # The Angers conference of 7 November 2023: figures of a past event.
    "pdl-conference-kiosques": TargetKind.REFERENCE,
    "pdl-conference-ateliers": TargetKind.REFERENCE,
    "pdl-conference-thematiques": TargetKind.REFERENCE,
    "pdl-conference-participants": TargetKind.REFERENCE,
    "a3-r3-personnes": TargetKind.REFERENCE,
    # Targets.
    "a1-n2-maisons-des-parents": TargetKind.TARGET,
    "a1-r1-places": TargetKind.TARGET,
    "a1-r6-segregation": TargetKind.TARGET,
    "a3-n4-personnes": TargetKind.TARGET,
    "a4-n2-eleves": TargetKind.TARGET,
}


@pytest.fixture(scope="module")
def figures():
    return {item.code: item for item in read_referentiel().document.targets}


@pytest.mark.parametrize(("code", "kind"), KNOWN_KINDS.items())
def test_a_known_figure_has_its_nature(figures, code, kind):
    assert figures[code].kind == kind


def test_the_invented_target_of_the_plans_title_is_gone(figures):
    assert "a3-n1-acces-aux-droits" not in figures


def test_every_reform_says_since_when_and_why(figures):
    reforms = [item for item in figures.values() if item.kind == TargetKind.REFORM]
    assert reforms
    assert [
        item.code for item in reforms if item.in_force_on is None or "http" not in item.in_force_source
    ] == []


def test_a_figure_that_is_not_a_target_carries_no_value_to_reach(figures):
    framing = [item for item in figures.values() if item.kind != TargetKind.TARGET]
    assert [
        item.code for item in framing if item.target_value is not None or item.target_year is not None
    ] == []


def test_every_baseline_of_a_target_has_its_year(figures):
    targets = [item for item in figures.values() if item.kind == TargetKind.TARGET]
    assert [
        item.code for item in targets if item.baseline_value is not None and item.baseline_year is None
    ] == []
    assert {figures[code].baseline_year for code in ("a3-n4-personnes", "a3-n4-places-hors-les-murs")} == {
        2023
    }


def test_the_early_childhood_places_are_due_in_2030_with_their_source(figures):
    places = figures["a1-r1-places"]
    assert places.target_year == 2030
    assert "2030" in places.horizon_source and "https://" in places.horizon_source


def test_an_undated_target_keeps_no_year(figures):
    assert figures["a3-n1-domiciliations"].target_year is None
    assert figures["a1-n1-passerelles"].target_year is None


@pytest.mark.parametrize(
    ("code", "comparison", "value", "base_year"),
    [
        ("a1-r6-segregation", TargetComparison.CHANGE, Decimal("-20"), 2023),
        ("a1-n1-passerelles", TargetComparison.MULTIPLIER, Decimal("3"), 2023),
        ("a2-n3-personnes-accompagnees", TargetComparison.MULTIPLIER, Decimal("2"), 2023),
        ("a3-n3-precarite-menstruelle-multiplication", TargetComparison.MULTIPLIER, Decimal("2"), 2022),
    ],
)
def test_a_relative_target_is_stored_with_its_base_year(figures, code, comparison, value, base_year):
    item = figures[code]
    assert (item.comparison, item.target_value, item.baseline_year) == (comparison, value, base_year)


def test_no_target_of_the_file_is_borne_by_the_contracts_alone(figures):
    """No target of the seed sits on the slides « Dans le cadre des contrats avec les départements et les
    métropoles »; the Maisons des parents say why they are not borne by the contracts alone."""
    assert [item.code for item in figures.values() if item.borne_by_contracts] == []
    assert "Fonds national parentalité" in figures["a1-n2-maisons-des-parents"].contracts_reason


# --- The objective of a relative target ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "target", "base", "objective"),
    [
        (TargetComparison.LEVEL, "200000", None, "200000"),
        (TargetComparison.LEVEL, "200000", "120000", "200000"),
        (TargetComparison.CHANGE, "-20", "0.25", "0.2"),
        (TargetComparison.CHANGE, "50", "730", "1095"),
        (TargetComparison.MULTIPLIER, "3", "400", "1200"),
        (TargetComparison.CHANGE, "-20", None, None),
        (TargetComparison.MULTIPLIER, "2", None, None),
    ],
)
def test_the_objective_is_computed_from_the_base_value(comparison, target, base, objective):
    result = rules.objective_value(comparison, Decimal(target), Decimal(base) if base else None)
    assert result == (Decimal(objective) if objective else None)


def test_a_relative_target_reads_its_objective_from_a_published_base_or_its_own():
    target = TargetFactory.build(
        comparison=TargetComparison.MULTIPLIER,
        target_value=Decimal("2"),
        baseline_year=2022,
        target_year=2027,
    )
    assert target.objective_value() is None
    assert target.objective_value(Decimal("850000")) == Decimal("1700000")
    target.baseline_value = Decimal("100")
    assert target.objective_value() == Decimal("200")


def test_an_undated_target_says_so():
    assert TargetFactory.build(target_year=None).horizon_label == "horizon non daté"
    assert TargetFactory.build(target_year=2030).horizon_label == "2030"


# --- The rules, on a correction ------------------------------------------------------------------------------


@pytest.fixture
def target():
    return TargetFactory(code="places-creches", label="Places en crèche", target_value=Decimal("1000"))


def test_a_target_becomes_a_reform_in_force_with_its_date_and_source(target):
    update_target(
        target,
        expected_version=0,
        kind=TargetKind.REFORM,
        baseline_value=Decimal("50"),
        baseline_year=2022,
        target_value=None,
        target_year=None,
        in_force_on=date(2022, 11, 1),
        in_force_source="Décret du 27 octobre 2022 (https://www.legifrance.gouv.fr/)",
    )
    assert not Target.objects.national_targets().filter(pk=target.pk).exists()


def test_a_reform_without_its_date_in_force_is_refused(target):
    with pytest.raises(ValidationError) as error:
        update_target(
            target, expected_version=0, kind=TargetKind.REFORM, baseline_value=Decimal("50"), baseline_year=2022,
            target_value=None, target_year=None,
        )  # fmt: skip
    assert error.value.message_dict == {
        "in_force_on": ["Une réforme en vigueur a sa date d'entrée en vigueur."]
    }


def test_a_parameter_keeps_no_value_to_reach(target):
    with pytest.raises(ValidationError) as error:
        update_target(target, expected_version=0, kind=TargetKind.PARAMETER)
    assert error.value.message_dict == {
        "baseline_value": ["Un paramètre se note dans baseline_value."],
        "target_value": ["Un paramètre n'a ni valeur cible ni année cible."],
    }


def test_a_relative_target_needs_its_base_year(target):
    with pytest.raises(ValidationError) as error:
        update_target(
            target, expected_version=0, comparison=TargetComparison.CHANGE, target_value=Decimal("-20")
        )
    assert error.value.message_dict == {
        "baseline_year": ["Une cible relative (variation ou multiplication) a son année de base."]
    }
    update_target(
        target,
        expected_version=0,
        comparison=TargetComparison.CHANGE,
        target_value=Decimal("-20"),
        baseline_year=2023,
    )
    assert target.is_relative


def test_a_baseline_of_a_target_needs_its_year_and_a_horizon_source_its_year(target):
    with pytest.raises(ValidationError) as error:
        update_target(
            target, expected_version=0, baseline_value=Decimal("10"), target_year=None, horizon_source="x"
        )
    assert error.value.message_dict == {
        "baseline_year": ["La valeur de départ d'une cible a son année."],
        "horizon_source": ["La source d'une échéance va avec une année cible."],
    }


def test_a_target_borne_by_the_contracts_says_why(target):
    with pytest.raises(ValidationError) as error:
        update_target(target, expected_version=0, borne_by_contracts=True)
    assert error.value.message_dict == {
        "contracts_reason": ["Une cible portée par les contrats locaux dit pourquoi, avec sa source."]
    }


def test_only_national_targets_are_offered():
    national = TargetFactory(code="national")
    TargetFactory(code="angers", regional=True)
    TargetFactory(code="fait", reference=True)
    TargetFactory(code="retiree", withdrawn=True)
    assert list(Target.objects.national_targets()) == [national]
    assert national.is_national_target


# --- The rows already loaded: the data migration -------------------------------------------------------------


def test_the_data_migration_reclassifies_the_rows_already_loaded():
    RegionFactory(code="52", name="Pays de la Loire")
    asf = TargetFactory(code="a1-r3-revalorisation", unit="%", target_value=Decimal("50"), target_year=None)
    kiosks = TargetFactory(code="pdl-conference-kiosques", regional=True, target_value=Decimal("10"))
    segregation = TargetFactory(code="a1-r6-segregation", unit="%", target_value=Decimal("20"))
    migration = importlib.import_module("pacte.programme.migrations.0007_target_nature_data")

    migration.reclassify(apps, None)

    asf.refresh_from_db()
    assert (asf.kind, asf.baseline_value, asf.target_value, asf.in_force_on) == (
        TargetKind.REFORM, Decimal("50"), None, date(2022, 11, 1),
    )  # fmt: skip
    asf.full_clean()
    kiosks.refresh_from_db()
    assert (kiosks.kind, kiosks.baseline_value, kiosks.baseline_year) == (
        TargetKind.REFERENCE,
        Decimal("10"),
        2023,
    )
    segregation.refresh_from_db()
    assert (segregation.comparison, segregation.target_value, segregation.baseline_year) == (
        "variation",
        -20,
        2023,
    )


def test_the_committed_file_loads_26_national_targets(pays_de_la_loire):
    load_referentiel()
    assert Target.objects.national_targets().count() == 26
    assert Target.objects.get(code="a1-r3-revalorisation").get_kind_display() == "Réforme en vigueur"


@pytest.fixture
def pays_de_la_loire():
    return RegionFactory(code="52", name="Pays de la Loire")
