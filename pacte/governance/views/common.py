"""What the governance pages share: finding a row the user may see (or answering as if it did not exist),
refusing who may not act, breadcrumbs.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pacte.core.visibility import Hidden, sign_in_when_hidden  # noqa: F401  (shared by the views)
from pacte.governance import perms
from pacte.governance.models import Committee, Contribution, Decision, Document, Meeting

GOVERNANCE = {"title": "Instances du Pacte"}
CONCERTATION = {"title": "Concertation"}


# --- Get the object or hide it ---------------------------------------------------------------------------


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


def document_or_hide(request, pk: int) -> Document:
    """A document of a meeting the user sees; a signed-in member of the public reading a document reserved to
    members is refused (403), an anonymous visitor is asked to sign in."""
    document = (
        Document.objects.select_related("meeting__committee__territory", "file", "territory")
        .filter(pk=pk)
        .first()
    )
    if document is None or not perms.can_view_committee(request.user, document.meeting.committee):
        raise Hidden("Document introuvable")
    if not perms.can_view_document(request.user, document):
        if request.user.is_authenticated:
            raise PermissionDenied
        raise Hidden("Document introuvable")
    return document


def contribution_or_hide(request, pk: int) -> Contribution:
    contribution = (
        Contribution.objects.select_related(
            "stakeholder__organisation", "theme", "file", "filed_by", "published_by"
        )
        .filter(pk=pk)
        .first()
    )
    if contribution is None or not perms.can_view_contribution(request.user, contribution):
        raise Hidden("Contribution introuvable")
    return contribution


def require(allowed: bool) -> None:
    """Refuse (403) a user who sees the page but may not do what it does."""
    if not allowed:
        raise PermissionDenied


# --- Breadcrumbs and addresses ---------------------------------------------------------------------------


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


def base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


# --- Refusals of a button --------------------------------------------------------------------------------
