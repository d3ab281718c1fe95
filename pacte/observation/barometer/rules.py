"""How the barometer judges a national target of the référentiel: the rules, from numbers only.

No database here: every function takes years and values and returns a judgement, so the rules read (and are
tested, in tests/observation/test_barometer_rules.py) on plain numbers. `reads` gathers the figures,
`figures` holds them and hands them to these rules.

**Starting point** (`starting_point`), which never depends on which data are present: the référentiel's baseline
value and year (PACTE_START_YEAR, 2023, when the year is not given); else the published base level of the target
(`nature: base` in data/chiffres_nationaux.yaml: a relative target, or new things added to a published stock);
else, for a count of *new or additional* things (a label starting with "Nouvelles", "Nouveaux", "Nouvel",
"Nouvelle", "Nouveau" or containing "supplémentaire"), 0 in 2023; otherwise unknown.

**Objective** (`objective`): a level target's value (× the départements for a target set per département: all
the départements of the COG nationally, the région's in its drill-down); a relative target (`variation`: a change
in %, `multiplicateur`: × n) computed from its starting point; new things counted on a published stock: the stock
plus the target.

**Target year**: the référentiel's; none is « horizon non daté » (no 2027 default): no trajectory, no expected
progress; such a target is « atteinte » at 100 % and « horizon non daté » otherwise.

**Current value** (`current_value`): for the target « 39 territoires zéro non-recours », which the platform's
register bears (`pacte.tznr.queries.TARGET_CODE`), the register's count of the territories selected by the arrêté
du 4 août 2023 (`register_confidence`: high when each is named by a source, medium otherwise); for the others, the
national statistic only (the latest published figure of
data/chiffres_nationaux.yaml or the latest value for France of the statistical indicators following the target).
The sum of the contract reports is the « contribution des contrats locaux », shown beside it, one report year at a
time; it is the current value only for a target the référentiel declares borne by the contracts
(`borne_by_contracts`).

**Status** (`assess`): the progress rate is (current − baseline) / (objective − baseline), so that a target that
decreases (a rate of poverty) works the same way; the expected progress at the year of the current value lies
on the straight line from the baseline (0 %) to the target (100 %) and is clamped to 0-100 %; the gap is
progress − expected, in points:

- "atteinte": progress ≥ 100 %; or, for a count, a value at or above the objective even without a known starting
  point;
- "en_bonne_voie": gap ≥ −ON_TRACK_TOLERANCE (10 points);
- "a_surveiller": gap ≥ −AT_RISK_TOLERANCE (25 points);
- "en_retard": below;
- "horizon_non_date": an undated target not reached;
- "sans_donnee": no current value, an unknown baseline or objective, an objective equal to its baseline, or a
  value older than the baseline year.

A source may publish the share of the objective reached instead of a level (« La moitié des 30 000 places
d'intermédiation locative promises d'ici à 2027 a été créée »: `nature: part` in data/chiffres_nationaux.yaml):
that share is the progress itself, judged against the expected progress of its year in the same way; no value
in the target's unit is derived from it.

**Confidence** ("météo" of the data, `national_confidence`, `published_confidence`, `contract_confidence`): for an
indicator's national figure, high when published within the indicator's usual lag, medium when older; for a
published figure of the file, its reliability (A official source read first-hand: high; B official figure
reported by the press: medium; C secondary source: low); for contract reports (targets borne by the contracts),
medium when recent (report year ≥ current year − REPORT_LAG_YEARS) and covering at least MIN_REPORT_COVERAGE
(half) of the contracts concerned, low otherwise; low for any fictitious (demo) value.

The users' version of these rules is docs/barometre.md (« Les règles ») and the method note of the pages
(observation/_barometer_method.html, which reads the constants): change them together.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pacte import formatting
from pacte.observation.barometer.enums import BarometerConfidence, BarometerSource, BaselineRule, TrackStatus
from pacte.programme import rules as referentiel
from pacte.programme.enums import TargetComparison

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# The Pacte starts in 2023: the year of a baseline without a year, and of the implicit baseline 0 of a target
# counting new things.
PACTE_START_YEAR = 2023
# What the barometer says of a target the référentiel does not date.
UNDATED_HORIZON = referentiel.UNDATED_HORIZON
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
    TrackStatus.UNDATED,
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
    published: tuple[int, Decimal] | None = None,
) -> Baseline:
    """The starting point of a target whose référentiel gives `value` in `year` (either may be None), with its
    published base level `published` (year, value) if any. Never the data that happen to be present: the
    contracts linked to the target or the reports filed do not change it."""
    if value is not None:
        return Baseline(value, year or PACTE_START_YEAR, BaselineRule.REFERENTIEL)
    if published is not None:
        return Baseline(published[1], published[0], BaselineRule.PUBLISHED)
    if counts_new_things(label, additive=additive):
        return Baseline(ZERO, PACTE_START_YEAR, BaselineRule.NEW_THINGS)
    return Baseline(None, None, BaselineRule.UNKNOWN)


def objective(
    *,
    comparison: str,
    target_value: Decimal | None,
    baseline: Baseline,
    departements: int | None = None,
    new_things: bool = False,
) -> Decimal | None:
    """The value to reach: a level (× `departements` for a target set per département; plus the published stock
    for new things counted on a stock), or a change from the starting point (`variation`: the signed % change;
    `multiplicateur`: the factor). None when it cannot be computed (no value, or a relative target without a
    known starting point; the relative rules are the référentiel's, `programme.rules.objective_value`)."""
    if target_value is None:
        return None
    if comparison != TargetComparison.LEVEL:
        return referentiel.objective_value(comparison, target_value, baseline.value)
    if departements is not None:
        return target_value * departements if departements else None
    if new_things and baseline.rule == BaselineRule.PUBLISHED:
        return baseline.value + target_value
    return target_value


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
    target_year: int | None,
    value: Decimal | None,
    year: int | None,
    count: bool = False,
    share: Decimal | None = None,
) -> Trajectory:
    """The status of a target whose value was `value` in `year`; `target_year` None: « horizon non daté ».
    `count`: the target is a number to reach (a count), so a value at or above it is « atteinte » even without a
    known starting point. `share`: the source published how far the target got (in % of the way, « la moitié
    des 30 000 places a été créée »: 50) instead of a level: it is the progress itself, `value` is not used."""
    if share is not None and year is not None:
        return _assess_progress(Decimal(share), baseline_year or PACTE_START_YEAR, target_year, year)
    if value is None or year is None:
        return Trajectory(TrackStatus.NO_DATA, reason="Aucune valeur nationale publiée.")
    if target_value is None:
        return Trajectory(TrackStatus.NO_DATA, reason="L'objectif n'est pas chiffré.")
    if baseline_value is None or baseline_year is None:
        if count and value >= target_value:
            return Trajectory(
                TrackStatus.REACHED, reason="La valeur atteint l'objectif (situation de départ inconnue)."
            )
        return Trajectory(TrackStatus.NO_DATA, reason="La situation de départ est inconnue.")
    if target_value == baseline_value:
        return Trajectory(TrackStatus.NO_DATA, reason="La cible est égale à la situation de départ.")
    progress = (Decimal(value) - baseline_value) * HUNDRED / (target_value - baseline_value)
    return _assess_progress(progress, baseline_year, target_year, year)


def _assess_progress(progress: Decimal, baseline_year: int, target_year: int | None, year: int) -> Trajectory:
    """The status of `progress` (% of the way from the baseline to the target) reached in `year`."""
    if year < baseline_year:
        return Trajectory(
            TrackStatus.NO_DATA, reason="La dernière valeur est antérieure à la situation de départ."
        )
    if target_year is None:
        if progress >= HUNDRED:
            return Trajectory(TrackStatus.REACHED, progress)
        return Trajectory(
            TrackStatus.UNDATED, progress, reason="Horizon non daté : pas de trajectoire attendue."
        )
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
    national: tuple[int, Decimal] | None,
    contracts: tuple[int, Decimal] | None,
    *,
    borne_by_contracts: bool,
    register: tuple[int, Decimal] | None = None,
) -> tuple[BarometerSource | None, int | None, Decimal | None]:
    """(source, year, value) of the current value: for the target borne by a register of the platform (the
    territoires zéro non-recours), the register's count (year, value); otherwise the latest national figure (year,
    value); for a target borne by the contracts only, the sum of the contract reports of one year (year, value)
    when there is no national figure. Never the contracts' sum for another target: it is shown beside, as their
    contribution."""
    if register is not None:
        return BarometerSource.REGISTER, register[0], register[1]
    if national is not None:
        return BarometerSource.NATIONAL, national[0], national[1]
    if borne_by_contracts and contracts is not None:
        return BarometerSource.CONTRACTS, contracts[0], contracts[1]
    return None, None, None


NO_VALUE = (BarometerConfidence.NONE, "Aucune valeur nationale publiée.")
# The confidence of a published figure of data/chiffres_nationaux.yaml, from its reliability.
PUBLISHED_CONFIDENCE = {
    "A": (BarometerConfidence.HIGH, "Chiffre officiel lu à sa source ({period})."),
    "B": (
        BarometerConfidence.MEDIUM,
        "Chiffre officiel rapporté par un tiers : presse, média institutionnel ou copie d'un jeu officiel "
        "({period}).",
    ),
    "C": (BarometerConfidence.LOW, "Chiffre lu dans une source secondaire ({period})."),
}


def published_confidence(*, reliability: str, period: str) -> tuple[BarometerConfidence, str]:
    """How far a published figure of the file can be trusted (A, B or C), and why (in French)."""
    confidence, reason = PUBLISHED_CONFIDENCE.get(reliability, PUBLISHED_CONFIDENCE["C"])
    return confidence, reason.format(period=period)


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


def register_confidence(*, value: int, identified: int) -> tuple[BarometerConfidence, str]:
    """How far the register's count of the territories selected by the arrêté can be trusted, and why: high when
    every territory is named by a source, medium when some are counted from the arrêté's total only."""
    if identified >= value:
        return (
            BarometerConfidence.HIGH,
            f"Registre de la plateforme : {formatting.plural(value, 'territoire')} de l'arrêté du 4 août 2023, "
            "chacun avec sa source.",
        )
    return (
        BarometerConfidence.MEDIUM,
        f"Registre de la plateforme : {formatting.plural(value, 'territoire')} de l'arrêté du 4 août 2023, dont "
        f"{formatting.plural(value - identified, 'non identifié', 'non identifiés')} (nom non lu dans une copie "
        "publique du texte).",
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
