"""The audit history of an instance and of everything in it (members, meetings, agenda, attendance, documents,
minutes, decisions), deleted rows included, described for `pacte.core.history`: one source per kind of row and the
name of each row."""

from django.utils import timezone

from pacte import formatting
from pacte.core.history import Source
from pacte.governance.models import (
    AgendaItem,
    Committee,
    Decision,
    Document,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    SteeredContract,
)

# Links to the parent (the entry's label names it) and technical fields.
HIDDEN = {"committee", "meeting", "uid", "file", "member", "linked_by"}
INTRO = (
    "Toutes les modifications de l’instance, des contrats qu’elle pilote, de ses membres, de ses réunions (ordre du jour, présences, documents, "
    "comptes rendus) et de ses décisions, les plus récentes d’abord."
)


def _member_name(record) -> str:
    return " – ".join(part for part in (record.person_name, record.organisation_name) if part)


def committee_sources(committee: Committee) -> list[Source]:
    """The history of `committee`: the meetings and members ever attached to it name the rows that hang from them
    (two queries)."""
    meetings = {
        record.id: f"{record.title}, {formatting.short_date(timezone.localtime(record.starts_at))}"
        for record in Meeting.history.filter(committee_id=committee.pk).order_by("history_date", "history_id")
    }
    members = {
        record.id: _member_name(record) or f"membre n°{record.id}"
        for record in Member.history.filter(committee_id=committee.pk).order_by("history_date", "history_id")
    }
    meeting_ids = list(meetings)

    def meeting(record) -> str:
        return meetings.get(record.meeting_id, "réunion supprimée")

    def source(records, label) -> Source:
        return Source(records, label, hidden=HIDDEN)

    return [
        source(Committee.history.filter(id=committee.pk), lambda record: "Instance"),
        source(
            SteeredContract.history.filter(committee_id=committee.pk),
            lambda record: f"Comité de pilotage du contrat n°{record.contract_id}",
        ),
        source(
            Member.history.filter(committee_id=committee.pk),
            lambda record: f"Membre {_member_name(record) or f'n°{record.id}'}",
        ),
        source(
            Meeting.history.filter(committee_id=committee.pk), lambda record: f"Réunion « {record.title} »"
        ),
        source(
            AgendaItem.history.filter(meeting_id__in=meeting_ids),
            lambda record: f"Ordre du jour, point {record.order} ({meeting(record)})",
        ),
        source(
            MeetingAttendance.history.filter(meeting_id__in=meeting_ids),
            lambda record: f"Présence de {members.get(record.member_id, 'un membre')} ({meeting(record)})",
        ),
        source(
            Document.history.filter(meeting_id__in=meeting_ids),
            lambda record: f"Document « {record.title} » ({meeting(record)})",
        ),
        source(
            Minutes.history.filter(meeting_id__in=meeting_ids),
            lambda record: f"Compte rendu ({meeting(record)})",
        ),
        source(
            Decision.history.filter(meeting_id__in=meeting_ids),
            lambda record: f"Décision n°{record.number} ({meeting(record)})",
        ),
    ]
