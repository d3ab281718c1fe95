"""The rules a figure of the référentiel follows, written once: the checks of `data/referentiel.yaml`
(`schemas.TargetItem`) and of the model (`Target.clean`, hence the admin and `services.update_target`) call them.

A figure has a nature (`TargetKind`, docs/referentiel.md « Nature d'un chiffre »):

- a target (« cible ») is a value to reach, by a year when a source dates it (`target_year`; none: « horizon non
  daté », never a default year). Its value reads as a level, or relative to its base year (`comparison`): a change
  in % (`variation`, −20 for « réduire de 20 % ») or a multiplier (`multiplicateur`, 3 for « multiplication par
  3 »); `objective_value` turns it into the level to reach once the base value is known. A baseline always has
  its year;
- a reference value (« valeur de référence »), a reform already in force (« réforme en vigueur ») or a parameter
  of a scheme (« paramètre ») frames the targets: its value is noted in `baseline_value` (with its year), never as
  a value to reach. A reform carries the date it came into force and the source saying so.
"""

from collections.abc import Iterator
from decimal import Decimal

from pacte.programme.enums import TargetComparison, TargetKind, TargetScope

# A problem found in a figure: (field name, French message in lower case, without a final stop).
Problem = tuple[str, str]

# What the platform says of a target that no source dates.
UNDATED_HORIZON = "horizon non daté"

# The natures that are not targets: their value is noted in baseline_value.
FRAMING_KINDS = frozenset({TargetKind.REFERENCE, TargetKind.REFORM, TargetKind.PARAMETER})

HUNDRED = Decimal("100")


def objective_value(
    comparison: str, target_value: Decimal | None, base_value: Decimal | None
) -> Decimal | None:
    """The level a target asks for. A level is its own value; a change in % or a multiplier applies to the value of
    the base year (`base_value`): −20 % of 0.25 is 0.2, ×3 of 400 is 1200. None when a relative target's base value
    is not known (or the target has no value)."""
    if target_value is None:
        return None
    if comparison == TargetComparison.LEVEL:
        return target_value
    if base_value is None:
        return None
    if comparison == TargetComparison.CHANGE:
        return base_value * (HUNDRED + target_value) / HUNDRED
    if comparison == TargetComparison.MULTIPLIER:
        return base_value * target_value
    raise ValueError(f"unknown comparison: {comparison!r}")


def horizon_label(target_year: int | None) -> str:
    """« 2027 », or « horizon non daté » for a target no source dates."""
    return str(target_year) if target_year is not None else UNDATED_HORIZON


def target_problems(figure, *, has_territory: bool) -> Iterator[Problem]:
    """The inconsistencies between the fields of one figure of the référentiel: `figure` is a Target or an item of
    the file (anything with the fields of a Target)."""
    kind, scope = figure.kind, figure.scope
    baseline_value, baseline_year = figure.baseline_value, figure.baseline_year
    target_value, target_year = figure.target_value, figure.target_year
    if kind == TargetKind.TARGET:
        yield from _target_rules(figure)
    if kind in FRAMING_KINDS:
        if baseline_value is None:
            yield "baseline_value", f"{_kind_label(kind)} se note dans baseline_value"
        if target_value is not None or target_year is not None:
            yield "target_value", f"{_kind_label(kind)} n'a ni valeur cible ni année cible"
    yield from _in_force_rules(figure)
    if baseline_year is not None and baseline_value is None and figure.comparison == TargetComparison.LEVEL:
        yield "baseline_year", "année de départ sans valeur de départ"
    if target_year is not None and target_value is None:
        yield "target_year", "année cible sans valeur cible"
    if baseline_year and target_year and target_year < baseline_year:
        yield "target_year", "l'année cible précède l'année de départ"
    if figure.horizon_source and target_year is None:
        yield "horizon_source", "la source d'une échéance va avec une année cible"
    if scope == TargetScope.TERRITORY and not has_territory:
        yield "territory", "le périmètre « territoire » demande un territoire"
    if scope != TargetScope.TERRITORY and has_territory:
        yield "territory", "un territoire ne se renseigne qu'avec le périmètre « territoire »"


def _kind_label(kind: str) -> str:
    """« une valeur de référence », « une réforme en vigueur », « un paramètre »."""
    article = "un" if kind == TargetKind.PARAMETER else "une"
    return f"{article} {TargetKind(kind).label.lower()}"


def _target_rules(figure) -> Iterator[Problem]:
    comparison, target_value = figure.comparison, figure.target_value
    if target_value is None:
        yield "target_value", "une cible doit avoir une valeur cible"
    if figure.baseline_value is not None and figure.baseline_year is None:
        yield "baseline_year", "la valeur de départ d'une cible a son année"
    if comparison != TargetComparison.LEVEL and figure.baseline_year is None:
        yield "baseline_year", "une cible relative (variation ou multiplication) a son année de base"
    if comparison == TargetComparison.MULTIPLIER and target_value is not None and target_value <= 0:
        yield "target_value", "un multiplicateur est un nombre positif (3 pour « multiplier par 3 »)"
    if comparison == TargetComparison.CHANGE and target_value is not None and target_value <= -HUNDRED:
        yield "target_value", "une baisse ne dépasse pas 100 % (−20 pour « réduire de 20 % »)"
    if figure.borne_by_contracts and not figure.contracts_reason:
        yield "contracts_reason", "une cible portée par les contrats locaux dit pourquoi, avec sa source"


def _in_force_rules(figure) -> Iterator[Problem]:
    kind = figure.kind
    if kind == TargetKind.REFORM and figure.in_force_on is None:
        yield "in_force_on", "une réforme en vigueur a sa date d'entrée en vigueur"
    if figure.in_force_on is not None and kind not in (TargetKind.REFORM, TargetKind.PARAMETER):
        yield "in_force_on", "une date d'entrée en vigueur ne va qu'avec une réforme ou un paramètre"
    if figure.in_force_on is not None and not figure.in_force_source:
        yield (
            "in_force_source",
            "une date d'entrée en vigueur cite sa source (document, date, adresse, phrase)",
        )
    if kind != TargetKind.TARGET:
        if figure.comparison != TargetComparison.LEVEL:
            yield "comparison", "seule une cible se compare à son année de base"
        if figure.borne_by_contracts:
            yield "borne_by_contracts", "seule une cible peut être portée par les contrats locaux"
