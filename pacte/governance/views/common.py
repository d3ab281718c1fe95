"""What the governance pages share: finding a row the user may see (or answering as if it did not exist),
breadcrumbs and the messages of refused operations."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from pacte.core.visibility import Hidden, sign_in_when_hidden  # noqa: F401  (shared by the views)
from pacte.governance import perms
from pacte.governance.models import Committee, Decision, Meeting

GOVERNANCE = {"title": "Instances du Pacte"}
CONCERTATION = {"title": "Concertation"}


def committee_or_hide(request, pk: int) -> Committee:
    committee = (
        Committee.objects.select_related("territory__region", "axis", "secretariat", "concertation_theme")
        .filter(pk=pk)
        .first()
    )
    if committee is None or not perms.can_view_committee(request.user, committee):
        raise Hidden("Instance introuvable")
    return committee


def meeting_or_hide(request, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related(
            "committee__territory__region", "committee__secretariat", "committee__axis", "concertation_theme"
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not perms.can_view_committee(request.user, meeting.committee):
        raise Hidden("Réunion introuvable")
    return meeting


def decision_or_hide(request, pk: int) -> Decision:
    decision = (
        Decision.objects.select_related(
            "meeting__committee__territory",
            "owner_member__user",
            "owner_member__organisation",
            "owner_organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None or not perms.can_view_decision(request.user, decision):
        raise Hidden("Décision introuvable")
    return decision


def breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("governance:committees"), **GOVERNANCE}, *links], "current": current}


def committee_link(committee: Committee) -> dict:
    return {"url": committee.get_absolute_url(), "title": committee.name}


def meeting_link(meeting: Meeting) -> dict:
    return {"url": meeting.get_absolute_url(), "title": str(meeting)}


def concertation_breadcrumb(current: str, *links: dict) -> dict:
    return {
        "links": [{"url": reverse("governance:concertation"), **CONCERTATION}, *links],
        "current": current,
    }


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"
