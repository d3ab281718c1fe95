"""Instances and their members."""

from django.db import transaction
from django.utils import timezone

from pacte.core.locking import claim_version
from pacte.governance.enums import MeetingStatus
from pacte.governance.models import Committee, Member
from pacte.governance.services.attendance import sync_attendances
from pacte.governance.services.common import full_clean

# The fields of an instance a person edits (the form shows these, in this order).
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

# The fields of a seat a person edits.
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
def create_committee(**fields) -> Committee:
    committee = Committee(**fields)
    full_clean(committee)
    committee.save()
    return committee


@transaction.atomic
def update_committee(committee: Committee, *, expected_version: int | None, **changes) -> Committee:
    for name, value in changes.items():
        setattr(committee, name, value)
    full_clean(committee)
    claim_version(committee, expected_version)
    committee.save()
    return committee


@transaction.atomic
def save_member(
    committee: Committee, *, member: Member | None = None, expected_version=None, **fields
) -> Member:
    """Seat a member (or change a seat). A member seated while meetings are planned is invited to them."""
    creating = member is None
    member = member or Member(committee=committee)
    for name, value in fields.items():
        setattr(member, name, value)
    full_clean(member, exclude=["committee"])
    if not creating:
        claim_version(member, expected_version)
    member.save()
    for meeting in committee.meetings.filter(starts_at__gte=timezone.now()).exclude(
        status=MeetingStatus.CANCELLED
    ):
        sync_attendances(meeting)
    return member
