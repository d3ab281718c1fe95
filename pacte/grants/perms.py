"""Who may see and do what on appels à projets, candidatures, evaluations and conventions.

The commissioner of a call is a regional-commissioner user whose territory covers the call's région: it
drafts, publishes, closes the call, assigns reviewers and decides. National steering reads everything. An
association's members see and file their own organisation's candidatures and reports. A reviewer assigned to
a call sees the call's filed candidatures and scores them. The DDETS of the département where a project takes
place follows it (candidature, convention, payments, reports). Published calls, the decisions on selected
projects, the conventions' summary and the open data are public.
"""

from django.db.models import Q

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national, territory_q
from pacte.core.enums import ReportStatus
from pacte.grants.enums import PENDING_STATUSES, ApplicationStatus, CallStatus, ReviewStatus
from pacte.territories.enums import Level


def _departement(territory):
    if territory is None:
        return None
    if territory.level == Level.DEPARTEMENT:
        return territory
    return territory.departement


def is_commissioner_of(user, call) -> bool:
    return has_role(user, Role.REGIONAL_COMMISSIONER) and covers(user, call.region)


def is_reviewer_of(user, call) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return any(assignment.reviewer_id == user.pk for assignment in call.assignments.all())


def is_member_of(user, application) -> bool:
    return (
        has_role(user, Role.ASSOCIATION)
        and user.organisation_id is not None
        and user.organisation_id == application.organisation_id
    )


def is_ddets_of(user, application) -> bool:
    departement = _departement(application.territory)
    return has_role(user, Role.DDETS) and departement is not None and user.territory_id == departement.pk


def can_create_call(user) -> bool:
    """A regional commissioner attached to a région (its préfecture de région is the call's owner)."""
    return (
        has_role(user, Role.REGIONAL_COMMISSIONER)
        and user.territory_id is not None
        and bool(user.organisation_id)
    )


def can_view_call(user, call) -> bool:
    """Everyone once published; a draft: its commissioner and national steering."""
    return call.is_public or can_manage_call(user, call) or is_national(user)


def visible_calls_q(user) -> Q:
    """`can_view_call` as a filter, for lists: published calls; drafts for the commissioners of their région
    and national steering."""
    if is_national(user):
        return Q()
    visible = ~Q(status=CallStatus.DRAFT)
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        visible |= territory_q(user, "region__")
    return visible


def can_manage_call(user, call) -> bool:
    """The commissioner of the call's région: edit the draft, publish, close early, assign reviewers, decide."""
    return is_commissioner_of(user, call)


def can_edit_call(user, call) -> bool:
    """The commissioner while the call is a draft or open (an open call's budget and deadline may still
    move; its criteria freeze once the first review exists)."""
    return can_manage_call(user, call) and call.current_status in (CallStatus.DRAFT, CallStatus.PUBLISHED)


def possible_reviewers_q(call) -> Q:
    """Who the commissioner may assign as reviewer of `call` (a filter on users): an active account with a role,
    attached to the call's région (or inside it), or national steering."""
    return (
        Q(is_active=True)
        & ~Q(role="")
        & (call.region.within_q("territory__") | Q(role=Role.NATIONAL_STEERING))
    )


def can_follow_call(user, call) -> bool:
    """The commissioner, national steering and the call's reviewers: the list of filed candidatures."""
    return can_manage_call(user, call) or is_national(user) or is_reviewer_of(user, call)


def can_apply(user, call) -> bool:
    """An association user (with its organisation) while the call accepts candidatures."""
    return has_role(user, Role.ASSOCIATION) and bool(user.organisation_id) and call.accepting


def visible_applications_q(user) -> Q:
    """The candidatures `user` may see in lists: its organisation's (association), those of the calls it
    manages, follows as reviewer (filed ones), or the projects of its département (DDETS); every filed one for
    national steering (never another association's draft); for anyone, the selected ones (public decisions)."""
    public = Q(status=ApplicationStatus.SELECTED)
    if not (user.is_authenticated and user.is_active and user.role):
        return public
    filed = ~Q(status=ApplicationStatus.DRAFT)
    if is_national(user):
        return filed  # a draft is its association's until filed, national steering included
    query = public
    if user.role == Role.ASSOCIATION and user.organisation_id:
        query |= Q(organisation_id=user.organisation_id)
    if user.role == Role.REGIONAL_COMMISSIONER and user.territory_id:
        query |= filed & Q(call__region_id=user.territory_id)
    if user.role == Role.DDETS and user.territory_id:
        query |= filed & (Q(territory_id=user.territory_id) | Q(territory__departement_id=user.territory_id))
    query |= filed & Q(call__assignments__reviewer_id=user.pk)
    return query


def member_applications_q(user) -> Q:
    """The candidatures of the user's own association (« Vos candidatures »); none for anyone else."""
    if has_role(user, Role.ASSOCIATION) and user.organisation_id:
        return Q(organisation_id=user.organisation_id)
    return Q(pk__in=[])


def can_view_application(user, application) -> bool:
    """The association itself; once filed, the commissioner, the call's reviewers, the DDETS of the project's
    département and national steering; everyone for a selected project (the public decision)."""
    if application.status == ApplicationStatus.SELECTED or is_member_of(user, application):
        return True
    if application.status == ApplicationStatus.DRAFT:
        return False
    return can_follow_application(user, application)


def can_follow_application(user, application) -> bool:
    """The instruction side: commissioner, national steering, reviewers of the call, DDETS of the project's
    département. Sees the candidature in full (amounts, co-financing, contact) and its history."""
    if application.status == ApplicationStatus.DRAFT:
        return False
    call = application.call
    return (
        is_commissioner_of(user, call)
        or is_national(user)
        or is_reviewer_of(user, call)
        or is_ddets_of(user, application)
    )


def can_see_details(user, application) -> bool:
    """Amounts asked, co-financing plan, contact and history: the association and the instruction side."""
    return is_member_of(user, application) or can_follow_application(user, application)


def can_edit_application(user, application) -> bool:
    """Members of the association, while the candidature is a draft and the call accepts candidatures."""
    return is_member_of(user, application) and application.is_editable and application.call.accepting


def can_submit_application(user, application) -> bool:
    """Members of the association, while the candidature is a draft (the services then check the deadline
    and what is missing)."""
    return is_member_of(user, application) and application.is_editable


def can_see_motivation(user, application) -> bool:
    """Everyone for a selected project (the public decision); for a rejected one, the association and the
    instruction side."""
    return application.is_decided and (application.is_selected or can_see_details(user, application))


def can_withdraw_application(user, application) -> bool:
    """Members of the association, until the decision."""
    return is_member_of(user, application) and (
        application.status in (ApplicationStatus.DRAFT, *PENDING_STATUSES)
    )


def can_review_application(user, application) -> bool:
    """A reviewer assigned to the call, once the call is closed, on a filed candidature not yet decided and
    not of the reviewer's own organisation (conflict of interest)."""
    return (
        is_reviewer_of(user, application.call)
        and application.call.is_closed
        and application.status in PENDING_STATUSES
        and not has_conflict(user, application)
    )


def has_conflict(user, application) -> bool:
    return bool(user.organisation_id) and user.organisation_id == application.organisation_id


def can_view_all_reviews(user, application, own_review=None) -> bool:
    """The commissioner and national steering at any time; a reviewer once its own evaluation is submitted
    (so that nobody scores in the light of the others)."""
    if is_commissioner_of(user, application.call) or is_national(user):
        return True
    return own_review is not None and own_review.status == ReviewStatus.SUBMITTED


def can_decide_application(user, application) -> bool:
    """The commissioner, once the call is closed, on a candidature under instruction."""
    return (
        is_commissioner_of(user, application.call)
        and application.call.is_closed
        and application.status in PENDING_STATUSES
    )


def can_view_agreement_summary(user, agreement) -> bool:
    """Everyone: the beneficiary, the object and the amounts of a convention are public (open data)."""
    return True


def can_follow_agreement(user, agreement) -> bool:
    """Payments, yearly reports and history: the association, the commissioner, the DDETS of the project's
    département and national steering."""
    application = agreement.application
    return (
        is_member_of(user, application)
        or is_commissioner_of(user, application.call)
        or is_ddets_of(user, application)
        or is_national(user)
    )


def followed_agreements_q(user) -> Q:
    """`can_follow_agreement` as a filter on grants (the list of reports due): the association's own, those of
    the calls of the commissioner's région, of the projects in the DDETS's département; all for national
    steering; none for anyone else."""
    if not (user.is_authenticated and user.is_active and user.role):
        return Q(pk__in=[])
    if is_national(user):
        return Q()
    if user.role == Role.ASSOCIATION and user.organisation_id:
        return Q(application__organisation_id=user.organisation_id)
    if user.role == Role.REGIONAL_COMMISSIONER:
        return territory_q(user, "application__call__region__")
    if user.role == Role.DDETS:
        return territory_q(user, "application__territory__")
    return Q(pk__in=[])


def is_association_user(user) -> bool:
    """A member of an association (the side that writes the reports)."""
    return has_role(user, Role.ASSOCIATION) and bool(user.organisation_id)


def can_list_reports(user) -> bool:
    """The list of reports due or late: association members, commissioners, DDETS and national steering (each
    sees the grants it follows)."""
    return is_association_user(user) or has_role(
        user, Role.REGIONAL_COMMISSIONER, Role.DDETS, Role.NATIONAL_STEERING
    )


def can_record_payment(user, agreement) -> bool:
    """The commissioner of the région or the DDETS of the project's département."""
    application = agreement.application
    return is_commissioner_of(user, application.call) or is_ddets_of(user, application)


def can_edit_report(user, report) -> bool:
    """Members of the association, while the report is a draft or sent back."""
    return is_member_of(user, report.agreement.application) and report.is_editable


def can_open_report(user, agreement) -> bool:
    """Members of the association."""
    return is_member_of(user, agreement.application)


def can_review_report(user, report) -> bool:
    """The commissioner or the DDETS of the project's département, on a filed report."""
    return report.status == ReportStatus.SUBMITTED and can_record_payment(user, report.agreement)


def can_view_consolidation_details(user) -> bool:
    """State services (national steering, commissioners, DDETS): the list of conventions with payments."""
    return has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS)
