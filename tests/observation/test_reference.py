from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pacte.observation.enums import NationalScope
from pacte.observation.models import Indicator, Observation
from pacte.observation.reference import ReferenceFormatError, load_reference
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.programme.factories import TargetFactory


def test_the_reference_file_loads_the_official_national_figures_with_their_source():
    report = load_reference()
    assert report.indicators["créés"] == Indicator.objects.count() >= 6
    national = {
        (row.indicator.code, row.period): row
        for row in Observation.objects.filter(territory=None).select_related("indicator")
    }
    assert [national["TP60", year].value for year in (2021, 2022, 2023)] == [
        Decimal("14.5"),
        Decimal("14.4"),
        Decimal("15.4"),
    ]
    assert [national["NBPAUV", year].value for year in (2021, 2022, 2023)] == [
        Decimal("9.1"),
        Decimal("9.1"),
        Decimal("9.8"),
    ]
    assert national["NR_RSA", 2018].value == 34 and national["NR_CSS", 2021].value == 44
    assert all(row.source and not row.is_demo for row in national.values())


def test_loading_twice_changes_nothing_and_keeps_imported_territorial_values():
    load_reference()
    territorial = ObservationFactory(indicator=Indicator.objects.get(code="TP60"), value=Decimal("12.3"))
    report = load_reference()
    assert report.indicators["créés"] == report.indicators["mis à jour"] == 0
    assert report.values["créées"] == report.values["mises à jour"] == 0
    territorial.refresh_from_db()
    assert territorial.value == Decimal("12.3")


def test_a_corrected_national_value_is_updated_in_place(tmp_path):
    load_reference()
    row = Observation.objects.get(indicator__code="TP60", territory=None, period=2023)
    row.value = Decimal("99")
    row.save()
    report = load_reference()
    row.refresh_from_db()
    assert row.value == Decimal("15.4") and report.values["mises à jour"] == 1


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicateurs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_file_names_the_line_and_the_field_and_writes_nothing(tmp_path):
    path = _write(
        tmp_path,
        "indicators:\n"
        "  - code: TP60\n    label: Taux\n    kind: taux\n    unit: '%'\n    source: INSEE\n"
        "  - code: MED\n    label: Médiane\n    kind: pourcentage\n    unit: €\n    source: INSEE\n",
    )
    with pytest.raises(
        ReferenceFormatError,
        match=r"ligne 9, champ « indicators\[1\]\.kind » : valeur inconnue ; valeurs permises : .taux.",
    ):
        load_reference(path)
    assert not Indicator.objects.exists()


def test_a_link_to_an_unknown_target_is_refused(tmp_path):
    path = _write(
        tmp_path,
        "indicators:\n  - code: TZNR\n    label: Territoires\n    kind: effectif\n    unit: territoires\n"
        "    source: DIPLP\n    national_target: cible-inconnue\n",
    )
    with pytest.raises(ReferenceFormatError, match="cible-inconnue"):
        load_reference(path)
    TargetFactory(code="cible-inconnue")
    load_reference(path)
    assert Indicator.objects.get(code="TZNR").national_target.code == "cible-inconnue"


def test_the_command_prints_the_counts_and_fails_with_the_french_message(tmp_path, capsys):
    call_command("load_observation")
    assert "Indicateurs : 8 créés" in capsys.readouterr().out
    with pytest.raises(CommandError, match="syntaxe YAML invalide"):
        call_command("load_observation", file=_write(tmp_path, "indicators: [\n"))


@pytest.mark.parametrize("option", ["--fichier", "--file"])
def test_the_file_option_has_its_french_name_and_keeps_its_english_one(tmp_path, option):
    with pytest.raises(CommandError, match="syntaxe YAML invalide"):
        call_command("load_observation", option, str(_write(tmp_path, "indicators: [\n")))


def test_the_file_wins_over_an_admin_edit_for_the_fields_it_sets_but_keeps_the_link_to_a_target():
    target = TargetFactory()
    IndicatorFactory(code="TP60", label="Modifié dans l'administration", national_target=target)
    load_reference()
    indicator = Indicator.objects.get(code="TP60")
    assert indicator.label.startswith("Taux de pauvreté")
    assert indicator.national_target == target  # the file sets no target for TP60


def test_the_erfs_figures_are_metropolitan_and_filosofi_says_its_field():
    load_reference()
    erfs = Observation.objects.filter(territory=None, indicator__code__in=["TP60", "NBPAUV"])
    assert erfs.count() == 6 and {row.scope for row in erfs} == {NationalScope.METROPOLITAN}
    assert "Martinique et La Réunion" in Indicator.objects.get(code="TP60").territorial_scope
    assert Observation.objects.get(indicator__code="NR_CSS", period=2021).scope == ""


def test_a_reload_sets_the_field_of_an_existing_national_value():
    load_reference()
    Observation.objects.filter(territory=None).update(scope="")
    report = load_reference()
    assert report.values["mises à jour"] == 6
    assert not Observation.objects.filter(territory=None, indicator__code="TP60", scope="").exists()


def test_the_msa_households_add_to_the_caf_ones_and_carry_no_value():
    load_reference()
    msa = Indicator.objects.get(code="NB_RSA_MSA")
    assert msa.adds_to.code == "NB_RSA" and not msa.observations.exists()
    assert "non publié" in msa.source


def test_an_indicator_added_to_an_unknown_one_is_refused_with_its_line(tmp_path):
    path = tmp_path / "indicateurs.yaml"
    path.write_text(
        "indicators:\n"
        "  - {code: NB_A, label: Foyers A, kind: effectif, unit: foyers, source: CAF}\n"
        "  - {code: NB_B, label: Foyers B, kind: effectif, unit: foyers, source: MSA, adds_to: NB_C}\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceFormatError) as error:
        load_reference(path)
    assert "NB_C" in str(error.value) and "adds_to" in str(error.value)
    assert not Indicator.objects.filter(code__in=["NB_A", "NB_B"]).exists()


def test_the_data_migration_makes_the_stored_erfs_values_metropolitan():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("pacte.observation.migrations.0002_national_scope_regional_import")
    indicator = IndicatorFactory(code="TP60")
    erfs = ObservationFactory(
        indicator=indicator,
        territory=None,
        period=2023,
        source="INSEE, enquête Revenus fiscaux et sociaux 2023",
    )
    other = ObservationFactory(indicator=indicator, territory=None, period=2019, source="DREES")
    migration.erfs_is_metropolitan(apps, None)
    erfs.refresh_from_db()
    other.refresh_from_db()
    assert erfs.scope == NationalScope.METROPOLITAN and other.scope == ""
