"""The rules a figure of the référentiel follows, written once: the checks of `data/referentiel.yaml`
(`schemas.TargetItem`) and of the model (`Target.clean`, hence the admin and `services.update_target`) call them.

A target (« cible ») is a value to reach by a year; a reference value (« valeur de référence ») is a published
fact that frames it, noted as its baseline (docs/referentiel.md).
"""

from collections.abc import Iterator

from pacte.programme.enums import TargetKind, TargetScope

# A problem found in a figure: (field name, French message in lower case, without a final stop).
Problem = tuple[str, str]


def target_problems(figure, *, has_territory: bool) -> Iterator[Problem]:
    """The inconsistencies between the fields of one target or reference value: `figure` is a Target or an item of
    the file (anything with `kind`, `scope`, `baseline_value`, `baseline_year`, `target_value`, `target_year`)."""
    kind, scope = figure.kind, figure.scope
    baseline_value, baseline_year = figure.baseline_value, figure.baseline_year
    target_value, target_year = figure.target_value, figure.target_year
    if kind == TargetKind.TARGET and target_value is None:
        yield "target_value", "une cible doit avoir une valeur cible"
    if kind == TargetKind.REFERENCE:
        if baseline_value is None:
            yield "baseline_value", "une valeur de référence se note dans baseline_value"
        if target_value is not None or target_year is not None:
            yield "target_value", "une valeur de référence n'a ni valeur cible ni année cible"
    if baseline_year is not None and baseline_value is None:
        yield "baseline_year", "année de départ sans valeur de départ"
    if target_year is not None and target_value is None:
        yield "target_year", "année cible sans valeur cible"
    if baseline_year and target_year and target_year < baseline_year:
        yield "target_year", "l'année cible précède l'année de départ"
    if scope == TargetScope.TERRITORY and not has_territory:
        yield "territory", "le périmètre « territoire » demande un territoire"
    if scope != TargetScope.TERRITORY and has_territory:
        yield "territory", "un territoire ne se renseigne qu'avec le périmètre « territoire »"
