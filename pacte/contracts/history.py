"""The audit history of a contract version and of everything in it (fiches-actions, indicators, yearly
targets, budget lines), read from django-simple-history's tables, deleted rows included: who changed what,
when, old value → new value."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    CharField,
    Value,
)
from django.utils import timezone

from pacte import formatting
from pacte.contracts.enums import Funder
from pacte.contracts.models import Action, BudgetLine, Contract, Indicator, IndicatorYearTarget
from pacte.core.history import HISTORY_TYPES, person_name

HISTORY_MODELS = {
    "contract": Contract,
    "action": Action,
    "indicator": Indicator,
    "target": IndicatorYearTarget,
    "budget": BudgetLine,
}
# Links to the parent row and the row's own id: shown by the entry's label, not as a change.
HIDDEN_FIELDS = {"id", "contract", "action", "indicator", "root", "territory"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    what: str
    changes: list[tuple[str, str, str]]


@dataclass
class _HistoryScope:
    """The rows that ever belonged to a version, including deleted ones, found through the historical tables."""

    contract: Contract
    actions: dict[int, tuple[int, str]] = field(default_factory=dict)  # id → (number, title), last known
    indicators: dict[int, tuple[str, int]] = field(default_factory=dict)  # id → (label, action id)

    def querysets(self) -> dict:
        return {
            "contract": Contract.history.filter(id=self.contract.pk),
            "action": Action.history.filter(contract_id=self.contract.pk),
            "indicator": Indicator.history.filter(action_id__in=list(self.actions)),
            "target": IndicatorYearTarget.history.filter(indicator_id__in=list(self.indicators)),
            "budget": BudgetLine.history.filter(action_id__in=list(self.actions)),
        }

    def action_label(self, action_id: int) -> str:
        number, _title = self.actions.get(action_id, (None, ""))
        return f"fiche-action n°{number}" if number else "fiche-action supprimée"

    def label(self, kind: str, record) -> str:
        if kind == "contract":
            return "Contrat" if not record.amendment_number else f"Avenant n°{record.amendment_number}"
        if kind == "action":
            return f"Fiche-action n°{record.number} – {record.title}"
        if kind == "indicator":
            return f"Indicateur « {record.label} » ({self.action_label(record.action_id)})"
        if kind == "target":
            label, action_id = self.indicators.get(record.indicator_id, ("?", None))
            return f"Cible {record.year} de l'indicateur « {label} » ({self.action_label(action_id)})"
        funder = (
            record.funder_name
            if record.funder == Funder.OTHER and record.funder_name
            else Funder(record.funder).label
        )
        return f"Budget {record.year} – {funder} ({self.action_label(record.action_id)})"


def history_scope(contract: Contract) -> _HistoryScope:
    scope = _HistoryScope(contract)
    for action_id, number, title in (
        Action.history.filter(contract_id=contract.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "number", "title")
    ):
        scope.actions[action_id] = (number, title)
    for indicator_id, label, action_id in (
        Indicator.history.filter(action_id__in=list(scope.actions))
        .order_by("history_date", "history_id")
        .values_list("id", "label", "action_id")
    ):
        scope.indicators[indicator_id] = (label, action_id)
    return scope


def history_index(scope: _HistoryScope):
    """One row (date, history id, kind) per historical record of the version, newest first, in one query."""
    combined = None
    for kind, queryset in scope.querysets().items():
        part = (
            queryset.order_by()
            .annotate(kind=Value(kind, output_field=CharField()))
            .values_list("history_date", "history_id", "kind")
        )
        combined = part if combined is None else combined.union(part, all=True)
    return combined.order_by("-history_date", "-history_id")


def _format_value(model, name: str, value, related: dict) -> str:
    if value is None or value == "":
        return "–"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return related.get((model_field.related_model, value), f"n°{value}")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return formatting.number(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def history_entries(scope: _HistoryScope, rows: list[tuple]) -> list[HistoryEntry]:
    """The entries of one page: each record with the field changes since the previous record of its row.
    A fixed number of queries whatever the page holds."""
    querysets = scope.querysets()
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for _when, history_id, kind in rows:
        ids_by_kind[kind].append(history_id)
    records, previous = {}, {}
    for kind, ids in ids_by_kind.items():
        page_records = list(querysets[kind].filter(history_id__in=ids).select_related("history_user"))
        object_ids = {record.id for record in page_records}
        timeline: dict[int, list] = defaultdict(list)
        for record in querysets[kind].filter(id__in=object_ids).order_by("history_date", "history_id"):
            timeline[record.id].append(record)
        for record in page_records:
            records[(kind, record.history_id)] = record
            earlier = [
                r
                for r in timeline[record.id]
                if (r.history_date, r.history_id) < (record.history_date, record.history_id)
            ]
            previous[(kind, record.history_id)] = earlier[-1] if earlier else None
    measures = _measure_sets(
        [record.history_id for (kind, _), record in records.items() if kind == "action"]
        + [
            record.history_id
            for (kind, _), record in previous.items()
            if kind == "action" and record is not None
        ]
    )
    raw = {}
    wanted: dict = defaultdict(set)
    for key, record in records.items():
        kind = key[0]
        model = HISTORY_MODELS[kind]
        changes = _raw_changes(model, record, previous[key])
        raw[key] = changes
        for name, old, new in changes:
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                wanted[model_field.related_model].update(value for value in (old, new) if value is not None)
    related = {
        (related_model, pk): _related_label(obj)
        for related_model, pks in wanted.items()
        for pk, obj in related_model._default_manager.in_bulk(pks).items()
    }
    entries = []
    for _when, history_id, kind in rows:
        record = records[(kind, history_id)]
        model = HISTORY_MODELS[kind]
        changes = [
            (
                str(model._meta.get_field(name).verbose_name),
                _format_value(model, name, old, related),
                _format_value(model, name, new, related),
            )
            for name, old, new in raw[(kind, history_id)]
        ]
        if kind == "action":
            changes += _measure_change(record, previous[(kind, history_id)], measures)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=person_name(record.history_user) or "Opération automatique",
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                what=scope.label(kind, record),
                changes=changes,
            )
        )
    return entries


def _raw_changes(model, record, previous) -> list[tuple[str, object, object]]:
    if record.history_type == "-":
        return []
    names = [f.name for f in record.tracked_fields if f.editable and f.name not in HIDDEN_FIELDS]
    names = [name for name in names if not model._meta.get_field(name).many_to_many]
    if previous is None:
        return [
            (name, None, getattr(record, _attname(model, name)))
            for name in names
            if getattr(record, _attname(model, name)) not in (None, "")
        ]
    return [
        (name, getattr(previous, _attname(model, name)), getattr(record, _attname(model, name)))
        for name in names
        if getattr(previous, _attname(model, name)) != getattr(record, _attname(model, name))
    ]


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _related_label(obj) -> str:
    if hasattr(obj, "get_full_name"):
        return person_name(obj)
    return str(obj)


def _measure_sets(history_ids: list[int]) -> dict[int, set[str]]:
    through = Action.history.model.measures.model
    sets: dict[int, set[str]] = defaultdict(set)
    for history_id, title in through.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "measure__title"
    ):
        sets[history_id].add(title)
    return sets


def _measure_change(record, previous, measures: dict[int, set[str]]) -> list[tuple[str, str, str]]:
    if record.history_type == "-":
        return []
    new = measures.get(record.history_id, set())
    old = measures.get(previous.history_id, set()) if previous is not None else set()
    if new == old:
        return []
    return [("mesures du Pacte", ", ".join(sorted(old)) or "–", ", ".join(sorted(new)) or "–")]
