"""Who is told of each event of a candidature, and what (`pacte.accounts.notifications`).

Those who must act next, by the rules of `grants.perms`:
- a candidature filed: its instruction, the commissioner of the call's région (`is_commissioner_of`), who closes
  the call and decides, and the reviewers the commissioner assigned to the call (`is_reviewer_of`), who score it
  once the call is closed; not a reviewer of the association that applies (`has_conflict`);
- a candidature decided (retained or not): the members of the association (`is_member_of`), who sign the
  convention or read the motivation on the platform.
The messages name the call, the project and the association; never an amount nor the motivation."""

from pacte.accounts import notifications
from pacte.accounts.enums import Role
from pacte.accounts.models import User
from pacte.grants import perms
from pacte.grants.enums import ApplicationStatus


def instruction(application) -> list:
    """The commissioner(s) of the call's région and the call's reviewers without a conflict of interest."""
    call = application.call
    commissioners = [
        user
        for user in notifications.candidates((Role.REGIONAL_COMMISSIONER,), [call.region])
        if perms.is_commissioner_of(user, call)
    ]
    reviewers = [
        user
        for user in User.objects.filter(grant_assignments__call=call).select_related("organisation")
        if perms.is_reviewer_of(user, call) and not perms.has_conflict(user, application)
    ]
    return commissioners + reviewers


def members(application) -> list:
    users = User.objects.filter(
        organisation_id=application.organisation_id, role=Role.ASSOCIATION, is_active=True
    ).exclude(email="")
    return [user for user in users if perms.is_member_of(user, application)]


def application_submitted(application, actor) -> int:
    call = application.call
    return notifications.notify(
        "candidature_deposee",
        recipients=instruction(application),
        subject=f"Candidature déposée – {call.title} – {application.organisation.name}",
        url=application.get_absolute_url(),
        context={"application": application, "call": call},
        actor=actor,
    )


def application_decided(application, actor) -> int:
    call = application.call
    selected = application.status == ApplicationStatus.SELECTED
    return notifications.notify(
        "candidature_retenue" if selected else "candidature_non_retenue",
        recipients=members(application),
        subject=(
            f"Candidature retenue – {call.title}" if selected else f"Candidature non retenue – {call.title}"
        ),
        url=application.get_absolute_url(),
        context={"application": application, "call": call},
        actor=actor,
    )
