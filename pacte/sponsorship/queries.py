"""Reads of the mécénat de proximité shared by its pages and « Mon espace » (the tasks that wait on a user): the
companies a commissioner has to validate, the pledges an association has to answer, the accepted pledges whose
delivery is to be recorded. Each is one query, filtered by the rules of `perms` and checked with them."""

from django.db.models import QuerySet

from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role
from pacte.core.collation import french_key
from pacte.sponsorship import perms
from pacte.sponsorship.enums import CompanyStatus, PledgeStatus
from pacte.sponsorship.models import Company, Pledge, PublishedProject

PLEDGE_RELATED = ("company", "project__application__organisation", "project__application__call__region")


def companies_to_decide(user) -> list[Company]:
    """The companies waiting for the validation of `user` (the commissioner of their région)."""
    if not has_role(user, Role.REGIONAL_COMMISSIONER):
        return []
    rows = Company.objects.filter(
        perms.visible_companies_q(user), status=CompanyStatus.PENDING
    ).select_related("commune")
    return [company for company in rows if perms.can_decide_company(user, company)]


def _followed_pledges(user, status: str) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(status=status, project__in=_followed_projects(user))
        .select_related(*PLEDGE_RELATED)
        .order_by("proposed_at", "pk")
    )


def _followed_projects(user):
    return PublishedProject.objects.filter(perms.followed_projects_q(user)).values("pk")


def pledges_to_answer(user) -> list[Pledge]:
    """The proposed pledges `user`'s association has to accept or decline."""
    if not has_role(user, Role.ASSOCIATION):
        return []
    return [
        pledge
        for pledge in _followed_pledges(user, PledgeStatus.PROPOSED)
        if perms.can_answer_pledge(user, pledge)
    ]


def pledges_to_deliver(user) -> list[Pledge]:
    """The accepted pledges whose delivery `user` (the association or the commissioner) may record."""
    if not has_role(user, Role.ASSOCIATION, Role.REGIONAL_COMMISSIONER):
        return []
    return [
        pledge
        for pledge in _followed_pledges(user, PledgeStatus.ACCEPTED)
        if perms.can_mark_delivered(user, pledge)
    ]


def public_supporters(project) -> list[str]:
    """The names of the companies whose pledge the association accepted and which consented to publication."""
    names = (
        Company.objects.filter(
            publish_name=True,
            pledges__project=project,
            pledges__status__in=(PledgeStatus.ACCEPTED, PledgeStatus.DELIVERED),
        )
        .values_list("name", flat=True)
        .distinct()
    )
    return sorted(names, key=french_key)
