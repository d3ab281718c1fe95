"""How the barometer judges a target, on plain numbers: the status bands, the expected progress, the starting
point and the target year (pacte.observation.barometer.rules, which reads no database)."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

from pacte.observation.barometer import figures, rules
from pacte.observation.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus
from tests.programme.factories import TargetFactory

D = Decimal


# --- Status bands (pure) -------------------------------------------------------------------------------------


def straight(value, year=2025, *, baseline="0", target="100"):
    """0 in 2023 → 100 in 2027 unless told: 50 % expected in 2025."""
    return rules.assess(
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
    unknown = rules.assess(
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
    not_quantified = rules.assess(
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
    assert [rules.expected_progress(2023, 2027, year) for year in (2022, 2023, 2024, 2027, 2030)] == [
        0,
        0,
        25,
        100,
        100,
    ]
    assert rules.expected_progress(2023, 2023, 2023) == 100
    assert rules.expected_progress(2024, 2023, 2022) == 0


def test_the_tolerance_bands_are_named_constants():
    assert rules.ON_TRACK_TOLERANCE == 10
    assert rules.AT_RISK_TOLERANCE == 25
    assert rules.PACTE_START_YEAR == 2023
    assert rules.DEFAULT_TARGET_YEAR == 2027


# --- Baseline and target rules ---------------------------------------------------------------------------------


def test_the_baseline_of_the_referentiel_comes_first_dated_2023_when_its_year_is_missing():
    dated = TargetFactory.build(baseline_value=D("120000"), baseline_year=2022)
    assert figures.baseline_of(dated) == rules.Baseline(D("120000"), 2022, BaselineRule.REFERENTIEL)
    undated = TargetFactory.build(baseline_value=D("60000"), baseline_year=None)
    baseline = figures.baseline_of(undated)
    assert (baseline.value, baseline.year) == (D("60000"), 2023)
    assert "2023" in baseline.explanation


def test_a_count_of_new_or_additional_things_starts_at_0_in_2023():
    for label in (
        "Nouvelles places d'intermédiation locative",
        "Nouveaux centres sociaux",
        "Crèches labellisées AVIP supplémentaires",
    ):
        baseline = figures.baseline_of(TargetFactory.build(label=label, unit="places"))
        assert (baseline.value, baseline.year, baseline.rule) == (0, 2023, BaselineRule.NEW_THINGS)


def test_a_count_followed_by_contract_indicators_starts_at_0_and_anything_else_is_unknown():
    target = TargetFactory.build(label="Jeunes accompagnés", unit="jeunes")
    assert figures.baseline_of(target).rule == BaselineRule.UNKNOWN
    assert not figures.baseline_of(target).is_known
    assert figures.baseline_of(target, has_contract_indicators=True).rule == BaselineRule.CONTRACTS
    percentage = TargetFactory.build(label="Nouvelles règles d'accès aux droits", unit="%")
    assert figures.baseline_of(percentage, has_contract_indicators=True).rule == BaselineRule.UNKNOWN


def test_an_undated_target_is_due_in_2027():
    assert figures.target_year_of(TargetFactory.build(target_year=None)) == 2027
    assert figures.target_year_of(TargetFactory.build(target_year=2024)) == 2024


def test_a_new_things_count_starts_at_0_from_its_label_and_unit_alone():
    baseline = rules.starting_point(value=None, year=None, label="Nouveaux centres sociaux", additive=True)
    assert baseline == rules.Baseline(D("0"), 2023, BaselineRule.NEW_THINGS)
    rate = rules.starting_point(value=None, year=None, label="Nouveaux taux", additive=False)
    assert rate.rule == BaselineRule.UNKNOWN


# --- Which value, and how far to trust it ---------------------------------------------------------------------


def test_the_national_figure_comes_before_the_contract_reports():
    assert rules.current_value((2025, D("500")), D("245"), 2025) == (BarometerSource.NATIONAL, 2025, D("500"))
    assert rules.current_value(None, D("245"), 2025) == (BarometerSource.CONTRACTS, 2025, D("245"))
    assert rules.current_value(None, None, 2025) == (None, None, None)


def test_an_official_figure_is_trusted_within_its_usual_publication_lag():
    high, reason = rules.national_confidence(
        period=2024, lag=2, is_demo=False, today=datetime.date(2026, 5, 1)
    )
    assert high == BarometerConfidence.HIGH
    assert reason.endswith("(2 ans).")
    medium, _ = rules.national_confidence(period=2023, lag=2, is_demo=False, today=datetime.date(2026, 5, 1))
    assert medium == BarometerConfidence.MEDIUM
    demo, reason = rules.national_confidence(
        period=2025, lag=1, is_demo=True, today=datetime.date(2026, 5, 1)
    )
    assert demo == BarometerConfidence.LOW and "fictive" in reason


def test_contract_reports_are_trusted_when_recent_and_covering_half_the_contracts():
    today = datetime.date(2026, 5, 1)
    medium, reason = rules.contract_confidence(
        reporting=2, linked=4, report_year=2024, is_demo=False, today=today
    )
    assert medium == BarometerConfidence.MEDIUM
    assert "(2 contrats sur 4)" in reason
    sparse, reason = rules.contract_confidence(
        reporting=1, linked=3, report_year=2025, is_demo=False, today=today
    )
    assert sparse == BarometerConfidence.LOW and "(1 contrat sur 3)" in reason
    old, _ = rules.contract_confidence(reporting=3, linked=3, report_year=2023, is_demo=False, today=today)
    assert old == BarometerConfidence.LOW
    demo, _ = rules.contract_confidence(reporting=3, linked=3, report_year=2025, is_demo=True, today=today)
    assert demo == BarometerConfidence.LOW


def test_the_rules_read_no_database():
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {
        "dataclasses",
        "datetime",
        "decimal",
        "pacte",
        "pacte.contracts.enums",
        "pacte.observation.enums",
    }
