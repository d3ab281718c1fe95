"""Who is told when a decision of an instance gets an owner, and what (`pacte.accounts.notifications`).

The owner acts on its decision (`governance.perms.is_decision_owner`: its status and follow-up): when a decision is
recorded with a member as its owner, or its owner changes to another member, the platform user of that member is
told (an owner given only as an organisation, or a member without an account, is told by the secretariat as
before). Not for a decision already closed. Convocations are sent by `services.invitations`, not here.
The message names the instance, the meeting, the decision's number and due date; never its text (a decision may be
reserved to the members, and the page shows it to those who may read it)."""

from pacte.accounts import notifications
from pacte.governance import perms


def decision_assigned(decision, *, previous_owner_member_id=None, actor=None) -> int:
    member = decision.owner_member
    if member is None or not member.user_id or decision.owner_member_id == previous_owner_member_id:
        return 0
    if not decision.is_open:
        return 0
    owner = member.user
    if not perms.is_decision_owner(owner, decision):
        return 0
    meeting = decision.meeting
    return notifications.notify(
        "decision_attribuee",
        recipients=[owner],
        subject=f"Décision n°{decision.number} à porter – {meeting.committee.name}",
        url=decision.get_absolute_url(),
        context={"decision": decision, "meeting": meeting, "committee": meeting.committee},
        actor=actor,
    )
