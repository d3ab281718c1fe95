"""The audit history of an object and of everything that hangs from it, read from django-simple-history's tables,
deleted rows included: who changed what, when, old value → new value. One reader for every app.

An app describes its history as a list of `Source`s, one per kind of row (the contract itself, its fiches-actions,
their budget lines…): the historical records that belong to the object and how to name one of them. `read_history`
then gives the entries, newest first, with the changes of each record since the previous record of the same row.
A modification that changes nothing shown (only a version number, a timestamp) is left out.

It runs one query per source for the records, one for the previous records of the rows shown, and one per related
model for the names of the objects a change points to: a fixed number of queries, whatever the length of the history.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone

from pacte import formatting

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
# Never shown as changes: identities, links to the parent (the entry's label says it), technical fields.
HIDDEN_FIELDS = frozenset({"id", "lock_version", "created_at", "updated_at", "is_demo"})
LONGEST_VALUE = 200  # characters of a text value shown before "…"


def person_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # Création, Modification, Suppression
    what: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)


@dataclass
class Source:
    """One kind of row of a history.

    `records`: the historical records of the rows that belong to the object (e.g. `Action.history.filter(...)`);
    `label`: the name of the row a record is about (« Fiche-action n°2 – … »); `hidden`: fields never shown, beside
    `HIDDEN_FIELDS`; `shown`: when given, the only fields shown; `extra_changes`: changes the fields do not carry
    (many-to-many sets), given the page's records and their previous ones, returning {history_id: changes}.
    """

    records: QuerySet
    label: Callable[[object], str]
    hidden: Iterable[str] = ()
    shown: Iterable[str] | None = None
    extra_changes: Callable[[list, dict], dict[int, list[tuple[str, str, str]]]] | None = None
    model: type = field(init=False)

    def __post_init__(self):
        self.model = self.records.model.instance_type
        self.hidden = frozenset(self.hidden) | HIDDEN_FIELDS
        self.shown = frozenset(self.shown) if self.shown is not None else None

    def field_names(self) -> list[str]:
        names = []
        for model_field in self.model._meta.fields:
            if not model_field.editable or model_field.name in self.hidden:
                continue
            if self.shown is not None and model_field.name not in self.shown:
                continue
            names.append(model_field.name)
        return names


def read_history(sources: Sequence[Source]) -> list[HistoryEntry]:
    """Every entry of the history described by `sources`, newest first."""
    pending = []  # (source, record, previous)
    wanted: dict[type, set] = defaultdict(set)
    for source in sources:
        records = list(source.records.select_related("history_user").order_by("history_date", "history_id"))
        last: dict[int, object] = {}
        names = source.field_names()
        for record in records:
            previous = last.get(record.id)
            last[record.id] = record
            raw = _raw_changes(source.model, names, record, previous)
            pending.append((source, record, previous, raw))
            for name, old, new in raw:
                model_field = source.model._meta.get_field(name)
                if model_field.is_relation:
                    wanted[model_field.related_model].update(
                        value for value in (old, new) if value is not None
                    )
    related = {
        (model, pk): _related_label(obj)
        for model, pks in wanted.items()
        for pk, obj in model._default_manager.in_bulk(pks).items()
    }
    extras: dict[int, dict] = {}
    for source in sources:
        if source.extra_changes is not None:
            mine = [(record, previous) for s, record, previous, _ in pending if s is source]
            extras[id(source)] = source.extra_changes(
                [record for record, _ in mine], {record.history_id: previous for record, previous in mine}
            )
    entries = []
    for source, record, _previous, raw in pending:
        changes = [
            (
                str(source.model._meta.get_field(name).verbose_name),
                format_value(source.model, name, old, related),
                format_value(source.model, name, new, related),
            )
            for name, old, new in raw
        ]
        changes += extras.get(id(source), {}).get(record.history_id, [])
        if record.history_type == "~" and not changes:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=person_name(record.history_user) or "Opération automatique",
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                what=source.label(record),
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _raw_changes(model, names: list[str], record, previous) -> list[tuple[str, object, object]]:
    if record.history_type == "-":
        return []
    changes = []
    for name in names:
        attname = model._meta.get_field(name).attname
        new = getattr(record, attname)
        if previous is None:
            if new not in (None, ""):
                changes.append((name, None, new))
            continue
        old = getattr(previous, attname)
        if old != new:
            changes.append((name, old, new))
    return changes


def format_value(model, name: str, value, related: dict | None = None) -> str:
    """A field's value as the history shows it: the label of a choice, the name of a related object, « oui »/« non »,
    French numbers and dates, long texts cut."""
    if value is None or value == "":
        return formatting.MISSING
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return (related or {}).get((model_field.related_model, value), f"n°{value}")
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | float):
        return formatting.number(value)
    if isinstance(value, datetime):
        return formatting.short_date_time(timezone.localtime(value))
    if isinstance(value, date):
        return formatting.short_date(value)
    text = str(value)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE] + "…"


def _related_label(obj) -> str:
    if hasattr(obj, "get_full_name"):
        return person_name(obj)
    return str(obj)


def history_page(request, sources: Sequence[Source], *, subject, intro: str, breadcrumb: dict):
    """The audit history page of `subject` (an object with `get_absolute_url`) read from `sources`, paginated: one
    page template (core/history.html) for every app. The caller has checked who asks."""
    page = Paginator(read_history(sources), settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": f"Historique – {subject}",
        "subject": subject,
        "subject_url": subject.get_absolute_url(),
        "intro": intro,
        "page": page,
        "entries": page.object_list,
        "breadcrumb_data": breadcrumb,
    }
    return render(request, "core/history.html", context)
