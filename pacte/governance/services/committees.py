"""Instances and their members. The rules of the kinds the texts describe (a département's joint governance
France Travail–solidarités, the comité départemental pour l'emploi) are in `pacte.governance.rules`, with their
sources."""

from django.db import transaction
from django.utils import timezone

from pacte import formatting
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.governance import rules
from pacte.governance.enums import CommitteeKind, MeetingStatus
from pacte.governance.models import Committee, Member
from pacte.governance.services.attendance import sync_attendances
from pacte.governance.services.common import full_clean
from pacte.governance.services.observation_platform import sync_committee_importers, sync_importer
from pacte.governance.services.steering import check_links_kept
from pacte.territories.enums import Level

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


def _check_kind(committee: Committee, errors: Errors) -> None:
    """A joint governance and a comité départemental pour l'emploi sit in one département; the comité
    départemental pour l'emploi has no meeting before 1 July 2024 (`rules`)."""
    if committee.kind not in rules.DEPARTEMENT_KINDS:
        return
    label = CommitteeKind(committee.kind).label
    if committee.territory is None or committee.territory.level != Level.DEPARTEMENT:
        errors.add(
            "territory", f"Une instance de type « {label} » siège dans un département : choisissez-en un."
        )
    if (
        committee.kind == CommitteeKind.EMPLOYMENT_COMMITTEE
        and committee.pk
        and committee.meetings.filter(starts_at__date__lt=rules.EMPLOYMENT_COMMITTEE_START).exists()
    ):
        errors.add(
            "kind",
            "Le comité départemental pour l'emploi existe depuis le "
            f"{formatting.date(rules.EMPLOYMENT_COMMITTEE_START)} (décret n° 2024-560 du 18 juin 2024) : "
            "cette instance a des réunions antérieures.",
        )


@transaction.atomic
def create_committee(**fields) -> Committee:
    committee = Committee(**fields)
    full_clean(committee)
    errors = Errors()
    _check_kind(committee, errors)
    errors.raise_if_any()
    committee.save()
    return committee


@transaction.atomic
def update_committee(committee: Committee, *, expected_version: int | None, **changes) -> Committee:
    before = {name: getattr(committee, name) for name in ("kind", "territory_id", "axis_id")}
    for name, value in changes.items():
        setattr(committee, name, value)
    full_clean(committee)
    errors = Errors()
    _check_kind(committee, errors)
    changed = [name for name, value in before.items() if getattr(committee, name) != value]
    if changed:
        check_links_kept(committee, errors, changed[0].removesuffix("_id"))
    errors.raise_if_any()
    claim_version(committee, expected_version)
    committee.save()
    sync_committee_importers(committee)
    return committee


@transaction.atomic
def save_member(
    committee: Committee, *, member: Member | None = None, expected_version=None, **fields
) -> Member:
    """Seat a member (or change a seat). A member seated while meetings are planned is invited to them."""
    creating = member is None
    member = member or Member(committee=committee)
    former_user = member.user if member.user_id else None
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
    # A seat in a région's GT « Pauvreté » gives its holder the région's observation imports.
    for user in {former_user, member.user if member.user_id else None} - {None}:
        sync_importer(user)
    return member
