"""The relevé de décisions: decisions numbered per meeting, their owner, due date, status and follow-up."""

from django.db import transaction
from django.utils import timezone

from pacte.core.locking import claim_version
from pacte.governance import notifications
from pacte.governance.enums import OPEN_DECISION_STATUSES, DecisionStatus
from pacte.governance.models import Decision, Meeting
from pacte.governance.services.common import full_clean, refuse


def _check_owner(meeting: Meeting, owner_member) -> None:
    if owner_member is not None and owner_member.committee_id != meeting.committee_id:
        refuse("owner_member", "Le porteur choisi n'est pas membre de cette instance.")


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
    """Record a decision of `meeting`, numbered after the last one of the meeting."""
    if meeting.is_cancelled:
        refuse("text", "Cette réunion est annulée : elle ne prend pas de décision.")
    if not (text or "").strip():
        refuse("text", "Le texte de la décision est vide.")
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
    full_clean(decision, exclude=["meeting"])
    decision.save()
    notifications.decision_assigned(decision)
    return decision


@transaction.atomic
def update_decision(decision: Decision, *, expected_version: int | None, **changes) -> Decision:
    """Change a decision; closing it records the day, reopening it clears that day."""
    _check_owner(decision.meeting, changes.get("owner_member", decision.owner_member))
    if "text" in changes and not (changes["text"] or "").strip():
        refuse("text", "Le texte de la décision est vide.")
    was_open, previous_owner = decision.is_open, decision.owner_member_id
    for name, value in changes.items():
        setattr(decision, name, value)
    if was_open and not decision.is_open:
        decision.closed_on = timezone.localdate()
    elif decision.is_open:
        decision.closed_on = None
    full_clean(decision, exclude=["meeting"])
    claim_version(decision, expected_version)
    decision.save()
    notifications.decision_assigned(decision, previous_owner_member_id=previous_owner)
    return decision
