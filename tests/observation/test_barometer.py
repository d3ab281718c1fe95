"""Barometer of the Pacte (computation) on hand-computed figures.

The `known` fixture builds, through the contract services, on 1 May 2026:

    Région Alpha (84)  Rhône (69)            two actions on "places": yearly targets 100 and 30
                       Métropole de Lyon     one action on "places": yearly target 50 (inside the Rhône)
                       Isère (38), a draft   one action on "places": 999 (ignored: not signed)
    Région Bêta (93)   Bouches-du-Rhône (13) one action on "places": 70, then an avenant with 80
    Région Gamma (11)  Paris (75)            one action linked to no target

Validated reports on "places": Rhône 2024 (90 + 20) and 2025 (120 + 25, validated on 20 April 2026), Lyon
2024 (40; its 2025 report, only filed, says 999), Bouches-du-Rhône 2024 on its initial version (60). So for
"places" (0 in 2023 → 1 000 in 2027): commitments 2027 = 130 + 50 + 80 = 260, realised = 145 + 40 + 60 = 245.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pacte.contracts import consolidation, services
from pacte.contracts.enums import ContractStatus, ReportStatus, report_due_date
from pacte.contracts.models import ExecutionReport, ReportIndicatorValue
from pacte.observation import barometer
from pacte.observation.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus
from pacte.programme.enums import TargetScope
from pacte.programme.models import Axis
from tests.contracts.factories import action_data, build_contract
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

TODAY = datetime.date(2026, 5, 1)
D = Decimal


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def report(root, version, year, values, *, status=ReportStatus.VALIDATED, reviewed_on=None):
    """An execution report of `root` for `year` with {indicator: value}."""
    submitted = _at(report_due_date(year) - datetime.timedelta(days=10))
    created = ExecutionReport.objects.create(
        contract=root,
        version=version,
        year=year,
        due_on=report_due_date(year),
        status=status,
        submitted_at=submitted if status != ReportStatus.DRAFT else None,
        reviewed_at=_at(reviewed_on) if reviewed_on else None,
    )
    for indicator, value in values.items():
        ReportIndicatorValue.objects.create(report=created, indicator=indicator, value=D(value))
    return created


def indicators_of(contract):
    return {action.number: action.indicators.get() for action in contract.actions.all()}


class Known:
    """The territories, targets and contracts of the `known` fixture."""


@pytest.fixture
def known():
    k = Known()
    k.alpha = RegionFactory(code="84", name="Région Alpha")
    k.beta = RegionFactory(code="93", name="Région Bêta")
    k.gamma = RegionFactory(code="11", name="Région Gamma")
    k.rhone = DepartementFactory(code="69", name="Rhône", parent=k.alpha)
    k.isere = DepartementFactory(code="38", name="Isère", parent=k.alpha)
    k.lyon = EpciFactory(metropole=True, code="200046977", name="Métropole de Lyon", parent=k.rhone)
    k.bdr = DepartementFactory(code="13", name="Bouches-du-Rhône", parent=k.beta)
    k.paris = DepartementFactory(code="75", name="Paris", parent=k.gamma)
    k.axis = AxisFactory(number=1)
    k.measure = MeasureFactory(axis=k.axis, code="a3-r2", title="Logement d'abord")
    k.places = TargetFactory(
        measure=k.measure,
        code="places",
        label="Nouvelles places en pensions de famille",
        unit="places",
        target_value=D("1000"),
        target_year=2027,
    )
    k.rate = TargetFactory(
        measure=k.measure,
        code="taux",
        label="Taux de pauvreté des familles",
        unit="%",
        baseline_value=D("20"),
        baseline_year=2023,
        target_value=D("10"),
        target_year=2027,
    )
    k.reference = TargetFactory(measure=k.measure, reference=True, code="reference")
    k.regional = TargetFactory(regional=True, code="regional")

    k.rhone_contract = build_contract(
        k.rhone,
        actions=[
            action_data(k.axis, title="Pensions de famille", target="100", national_target=k.places),
            action_data(k.axis, title="Résidences sociales", target="30", national_target=k.places),
        ],
    )
    k.lyon_contract = build_contract(
        k.lyon, actions=[action_data(k.axis, title="Places Lyon", target="50", national_target=k.places)]
    )
    k.isere_draft = build_contract(
        k.isere, actions=[action_data(k.axis, target="999", national_target=k.places)], signed=False
    )
    k.bdr_initial = build_contract(
        k.bdr, actions=[action_data(k.axis, title="Places", target="70", national_target=k.places)]
    )
    amendment = services.create_amendment(k.bdr_initial, None, reason="Plus de places")
    services.save_action(
        amendment,
        action_data(k.axis, title="Places", target="80", national_target=k.places),
        action=amendment.actions.get(number=1),
    )
    amendment.status = ContractStatus.NEGOTIATION
    amendment.save()
    services.validate_contract(amendment, None, side="state")
    services.validate_contract(amendment, None, side="local")
    k.bdr_contract = services.sign_contract(
        amendment,
        None,
        signed_on=datetime.date(2025, 6, 1),
        state_signatory="Le préfet",
        local_signatory="Le président",
    )
    k.paris_contract = build_contract(k.paris, actions=[action_data(k.axis, title="Sans cible")])

    rhone = indicators_of(k.rhone_contract)
    report(
        k.rhone_contract,
        k.rhone_contract,
        2024,
        {rhone[1]: "90", rhone[2]: "20"},
        reviewed_on=datetime.date(2025, 4, 15),
    )
    report(
        k.rhone_contract,
        k.rhone_contract,
        2025,
        {rhone[1]: "120", rhone[2]: "25"},
        reviewed_on=datetime.date(2026, 4, 20),
    )
    lyon = indicators_of(k.lyon_contract)
    report(k.lyon_contract, k.lyon_contract, 2024, {lyon[1]: "40"}, reviewed_on=datetime.date(2025, 5, 2))
    report(k.lyon_contract, k.lyon_contract, 2025, {lyon[1]: "999"}, status=ReportStatus.SUBMITTED)
    bdr_old = indicators_of(k.bdr_initial)
    report(k.bdr_initial, k.bdr_initial, 2024, {bdr_old[1]: "60"}, reviewed_on=datetime.date(2025, 4, 30))
    return k


def row_of(data, code):
    return next(row for row in data.rows if row.code == code)


# --- Status bands (pure) -------------------------------------------------------------------------------------


def straight(value, year=2025, *, baseline="0", target="100"):
    """0 in 2023 → 100 in 2027 unless told: 50 % expected in 2025."""
    return barometer.assess(
        baseline_value=D(baseline),
        baseline_year=2023,
        target_value=D(target),
        target_year=2027,
        value=None if value is None else D(value),
        year=year,
    )


def test_a_value_of_40_in_2025_on_the_way_from_0_in_2023_to_100_in_2027_is_on_track_at_the_band_edge():
    trajectory = straight("40")
    assert trajectory.progress == 40
    assert trajectory.expected == 50
    assert trajectory.gap == -10
    assert trajectory.status == TrackStatus.ON_TRACK


def test_ahead_of_the_line_is_on_track():
    assert straight("60").status == TrackStatus.ON_TRACK
    assert straight("60").gap == 10


def test_between_10_and_25_points_behind_the_line_is_at_risk():
    assert straight("39.9").status == TrackStatus.AT_RISK
    assert straight("30").status == TrackStatus.AT_RISK
    assert straight("25").status == TrackStatus.AT_RISK


def test_more_than_25_points_behind_the_line_is_late():
    assert straight("24.9").status == TrackStatus.LATE
    assert straight("0").status == TrackStatus.LATE


def test_a_target_is_reached_at_100_percent_whatever_the_year():
    assert straight("100", 2024).status == TrackStatus.REACHED
    assert straight("130", 2026).status == TrackStatus.REACHED


def test_after_the_target_year_the_whole_way_is_expected():
    trajectory = straight("95", 2028)
    assert trajectory.expected == 100
    assert trajectory.status == TrackStatus.ON_TRACK
    assert straight("70", 2028).status == TrackStatus.LATE


def test_a_decreasing_target_reads_the_same_way():
    # 20 % in 2023 → 10 % in 2027: 17 % in 2025 is 30 % of the way, 50 % expected.
    trajectory = straight("17", baseline="20", target="10")
    assert trajectory.progress == 30
    assert trajectory.gap == -20
    assert trajectory.status == TrackStatus.AT_RISK
    assert straight("15", baseline="20", target="10").status == TrackStatus.ON_TRACK
    assert straight("9.5", baseline="20", target="10").status == TrackStatus.REACHED
    going_wrong = straight("22", baseline="20", target="10")
    assert going_wrong.progress == -20
    assert going_wrong.status == TrackStatus.LATE


def test_without_value_baseline_or_target_there_is_no_status():
    assert straight(None).status == TrackStatus.NO_DATA
    assert straight(None).reason == "Aucune valeur actuelle."
    unknown = barometer.assess(
        baseline_value=None,
        baseline_year=None,
        target_value=D("100"),
        target_year=2027,
        value=D("5"),
        year=2025,
    )
    assert unknown.status == TrackStatus.NO_DATA
    assert unknown.progress is None
    assert "départ" in unknown.reason
    not_quantified = barometer.assess(
        baseline_value=D("0"),
        baseline_year=2023,
        target_value=None,
        target_year=2027,
        value=D("5"),
        year=2025,
    )
    assert not_quantified.status == TrackStatus.NO_DATA


def test_a_flat_target_or_a_value_older_than_the_baseline_has_no_trajectory():
    assert straight("50", baseline="100", target="100").status == TrackStatus.NO_DATA
    old = straight("5", 2021)
    assert old.status == TrackStatus.NO_DATA
    assert "antérieure" in old.reason


def test_expected_progress_follows_the_straight_line_and_stays_between_0_and_100():
    assert [barometer.expected_progress(2023, 2027, year) for year in (2022, 2023, 2024, 2027, 2030)] == [
        0,
        0,
        25,
        100,
        100,
    ]
    assert barometer.expected_progress(2023, 2023, 2023) == 100
    assert barometer.expected_progress(2024, 2023, 2022) == 0


def test_the_tolerance_bands_are_named_constants():
    assert barometer.ON_TRACK_TOLERANCE == 10
    assert barometer.AT_RISK_TOLERANCE == 25
    assert barometer.PACTE_START_YEAR == 2023
    assert barometer.DEFAULT_TARGET_YEAR == 2027


# --- Baseline and target rules ---------------------------------------------------------------------------------


def test_the_baseline_of_the_referentiel_comes_first_dated_2023_when_its_year_is_missing():
    dated = TargetFactory.build(baseline_value=D("120000"), baseline_year=2022)
    assert barometer.baseline_of(dated) == barometer.Baseline(D("120000"), 2022, BaselineRule.REFERENTIEL)
    undated = TargetFactory.build(baseline_value=D("60000"), baseline_year=None)
    baseline = barometer.baseline_of(undated)
    assert (baseline.value, baseline.year) == (D("60000"), 2023)
    assert "2023" in baseline.explanation


def test_a_count_of_new_or_additional_things_starts_at_0_in_2023():
    for label in (
        "Nouvelles places d'intermédiation locative",
        "Nouveaux centres sociaux",
        "Crèches labellisées AVIP supplémentaires",
    ):
        baseline = barometer.baseline_of(TargetFactory.build(label=label, unit="places"))
        assert (baseline.value, baseline.year, baseline.rule) == (0, 2023, BaselineRule.NEW_THINGS)


def test_a_count_followed_by_contract_indicators_starts_at_0_and_anything_else_is_unknown():
    target = TargetFactory.build(label="Jeunes accompagnés", unit="jeunes")
    assert barometer.baseline_of(target).rule == BaselineRule.UNKNOWN
    assert not barometer.baseline_of(target).is_known
    assert barometer.baseline_of(target, has_contract_indicators=True).rule == BaselineRule.CONTRACTS
    percentage = TargetFactory.build(label="Nouvelles règles d'accès aux droits", unit="%")
    assert barometer.baseline_of(percentage, has_contract_indicators=True).rule == BaselineRule.UNKNOWN


def test_an_undated_target_is_due_in_2027():
    assert barometer.target_year_of(TargetFactory.build(target_year=None)) == 2027
    assert barometer.target_year_of(TargetFactory.build(target_year=2024)) == 2024


# --- The barometer on known data --------------------------------------------------------------------------------


def test_the_barometer_lists_the_national_targets_only(known):
    data = barometer.barometer(today=TODAY)
    assert [row.code for row in data.rows] == ["places", "taux"]


def test_contract_reports_add_the_latest_validated_report_of_each_convention(known):
    row = row_of(barometer.barometer(today=TODAY), "places")
    assert row.baseline == barometer.Baseline(D("0"), 2023, BaselineRule.NEW_THINGS)
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
    row = row_of(barometer.barometer(today=TODAY), "places")
    # The Bouches-du-Rhône avenant has 80 each year; the Isère draft never counts.
    assert row.contracts.committed_by_year == {2024: 260, 2025: 260, 2026: 260, 2027: 260}


def test_the_barometer_agrees_with_the_consolidation_of_the_contracts(known):
    cascade = {row.target.code: row for row in consolidation.target_cascade()}
    data = barometer.barometer(today=TODAY)
    for code in ("places", "taux"):
        row = row_of(data, code)
        assert row.contracts.committed == cascade[code].committed
        assert row.contracts.realised == cascade[code].realised
        assert row.contracts.contracts == cascade[code].contracts
        assert row.contracts.realising_contracts == cascade[code].realising_contracts


def test_the_national_figure_comes_first_and_both_sources_are_kept(known):
    indicator = IndicatorFactory(
        code="PLACES", label="Places en pensions de famille", national_target=known.places, count=True
    )
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("300"))
    ObservationFactory(indicator=indicator, national=True, period=2025, value=D("500"))
    ObservationFactory(
        indicator=indicator, period=2026, value=D("9999")
    )  # a département: not a national figure
    row = row_of(barometer.barometer(today=TODAY), "places")
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
    row = row_of(barometer.barometer(today=TODAY), "taux")
    assert row.national_figure.indicator == newer
    # 20 → 10: 17 in 2025 is 30 % of the way for 50 % expected.
    assert row.status == TrackStatus.AT_RISK


def test_secret_and_missing_national_values_are_not_values(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate)
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("19"))
    ObservationFactory(indicator=indicator, national=True, secret=True, period=2025)
    row = row_of(barometer.barometer(today=TODAY), "taux")
    assert (row.value, row.year) == (19, 2024)


def test_a_non_public_indicator_is_read_by_the_steering_only(known):
    indicator = IndicatorFactory(code="PLACES", national_target=known.places, restricted=True, count=True)
    ObservationFactory(indicator=indicator, national=True, period=2025, value=D("500"))
    public = row_of(barometer.barometer(today=TODAY), "places")
    assert public.national == []
    assert public.source == BarometerSource.CONTRACTS
    steering = row_of(barometer.barometer(today=TODAY, include_restricted=True), "places")
    assert steering.source == BarometerSource.NATIONAL
    assert steering.national_figure.is_restricted


def test_a_fictitious_value_is_labelled_and_never_trusted(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate)
    ObservationFactory(indicator=indicator, national=True, demo=True, period=2025, value=D("15"))
    data = barometer.barometer(today=TODAY)
    row = row_of(data, "taux")
    assert row.status == TrackStatus.ON_TRACK
    assert row.has_demo and data.has_demo
    assert row.confidence == BarometerConfidence.LOW
    assert "fictive" in row.confidence_reason


def test_an_old_official_figure_lowers_the_confidence(known):
    indicator = IndicatorFactory(code="T", national_target=known.rate, expected_lag_years=2)
    ObservationFactory(indicator=indicator, national=True, period=2024, value=D("18"))
    assert row_of(barometer.barometer(today=TODAY), "taux").confidence == BarometerConfidence.HIGH
    assert (
        row_of(barometer.barometer(today=datetime.date(2027, 1, 2)), "taux").confidence
        == BarometerConfidence.MEDIUM
    )


def test_old_or_sparse_contract_reports_lower_the_confidence(known):
    row = row_of(barometer.barometer(today=datetime.date(2028, 6, 1)), "places")
    assert row.confidence == BarometerConfidence.LOW
    assert "anciens" in row.confidence_reason
    ExecutionReport.objects.filter(contract__in=[known.lyon_contract, known.bdr_initial]).delete()
    row = row_of(barometer.barometer(today=TODAY), "places")
    assert (row.contracts.realising_contracts, row.contracts.contracts) == (1, 3)
    assert row.confidence == BarometerConfidence.LOW


def test_a_percentage_is_never_summed_across_contracts(known):
    other = build_contract(
        DepartementFactory(code="44", parent=known.beta),
        actions=[action_data(known.axis, target="40", national_target=known.rate, unit="pourcentage")],
    )
    report(other, other, 2024, {indicators_of(other)[1]: "35"})
    row = row_of(barometer.barometer(today=TODAY), "taux")
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
    row = row_of(barometer.barometer(today=TODAY), "maisons")
    # Rhône, Bouches-du-Rhône and Paris have a contract in force; the métropole and the draft do not count.
    assert row.departements == 3
    assert row.target_value == 3
    assert row.is_per_departement
    assert row.target == houses


def test_without_any_value_the_status_is_no_data(known):
    row = row_of(barometer.barometer(today=TODAY), "taux")
    assert row.value is None
    assert row.status == TrackStatus.NO_DATA
    assert row.confidence == BarometerConfidence.NONE
    assert row.last_value_date is None
    assert [status for status, count in barometer.barometer(today=TODAY).counts if count] == [
        TrackStatus.LATE,
        TrackStatus.NO_DATA,
    ]


def test_the_trajectory_table_gives_the_line_and_the_values_each_year(known):
    row = barometer.target_progress("places", today=TODAY)
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
        with pytest.raises(barometer.Target.DoesNotExist):
            barometer.target_progress(code, today=TODAY)


# --- Drill-down -------------------------------------------------------------------------------------------------


def test_the_regions_add_up_to_france_and_list_every_region_with_contracts(known):
    row = barometer.target_progress("places", today=TODAY)
    regions = barometer.by_region(row.contracts.contributions, row.contracts.commitment_year)
    assert [area.territory.name for area in regions] == ["Région Alpha", "Région Bêta", "Région Gamma"]
    figures = [area.figures for area in regions]
    assert [
        (f.committed, f.realised, f.contracts, len(a.contributions))
        for f, a in zip(figures, regions, strict=True)
    ] == [
        (180, 185, 2, 2),
        (80, 60, 1, 1),
        (None, None, 0, 1),
    ]
    assert sum(f.committed or 0 for f in figures) == row.contracts.committed == 260
    assert sum(f.realised or 0 for f in figures) == row.contracts.realised == 245
    assert regions[0].key == "region:84"


def test_a_metropole_is_its_own_row_and_never_counted_in_its_departement(known):
    row = barometer.target_progress("places", today=TODAY)
    areas = barometer.by_territory(row.contracts.contributions, known.alpha, 2027)
    assert [(area.territory.name, area.key) for area in areas] == [
        ("Rhône", "departement:69"),
        ("Métropole de Lyon", "metropole:200046977"),
    ]
    assert [(area.figures.committed, area.figures.realised) for area in areas] == [(130, 145), (50, 40)]
    own = barometer.of_territory(row.contracts.contributions, known.rhone)
    assert [item.contract for item in own] == [known.rhone_contract]
    assert barometer.ContractFigures(own, 2027).realised == 145
    assert [item.contract for item in barometer.metropoles_in(row.contracts.contributions, known.rhone)] == [
        known.lyon_contract
    ]


def test_the_fiches_actions_of_a_contract_show_their_yearly_targets_and_realisations(known):
    lines = barometer.action_lines(
        known.places, [c for c in consolidation.contracts_in_force() if c.pk == known.rhone_contract.pk]
    )
    assert [(line.number, line.title, line.committed_in(2027), line.realised) for line in lines] == [
        (1, "Pensions de famille", 100, 120),
        (2, "Résidences sociales", 30, 25),
    ]
    assert lines[0].indicators[0].label == "Personnes accompagnées"


def test_values_reported_on_a_former_version_reach_the_fiche_action_of_the_version_in_force(known):
    contracts = [c for c in consolidation.contracts_in_force() if c.pk == known.bdr_contract.pk]
    [line] = barometer.action_lines(known.places, contracts)
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
    stale = barometer.stale_indicators(today=TODAY)
    assert [(row.indicator, row.latest, row.threshold) for row in stale] == [
        (empty, None, 2024),
        (old, 2023, 2024),
    ]
    assert stale[0].reason == "Aucune valeur"
    assert hidden in [
        row.indicator for row in barometer.stale_indicators(today=TODAY, include_restricted=True)
    ]


def test_contracts_without_their_last_due_report_are_listed(known):
    assert barometer.missing_reports(today=datetime.date(2025, 3, 31)) is None
    missing = barometer.missing_reports(today=TODAY)
    # The 2025 report was due by 31 March 2026: Lyon only filed it (counts as filed), Bouches-du-Rhône and
    # Paris have nothing.
    assert (missing.year, missing.due_on) == (2025, datetime.date(2026, 3, 31))
    assert {contract.territory.name for contract in missing.contracts} == {"Bouches-du-Rhône", "Paris"}


# --- Queries ------------------------------------------------------------------------------------------------


def _grow(count: int, target, start: int) -> None:
    """`count` départements with a contract following `target` (and a métropole with its own for one in
    three), each with a validated report of 5; one national indicator and one more target each."""
    axis = AxisFactory(number=1)
    for index in range(start, start + count):
        region = RegionFactory(code=f"{20 + index % 7}", name=f"Région {index % 7}")
        departement = DepartementFactory(code=f"{index:03d}", name=f"Département {index}", parent=region)
        territories = [departement]
        if index % 3 == 0:
            territories.append(EpciFactory(metropole=True, code=f"2{index:08d}", parent=departement))
        for territory in territories:
            # A métropole's contract has an action on every axis.
            others = (
                [action_data(other) for other in Axis.objects.exclude(pk=axis.pk)]
                if territory.is_metropole
                else []
            )
            contract = build_contract(
                territory, actions=[action_data(axis, target="10", national_target=target), *others]
            )
            report(contract, contract, 2024, {indicators_of(contract)[1]: "5"})
        indicator = IndicatorFactory(code=f"I{index}", national_target=target, count=True)
        ObservationFactory(indicator=indicator, national=True, period=2024, value=D(index))
        TargetFactory(code=f"autre-{index}", label=f"Nouvelles choses {index}")


def _count(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_the_barometer_runs_the_same_queries_for_4_or_40_contracts():
    target = TargetFactory(code="places", label="Nouvelles places", unit="places")
    _grow(3, target, 0)
    small = _count(lambda: barometer.barometer(today=TODAY))
    small_detail = _count(lambda: barometer.target_progress("places", today=TODAY))
    _grow(27, target, 3)
    assert _count(lambda: barometer.barometer(today=TODAY)) == small == 7
    assert _count(lambda: barometer.target_progress("places", today=TODAY)) == small_detail == 8
    row = barometer.target_progress("places", today=TODAY)
    assert (row.contracts.contracts, row.contracts.realised) == (40, 200)


def test_the_fiches_actions_and_stale_lists_run_a_fixed_number_of_queries(known):
    contracts = consolidation.contracts_in_force()
    assert _count(lambda: barometer.action_lines(known.places, contracts)) == 3
    assert _count(lambda: barometer.stale_indicators(today=TODAY)) == 1
    assert _count(lambda: barometer.missing_reports(today=TODAY)) == 2
