"""The audit history of an instance and of everything in it (members, meetings, agenda, attendance, documents,
minutes, decisions), read from django-simple-history's tables, deleted rows included: who changed what, when,
old value → new value. One query per kind of row, whatever the number of changes."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from pacte.governance.models import (
    AgendaItem,
    Committee,
    Decision,
    Document,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
)

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}
HIDDEN = {"id", "committee", "meeting", "lock_version", "updated_at", "created_at", "uid", "file", "member"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    what: str
    changes: list[tuple[str, str, str]]


def _format(model, name: str, value) -> str:
    if value is None or value == "":
        return "–"
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if field.is_relation:
        return f"n°{value}"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _label(model, record, meetings: dict[int, str], members: dict[int, str]) -> str:
    if model is Committee:
        return "Instance"
    if model is Member:
        name = " – ".join(p for p in (record.person_name, record.organisation_name) if p)
        return f"Membre {name or f'n°{record.id}'}"
    if model is Meeting:
        return f"Réunion « {record.title} »"
    meeting = meetings.get(record.meeting_id, "réunion supprimée")
    if model is AgendaItem:
        return f"Ordre du jour, point {record.order} ({meeting})"
    if model is MeetingAttendance:
        return f"Présence de {members.get(record.member_id, 'un membre')} ({meeting})"
    if model is Document:
        return f"Document « {record.title} » ({meeting})"
    if model is Minutes:
        return f"Compte rendu ({meeting})"
    return f"Décision n°{record.number} ({meeting})"


def committee_history(committee: Committee) -> list[HistoryEntry]:
    meeting_ids = list(
        Meeting.history.filter(committee_id=committee.pk).values_list("id", flat=True).distinct()
    )
    querysets = [
        (Committee, Committee.history.filter(id=committee.pk)),
        (Member, Member.history.filter(committee_id=committee.pk)),
        (Meeting, Meeting.history.filter(committee_id=committee.pk)),
        (AgendaItem, AgendaItem.history.filter(meeting_id__in=meeting_ids)),
        (MeetingAttendance, MeetingAttendance.history.filter(meeting_id__in=meeting_ids)),
        (Document, Document.history.filter(meeting_id__in=meeting_ids)),
        (Minutes, Minutes.history.filter(meeting_id__in=meeting_ids)),
        (Decision, Decision.history.filter(meeting_id__in=meeting_ids)),
    ]
    meetings: dict[int, str] = {}
    members: dict[int, str] = {}
    entries = []
    for model, queryset in querysets:
        previous: dict[int, object] = {}
        records = list(queryset.select_related("history_user").order_by("history_date", "history_id"))
        if model is Meeting:
            meetings = {r.id: f"{r.title}, {timezone.localtime(r.starts_at):%d/%m/%Y}" for r in records}
        if model is Member:
            members = {
                r.id: " – ".join(p for p in (r.person_name, r.organisation_name) if p) or f"membre n°{r.id}"
                for r in records
            }
        for record in records:
            before = previous.get(record.id)
            names = [
                f.name
                for f in record.tracked_fields
                if f.name not in HIDDEN and f.editable and not f.many_to_many
            ]
            changes = []
            if record.history_type != "-":
                for name in names:
                    attname = model._meta.get_field(name).attname
                    new = getattr(record, attname)
                    old = getattr(before, attname) if before is not None else None
                    if before is None and new in (None, ""):
                        continue
                    if before is not None and old == new:
                        continue
                    label = str(model._meta.get_field(name).verbose_name)
                    changes.append((label, _format(model, name, old), _format(model, name, new)))
            previous[record.id] = record
            if record.history_type == "~" and not changes:
                continue
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "Opération automatique",
                    kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                    what=_label(model, record, meetings, members),
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
