"""Load the national référentiel from its reviewed YAML file (docs/referentiel.md).

The load is repeatable. Each row keeps the sha256 of its YAML item (`source_hash`): an item whose
hash has not changed is left alone, so edits made later in the admin survive a reload; a changed
item overwrites its row; a new item creates one. Rows that came from the file and are no longer in
it are deleted when nothing else references them, and the report names them either way. The whole
load is one transaction: a bad file leaves the database as it was.

A target that an indicator follows (a contract's `ActionIndicator.national_target`, PROTECT; the observation's
`Indicator.national_target`) never disappears silently: removed from the file, it is kept and marked withdrawn
(`Target.withdrawn`: no longer a national target); reclassified (a reform in force, a parameter…), it keeps its
row. Either way the link stays, and the report names each such row with what follows it, in French, at every load
until the indicators are linked elsewhere.
"""

import hashlib
import json
from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from pydantic import BaseModel

from pacte import formatting
from pacte.core import datafiles
from pacte.programme.enums import DatePrecision, MilestoneStatus, TargetKind
from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.schemas import (
    AxisItem,
    MeasureItem,
    MilestoneItem,
    ProgrammeItem,
    ReferentielFile,
    TargetItem,
    TerritoryKey,
)
from pacte.territories.enums import Level
from pacte.territories.models import Territory

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "referentiel.yaml"

# A place in the YAML document: ("targets", 12, "target_value").
YamlPath = datafiles.YamlPath

MESSAGES = {
    **datafiles.SCHEMA_MESSAGES,
    "extra_forbidden": "clé inconnue (les clés permises sont décrites dans docs/referentiel.md)",
    "string_pattern_mismatch": "code invalide : lettres minuscules sans accent, chiffres et tirets seulement",
    "too_short": "la liste ne peut pas être vide",
}


class ReferentielFormatError(datafiles.YamlFileError):
    """The file cannot be loaded. The message is French and names the file, the line and the field."""


# --- Reading and checking the file (no database) ---------------------------------------------


@dataclass(frozen=True)
class ParsedReferentiel:
    path: Path
    document: ReferentielFile
    file: datafiles.YamlFile


def read_referentiel(path: Path | None = None) -> ParsedReferentiel:
    """Parse and check the file without touching the database."""
    path = Path(path) if path is not None else DEFAULT_PATH
    file = datafiles.YamlFile(path, error_class=ReferentielFormatError, messages=MESSAGES)
    parsed = ParsedReferentiel(path, file.validate(ReferentielFile), file)
    problems = list(_consistency_problems(parsed))
    if problems:
        raise ReferentielFormatError(path, problems)
    return parsed


def _consistency_problems(parsed: ParsedReferentiel) -> Iterator[datafiles.Problem]:
    document = parsed.document
    for section, items in _sections(document):
        for index, item in enumerate(items):
            for field_name, message in item.problems():
                yield parsed.file.problem((section, index, field_name), message)
    yield from _duplicates(parsed, "axes", "number", [axis.number for axis in document.axes])
    yield from _duplicates(parsed, "measures", "code", [measure.code for measure in document.measures])
    yield from _duplicates(parsed, "targets", "code", [target.code for target in document.targets])
    yield from _duplicates(parsed, "milestones", "code", [item.code for item in document.milestones])
    axis_numbers = {axis.number for axis in document.axes}
    for index, measure in enumerate(document.measures):
        if measure.axis not in axis_numbers:
            yield parsed.file.problem(
                ("measures", index, "axis"), f"axe {measure.axis} inconnu (absent de « axes »)"
            )
    measure_codes = {measure.code for measure in document.measures}
    for index, target in enumerate(document.targets):
        if target.measure is not None and target.measure not in measure_codes:
            yield parsed.file.problem(
                ("targets", index, "measure"),
                f"mesure « {target.measure} » inconnue (absente de « measures »)",
            )


def _sections(document: ReferentielFile) -> Iterator[tuple[str, list[Any]]]:
    yield "axes", document.axes
    yield "measures", document.measures
    yield "targets", document.targets
    yield "milestones", document.milestones


def _duplicates(
    parsed: ParsedReferentiel, section: str, key: str, values: list[Any]
) -> Iterator[datafiles.Problem]:
    first_index: dict[Any, int] = {}
    for index, value in enumerate(values):
        if value in first_index:
            first_line = parsed.file.line_of((section, first_index[value]))
            yield parsed.file.problem(
                (section, index, key), f"« {value} » est déjà utilisé (ligne {first_line})"
            )
        else:
            first_index[value] = index


def item_hash(item: BaseModel) -> str:
    """sha256 of the item's canonical content: key order, quoting and number spelling do not count."""
    canonical = json.dumps(
        item.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def milestone_status(item: MilestoneItem, today: date) -> str:
    """The YAML status if given; otherwise réalisé, en cours or à venir from the dates against today."""
    if item.status is not None:
        return item.status
    if effective_end(item) < today:
        return MilestoneStatus.DONE
    if item.date_start <= today:
        return MilestoneStatus.IN_PROGRESS
    return MilestoneStatus.PLANNED


def effective_end(item: MilestoneItem) -> date:
    """The last day a milestone covers: its end date, or the end of its day, month or year."""
    if item.date_end is not None:
        return item.date_end
    start = item.date_start
    if item.precision == DatePrecision.MONTH:
        return start.replace(day=monthrange(start.year, start.month)[1])
    if item.precision == DatePrecision.YEAR:
        return start.replace(month=12, day=31)
    return start


# --- The report ---------------------------------------------------------------------------------


@dataclass
class KindReport:
    """What the load did to one kind of row."""

    label: str
    feminine: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    kept_referenced: list[str] = field(default_factory=list)
    kept_manual: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [
            self._count(self.created, "créé"),
            self._count(self.updated, "mis à jour"),
            self._count(self.unchanged, "inchangé"),
        ]
        if self.deleted:
            parts.append(self._count(len(self.deleted), "supprimé"))
        return f"- {self.label} : {', '.join(parts)}"

    def _count(self, number: int, participle: str) -> str:
        """The participle agrees with the kind of row: « 0 créé », « 2 créés », « 2 mises à jour »."""
        masculine_singular, masculine_plural, feminine_singular, feminine_plural = PARTICIPLES[participle]
        if self.feminine:
            return formatting.plural(number, feminine_singular, feminine_plural)
        return formatting.plural(number, masculine_singular, masculine_plural)


# Each participle of the report: (masculine singular, masculine plural, feminine singular, feminine plural).
PARTICIPLES = {
    "créé": ("créé", "créés", "créée", "créées"),
    "mis à jour": ("mis à jour", "mis à jour", "mise à jour", "mises à jour"),
    "inchangé": ("inchangé", "inchangés", "inchangée", "inchangées"),
    "supprimé": ("supprimé", "supprimés", "supprimée", "supprimées"),
}


@dataclass
class ReferentielLoadReport:
    path: Path
    programme: KindReport = field(default_factory=lambda: KindReport("programme"))
    axes: KindReport = field(default_factory=lambda: KindReport("axes"))
    measures: KindReport = field(default_factory=lambda: KindReport("mesures", feminine=True))
    targets: KindReport = field(
        default_factory=lambda: KindReport("cibles et valeurs de référence", feminine=True)
    )
    milestones: KindReport = field(default_factory=lambda: KindReport("jalons"))
    refreshed_statuses: list[str] = field(default_factory=list)
    # Rows that indicators follow but that are no longer national targets: « cible « x » … (2 × indicateur) ».
    unlinked_targets: list[str] = field(default_factory=list)

    def kinds(self) -> list[KindReport]:
        return [self.programme, self.axes, self.measures, self.targets, self.milestones]

    @property
    def changed(self) -> bool:
        return bool(self.refreshed_statuses) or any(
            kind.created or kind.updated or kind.deleted for kind in self.kinds()
        )

    def summary(self) -> str:
        lines = [f"Référentiel chargé depuis {self.path} :"]
        lines += [kind.line() for kind in self.kinds()]
        if self.refreshed_statuses:
            lines.append(
                "Statut de jalon actualisé d'après la date du jour : " + ", ".join(self.refreshed_statuses)
            )
        for attribute, title in (
            ("deleted", "Supprimés car absents du fichier"),
            ("kept_referenced", "Absents du fichier mais conservés car encore référencés"),
            ("kept_manual", "Absents du fichier, créés dans l'administration et conservés"),
        ):
            names = [name for kind in self.kinds() for name in getattr(kind, attribute)]
            if names:
                lines.append(f"{title} : " + " ; ".join(names))
        if self.unlinked_targets:
            lines.append(
                "Suivies par des indicateurs mais qui ne sont plus des cibles nationales (le lien est conservé ; "
                "elles ne sont plus proposées comme cible ni jugées par le baromètre : rattachez ces indicateurs à "
                "une autre cible s'il y a lieu) : " + " ; ".join(self.unlinked_targets)
            )
        if not self.changed:
            lines.append("Aucun changement.")
        return "\n".join(lines)


# --- Writing to the database --------------------------------------------------------------------


def load_referentiel(path: Path | None = None, *, today: date | None = None) -> ReferentielLoadReport:
    """Load the référentiel file into the database, in one transaction (see the module docstring)."""
    parsed = read_referentiel(path)
    today = today or timezone.localdate()
    report = ReferentielLoadReport(parsed.path)
    document = parsed.document
    with transaction.atomic():
        territories = _resolve_territories(parsed)
        programme = _sync_programme(document.programme, report)
        axes = {item.number: _sync_axis(item, programme, report) for item in document.axes}
        measures = {item.code: _sync_measure(item, axes, report) for item in document.measures}
        for index, item in enumerate(document.targets):
            _sync_target(item, programme, measures, territories.get(("targets", index)), report)
        for index, item in enumerate(document.milestones):
            _sync_milestone(item, programme, territories.get(("milestones", index)), today, report)
        _remove_stale(programme, document, report)
        report.unlinked_targets = _followed_non_targets()
    return report


def _resolve_territories(parsed: ParsedReferentiel) -> dict[YamlPath, Territory]:
    """The territory of each target and milestone that names one; an unknown one is reported once."""
    found: dict[YamlPath, Territory] = {}
    unknown: dict[TerritoryKey, list[YamlPath]] = {}
    for section, items in (("targets", parsed.document.targets), ("milestones", parsed.document.milestones)):
        for index, item in enumerate(items):
            if item.territory is None:
                continue
            territory = _find_territory(item.territory)
            if territory is None:
                unknown.setdefault(item.territory, []).append((section, index, "territory"))
            else:
                found[(section, index)] = territory
    problems = []
    for ref, places in unknown.items():
        message = f"territoire inconnu : {Level(ref.level).label.lower()} {ref.code}"
        if len(places) > 1:
            message += f" (cité {len(places)} fois)"
        message += " ; le COG est-il chargé (pacte load_cog) ?"
        problems.append(parsed.file.problem(places[0], message))
    if problems:
        raise ReferentielFormatError(parsed.path, problems)
    return found


def _find_territory(ref: TerritoryKey) -> Territory | None:
    return Territory.objects.filter(level=ref.level, code=ref.code).first()


def _sync(
    report: KindReport,
    model: type[models.Model],
    lookup: dict[str, Any],
    item: BaseModel,
    values: dict[str, Any],
    links: dict[str, Any],
) -> models.Model:
    """Create, update or leave alone the row found by `lookup`.

    `values` come from the YAML item and are rewritten only when its hash changed; `links` are the
    rows it points to, resolved from other items, and are always kept right.
    """
    digest = item_hash(item)
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model.objects.create(**lookup, **values, **links, source_hash=digest)
        report.created += 1
        return row
    if row.source_hash == digest:
        stale_links = {name: value for name, value in links.items() if _link_id(row, name) != _pk(value)}
        if not stale_links:
            report.unchanged += 1
            return row
        values = {}
        links = stale_links
    for name, value in {**values, **links}.items():
        setattr(row, name, value)
    row.source_hash = digest
    row.save()
    report.updated += 1
    return row


def _link_id(row: models.Model, name: str) -> Any:
    return getattr(row, f"{name}_id")


def _pk(value: models.Model | None) -> Any:
    return value.pk if value is not None else None


def _sync_programme(item: ProgrammeItem, report: ReferentielLoadReport) -> Programme:
    values = item.model_dump(exclude={"code"})
    return _sync(report.programme, Programme, {"code": item.code}, item, values, {})


def _sync_axis(item: AxisItem, programme: Programme, report: ReferentielLoadReport) -> Axis:
    values = item.model_dump(exclude={"number"})
    lookup = {"programme": programme, "number": item.number}
    return _sync(report.axes, Axis, lookup, item, values, {})


def _sync_measure(item: MeasureItem, axes: dict[int, Axis], report: ReferentielLoadReport) -> Measure:
    values = {**item.model_dump(exclude={"code", "axis", "contractable"}), **item.contractable_fields()}
    return _sync(report.measures, Measure, {"code": item.code}, item, values, {"axis": axes[item.axis]})


def _sync_target(
    item: TargetItem,
    programme: Programme,
    measures: dict[str, Measure],
    territory: Territory | None,
    report: ReferentielLoadReport,
) -> Target:
    values = {**item.model_dump(exclude={"code", "measure", "territory"}), "withdrawn": False}
    links = {
        "programme": programme,
        "measure": measures[item.measure] if item.measure else None,
        "territory": territory,
    }
    row = _sync(report.targets, Target, {"code": item.code}, item, values, links)
    if row.withdrawn:  # back in the file, unchanged since it was withdrawn
        row.withdrawn = False
        row.save(update_fields=["withdrawn"])
    return row


def _sync_milestone(
    item: MilestoneItem,
    programme: Programme,
    territory: Territory | None,
    today: date,
    report: ReferentielLoadReport,
) -> Milestone:
    values = item.model_dump(exclude={"code", "territory"})
    values["status"] = milestone_status(item, today)
    links = {"programme": programme, "territory": territory}
    row = _sync(report.milestones, Milestone, {"code": item.code}, item, values, links)
    if item.status is None and _refresh_status(row, values["status"]):
        report.refreshed_statuses.append(f"« {row.code} » ({row.get_status_display()})")
    return row


_STATUS_RANK = {MilestoneStatus.PLANNED: 0, MilestoneStatus.IN_PROGRESS: 1, MilestoneStatus.DONE: 2}


def _refresh_status(row: Milestone, computed: str) -> bool:
    """Time moves a computed status forward (à venir → en cours → réalisé), never backward."""
    if _STATUS_RANK.get(computed, 0) <= _STATUS_RANK.get(row.status, 0):
        return False
    row.status = computed
    row.save(update_fields=["status"])
    return True


# --- Rows no longer in the file -------------------------------------------------------------------


def _remove_stale(programme: Programme, document: ReferentielFile, report: ReferentielLoadReport) -> None:
    """Children first, so that a row whose only dependants were stale too can go."""
    _remove(report.targets, Target.objects.exclude(code__in=_codes(document.targets)))
    _remove(report.milestones, Milestone.objects.exclude(code__in=_codes(document.milestones)))
    _remove(report.measures, Measure.objects.exclude(code__in=_codes(document.measures)))
    axis_numbers = [item.number for item in document.axes]
    _remove(report.axes, Axis.objects.exclude(programme=programme, number__in=axis_numbers))
    _remove(report.programme, Programme.objects.exclude(pk=programme.pk))


def _codes(items: Iterable[Any]) -> set[str]:
    return {item.code for item in items}


def _remove(report: KindReport, rows: Iterable[models.Model]) -> None:
    """Delete the rows that came from the file and that nothing references; report every one."""
    for row in rows:
        name = _describe(row)
        if not row.source_hash:
            report.kept_manual.append(name)
            continue
        dependants = _dependants(row)
        if dependants:
            report.kept_referenced.append(f"{name} ({dependants})")
            if isinstance(row, Target) and not row.withdrawn:
                row.withdrawn = True
                row.save(update_fields=["withdrawn"])
            continue
        row.delete()
        report.deleted.append(name)


# The name of the foreign key by which an indicator of another app follows a national target (the contracts'
# ActionIndicator, the observation's Indicator).
FOLLOWING_FIELD = "national_target"


def _followed_non_targets() -> list[str]:
    """The rows that indicators of other apps follow (their `national_target`) but that are not national targets:
    a reform, a parameter, a reference value, a territory's own figure, a withdrawn target."""
    not_targets = Target.objects.exclude(pk__in=Target.objects.national_targets().values("pk"))
    counts: dict[int, dict[str, int]] = {}
    for relation in Target._meta.related_objects:
        model = relation.related_model
        if relation.field.name != FOLLOWING_FIELD:
            continue
        rows = (
            model._default_manager.filter(**{f"{relation.field.name}__in": not_targets})
            .values(relation.field.name)
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        for row in rows:
            per_model = counts.setdefault(row[relation.field.name], {})
            name = str(model._meta.verbose_name)
            per_model[name] = per_model.get(name, 0) + row["n"]
    lines = []
    for target in Target.objects.filter(pk__in=counts).order_by("code"):
        followers = ", ".join(f"{number} × {name}" for name, number in counts[target.pk].items())
        lines.append(f"{_describe(target)}, {_why_not_a_target(target)} ({followers})")
    return lines


def _why_not_a_target(target: Target) -> str:
    if target.withdrawn:
        return "retirée du fichier"
    if target.kind != TargetKind.TARGET:
        return f"désormais « {target.get_kind_display()} »"
    return f"propre au territoire {target.territory}"


def _describe(row: models.Model) -> str:
    if isinstance(row, Axis):
        return f"axe {row.number} du programme « {row.programme.code} »"
    noun = {Programme: "programme", Measure: "mesure", Target: "cible", Milestone: "jalon"}[type(row)]
    return f"{noun} « {row.code} »"


class _ReferenceCollector(Collector):
    """Collects every row a deletion would touch, none of them deleted in bulk behind our back."""

    def can_fast_delete(self, *args: Any, **kwargs: Any) -> bool:
        return False


def _dependants(row: models.Model) -> str:
    """A French description of the rows that reference `row`, or "" when it can go alone."""
    collector = _ReferenceCollector(using=router.db_for_write(type(row), instance=row))
    try:
        collector.collect([row])
    except ProtectedError as exc:
        return _describe_rows(exc.protected_objects)
    except RestrictedError as exc:
        return _describe_rows(exc.restricted_objects)
    others = [other for instances in collector.data.values() for other in instances if other != row]
    for batches in collector.field_updates.values():
        for batch in batches:
            others.extend(batch)
    return _describe_rows(others)


def _describe_rows(rows: Iterable[models.Model]) -> str:
    counts: dict[str, int] = {}
    for other in rows:
        meta = other._meta
        counts[str(meta.verbose_name)] = counts.get(str(meta.verbose_name), 0) + 1
    return ", ".join(f"{number} × {name}" for name, number in counts.items())
