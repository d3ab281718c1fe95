"""Who may see and do what in the mécénat de proximité.

The commissioner of a région validates or refuses the companies whose commune lies in it, records their pledges
(a company has no account) and marks a pledge delivered, on the projects of the calls of its région. The members
of an association publish their selected projects, accept or decline the pledges and mark them delivered.
National steering reads everything. The public sees the published projects whose association consented, and a
company's name only with its consent.
"""

from django.db.models import Q

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national, territory_q
from pacte.grants.enums import ApplicationStatus
from pacte.sponsorship.enums import CompanyStatus, PledgeStatus, PublicationStatus


def is_commissioner_for(user, region) -> bool:
    return has_role(user, Role.REGIONAL_COMMISSIONER) and covers(user, region)


def is_member_of(user, application) -> bool:
    return (
        has_role(user, Role.ASSOCIATION)
        and user.organisation_id is not None
        and user.organisation_id == application.organisation_id
    )


def public_projects_q() -> Q:
    return Q(status=PublicationStatus.PUBLISHED, association_consent=True)


def can_list_companies(user) -> bool:
    """Commissioners (their région's companies) and national steering (all)."""
    return has_role(user, Role.REGIONAL_COMMISSIONER, Role.NATIONAL_STEERING)


def visible_companies_q(user) -> Q:
    if is_national(user):
        return Q()
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        return territory_q(user, "commune__")
    return Q(pk__in=[])


def can_view_company(user, company) -> bool:
    """The commissioner of the company's région and national steering (contact details included)."""
    return is_national(user) or is_commissioner_for(user, company.commune)


def can_decide_company(user, company) -> bool:
    """The commissioner of the company's région, while the company waits for validation."""
    return company.status == CompanyStatus.PENDING and is_commissioner_for(user, company.commune)


def can_publish(user, application) -> bool:
    """A member of the association, on its selected project not yet published."""
    return (
        is_member_of(user, application)
        and application.status == ApplicationStatus.SELECTED
        and not hasattr(application, "sponsorship")
    )


def publishable_applications_q(user) -> Q:
    if has_role(user, Role.ASSOCIATION) and user.organisation_id:
        return Q(organisation_id=user.organisation_id, status=ApplicationStatus.SELECTED, sponsorship=None)
    return Q(pk__in=[])


def follows_project(user, project) -> bool:
    """The association, the commissioner of the call's région and national steering: pledges and what was
    given."""
    application = project.application
    return is_member_of(user, application) or is_commissioner_for(user, project.region) or is_national(user)


def can_view_project(user, project) -> bool:
    return project.is_public or follows_project(user, project)


def followed_projects_q(user) -> Q:
    if not (user.is_authenticated and user.is_active and user.role):
        return Q(pk__in=[])
    if is_national(user):
        return Q()
    if user.role == Role.ASSOCIATION and user.organisation_id:
        return Q(application__organisation_id=user.organisation_id)
    if user.role == Role.REGIONAL_COMMISSIONER:
        return territory_q(user, "application__call__region__")
    return Q(pk__in=[])


def can_record_pledge(user, project) -> bool:
    """The commissioner of the project's région, on behalf of a validated company, while the project is
    published."""
    return project.status == PublicationStatus.PUBLISHED and is_commissioner_for(user, project.region)


def can_withdraw_project(user, project) -> bool:
    return project.status == PublicationStatus.PUBLISHED and is_member_of(user, project.application)


def can_answer_pledge(user, pledge) -> bool:
    """The association accepts or declines a proposed pledge."""
    return pledge.status == PledgeStatus.PROPOSED and is_member_of(user, pledge.project.application)


def can_mark_delivered(user, pledge) -> bool:
    """The association or the commissioner, on an accepted pledge."""
    return pledge.status == PledgeStatus.ACCEPTED and (
        is_member_of(user, pledge.project.application) or is_commissioner_for(user, pledge.project.region)
    )


def can_see_company_name(user, company, project=None) -> bool:
    """A company's name is public with its consent; without it, only those who follow the project (or the
    company) see it."""
    if company.publish_name:
        return True
    if project is not None and follows_project(user, project):
        return True
    return can_view_company(user, company)


def can_export_pledges(user) -> bool:
    """The commissioners (the pledges of their région's projects) and national steering (all): the CSV/XLSX
    export of the pledges."""
    return has_role(user, Role.REGIONAL_COMMISSIONER, Role.NATIONAL_STEERING)


def exported_pledges_q(user) -> Q:
    """The pledges of `user`'s export: those of the projects it follows as commissioner or national steering."""
    if is_national(user):
        return Q()
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        return territory_q(user, "project__application__call__region__")
    return Q(pk__in=[])
