"""Reads of the governance shared by the pages, the CSV exports and the API: the instances a user sees, the
meetings of a calendar, the decisions of an instance or of a person, the attendance counts, the cadence of an
instance, the stakeholder a user speaks for. Who may see what is decided by `perms`; these only read."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from pacte.contracts import perms as contract_perms
from pacte.contracts.models import Contract
from pacte.core.collation import french, french_key
from pacte.governance import perms
from pacte.governance.enums import (
    OPEN_DECISION_STATUSES,
    Attendance,
    ContributionStatus,
    MeetingStatus,
    MemberCategory,
)
from pacte.governance.models import (
    Committee,
    Decision,
    Meeting,
    MeetingAttendance,
    Stakeholder,
    SteeredContract,
)

# What a decision row shows: its meeting and instance, its owner (member or organisation).
DECISION_RELATED = (
    "meeting__committee",
    "owner_member__user__organisation",
    "owner_member__organisation",
    "owner_organisation",
)


# --- Instances -------------------------------------------------------------------------------------------


def visible_committees(user):
    """The instances `user` may see (`perms.visible_committees_q`), each once."""
    return Committee.objects.filter(
        pk__in=Committee.objects.filter(perms.visible_committees_q(user)).values("pk")
    )


def upcoming_q(prefix: str = "", now=None) -> Q:
    """Meetings to come that are not cancelled (`prefix` to reach them from another model)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}starts_at__gte": now}) & ~Q(**{f"{prefix}status": MeetingStatus.CANCELLED})


def committee_list(user, kind: str = ""):
    """The instances `user` sees, with their next meeting and their number of meetings, by territory."""
    committees = (
        visible_committees(user)
        .select_related("territory", "axis")
        .annotate(
            next_meeting=Min("meetings__starts_at", filter=upcoming_q("meetings__")),
            meeting_count=Count("meetings", distinct=True),
        )
        .order_by("territory__level", "territory__code", "kind", french("name"))
    )
    return committees.filter(kind=kind) if kind else committees


def committee_figures(committee: Committee) -> dict:
    """Members in office, meetings, and the start of the next meeting not cancelled."""
    return {
        "members_count": committee.members.filter(perms.active_seat_q()).count(),
        "meetings_count": committee.meetings.count(),
        "next_meeting": committee.meetings.filter(upcoming_q())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first(),
    }


# --- Instances as comités de pilotage of contracts ---------------------------------------------------------


def contract_committees(user, contract: Contract):
    """The instances `user` sees that steer `contract` (through its initial version: the avenants share them)."""
    return (
        visible_committees(user)
        .filter(steered_contracts__contract_id=contract.root_id or contract.pk)
        .select_related("territory")
        .order_by("kind", french("name"), "pk")
    )


def steered_contracts(user, committee: Committee):
    """The links of `committee` to the contracts it steers that `user` may see, with their contract."""
    return perms.visible_steered_contracts(
        user, SteeredContract.objects.filter(committee=committee).select_related("contract__territory")
    )


def linkable_contracts(user, committee: Committee):
    """The initial contracts `user` sees (`contracts.perms.visible_contracts_q`) inside the instance's territory
    that it does not steer yet: what the link form offers. The rules are checked again by the service."""
    contracts = Contract.objects.filter(root__isnull=True).filter(
        pk__in=Contract.objects.filter(contract_perms.visible_contracts_q(user)).values("pk")
    )
    if committee.territory_id is not None:
        contracts = contracts.filter(committee.territory.within_q("territory__"))
    return (
        contracts.exclude(pk__in=committee.steered_contracts.values("contract"))
        .select_related("territory")
        .order_by("territory__code", "period_start", "pk")
    )


# --- Meetings --------------------------------------------------------------------------------------------


def visible_meetings(user):
    """The meetings of the instances `user` sees."""
    return Meeting.objects.filter(committee__in=visible_committees(user).values("pk"))


def attendances(meeting: Meeting):
    """The members invited to `meeting`, by college and name."""
    return meeting.attendances.select_related("member__user__organisation", "member__organisation").order_by(
        "member__category", "member__organisation_name", "member__person_name", "pk"
    )


def invitation_recipients(meeting: Meeting) -> list[MeetingAttendance]:
    """The invited members who have an e-mail address (their own or their account's)."""
    rows = meeting.attendances.select_related("member__user", "member__organisation")
    return [attendance for attendance in rows if attendance.member.contact_email]


@dataclass
class AttendanceCounts:
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, dict[str, int]]]
    by_organisation: list[tuple[str, dict[str, int]]]
    total: int


# Every member of a meeting is invited; the status « invité » is an invitation not answered yet. The chips of a
# meeting say so (its singular and plural forms, for the `plural_word` filter), after the number of members invited.
_STATUS_CHIP = {Attendance.INVITED: "Sans réponse,Sans réponse"}


def attendance_counts(rows) -> AttendanceCounts:
    """Not answered yet / present / excused / absent, overall, by college and by organisation; `total` is the
    number of members invited."""
    overall: Counter = Counter()
    categories: dict[str, Counter] = {}
    organisations: dict[str, Counter] = {}
    for attendance in rows:
        member = attendance.member
        overall[attendance.status] += 1
        categories.setdefault(MemberCategory(member.category).label, Counter())[attendance.status] += 1
        organisation = member.organisation_label or "Sans organisation"
        organisations.setdefault(organisation, Counter())[attendance.status] += 1

    def _row(counter: Counter) -> dict[str, int]:
        return {"total": sum(counter.values()), **{status: counter[status] for status in Attendance.values}}

    return AttendanceCounts(
        by_status=[
            (_STATUS_CHIP.get(status, Attendance(status).label), overall[status])
            for status in Attendance.values
        ],
        by_category=[(label, _row(categories[label])) for label in sorted(categories, key=french_key)],
        by_organisation=[
            (label, _row(organisations[label])) for label in sorted(organisations, key=french_key)
        ],
        total=sum(overall.values()),
    )


def attendance_by_college(meeting: Meeting) -> list[dict]:
    """Invited, present, excused and absent members per college (never by name), counted by the database."""
    counts: dict[str, dict] = defaultdict(lambda: dict.fromkeys(Attendance.values, 0))
    rows = (
        MeetingAttendance.objects.filter(meeting=meeting)
        .values_list("member__category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for category, status, number in rows:
        counts[category][status] += number
    return [
        {
            "category": category,
            "category_label": MemberCategory(category).label,
            "invited": sum(row.values()),
            "present": row[Attendance.PRESENT],
            "excused": row[Attendance.EXCUSED],
            "absent": row[Attendance.ABSENT],
        }
        for category, row in sorted(
            counts.items(), key=lambda item: french_key(MemberCategory(item[0]).label)
        )
    ]


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


# --- Decisions -------------------------------------------------------------------------------------------


def late_q(today: date | None = None) -> Q:
    """Open decisions whose due date has passed (`Decision.is_late` as a filter)."""
    return Q(status__in=OPEN_DECISION_STATUSES, due_date__lt=today or timezone.localdate())


def committee_decisions(user, committee: Committee, *, open_only: bool = False):
    """The decisions of `committee` that `user` reads, the most recent meetings first."""
    decisions = Decision.objects.filter(meeting__committee=committee).select_related(*DECISION_RELATED)
    decisions = perms.visible_decisions(user, decisions, committee=committee)
    if open_only:
        decisions = decisions.filter(status__in=OPEN_DECISION_STATUSES)
    return decisions.order_by("-meeting__starts_at", "number")


def open_decisions_before(meeting: Meeting):
    """Decisions of earlier meetings of the same instance that are still open (the follow-up of the next
    meeting), oldest first."""
    return (
        Decision.objects.filter(
            meeting__committee_id=meeting.committee_id,
            meeting__starts_at__lt=meeting.starts_at,
            status__in=OPEN_DECISION_STATUSES,
        )
        .select_related(*DECISION_RELATED)
        .order_by("due_date", "meeting__starts_at", "number")
    )


def owned_decisions_q(user) -> Q:
    """Decisions `user` carries: as a member, or through its organisation (owner or owner member's)."""
    mine = Q(owner_member__user=user)
    if user.organisation_id:
        mine |= Q(owner_organisation_id=user.organisation_id) | Q(
            owner_member__organisation_id=user.organisation_id
        )
    return mine


def my_decisions(user, *, open_only: bool):
    """The decisions `user` carries, by due date."""
    decisions = (
        Decision.objects.filter(owned_decisions_q(user))
        .select_related(*DECISION_RELATED)
        .order_by("due_date", "meeting__starts_at", "number")
    )
    return decisions.filter(status__in=OPEN_DECISION_STATUSES) if open_only else decisions


# --- Concertation ----------------------------------------------------------------------------------------


def own_stakeholder(user) -> Stakeholder | None:
    """The stakeholder in whose name `user` files contributions (its organisation's), if any."""
    if not (user.is_authenticated and user.organisation_id):
        return None
    stakeholder = Stakeholder.objects.filter(organisation_id=user.organisation_id).first()
    return stakeholder if stakeholder and perms.can_file_contribution(user, stakeholder) else None


def synthesis_contributions(theme):
    """The contributions a synthesis reads: filed or published, by family of actors and stakeholder."""
    return (
        theme.contributions.filter(status__in=[ContributionStatus.FILED, ContributionStatus.PUBLISHED])
        .select_related("stakeholder", "file")
        .order_by("stakeholder__category", french("stakeholder__name"), "pk")
    )
