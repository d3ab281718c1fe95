"""How the barometer judges a target, on plain numbers: the status bands, the expected progress, the starting
point and the target year (pacte.observation.barometer.rules, which reads no database)."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

from pacte.observation.barometer import figures, rules
from pacte.observation.barometer.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus
from tests.programme.factories import TargetFactory

D = Decimal


# --- Status bands (pure) -------------------------------------------------------------------------------------


def straight(value, year=2025, *, baseline="0", target="100", target_year=2027):
    """0 in 2023 → 100 in 2027 unless told: 50 % expected in 2025."""
    return rules.assess(
        baseline_value=D(baseline),
        baseline_year=2023,
        target_value=D(target),
        target_year=target_year,
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
    assert straight(None).reason == "Aucune valeur nationale publiée."
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

    # A count at or above its objective is reached whatever its starting point (2 840 France services for 2 750).
    def count(value):
        return rules.assess(
            baseline_value=None,
            baseline_year=None,
            target_value=D("2750"),
            target_year=2023,
            value=D(value),
            year=2024,
            count=True,
        )

    assert (count("2840").status, count("2840").progress) == (TrackStatus.REACHED, None)
    assert count("2700").status == TrackStatus.NO_DATA
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
    assert rules.UNDATED_HORIZON == "horizon non daté"


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


def test_a_baseline_never_depends_on_the_contracts_and_anything_else_is_unknown():
    # The former rule « 0 in 2023 once a contract indicator is linked » made the baseline move with the data.
    target = TargetFactory.build(label="Jeunes accompagnés", unit="jeunes")
    assert figures.baseline_of(target).rule == BaselineRule.UNKNOWN
    assert not figures.baseline_of(target).is_known
    assert "has_contract_indicators" not in figures.baseline_of.__code__.co_varnames


def test_a_published_base_level_is_the_baseline_when_the_referentiel_gives_none():
    published = rules.starting_point(
        value=None, year=None, label="Nouvelles places", additive=True, published=(2022, D("1312000"))
    )
    assert published == rules.Baseline(D("1312000"), 2022, BaselineRule.PUBLISHED)
    referentiel = rules.starting_point(
        value=D("10"), year=2021, label="Taux", additive=False, published=(2022, D("12"))
    )
    assert referentiel.rule == BaselineRule.REFERENTIEL


def test_relative_targets_are_computed_from_their_base():
    base = rules.Baseline(D("730"), 2021, BaselineRule.PUBLISHED)
    change = rules.objective(comparison="variation", target_value=D("50"), baseline=base)
    assert change == D("1095")
    fall = rules.objective(comparison="variation", target_value=D("-20"), baseline=base)
    assert fall == D("584")
    assert rules.objective(comparison="multiplicateur", target_value=D("3"), baseline=base) == D("2190")
    unknown = rules.Baseline(None, None, BaselineRule.UNKNOWN)
    assert rules.objective(comparison="multiplicateur", target_value=D("2"), baseline=unknown) is None
    assert rules.objective(comparison="niveau", target_value=D("2"), baseline=unknown) == 2


def test_a_target_per_departement_and_new_things_on_a_published_stock():
    zero = rules.Baseline(D("0"), 2023, BaselineRule.NEW_THINGS)
    assert rules.objective(comparison="niveau", target_value=D("1"), baseline=zero, departements=101) == 101
    assert rules.objective(comparison="niveau", target_value=D("1"), baseline=zero, departements=0) is None
    stock = rules.Baseline(D("1312000"), 2022, BaselineRule.PUBLISHED)
    assert (
        rules.objective(comparison="niveau", target_value=D("200000"), baseline=stock, new_things=True)
        == 1512000
    )


def test_an_undated_target_has_no_trajectory_and_is_reached_at_100_percent_only():
    undated = straight("40", target_year=None)
    assert (undated.status, undated.progress, undated.expected) == (TrackStatus.UNDATED, 40, None)
    assert "non daté" in undated.reason
    assert straight("100", target_year=None).status == TrackStatus.REACHED


def test_a_published_share_of_the_objective_is_the_progress_itself():
    half = rules.assess(
        baseline_value=None,
        baseline_year=None,
        target_value=None,
        target_year=2027,
        value=None,
        year=2025,
        share=D("50"),
    )
    assert (half.status, half.progress, half.expected) == (TrackStatus.ON_TRACK, 50, 50)  # from 2023
    third = rules.assess(
        baseline_value=D("0"),
        baseline_year=2023,
        target_value=D("10000"),
        target_year=2027,
        value=None,
        year=2025,
        share=D("33.33"),
    )
    assert (third.status, third.gap) == (TrackStatus.AT_RISK, D("-16.67"))
    undated = rules.assess(
        baseline_value=None,
        baseline_year=None,
        target_value=None,
        target_year=None,
        value=None,
        year=2025,
        share=D("100"),
    )
    assert undated.status == TrackStatus.REACHED


def test_a_new_things_count_starts_at_0_from_its_label_and_unit_alone():
    baseline = rules.starting_point(value=None, year=None, label="Nouveaux centres sociaux", additive=True)
    assert baseline == rules.Baseline(D("0"), 2023, BaselineRule.NEW_THINGS)
    rate = rules.starting_point(value=None, year=None, label="Nouveaux taux", additive=False)
    assert rate.rule == BaselineRule.UNKNOWN


# --- Which value, and how far to trust it ---------------------------------------------------------------------


def test_the_status_comes_from_the_national_figure_and_never_from_contract_sums_unless_borne_by_them():
    national, contracts = (2025, D("500")), (2025, D("245"))
    assert rules.current_value(national, contracts, borne_by_contracts=False) == (
        BarometerSource.NATIONAL,
        2025,
        D("500"),
    )
    assert rules.current_value(None, contracts, borne_by_contracts=False) == (None, None, None)
    assert rules.current_value(None, contracts, borne_by_contracts=True) == (
        BarometerSource.CONTRACTS,
        2025,
        D("245"),
    )
    assert rules.current_value(national, contracts, borne_by_contracts=True)[0] == BarometerSource.NATIONAL


def test_a_published_figure_is_trusted_by_its_reliability():
    assert rules.published_confidence(reliability="A", period="2024")[0] == BarometerConfidence.HIGH
    assert rules.published_confidence(reliability="B", period="2024")[0] == BarometerConfidence.MEDIUM
    low, reason = rules.published_confidence(reliability="C", period="juin 2023")
    assert low == BarometerConfidence.LOW and "juin 2023" in reason


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
        "pacte.observation.barometer.enums",
        "pacte.programme",
        "pacte.programme.enums",
    }
