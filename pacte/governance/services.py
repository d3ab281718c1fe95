"""Business operations of the governance and the concertation: instances and members, meetings (agenda,
invitations by e-mail, attendance, cancellation), documents and frozen extracts, minutes, decisions and their
follow-up, cadence checks, calendar tokens; stakeholders, contributions and syntheses.

Every operation that writes runs in one transaction and checks its rules first: a refused operation raises a
`django.core.exceptions.ValidationError` whose message dict names the field, in French, and nothing is
written. Edits of rows that two people may open at once take the version they read (`expected_version`) and
raise `pacte.core.locking.StaleEditError` when someone saved in between. Views call these functions; they
never change state themselves.
"""

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from pacte.core.locking import StaleEditError, claim_version
from pacte.governance import extracts, ics
from pacte.governance.enums import (
    DOCUMENT_TYPES,
    MAX_UPLOAD_SIZE,
    OPEN_DECISION_STATUSES,
    Attendance,
    ContributionStatus,
    DecisionStatus,
    DocumentKind,
    MeetingStatus,
    MemberCategory,
    MinutesStatus,
)
from pacte.governance.models import (
    AgendaItem,
    CalendarToken,
    Committee,
    ConcertationTheme,
    Contribution,
    Decision,
    Document,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    Stakeholder,
    StoredFile,
    ThemeSynthesis,
)

# The version a form sends for a row that did not exist when it was opened (minutes, synthesis).
NEW = -1
THEMES_FILE = Path(__file__).resolve().parent / "data" / "concertation.yaml"


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def _full_clean(instance, exclude=None) -> None:
    instance.full_clean(exclude=exclude, validate_unique=True)


# --- Concertation themes ---------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0

    def summary(self) -> str:
        return f"Thèmes de la concertation : {self.created} créés, {self.updated} mis à jour."


@transaction.atomic
def load_concertation_themes(path: Path | None = None) -> LoadReport:
    """Create or update the themes and transverse questions from the data file; repeatable."""
    data = yaml.safe_load(Path(path or THEMES_FILE).read_text(encoding="utf-8"))
    report = LoadReport()
    for row in data["themes"]:
        _theme, created = ConcertationTheme.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "number": row["number"],
                "title": row["title"],
                "summary": row.get("summary") or "",
                "source_file": data.get("source_file", ""),
            },
        )
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


# --- Instances and members -------------------------------------------------------------------------------

COMMITTEE_FIELDS = (
    "kind",
    "name",
    "description",
    "territory",
    "axis",
    "theme",
    "concertation_theme",
    "meetings_per_year_min",
    "meetings_per_year_max",
    "secretariat",
    "is_public",
    "is_active",
)


@transaction.atomic
def create_committee(**fields) -> Committee:
    committee = Committee(**fields)
    _full_clean(committee)
    committee.save()
    return committee


@transaction.atomic
def update_committee(committee: Committee, *, expected_version: int | None, **changes) -> Committee:
    for name, value in changes.items():
        setattr(committee, name, value)
    _full_clean(committee)
    claim_version(committee, expected_version)
    committee.save()
    return committee


MEMBER_FIELDS = (
    "user",
    "organisation",
    "organisation_name",
    "person_name",
    "function",
    "email",
    "category",
    "role",
    "start_date",
    "end_date",
)


@transaction.atomic
def save_member(
    committee: Committee, *, member: Member | None = None, expected_version=None, **fields
) -> Member:
    """Seat a member (or change a seat). A member seated while meetings are planned is invited to them."""
    creating = member is None
    member = member or Member(committee=committee)
    for name, value in fields.items():
        setattr(member, name, value)
    _full_clean(member, exclude=["committee"])
    if not creating:
        claim_version(member, expected_version)
    member.save()
    for meeting in committee.meetings.filter(starts_at__gte=timezone.now()).exclude(
        status=MeetingStatus.CANCELLED
    ):
        _sync_attendances(meeting)
    return member


# --- Meetings --------------------------------------------------------------------------------------------


def _check_times(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        _refuse("ends_at", "La fin de la réunion doit suivre son début.")


def _set_agenda(meeting: Meeting, agenda: list[str]) -> None:
    items = [line.strip() for line in agenda if line.strip()]
    for index, title in enumerate(items, start=1):
        if len(title) > 300:
            _refuse("agenda", f"Le point n°{index} de l'ordre du jour dépasse 300 caractères.")
    existing = list(meeting.agenda_items.order_by("order"))
    if [item.title for item in existing] == items:
        return
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=index, title=title) for index, title in enumerate(items, start=1)
    )


def _sync_attendances(meeting: Meeting) -> int:
    """Invite every member whose seat is active on the meeting day and who is not invited yet."""
    day = meeting.meeting_date
    invited = set(meeting.attendances.values_list("member_id", flat=True))
    new = [
        MeetingAttendance(meeting=meeting, member=member)
        for member in meeting.committee.members.all()
        if member.is_active_on(day) and member.pk not in invited
    ]
    MeetingAttendance.objects.bulk_create(new)
    return len(new)


MEETING_FIELDS = (
    "title",
    "concertation_theme",
    "starts_at",
    "ends_at",
    "place",
    "visio_url",
    "details",
    "participants_count",
)
# A change of these fields reaches the calendars of the invited members (SEQUENCE is raised).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "visio_url", "status")


@transaction.atomic
def create_meeting(committee: Committee, *, agenda: list[str] = (), **fields) -> Meeting:
    _check_times(fields.get("starts_at"), fields.get("ends_at"))
    meeting = Meeting(committee=committee, **fields)
    _full_clean(meeting, exclude=["committee"])
    meeting.save()
    _set_agenda(meeting, list(agenda))
    _sync_attendances(meeting)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, expected_version: int | None, agenda=None, **changes) -> Meeting:
    if meeting.is_cancelled:
        _refuse("status", "Cette réunion est annulée : elle ne peut plus être modifiée.")
    _check_times(changes.get("starts_at", meeting.starts_at), changes.get("ends_at", meeting.ends_at))
    before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
    for name, value in changes.items():
        setattr(meeting, name, value)
    _full_clean(meeting, exclude=["committee"])
    claim_version(meeting, expected_version)
    agenda_changed = False
    if agenda is not None:
        old = list(meeting.agenda_items.order_by("order").values_list("title", flat=True))
        _set_agenda(meeting, list(agenda))
        agenda_changed = old != [line.strip() for line in agenda if line.strip()]
    if agenda_changed or any(getattr(meeting, name) != value for name, value in before.items()):
        meeting.sequence += 1
    meeting.save()
    if meeting.starts_at >= timezone.now():
        _sync_attendances(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, notify: bool = True, base_url: str = "") -> int:
    """Cancel a meeting; the members who were convened are told (with a cancelling calendar event).
    Returns the number of e-mails sent."""
    if meeting.is_cancelled:
        _refuse("status", "Cette réunion est déjà annulée.")
    if meeting.status == MeetingStatus.HELD:
        _refuse("status", "Cette réunion s'est tenue : elle ne peut plus être annulée.")
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason", "Indiquez le motif de l'annulation.")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason[:300]
    meeting.sequence += 1
    meeting.save()
    claim_version(meeting, None)
    if notify and meeting.invitations_sent_at:
        return _send(meeting, base_url, kind="annulation")
    return 0


@transaction.atomic
def mark_held(meeting: Meeting) -> Meeting:
    if meeting.is_cancelled:
        _refuse("status", "Cette réunion est annulée.")
    if meeting.starts_at > timezone.now():
        _refuse("status", "Une réunion ne peut être déclarée tenue avant son début.")
    meeting.status = MeetingStatus.HELD
    meeting.save()
    claim_version(meeting, None)
    return meeting


# --- Invitations -----------------------------------------------------------------------------------------


def invitation_recipients(meeting: Meeting) -> list[MeetingAttendance]:
    """The invited members who have an e-mail address (their own or their account's)."""
    attendances = meeting.attendances.select_related("member__user", "member__organisation")
    return [attendance for attendance in attendances if attendance.member.contact_email]


def _send(meeting: Meeting, base_url: str, *, kind: str) -> int:
    recipients = invitation_recipients(meeting)
    if not recipients:
        return 0
    url = base_url + meeting.get_absolute_url() if base_url else ""
    agenda = list(meeting.agenda_items.order_by("order"))
    method = "CANCEL" if kind == "annulation" else "REQUEST"
    attachment = ics.calendar(meeting.committee.name, [meeting], lambda _m: url, method=method)
    local_start = timezone.localtime(meeting.starts_at)
    subject = {
        "convocation": "Convocation",
        "modification": "Réunion modifiée",
        "annulation": "Réunion annulée",
    }[kind]
    subject = f"{subject} – {meeting.committee.name} – {meeting.title} – {local_start:%d/%m/%Y}"
    messages = []
    for attendance in recipients:
        body = render_to_string(
            "governance/email/invitation.txt",
            {
                "meeting": meeting,
                "member": attendance.member,
                "agenda": agenda,
                "kind": kind,
                "url": url,
                "starts_at": local_start,
                "ends_at": timezone.localtime(meeting.ends_at),
            },
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[attendance.member.contact_email],
        )
        message.attach("reunion.ics", attachment, f"text/calendar; charset=utf-8; method={method}")
        messages.append(message)
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    now = timezone.now()
    MeetingAttendance.objects.filter(pk__in=[a.pk for a in recipients]).update(invited_at=now)
    return sent


@transaction.atomic
def convene(meeting: Meeting, *, base_url: str = "") -> tuple[int, bool]:
    """Send the invitation to every invited member with an e-mail (one message each, the .ics attached).
    After a change of an already convened meeting the message says "modifiée". Returns (number sent,
    whether it was a modification)."""
    if meeting.is_cancelled:
        _refuse("status", "Cette réunion est annulée : elle ne peut pas être convoquée.")
    if meeting.status == MeetingStatus.HELD or meeting.ends_at < timezone.now():
        _refuse("status", "Cette réunion est passée : elle ne peut plus être convoquée.")
    _sync_attendances(meeting)
    if not invitation_recipients(meeting):
        _refuse(
            "members",
            "Aucun membre invité n'a d'adresse électronique : ajoutez les adresses des membres avant de convoquer.",
        )
    modification = meeting.invitations_sent_at is not None
    sent = _send(meeting, base_url, kind="modification" if modification else "convocation")
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CONVENED,
        invitations_sent_at=timezone.now(),
        invitations_count=sent,
        invitations_sequence=F("sequence"),
    )
    meeting.refresh_from_db()
    # Through save() so that the audit history records the convocation.
    meeting.save()
    return sent, modification


# --- Attendance ------------------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(meeting: Meeting, statuses: dict[int, str], *, participants_count=None) -> int:
    """Record who came (attendance id → status). A past meeting becomes "tenue". Returns rows changed."""
    if meeting.is_cancelled:
        _refuse("status", "Cette réunion est annulée : les présences ne s'y enregistrent pas.")
    if meeting.starts_at > timezone.now() and any(
        status == Attendance.PRESENT for status in statuses.values()
    ):
        _refuse("attendance", "La réunion n'a pas commencé : personne ne peut encore y être présent.")
    changed = 0
    rows = {attendance.pk: attendance for attendance in meeting.attendances.all()}
    for pk, status in statuses.items():
        if pk not in rows:
            _refuse(
                "attendance", "Une ligne de présence n'appartient pas à cette réunion : rechargez la page."
            )
        if status not in Attendance.values:
            _refuse("attendance", f"Présence inconnue : « {status} ».")
        attendance = rows[pk]
        if attendance.status != status:
            attendance.status = status
            attendance.save(update_fields=["status"])
            changed += 1
    if participants_count is not None:
        meeting.participants_count = participants_count
    if meeting.starts_at <= timezone.now():
        meeting.status = MeetingStatus.HELD
    meeting.save()
    claim_version(meeting, None)
    return changed


@dataclass
class AttendanceCounts:
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, dict[str, int]]]
    by_organisation: list[tuple[str, dict[str, int]]]
    total: int


def attendance_counts(attendances) -> AttendanceCounts:
    """Invited / present / excused / absent, overall, by college and by organisation."""
    overall: Counter = Counter()
    categories: dict[str, Counter] = {}
    organisations: dict[str, Counter] = {}
    for attendance in attendances:
        member = attendance.member
        overall[attendance.status] += 1
        categories.setdefault(MemberCategory(member.category).label, Counter())[attendance.status] += 1
        organisation = member.organisation_label or "Sans organisation"
        organisations.setdefault(organisation, Counter())[attendance.status] += 1

    def _row(counter: Counter) -> dict[str, int]:
        return {"total": sum(counter.values()), **{status: counter[status] for status in Attendance.values}}

    return AttendanceCounts(
        by_status=[(Attendance(status).label, overall[status]) for status in Attendance.values],
        by_category=sorted((label, _row(counter)) for label, counter in categories.items()),
        by_organisation=sorted((label, _row(counter)) for label, counter in organisations.items()),
        total=sum(overall.values()),
    )


# --- Documents -------------------------------------------------------------------------------------------


def store_upload(upload, *, by, pdf_only: bool = False, field: str = "file") -> StoredFile:
    """Check an uploaded file (size, extension, and for a PDF its signature) and keep its bytes."""
    name = Path(upload.name or "").name[:200] or "document"
    extension = Path(name).suffix.lower()
    allowed = {".pdf": DOCUMENT_TYPES[".pdf"]} if pdf_only else DOCUMENT_TYPES
    if extension not in allowed:
        kinds = ", ".join(sorted(ext.lstrip(".").upper() for ext in allowed))
        _refuse(field, f"Le fichier « {name} » n'est pas d'un type accepté ({kinds}).")
    if upload.size > MAX_UPLOAD_SIZE:
        _refuse(
            field,
            f"Le fichier « {name} » dépasse la taille maximale de {MAX_UPLOAD_SIZE // (1024 * 1024)} Mo.",
        )
    if upload.size == 0:
        _refuse(field, f"Le fichier « {name} » est vide.")
    content = b"".join(upload.chunks())
    if extension == ".pdf" and not content.startswith(b"%PDF-"):
        _refuse(field, f"Le fichier « {name} » n'est pas un PDF valide.")
    return StoredFile.objects.create(
        name=name,
        content_type=allowed[extension],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def attach_file(meeting: Meeting, *, upload, title: str, is_public: bool, by) -> Document:
    if upload is None:
        _refuse("file", "Choisissez le fichier à joindre.")
    stored = store_upload(upload, by=by)
    document = Document(
        meeting=meeting,
        kind=DocumentKind.FILE,
        title=(title or stored.name)[:250],
        file=stored,
        is_public=is_public,
        added_by=by,
    )
    document.save()
    return document


@transaction.atomic
def attach_extract(meeting: Meeting, *, kind: str, by, territory=None) -> Document:
    """Freeze an extract of the observation as of the meeting day (or today, for a meeting to come)."""
    as_of = min(meeting.meeting_date, timezone.localdate())
    if kind == DocumentKind.DIAGNOSTIC:
        if territory is None:
            _refuse("territory", "Choisissez le territoire du diagnostic.")
        html = extracts.diagnostic_extract(territory, as_of)
        title = f"Diagnostic territorial – {territory.name} (données au {as_of:%d/%m/%Y})"
    elif kind == DocumentKind.BAROMETER:
        territory = None
        html = extracts.barometer_extract(as_of)
        title = f"Baromètre du Pacte des solidarités (au {as_of:%d/%m/%Y})"
    else:
        _refuse("kind", "Choisissez un extrait : diagnostic territorial ou baromètre.")
    return Document.objects.create(
        meeting=meeting,
        kind=kind,
        title=title,
        territory=territory,
        as_of=as_of,
        snapshot_html=html,
        is_public=True,
        added_by=by,
    )


@transaction.atomic
def remove_document(document: Document) -> None:
    stored = document.file
    document.delete()
    if stored is not None:
        stored.delete()


# --- Minutes ---------------------------------------------------------------------------------------------


@transaction.atomic
def save_minutes(meeting: Meeting, *, text: str, by, expected_version: int | None) -> Minutes:
    text = (text or "").strip()
    if not text:
        _refuse("text", "Le compte rendu est vide.")
    if meeting.is_cancelled:
        _refuse("text", "Cette réunion est annulée : elle n'a pas de compte rendu.")
    if meeting.starts_at > timezone.now():
        _refuse("text", "Le compte rendu s'écrit après la réunion.")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        if expected_version not in (None, NEW):
            raise StaleEditError
        minutes = Minutes(meeting=meeting, text=text, written_by=by)
        minutes.save()
        return minutes
    if expected_version == NEW:
        raise StaleEditError
    claim_version(minutes, expected_version)
    if minutes.text != text:
        minutes.text = text
        minutes.written_by = by
        if minutes.status == MinutesStatus.VALIDATED:
            # A change reopens the validation: the text members read is no longer the validated one.
            minutes.status = MinutesStatus.DRAFT
            minutes.validated_by = None
            minutes.validated_at = None
    minutes.save()
    return minutes


@transaction.atomic
def validate_minutes(minutes: Minutes, *, by, expected_version: int | None) -> Minutes:
    if minutes.status == MinutesStatus.VALIDATED:
        _refuse("status", "Ce compte rendu est déjà validé.")
    claim_version(minutes, expected_version)
    minutes.status = MinutesStatus.VALIDATED
    minutes.validated_by = by
    minutes.validated_at = timezone.now()
    minutes.save()
    if minutes.meeting.status != MeetingStatus.HELD:
        minutes.meeting.status = MeetingStatus.HELD
        minutes.meeting.save()
    return minutes


# --- Decisions -------------------------------------------------------------------------------------------


def _check_owner(meeting: Meeting, owner_member) -> None:
    if owner_member is not None and owner_member.committee_id != meeting.committee_id:
        _refuse("owner_member", "Le porteur choisi n'est pas membre de cette instance.")


@transaction.atomic
def add_decision(
    meeting: Meeting,
    *,
    text: str,
    owner_member=None,
    owner_organisation=None,
    due_date=None,
    is_confidential: bool = False,
    status: str = DecisionStatus.TODO,
    follow_up: str = "",
) -> Decision:
    if meeting.is_cancelled:
        _refuse("text", "Cette réunion est annulée : elle ne prend pas de décision.")
    if not (text or "").strip():
        _refuse("text", "Le texte de la décision est vide.")
    _check_owner(meeting, owner_member)
    number = (
        Decision.objects.select_for_update()
        .filter(meeting=meeting)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    decision = Decision(
        meeting=meeting,
        number=number,
        text=text.strip(),
        owner_member=owner_member,
        owner_organisation=owner_organisation,
        due_date=due_date,
        is_confidential=is_confidential,
        status=status,
        follow_up=(follow_up or "").strip(),
        closed_on=timezone.localdate() if status not in OPEN_DECISION_STATUSES else None,
    )
    _full_clean(decision, exclude=["meeting"])
    decision.save()
    return decision


OWNER_EDITABLE = ("status", "follow_up")


@transaction.atomic
def update_decision(decision: Decision, *, expected_version: int | None, **changes) -> Decision:
    _check_owner(decision.meeting, changes.get("owner_member", decision.owner_member))
    if "text" in changes and not (changes["text"] or "").strip():
        _refuse("text", "Le texte de la décision est vide.")
    was_open = decision.is_open
    for name, value in changes.items():
        setattr(decision, name, value)
    if was_open and not decision.is_open:
        decision.closed_on = timezone.localdate()
    elif decision.is_open:
        decision.closed_on = None
    _full_clean(decision, exclude=["meeting"])
    claim_version(decision, expected_version)
    decision.save()
    return decision


def open_decisions_before(meeting: Meeting):
    """Decisions of earlier meetings of the same instance that are still open (the follow-up of the next
    meeting), oldest first."""
    return (
        Decision.objects.filter(
            meeting__committee_id=meeting.committee_id,
            meeting__starts_at__lt=meeting.starts_at,
            status__in=OPEN_DECISION_STATUSES,
        )
        .select_related(
            "meeting", "owner_member__user__organisation", "owner_member__organisation", "owner_organisation"
        )
        .order_by("due_date", "meeting__starts_at", "number")
    )


# --- Cadence ---------------------------------------------------------------------------------------------


@dataclass
class Cadence:
    expected: str  # "2 à 3 réunions par an"
    held_last_year: int
    planned_next_year: int
    state: str  # "respectee", "en_retard" or "" (no cadence set)

    @property
    def label(self) -> str:
        return {"respectee": "Cadence respectée", "en_retard": "Cadence en retard"}.get(self.state, "")


def cadence(committee: Committee, meetings, today: date | None = None) -> Cadence:
    """Meetings held (or convened and past) over the last 12 months against the expected minimum per year.
    An instance created less than a year ago is judged on its age, pro rata."""
    today = today or timezone.localdate()
    year_ago = today - timedelta(days=365)
    held = [
        meeting
        for meeting in meetings
        if not meeting.is_cancelled and year_ago <= meeting.meeting_date <= today
    ]
    planned = [
        meeting
        for meeting in meetings
        if not meeting.is_cancelled and today < meeting.meeting_date <= today + timedelta(days=365)
    ]
    low = committee.meetings_per_year_min
    if not low:
        return Cadence(committee.cadence_label, len(held), len(planned), "")
    start = timezone.localtime(committee.created_at).date() if committee.created_at else year_ago
    start = min([start, *(meeting.meeting_date for meeting in meetings)])
    window_days = (today - max(start, year_ago)).days
    expected = int(low * window_days / 365)
    state = "respectee" if len(held) >= expected else "en_retard"
    return Cadence(committee.cadence_label, len(held), len(planned), state)


# --- Calendar tokens -------------------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_calendar_token(user) -> str:
    """A new secret address for `user`'s calendar feeds; the previous ones stop working. The clear value
    is returned once and never stored."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    raw = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=user, key_hash=_hash(raw))
    return raw


@transaction.atomic
def revoke_calendar_tokens(user) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_token_user(raw: str):
    """The active user of a valid, unrevoked secret address; None otherwise."""
    if not raw or len(raw) > 100:
        return None
    token = (
        CalendarToken.objects.select_related("user__organisation", "user__territory")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Stakeholders, contributions, syntheses ----------------------------------------------------------------

STAKEHOLDER_FIELDS = (
    "name",
    "category",
    "organisation",
    "description",
    "contact_name",
    "contact_email",
    "website",
)


@transaction.atomic
def save_stakeholder(
    *, stakeholder: Stakeholder | None = None, expected_version=None, **fields
) -> Stakeholder:
    creating = stakeholder is None
    stakeholder = stakeholder or Stakeholder()
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    _full_clean(stakeholder)
    if not creating:
        claim_version(stakeholder, expected_version)
    stakeholder.save()
    return stakeholder


@transaction.atomic
def save_contribution(
    stakeholder: Stakeholder,
    *,
    by,
    theme: ConcertationTheme,
    title: str,
    text: str,
    upload=None,
    remove_file: bool = False,
    contribution: Contribution | None = None,
    expected_version: int | None = None,
) -> Contribution:
    """Write (or rewrite) a draft contribution; an optional PDF replaces the previous one."""
    if contribution is not None and contribution.status != ContributionStatus.DRAFT:
        _refuse("status", "Cette contribution est déposée : elle ne peut plus être modifiée.")
    creating = contribution is None
    contribution = contribution or Contribution(stakeholder=stakeholder, filed_by=by)
    contribution.theme = theme
    contribution.title = (title or "").strip()
    contribution.text = (text or "").strip()
    _full_clean(contribution, exclude=["file", "filed_by", "published_by"])
    if not creating:
        claim_version(contribution, expected_version)
    old_file = contribution.file if (upload is not None or remove_file) else None
    if upload is not None:
        contribution.file = store_upload(upload, by=by, pdf_only=True)
    elif remove_file:
        contribution.file = None
    contribution.save()
    if old_file is not None:
        old_file.delete()
    return contribution


@transaction.atomic
def file_contribution(contribution: Contribution, *, by) -> Contribution:
    if contribution.status != ContributionStatus.DRAFT:
        _refuse("status", "Seul un brouillon peut être déposé.")
    contribution.status = ContributionStatus.FILED
    contribution.filed_at = timezone.now()
    contribution.filed_by = by
    contribution.save()
    claim_version(contribution, None)
    return contribution


@transaction.atomic
def publish_contribution(contribution: Contribution, *, by) -> Contribution:
    if contribution.status != ContributionStatus.FILED:
        _refuse("status", "Seule une contribution déposée peut être publiée.")
    contribution.status = ContributionStatus.PUBLISHED
    contribution.published_at = timezone.now()
    contribution.published_by = by
    contribution.save()
    claim_version(contribution, None)
    return contribution


@transaction.atomic
def withdraw_contribution(contribution: Contribution, *, by) -> Contribution:
    if contribution.status not in (ContributionStatus.FILED, ContributionStatus.PUBLISHED):
        _refuse("status", "Seule une contribution déposée ou publiée peut être retirée.")
    contribution.status = ContributionStatus.WITHDRAWN
    contribution.withdrawn_at = timezone.now()
    contribution.save()
    claim_version(contribution, None)
    return contribution


@transaction.atomic
def save_synthesis(
    theme: ConcertationTheme, *, text: str, by, expected_version: int | None
) -> ThemeSynthesis:
    text = (text or "").strip()
    if not text:
        _refuse("text", "La synthèse est vide.")
    synthesis = ThemeSynthesis.objects.filter(theme=theme).first()
    if synthesis is None:
        if expected_version not in (None, NEW):
            raise StaleEditError
        return ThemeSynthesis.objects.create(theme=theme, text=text, author=by)
    if expected_version == NEW:
        raise StaleEditError
    claim_version(synthesis, expected_version)
    synthesis.text = text
    synthesis.author = by
    synthesis.save()
    return synthesis
