"""Barometer of the Pacte (the reads and the figures) on hand-computed figures: the `known` cast of conftest.py,
on 1 May 2026.

Validated reports on "places": Rhône 2024 (90 + 20) and 2025 (120 + 25, validated on 20 April 2026), Lyon
2024 (40; its 2025 report, only filed, says 999), Bouches-du-Rhône 2024 on its initial version (60). So for
"places" (0 in 2023 → 1 000 in 2027): commitments 2027 = 130 + 50 + 80 = 260; the contracts' contribution is
210 in 2024 (110 + 40 + 60) and 145 in 2025 (Rhône alone), never the two years added up (245).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacte.contracts import consolidation
from pacte.contracts.models import ActionIndicator, ExecutionReport, ReportCampaign
from pacte.observation.barometer import figures, reads, rules
from pacte.observation.barometer.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus
from pacte.observation.models import NationalFigure
from pacte.programme.enums import TargetScope
from pacte.programme.models import Target
from tests.contracts.factories import action_data, build_contract
from tests.observation.factories import (
    IndicatorFactory,
    ObservationFactory,
    france,
    grow,
    indicators_of,
    report,
)
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


def borne(*codes):
    """Declare `codes` borne by the contracts (the référentiel's `borne_by_contracts`)."""
    Target.objects.filter(code__in=codes).update(
        borne_by_contracts=True, contracts_reason="Les contrats locaux portent cette cible (source)."
    )


def test_the_contracts_contribution_adds_one_report_year_and_is_never_the_status(known):
    row = row_of(reads.barometer(today=TODAY), "places")
    assert row.baseline == rules.Baseline(D("0"), 2023, BaselineRule.NEW_THINGS)
    assert row.contracts.contracts == 3
    assert row.contracts.committed == 260
    assert row.contracts.realised_by_year == {2024: 210, 2025: 145}
    assert (row.contracts.year, row.contract_value, row.contracts.realising_contracts) == (2025, 145, 1)
    assert row.contracts.validated_on == datetime.date(2026, 4, 20)
    # Four contracts in force (Rhône, Lyon, Bouches-du-Rhône, Paris): only Rhône's 2025 report is validated.
    assert row.contracts.coverage_sentence == "1 contrat sur 4 a rendu son rapport 2025 (validé)"
    assert (row.source, row.value) == (None, None)
    assert row.status == TrackStatus.NO_DATA
    assert "contribution des contrats locaux (rapports 2025 : 145 places)" in row.explanation


def test_a_target_borne_by_the_contracts_is_judged_on_one_report_year(known):
    borne("places")
    row = row_of(reads.barometer(today=TODAY), "places")
    assert (row.source, row.value, row.year) == (BarometerSource.CONTRACTS, 145, 2025)
    # 145 of 1 000 is 14.5 % of the way, 50 % expected in 2025: 35.5 points behind.
    assert row.trajectory.gap_display == D("-35.5")
    assert row.status == TrackStatus.LATE
    assert row.confidence == BarometerConfidence.LOW  # 1 contract of 3 reporting
    assert row.last_value_date == datetime.date(2026, 4, 20)
    assert "1 contrat sur 4 a rendu son rapport 2025" in row.explanation


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
        assert row.contracts.contracts == cascade[code].contracts


def test_an_indicator_linked_in_another_unit_is_never_summed(known):
    # A link kept from before the unit rule (the compliance page lists it): Rhône's first indicator counted in
    # personnes, not in places (100 a year, 120 reported for 2025).
    ActionIndicator.objects.filter(pk=indicators_of(known.rhone_contract)[1].pk).update(unit="personnes")
    row = row_of(reads.barometer(today=TODAY), "places")
    assert (row.contracts.committed, row.contracts.realised) == (160, 25)
    assert row.contracts.realised_by_year == {2024: 120, 2025: 25}
    cascade = {item.target.code: item for item in consolidation.target_cascade()}["places"]
    assert cascade.committed == 160
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
    assert row.contract_value == 145
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
    assert public.source is None
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
    borne("places")
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


def test_a_target_per_departement_counts_every_departement_of_the_cog_not_the_contracts(known):
    houses = TargetFactory(
        measure=known.measure,
        code="maisons",
        label="Maisons des parents par département",
        unit="maisons",
        target_value=D("1"),
        scope=TargetScope.DEPARTEMENT,
    )
    row = row_of(reads.barometer(today=TODAY), "maisons")
    # Rhône, Isère (a draft contract), Bouches-du-Rhône and Paris: every département counts, with a contract or not.
    assert (row.departements, row.target_value) == (4, 4)
    assert row.is_per_departement and row.target == houses
    # In a région's drill-down: its own départements (Rhône and Isère in Région Alpha).
    assert reads.departement_count(known.alpha) == 2
    assert row.objective_for(reads.departement_count(known.alpha)) == 2
    france(101)
    row = row_of(reads.barometer(today=TODAY), "maisons")
    assert (row.departements, row.target_value) == (101, 101)
    assert row.objective_rule == "1 par département × 101 départements"


def test_without_any_value_the_status_is_no_data(known):
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert row.value is None
    assert row.status == TrackStatus.NO_DATA
    assert row.confidence == BarometerConfidence.NONE
    assert row.last_value_date is None
    assert [status for status, count in reads.barometer(today=TODAY).counts if count] == [TrackStatus.NO_DATA]
    assert reads.barometer(today=TODAY).published_count == 0


def test_the_trajectory_table_gives_the_line_and_the_values_each_year(known):
    indicator = IndicatorFactory(code="PLACES", national_target=known.places, count=True)
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("210"))
    row = reads.target_progress("places", today=TODAY)
    assert row.report_series == [(2024, D("210")), (2025, D("145"))]
    assert row.actuals == [(2024, D("210"))]
    assert row.trajectory_rows() == [
        {"year": 2023, "expected": 0, "actual": None},
        {"year": 2024, "expected": 250, "actual": D("210")},
        {"year": 2025, "expected": 500, "actual": None},
        {"year": 2026, "expected": 750, "actual": None},
        {"year": 2027, "expected": 1000, "actual": None},
    ]


# --- Sourced national figures, relative and undated targets -----------------------------------------------------


def published(target, value, period, year, *, nature="observation", reliability="A"):
    return NationalFigure.objects.create(
        target=target,
        nature=nature,
        value=D(value),
        unit=target.unit,
        period=period,
        year=year,
        source="Source officielle",
        published="2025-06-17",
        url="https://example.gouv.fr/chiffre",
        quote="« la phrase citée »",
        reliability=reliability,
    )


def test_a_published_figure_is_the_national_value_with_its_source(known):
    published(known.rate, "17", "année 2025", 2025)
    NationalFigure.objects.create(target=known.places, searched="Requêtes faites, pages lues.")
    data = reads.barometer(today=TODAY)
    row = row_of(data, "taux")
    assert (row.source, row.value, row.year) == (BarometerSource.NATIONAL, 17, 2025)
    assert row.status == TrackStatus.AT_RISK  # 30 % of the way for 50 % expected
    assert row.confidence == BarometerConfidence.HIGH
    national = row.national_value
    assert (national.url, national.published, national.quote) == (
        "https://example.gouv.fr/chiffre",
        "17 juin 2025",
        "« la phrase citée »",
    )
    assert "Statut calculé sur la valeur nationale publiée (année 2025, Source officielle)" in row.explanation
    assert data.published_count == 1
    places = row_of(data, "places")
    assert places.searched == "Requêtes faites, pages lues." and places.status == TrackStatus.NO_DATA


def test_a_real_published_figure_wins_over_a_demo_value_of_a_later_year(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate)
    ObservationFactory(indicator=indicator, national=True, demo=True, period=2026, value=D("11"))
    published(known.rate, "17", "2025", 2025)
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert (row.value, row.national_value.figure is not None) == (17, True)
    assert not row.has_demo


def test_a_published_share_of_the_objective_is_the_progress_and_no_number_is_derived(known):
    """« La moitié des 30 000 places […] a été créée »: 50 % of the way in 2025, 50 % expected (0 in 2023 → 1 000
    in 2027): on track; the value in places stays empty."""
    figure = published(known.places, "50", "30 juin 2025", 2025, nature="part", reliability="B")
    NationalFigure.objects.filter(pk=figure.pk).update(unit="% de l'objectif")
    data = reads.barometer(today=TODAY)
    row = row_of(data, "places")
    assert (row.source, row.year, row.value, row.share) == (BarometerSource.NATIONAL, 2025, None, 50)
    assert (row.trajectory.progress, row.trajectory.expected) == (50, 50)
    assert row.status == TrackStatus.ON_TRACK
    assert row.confidence == BarometerConfidence.MEDIUM
    assert (
        "part de l'objectif atteinte publiée (30 juin 2025, Source officielle) : 50 % du chemin"
        in row.explanation
    )
    assert "aucun n'est déduit de cette part" in row.explanation
    assert row.actuals == []  # a share is no level: nothing drawn on the trajectory in places
    assert data.published_count == 1


def test_a_level_of_the_same_year_comes_before_a_share_and_the_surer_source_first(known):
    share = published(known.places, "50", "2025", 2025, nature="part")
    NationalFigure.objects.filter(pk=share.pk).update(unit="% de l'objectif")
    published(known.places, "420", "2025", 2025, reliability="C")
    published(known.places, "400", "2025", 2025, reliability="A")
    published(known.places, "410", "2025", 2025, reliability="B")
    row = row_of(reads.barometer(today=TODAY), "places")
    assert (row.value, row.share, row.national_value.reliability) == (400, None, "A")


def test_a_relative_target_is_computed_against_its_published_base(known):
    cee = TargetFactory(measure=known.measure, code="cee", label="Obligation CEE précarité", unit="TWh cumac")
    Target.objects.filter(pk=cee.pk).update(target_value=D("50"), target_year=2027, comparison="variation")
    published(cee, "730", "2021", 2021, nature="base")
    published(cee, "1130", "2022", 2022)
    row = row_of(reads.barometer(today=TODAY), "cee")
    assert row.baseline == rules.Baseline(D("730"), 2021, BaselineRule.PUBLISHED)
    assert row.target_value == D("1095")  # +50 % from 730
    assert row.status == TrackStatus.REACHED
    assert row.objective_rule == "+50 % par rapport à la situation de départ"
    Target.objects.filter(pk=cee.pk).update(target_value=D("2"), comparison="multiplicateur")
    assert row_of(reads.barometer(today=TODAY), "cee").target_value == D("1460")  # × 2 from 730


def test_a_relative_target_without_a_published_base_has_no_objective(known):
    Target.objects.filter(pk=known.rate.pk).update(
        baseline_value=None, baseline_year=None, target_value=D("-20"), comparison="variation"
    )
    row = row_of(reads.barometer(today=TODAY), "taux")
    assert (row.baseline.is_known, row.target_value, row.status) == (False, None, TrackStatus.NO_DATA)


def test_an_undated_target_says_so_and_has_no_trajectory(known):
    Target.objects.filter(pk=known.rate.pk).update(target_year=None)
    published(known.rate, "17", "2025", 2025)
    row = reads.target_progress("taux", today=TODAY)
    assert (row.target_year, row.horizon, row.has_trajectory) == (None, "horizon non daté", False)
    assert row.status == TrackStatus.UNDATED
    assert row.trajectory_rows() == []


def test_the_baseline_does_not_move_when_contracts_or_reports_arrive(known):
    young = TargetFactory(measure=known.measure, code="jeunes", label="Jeunes accompagnés", unit="jeunes")
    before = row_of(reads.barometer(today=TODAY), "jeunes").baseline
    other = build_contract(
        DepartementFactory(code="44", parent=known.beta),
        actions=[action_data(known.axis, target="40", national_target=young, unit="jeunes")],
    )
    report(other, other, 2025, {indicators_of(other)[1]: "35"})
    after = row_of(reads.barometer(today=TODAY), "jeunes")
    assert after.contracts.realised == 35
    assert before == after.baseline == rules.Baseline(None, None, BaselineRule.UNKNOWN)


def test_an_unknown_or_non_national_target_is_not_in_the_barometer(known):
    for code in ("inconnue", "reference", "regional"):
        with pytest.raises(Target.DoesNotExist):
            reads.target_progress(code, today=TODAY)


# --- Drill-down -------------------------------------------------------------------------------------------------


def test_the_regions_add_up_to_france_and_list_every_region_with_contracts(known):
    row = reads.target_progress("places", today=TODAY)
    regions = figures.by_region(row.contracts.contributions, row.contracts.commitment_year, 2024)
    assert [area.territory.name for area in regions] == ["Région Alpha", "Région Bêta", "Région Gamma"]
    sums = [area.figures for area in regions]
    assert [
        (f.committed, f.realised, f.contracts, len(a.contributions))
        for f, a in zip(sums, regions, strict=True)
    ] == [
        (180, 150, 2, 2),
        (80, 60, 1, 1),
        (None, None, 0, 1),
    ]
    assert sum(f.committed or 0 for f in sums) == row.contracts.committed == 260
    assert sum(f.realised or 0 for f in sums) == row.contracts.realised_in(2024) == 210
    latest = figures.by_region(row.contracts.contributions, row.contracts.commitment_year, row.contracts.year)
    assert [area.figures.realised for area in latest] == [145, None, None]
    assert regions[0].key == "region:84"


def test_a_metropole_is_its_own_row_and_never_counted_in_its_departement(known):
    row = reads.target_progress("places", today=TODAY)
    areas = figures.by_territory(row.contracts.contributions, known.alpha, 2027, 2024)
    assert [(area.territory.name, area.key) for area in areas] == [
        ("Rhône", "departement:69"),
        ("Métropole de Lyon", "metropole:200046977"),
    ]
    assert [(area.figures.committed, area.figures.realised) for area in areas] == [(130, 110), (50, 40)]
    own = figures.of_territory(row.contracts.contributions, known.rhone)
    assert [item.contract for item in own] == [known.rhone_contract]
    assert figures.ContractFigures(own, 2027).realised == 145
    assert [item.contract for item in figures.metropoles_in(row.contracts.contributions, known.rhone)] == [
        known.lyon_contract
    ]


def test_the_fiches_actions_of_a_contract_show_their_yearly_targets_and_realisations(known):
    contracts = [c for c in consolidation.contracts_in_force() if c.pk == known.rhone_contract.pk]
    lines = reads.action_lines(known.places, contracts, 2025)
    assert [(line.number, line.title, line.committed_in(2027), line.realised) for line in lines] == [
        (1, "Pensions de famille", 100, 120),
        (2, "Résidences sociales", 30, 25),
    ]
    assert [line.realised for line in reads.action_lines(known.places, contracts, 2024)] == [90, 20]
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
    assert _count(lambda: reads.barometer(today=TODAY)) == small == 10
    assert _count(lambda: reads.target_progress("places", today=TODAY)) == small_detail == 11
    row = reads.target_progress("places", today=TODAY)
    assert (row.contracts.contracts, row.contracts.realised) == (40, 200)


def test_the_fiches_actions_and_stale_lists_run_a_fixed_number_of_queries(known):
    contracts = consolidation.contracts_in_force()
    assert _count(lambda: reads.action_lines(known.places, contracts)) == 3
    assert _count(lambda: reads.stale_indicators(today=TODAY)) == 1
    assert _count(lambda: reads.missing_reports(today=TODAY)) == 3
