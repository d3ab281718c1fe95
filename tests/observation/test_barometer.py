"""Barometer of the Pacte (the reads and the figures) on hand-computed figures: the `known` cast of conftest.py,
on 1 May 2026.

Validated reports on "places": Rhône 2024 (90 + 20) and 2025 (120 + 25, validated on 20 April 2026), Lyon
2024 (40; its 2025 report, only filed, says 999), Bouches-du-Rhône 2024 on its initial version (60). So for
"places" (0 in 2023 → 1 000 in 2027): commitments 2027 = 130 + 50 + 80 = 260, realised = 145 + 40 + 60 = 245.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacte.contracts import consolidation
from pacte.contracts.models import ActionIndicator, ExecutionReport, ReportCampaign
from pacte.observation.barometer import figures, reads, rules
from pacte.observation.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus
from pacte.programme.enums import TargetScope
from pacte.programme.models import Target
from tests.contracts.factories import action_data, build_contract
from tests.observation.factories import IndicatorFactory, ObservationFactory, grow, indicators_of, report
from tests.programme.factories import TargetFactory
from tests.territories.factories import DepartementFactory

TODAY = datetime.date(2026, 5, 1)
D = Decimal


def row_of(data, code):
    return next(row for row in data.rows if row.code == code)


# --- The barometer on known data --------------------------------------------------------------------------------


def test_the_barometer_lists_the_national_targets_only(known):
    data = reads.barometer(today=TODAY)
    assert [row.code for row in data.rows] == ["places", "taux"]


def test_contract_reports_add_the_latest_validated_report_of_each_convention(known):
    row = row_of(reads.barometer(today=TODAY), "places")
    assert row.baseline == rules.Baseline(D("0"), 2023, BaselineRule.NEW_THINGS)
    assert row.contracts.contracts == 3
    assert row.contracts.realising_contracts == 3
    assert row.contracts.committed == 260
    assert row.contract_value == 245
    assert row.contracts.report_year == 2025
    assert row.contracts.validated_on == datetime.date(2026, 4, 20)
    assert row.source == BarometerSource.CONTRACTS
    assert (row.value, row.year) == (245, 2025)
    # 245 of 1 000 is 24.5 % of the way, 50 % expected in 2025: 25.5 points behind.
    assert row.trajectory.progress == D("24.5")
    assert row.trajectory.gap_display == D("-25.5")
    assert row.status == TrackStatus.LATE
    assert row.confidence == BarometerConfidence.MEDIUM
    assert row.last_value_date == datetime.date(2026, 4, 20)


def test_commitments_of_the_versions_in_force_only_per_year(known):
    row = row_of(reads.barometer(today=TODAY), "places")
    # The Bouches-du-Rhône avenant has 80 each year; the Isère draft never counts.
    assert row.contracts.committed_by_year == {2024: 260, 2025: 260, 2026: 260, 2027: 260}


def test_the_barometer_agrees_with_the_consolidation_of_the_contracts(known):
    cascade = {row.target.code: row for row in consolidation.target_cascade()}
    data = reads.barometer(today=TODAY)
    for code in ("places", "taux"):
        row = row_of(data, code)
        assert row.contracts.committed == cascade[code].committed
        assert row.contracts.realised == cascade[code].realised
        assert row.contracts.contracts == cascade[code].contracts
        assert row.contracts.realising_contracts == cascade[code].realising_contracts


def test_an_indicator_linked_in_another_unit_is_never_summed(known):
    # A link kept from before the unit rule (the compliance page lists it): Rhône's first indicator counted in
    # personnes, not in places (100 a year, 120 reported for 2025).
    ActionIndicator.objects.filter(pk=indicators_of(known.rhone_contract)[1].pk).update(unit="personnes")
    row = row_of(reads.barometer(today=TODAY), "places")
    assert (row.contracts.committed, row.contracts.realised) == (160, 125)
    cascade = {item.target.code: item for item in consolidation.target_cascade()}["places"]
    assert (cascade.committed, cascade.realised) == (160, 125)
    progress = reads.target_progress("places", today=TODAY)
    assert dict(progress.report_series)[2025] == 25


def test_the_national_figure_comes_first_and_both_sources_are_kept(known):
    indicator = IndicatorFactory(
        code="PLACES", label="Places en pensions de famille", national_target=known.places, count=True
    )
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("300"))
    ObservationFactory(indicator=indicator, national=True, period=2025, value=D("500"))
    ObservationFactory(
        indicator=indicator, period=2026, value=D("9999")
    )  # a département: not a national figure
    row = row_of(reads.barometer(today=TODAY), "places")
    assert row.national_figure.indicator == indicator
    assert row.national_figure.points == [(2024, D("300")), (2025, D("500"))]
    assert (row.source, row.value, row.year) == (BarometerSource.NATIONAL, 500, 2025)
    assert row.contract_value == 245
    assert row.status == TrackStatus.ON_TRACK
    assert row.trajectory.gap == 0
    assert row.confidence == BarometerConfidence.HIGH
    assert row.last_value_date == 2025
    assert row.actuals == [(2024, D("300")), (2025, D("500"))]


def test_the_latest_national_value_of_several_indicators_wins(known):
    older = IndicatorFactory(code="A", national_target=known.rate, order=1)
    newer = IndicatorFactory(code="B", national_target=known.rate, order=2)
    ObservationFactory(indicator=older, national=True, period=2024, value=D("19"))
    ObservationFactory(indicator=newer, national=True, period=2025, value=D("17"))
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert row.national_figure.indicator == newer
    # 20 → 10: 17 in 2025 is 30 % of the way for 50 % expected.
    assert row.status == TrackStatus.AT_RISK


def test_secret_and_missing_national_values_are_not_values(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate)
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("19"))
    ObservationFactory(indicator=indicator, national=True, secret=True, period=2025)
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert (row.value, row.year) == (19, 2024)


def test_a_non_public_indicator_is_read_by_the_steering_only(known):
    indicator = IndicatorFactory(code="PLACES", national_target=known.places, restricted=True, count=True)
    ObservationFactory(indicator=indicator, national=True, period=2025, value=D("500"))
    public = row_of(reads.barometer(today=TODAY), "places")
    assert public.national == []
    assert public.source == BarometerSource.CONTRACTS
    steering = row_of(reads.barometer(today=TODAY, include_restricted=True), "places")
    assert steering.source == BarometerSource.NATIONAL
    assert steering.national_figure.is_restricted


def test_a_fictitious_value_is_labelled_and_never_trusted(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate)
    ObservationFactory(indicator=indicator, national=True, demo=True, period=2025, value=D("15"))
    data = reads.barometer(today=TODAY)
    row = row_of(data, "taux")
    assert row.status == TrackStatus.ON_TRACK
    assert row.has_demo and data.has_demo
    assert row.confidence == BarometerConfidence.LOW
    assert "fictive" in row.confidence_reason


def test_an_old_official_figure_lowers_the_confidence(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate, expected_lag_years=2)
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("18"))
    assert row_of(reads.barometer(today=TODAY), "taux").confidence == BarometerConfidence.HIGH
    assert (
        row_of(reads.barometer(today=datetime.date(2027, 1, 2)), "taux").confidence
        == BarometerConfidence.MEDIUM
    )


def test_old_or_sparse_contract_reports_lower_the_confidence(known):
    row = row_of(reads.barometer(today=datetime.date(2028, 6, 1)), "places")
    assert row.confidence == BarometerConfidence.LOW
    assert "anciens" in row.confidence_reason
    ExecutionReport.objects.filter(contract__in=[known.lyon_contract, known.bdr_initial]).delete()
    row = row_of(reads.barometer(today=TODAY), "places")
    assert (row.contracts.realising_contracts, row.contracts.contracts) == (1, 3)
    assert row.confidence == BarometerConfidence.LOW


def test_a_percentage_is_never_summed_across_contracts(known):
    other = build_contract(
        DepartementFactory(code="44", parent=known.beta),
        actions=[action_data(known.axis, target="40", national_target=known.rate, unit="pourcentage")],
    )
    report(other, other, 2024, {indicators_of(other)[1]: "35"})
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert row.contracts.realised == 35
    assert row.contract_value is None
    assert row.source is None
    assert row.status == TrackStatus.NO_DATA
    assert row.confidence == BarometerConfidence.NONE


def test_a_target_per_departement_counts_the_departements_with_a_contract(known):
    houses = TargetFactory(
        measure=known.measure,
        code="maisons",
        label="Maisons des parents par département",
        unit="maisons",
        target_value=D("1"),
        scope=TargetScope.DEPARTEMENT,
    )
    row = row_of(reads.barometer(today=TODAY), "maisons")
    # Rhône, Bouches-du-Rhône and Paris have a contract in force; the métropole and the draft do not count.
    assert row.departements == 3
    assert row.target_value == 3
    assert row.is_per_departement
    assert row.target == houses


def test_without_any_value_the_status_is_no_data(known):
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert row.value is None
    assert row.status == TrackStatus.NO_DATA
    assert row.confidence == BarometerConfidence.NONE
    assert row.last_value_date is None
    assert [status for status, count in reads.barometer(today=TODAY).counts if count] == [
        TrackStatus.LATE,
        TrackStatus.NO_DATA,
    ]


def test_the_trajectory_table_gives_the_line_and_the_values_each_year(known):
    row = reads.target_progress("places", today=TODAY)
    assert row.report_series == [(2024, D("210")), (2025, D("145"))]
    assert row.actuals == row.report_series
    assert row.trajectory_rows() == [
        {"year": 2023, "expected": 0, "actual": None},
        {"year": 2024, "expected": 250, "actual": D("210")},
        {"year": 2025, "expected": 500, "actual": D("145")},
        {"year": 2026, "expected": 750, "actual": None},
        {"year": 2027, "expected": 1000, "actual": None},
    ]


def test_an_unknown_or_non_national_target_is_not_in_the_barometer(known):
    for code in ("inconnue", "reference", "regional"):
        with pytest.raises(Target.DoesNotExist):
            reads.target_progress(code, today=TODAY)


# --- Drill-down -------------------------------------------------------------------------------------------------


def test_the_regions_add_up_to_france_and_list_every_region_with_contracts(known):
    row = reads.target_progress("places", today=TODAY)
    regions = figures.by_region(row.contracts.contributions, row.contracts.commitment_year)
    assert [area.territory.name for area in regions] == ["Région Alpha", "Région Bêta", "Région Gamma"]
    sums = [area.figures for area in regions]
    assert [
        (f.committed, f.realised, f.contracts, len(a.contributions))
        for f, a in zip(sums, regions, strict=True)
    ] == [
        (180, 185, 2, 2),
        (80, 60, 1, 1),
        (None, None, 0, 1),
    ]
    assert sum(f.committed or 0 for f in sums) == row.contracts.committed == 260
    assert sum(f.realised or 0 for f in sums) == row.contracts.realised == 245
    assert regions[0].key == "region:84"


def test_a_metropole_is_its_own_row_and_never_counted_in_its_departement(known):
    row = reads.target_progress("places", today=TODAY)
    areas = figures.by_territory(row.contracts.contributions, known.alpha, 2027)
    assert [(area.territory.name, area.key) for area in areas] == [
        ("Rhône", "departement:69"),
        ("Métropole de Lyon", "metropole:200046977"),
    ]
    assert [(area.figures.committed, area.figures.realised) for area in areas] == [(130, 145), (50, 40)]
    own = figures.of_territory(row.contracts.contributions, known.rhone)
    assert [item.contract for item in own] == [known.rhone_contract]
    assert figures.ContractFigures(own, 2027).realised == 145
    assert [item.contract for item in figures.metropoles_in(row.contracts.contributions, known.rhone)] == [
        known.lyon_contract
    ]


def test_the_fiches_actions_of_a_contract_show_their_yearly_targets_and_realisations(known):
    lines = reads.action_lines(
        known.places, [c for c in consolidation.contracts_in_force() if c.pk == known.rhone_contract.pk]
    )
    assert [(line.number, line.title, line.committed_in(2027), line.realised) for line in lines] == [
        (1, "Pensions de famille", 100, 120),
        (2, "Résidences sociales", 30, 25),
    ]
    assert lines[0].indicators[0].label == "Personnes accompagnées"


def test_values_reported_on_a_former_version_reach_the_fiche_action_of_the_version_in_force(known):
    contracts = [c for c in consolidation.contracts_in_force() if c.pk == known.bdr_contract.pk]
    [line] = reads.action_lines(known.places, contracts)
    assert line.contract == known.bdr_contract
    assert (line.committed_in(2027), line.realised) == (80, 60)


# --- Stale data -------------------------------------------------------------------------------------------------


def test_indicators_without_a_recent_value_are_to_update(known):
    fresh = IndicatorFactory(code="FRESH", expected_lag_years=2)
    ObservationFactory(indicator=fresh, period=2024)  # 2026 − 2 = 2024: on time
    old = IndicatorFactory(code="OLD", expected_lag_years=2)
    ObservationFactory(indicator=old, period=2023)
    ObservationFactory(indicator=old, national=True, secret=True, period=2025)  # a secret is not a value
    empty = IndicatorFactory(code="EMPTY")
    hidden = IndicatorFactory(code="HIDDEN", restricted=True)
    stale = reads.stale_indicators(today=TODAY)
    assert [(row.indicator, row.latest, row.threshold) for row in stale] == [
        (empty, None, 2024),
        (old, 2023, 2024),
    ]
    assert stale[0].reason == "Aucune valeur"
    assert hidden in [row.indicator for row in reads.stale_indicators(today=TODAY, include_restricted=True)]


def test_contracts_without_their_last_due_report_are_listed(known):
    assert reads.missing_reports(today=datetime.date(2025, 3, 31)) is None
    missing = reads.missing_reports(today=TODAY)
    # The 2025 report was due by 31 March 2026: Lyon only filed it (counts as filed), Bouches-du-Rhône and
    # Paris have nothing.
    assert (missing.year, missing.due_on) == (2025, datetime.date(2026, 3, 31))
    assert {contract.territory.name for contract in missing.contracts} == {"Bouches-du-Rhône", "Paris"}


def test_a_year_without_its_campaign_has_no_missing_report(known):
    ReportCampaign.objects.filter(year=2025).delete()
    missing = reads.missing_reports(today=TODAY)
    # The 2025 reports are not due until national steering sets their date: the last due year is 2024, when
    # Paris filed nothing.
    assert (missing.year, missing.due_on) == (2024, datetime.date(2025, 3, 31))
    assert [contract.territory.name for contract in missing.contracts] == ["Paris"]


# --- Queries ------------------------------------------------------------------------------------------------


def _count(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_the_barometer_runs_the_same_queries_for_4_or_40_contracts():
    target = TargetFactory(code="places", label="Nouvelles places", unit="places")
    grow(3, target, 0)
    small = _count(lambda: reads.barometer(today=TODAY))
    small_detail = _count(lambda: reads.target_progress("places", today=TODAY))
    grow(27, target, 3)
    assert _count(lambda: reads.barometer(today=TODAY)) == small == 7
    assert _count(lambda: reads.target_progress("places", today=TODAY)) == small_detail == 8
    row = reads.target_progress("places", today=TODAY)
    assert (row.contracts.contracts, row.contracts.realised) == (40, 200)


def test_the_fiches_actions_and_stale_lists_run_a_fixed_number_of_queries(known):
    contracts = consolidation.contracts_in_force()
    assert _count(lambda: reads.action_lines(known.places, contracts)) == 3
    assert _count(lambda: reads.stale_indicators(today=TODAY)) == 1
    assert _count(lambda: reads.missing_reports(today=TODAY)) == 3
