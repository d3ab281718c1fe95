"""How the barometer judges a national target of the référentiel: the rules, from numbers only.

No database here: every function takes years and values and returns a judgement, so the rules read (and are
tested, in tests/observation/test_barometer_rules.py) on plain numbers. `reads` gathers the figures,
`figures` holds them and hands them to these rules.

**Starting point** (`starting_point`): the référentiel's baseline value and year (PACTE_START_YEAR, 2023, the
Pacte's start, when the year is not given); when the référentiel gives none and the target counts *new or
additional* things (a count whose label starts with "Nouvelles", "Nouveaux", "Nouvel", "Nouvelle",
"Nouveau" or contains "supplémentaire"), or is a count that contract indicators are linked to, 0 in 2023;
otherwise unknown.

**Target year** (`target_year`): the référentiel's, or DEFAULT_TARGET_YEAR (2027, the end of the Pacte).

**Current value** (`current_value`): the national figure (the latest value for France as a whole of the
statistical indicators following the target) first, else the sum of the contract reports (counts only:
percentages, ratios and unit amounts do not add up across territories).

**Status** (`assess`): the progress rate is (current − baseline) / (target − baseline), so that a target that
decreases (a rate of poverty) works the same way; the expected progress at the year of the current value lies
on the straight line from the baseline (0 %) to the target (100 %) and is clamped to 0-100 %; the gap is
progress − expected, in points:

- "atteinte": progress ≥ 100 %;
- "en_bonne_voie": gap ≥ −ON_TRACK_TOLERANCE (10 points);
- "a_surveiller": gap ≥ −AT_RISK_TOLERANCE (25 points);
- "en_retard": below;
- "sans_donnee": no current value, an unknown baseline or target, a target equal to its baseline, or a value
  older than the baseline year.

**Confidence** ("météo" of the data, `national_confidence`, `contract_confidence`): high for an official
national figure published within the indicator's usual lag; medium for an official figure older than that,
or for contract reports that are recent (report year ≥ current year − REPORT_LAG_YEARS) and cover at least
MIN_REPORT_COVERAGE (half) of the contracts concerned; low for older or sparse contract reports and for any
fictitious (demo) value.

The users' version of these rules is docs/barometre.md (« Les règles ») and the method note of the pages
(observation/_barometer_method.html, which reads the constants): change them together.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pacte import formatting
from pacte.contracts.enums import PERIOD_END
from pacte.observation.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# The Pacte starts in 2023: the year of a baseline without a year, and of the implicit baseline 0 of a target
# counting new things.
PACTE_START_YEAR = 2023
# The year of a target that the référentiel does not date: the end of the Pacte.
DEFAULT_TARGET_YEAR = PERIOD_END
# Tolerance bands, in points of progress below the expected progress on the straight line.
ON_TRACK_TOLERANCE = Decimal("10")
AT_RISK_TOLERANCE = Decimal("25")
# Contract reports are recent when their year is at least the current year minus this (the report of a year
# is due by 31 March of the next one).
REPORT_LAG_YEARS = 2
# Below this share of the contracts concerned having a validated report, the sum of reports is a weak signal.
MIN_REPORT_COVERAGE = Decimal("0.5")
# Labels of targets counting new or additional things (lower case, compared with the start of the label or
# anywhere in it).
NEW_THINGS_PREFIXES = ("nouvelles ", "nouveaux ", "nouvelle ", "nouveau ", "nouvel ")
ADDITIONAL_WORD = "supplémentaire"
# The order in which the statuses are counted and listed.
STATUS_ORDER = (
    TrackStatus.REACHED,
    TrackStatus.ON_TRACK,
    TrackStatus.AT_RISK,
    TrackStatus.LATE,
    TrackStatus.NO_DATA,
)


def rounded(value: Decimal | None) -> Decimal | None:
    """A rate or a value as shown: one decimal, half up."""
    return None if value is None else formatting.round_half_up(value, 1)


# --- Starting point and target year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    value: Decimal | None
    year: int | None
    rule: BaselineRule

    @property
    def is_known(self) -> bool:
        return self.value is not None and self.year is not None

    @property
    def explanation(self) -> str:
        if self.rule == BaselineRule.REFERENTIEL and self.year == PACTE_START_YEAR:
            return "Valeur de départ du référentiel (année non précisée : 2023, début du Pacte)"
        return self.rule.label


def counts_new_things(label: str, *, additive: bool) -> bool:
    """A count whose label says it counts new or additional things ("Nouvelles places…", "Enfants
    supplémentaires…")."""
    label = label.strip().lower()
    return additive and (label.startswith(NEW_THINGS_PREFIXES) or ADDITIONAL_WORD in label)


def starting_point(
    *,
    value: Decimal | None,
    year: int | None,
    label: str,
    additive: bool,
    has_contract_indicators: bool = False,
) -> Baseline:
    """The starting point of a target whose référentiel gives `value` in `year` (either may be None)."""
    if value is not None:
        return Baseline(value, year or PACTE_START_YEAR, BaselineRule.REFERENTIEL)
    if counts_new_things(label, additive=additive):
        return Baseline(ZERO, PACTE_START_YEAR, BaselineRule.NEW_THINGS)
    if has_contract_indicators and additive:
        return Baseline(ZERO, PACTE_START_YEAR, BaselineRule.CONTRACTS)
    return Baseline(None, None, BaselineRule.UNKNOWN)


def target_year(year: int | None) -> int:
    """The year a target is due: its own, else the end of the Pacte."""
    return year or DEFAULT_TARGET_YEAR


# --- Progress, expected progress, gap and status --------------------------------------------------------------


@dataclass(frozen=True)
class Trajectory:
    """Progress, expected progress and gap in % of the way from the baseline to the target."""

    status: TrackStatus
    progress: Decimal | None = None
    expected: Decimal | None = None
    reason: str = ""

    @property
    def gap(self) -> Decimal | None:
        if self.progress is None or self.expected is None:
            return None
        return self.progress - self.expected

    @property
    def progress_display(self) -> Decimal | None:
        return rounded(self.progress)

    @property
    def expected_display(self) -> Decimal | None:
        return rounded(self.expected)

    @property
    def gap_display(self) -> Decimal | None:
        return rounded(self.gap)


def expected_progress(baseline_year: int, target_year: int, year: int) -> Decimal:
    """Share (in %) of the way from baseline to target that the straight line reaches at `year`."""
    if target_year <= baseline_year:
        return HUNDRED if year >= target_year else ZERO
    share = Decimal(year - baseline_year) * HUNDRED / Decimal(target_year - baseline_year)
    return min(max(share, ZERO), HUNDRED)


def expected_value(baseline: Baseline, target_value: Decimal, target_year: int, year: int) -> Decimal:
    """The value on the straight line from the baseline to the target at `year`."""
    share = expected_progress(baseline.year, target_year, year) / HUNDRED
    return baseline.value + (target_value - baseline.value) * share


def assess(
    *,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    target_value: Decimal | None,
    target_year: int,
    value: Decimal | None,
    year: int | None,
) -> Trajectory:
    """The status of a target whose value was `value` in `year`."""
    if value is None or year is None:
        return Trajectory(TrackStatus.NO_DATA, reason="Aucune valeur actuelle.")
    if target_value is None:
        return Trajectory(TrackStatus.NO_DATA, reason="La cible n'est pas chiffrée.")
    if baseline_value is None or baseline_year is None:
        return Trajectory(TrackStatus.NO_DATA, reason="La situation de départ est inconnue.")
    if target_value == baseline_value:
        return Trajectory(TrackStatus.NO_DATA, reason="La cible est égale à la situation de départ.")
    if year < baseline_year:
        return Trajectory(
            TrackStatus.NO_DATA, reason="La dernière valeur est antérieure à la situation de départ."
        )
    progress = (Decimal(value) - baseline_value) * HUNDRED / (target_value - baseline_value)
    expected = expected_progress(baseline_year, target_year, year)
    if progress >= HUNDRED:
        status = TrackStatus.REACHED
    elif progress >= expected - ON_TRACK_TOLERANCE:
        status = TrackStatus.ON_TRACK
    elif progress >= expected - AT_RISK_TOLERANCE:
        status = TrackStatus.AT_RISK
    else:
        status = TrackStatus.LATE
    return Trajectory(status, progress, expected)


# --- Which value, and how far to trust it ---------------------------------------------------------------------


def current_value(
    national: tuple[int, Decimal] | None, contracts: Decimal | None, report_year: int | None
) -> tuple[BarometerSource | None, int | None, Decimal | None]:
    """(source, year, value) of the current value: the latest national figure (year, value) when there is
    one, else the sum of the contract reports of `report_year` (None for a target that does not add up)."""
    if national is not None:
        return BarometerSource.NATIONAL, national[0], national[1]
    if contracts is not None:
        return BarometerSource.CONTRACTS, report_year, contracts
    return None, None, None


NO_VALUE = (BarometerConfidence.NONE, "Aucune valeur actuelle.")


def national_confidence(
    *, period: int, lag: int, is_demo: bool, today: date
) -> tuple[BarometerConfidence, str]:
    """How far a national figure of `period` can be trusted, for an indicator usually published `lag` years
    after its year, and why (in French)."""
    if is_demo:
        return BarometerConfidence.LOW, f"Valeur nationale de {period} fictive (donnée de démonstration)."
    delay = formatting.plural(lag, "an")
    if period >= today.year - lag:
        return (
            BarometerConfidence.HIGH,
            f"Statistique officielle de {period}, à jour au regard du délai de publication habituel ({delay}).",
        )
    return (
        BarometerConfidence.MEDIUM,
        f"Statistique officielle de {period}, plus ancienne que le délai de publication habituel ({delay}).",
    )


def contract_confidence(
    *, reporting: int, linked: int, report_year: int, is_demo: bool, today: date
) -> tuple[BarometerConfidence, str]:
    """How far the sum of the reports of `reporting` contracts out of the `linked` ones following the target
    can be trusted, the latest being of `report_year`, and why (in French)."""
    share = f"{formatting.plural(reporting, 'contrat')} sur {linked}"
    if is_demo:
        return BarometerConfidence.LOW, "Rapports de contrats de démonstration (donnée fictive)."
    if report_year < today.year - REPORT_LAG_YEARS:
        return (
            BarometerConfidence.LOW,
            f"Rapports d'exécution anciens (dernier rapport validé : {report_year}).",
        )
    if linked and Decimal(reporting) / Decimal(linked) < MIN_REPORT_COVERAGE:
        return BarometerConfidence.LOW, f"Peu de rapports d'exécution validés ({share})."
    return (
        BarometerConfidence.MEDIUM,
        f"Somme déclarative des rapports d'exécution validés ({share}), sans statistique nationale.",
    )
