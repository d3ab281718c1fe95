"""Who may see and do what in the governance and the concertation.

"Managers" of an instance: national steering for every instance; the regional commissioner for the
instances of its région (and of the départements inside); the DDETS for the instances of its département;
and the instance's secretariat (a user of the secretariat organisation, or a member seated as secretariat).
"Members": users seated in the instance (directly or through their organisation) while their seat is active.
"""

from django.db.models import Q
from django.utils import timezone

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national, territory_q
from pacte.contracts import perms as contract_perms
from pacte.contracts.models import Contract
from pacte.governance.enums import CommitteeKind, ContributionStatus, MemberRole, MinutesStatus
from pacte.governance.models import Committee, Member
from pacte.territories.enums import Level
from pacte.territories.models import Territory


def active_seat_q(today=None, prefix: str = "") -> Q:
    """Seats active on `today` (`Member.is_active_on` as a filter; `prefix` to reach them from another model)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def _active_seat_q(user, prefix: str = "") -> Q:
    """The seats of `user` (its own, or its organisation's) active today."""
    seat = Q(**{f"{prefix}user": user})
    if user.organisation_id:
        seat |= Q(**{f"{prefix}organisation_id": user.organisation_id})
    return seat & active_seat_q(prefix=prefix)


def _state_services_of(user, territory) -> bool:
    """National steering anywhere (a national instance included); the regional commissioner inside its
    région; the DDETS inside its département (not the régional level)."""
    if is_national(user):
        return True
    if territory is None:
        return False
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        return covers(user, territory)
    if has_role(user, Role.DDETS):
        return territory.level != Level.REGION and covers(user, territory)
    return False


def territorial_manager(user, committee) -> bool:
    """National steering; the regional commissioner of the instance's région; the DDETS of its département."""
    return _state_services_of(user, committee.territory)


def is_secretariat(user, committee, seated_as_secretariat: set[int] | None = None) -> bool:
    """The organisation holding the secretariat, or a member seated as secretariat. `seated_as_secretariat`, the
    ids of `secretariat_seats(user)` read once, saves the query per instance in a list."""
    if not (user.is_authenticated and user.is_active):
        return False
    if committee.secretariat_id and user.organisation_id == committee.secretariat_id:
        return True
    if seated_as_secretariat is not None:
        return committee.pk in seated_as_secretariat
    return committee.members.filter(_active_seat_q(user), role=MemberRole.SECRETARIAT).exists()


def secretariat_seats(user) -> set[int]:
    """The ids of the instances where `user` (or its organisation) is seated as secretariat today: one query."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(
        Member.objects.filter(_active_seat_q(user), role=MemberRole.SECRETARIAT).values_list(
            "committee_id", flat=True
        )
    )


def is_member(user, committee) -> bool:
    """A user seated in the instance (directly or through its organisation) today."""
    if not (user.is_authenticated and user.is_active):
        return False
    return committee.members.filter(_active_seat_q(user)).exists()


def can_manage_committee(user, committee, seated_as_secretariat: set[int] | None = None) -> bool:
    """National steering, the regional commissioner and the DDETS of the instance's territory, and its
    secretariat: edit the instance and its members, plan and convene meetings, record attendance, write the
    minutes and the decisions, attach documents. `seated_as_secretariat`: see `is_secretariat`."""
    return territorial_manager(user, committee) or is_secretariat(user, committee, seated_as_secretariat)


def can_create_committee(user, territory) -> bool:
    """National steering for any territory or a national instance (no territory); the regional commissioner
    inside its région; the DDETS inside its département."""
    return _state_services_of(user, territory)


def committee_territories(user):
    """The régions and départements where `user` may create an instance (`can_create_committee` as a list)."""
    territories = Territory.objects.active().filter(level__in=[Level.REGION, Level.DEPARTEMENT])
    if is_national(user):
        return territories
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        return territories.filter(territory_q(user))
    if has_role(user, Role.DDETS):
        return territories.filter(territory_q(user)).exclude(level=Level.REGION)
    return territories.none()


def can_move_committee(user, committee, territory) -> bool:
    """An instance's manager keeps its territory; moving it elsewhere needs the right to create an instance
    there (`can_create_committee`)."""
    return territory == committee.territory or can_create_committee(user, territory)


def may_create_committees(user) -> bool:
    return has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS)


def can_view_committee(user, committee) -> bool:
    """Everyone for a public instance; otherwise its members and its managers."""
    return committee.is_public or is_member(user, committee) or can_manage_committee(user, committee)


def visible_committees_q(user) -> Q:
    """A filter on Committee keeping what `can_view_committee` allows: the public instances and those whose
    reserved content the user reads (`insider_committees_q`)."""
    if not (user.is_authenticated and user.is_active):
        return Q(is_public=True)
    if is_national(user):
        return (
            Q()
        )  # not `Q(is_public=True) | Q()`: Django drops an empty Q from an OR, keeping the public part only
    return Q(is_public=True) | insider_committees_q(user)


def insider_committees_q(user) -> Q:
    """A filter on Committee keeping the instances whose reserved content `user` reads, public or not: those
    where it sits, those its organisation runs the secretariat of, and, for national steering, the regional
    commissioner and the DDETS, those of their territory (a DDETS not the regional ones)."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if is_national(user):
        return Q()
    inside = Q(members__in=_member_ids(user))
    if user.organisation_id:
        inside |= Q(secretariat_id=user.organisation_id)
    if user.role in (Role.REGIONAL_COMMISSIONER, Role.DDETS) and user.territory_id:
        territorial = user.territory.within_q("territory__")
        if user.role == Role.DDETS:
            territorial &= ~Q(territory__level=Level.REGION)
        inside |= territorial
    return inside


def _member_ids(user):
    return Member.objects.filter(_active_seat_q(user)).values("pk")


def can_view_members(user, committee) -> bool:
    """Names of the people seated: members and managers (the public sees organisations and colleges)."""
    return is_member(user, committee) or can_manage_committee(user, committee)


def can_view_member_emails(user, committee) -> bool:
    """E-mail addresses of the members: the secretariat and the managers of the instance only."""
    return can_manage_committee(user, committee)


def can_view_minutes(user, minutes) -> bool:
    """Validated minutes: the instance's members and managers. A draft: its managers only."""
    committee = minutes.meeting.committee
    if can_manage_committee(user, committee):
        return True
    return minutes.status == MinutesStatus.VALIDATED and is_member(user, committee)


def can_view_private_documents(user, committee) -> bool:
    """Documents that are not public: the instance's members and managers."""
    return is_member(user, committee) or can_manage_committee(user, committee)


def can_view_document(user, document) -> bool:
    """A public document of a public instance: everyone; any other: the instance's members and managers."""
    committee = document.meeting.committee
    if document.is_public and committee.is_public:
        return True
    return can_view_private_documents(user, committee)


def visible_documents(user, committee, documents) -> list:
    """The `documents` of a meeting of `committee` that `user` may open (`can_view_document`, decided once)."""
    if can_view_private_documents(user, committee):
        return list(documents)
    return [document for document in documents if document.is_public and committee.is_public]


def decision_is_public(decision, committee) -> bool:
    return committee.is_public and not decision.is_confidential


def can_view_all_decisions(user, committee) -> bool:
    """Decisions reserved to members: the instance's members and managers."""
    return is_member(user, committee) or can_manage_committee(user, committee)


def can_view_decision(user, decision) -> bool:
    """Decisions of a public instance (unless reserved to members): everyone; others: members and managers."""
    committee = decision.meeting.committee
    return decision_is_public(decision, committee) or can_view_all_decisions(user, committee)


def visible_decisions_q(user) -> Q:
    """`can_view_decision` as a filter on Decision: the decisions of public instances that are not reserved to
    members, and every decision of the instances whose reserved content `user` reads (`insider_committees_q`)."""
    insiders = Committee.objects.filter(insider_committees_q(user)).values("pk")
    return Q(meeting__committee__is_public=True, is_confidential=False) | Q(meeting__committee__in=insiders)


def visible_decisions(user, decisions, committee=None):
    """The decisions of the queryset `decisions` that `user` may read (`can_view_decision`). Given the
    `committee` they all belong to, the rule is decided once for it rather than in the query."""
    if committee is None:
        return decisions.filter(visible_decisions_q(user))
    if can_view_all_decisions(user, committee):
        return decisions
    return decisions.filter(is_confidential=False) if committee.is_public else decisions.none()


# What the owner of a decision who does not manage the instance may change.
OWNER_EDITABLE = ("status", "follow_up")


def is_decision_owner(user, decision) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if decision.owner_member_id and decision.owner_member.user_id == user.pk:
        return True
    return bool(user.organisation_id) and user.organisation_id in (
        decision.owner_organisation_id,
        decision.owner_member.organisation_id if decision.owner_member_id else None,
    )


def can_edit_decision(user, decision) -> bool:
    """The instance's managers (every field); the decision's owner (its status and follow-up, `OWNER_EDITABLE`)."""
    return can_manage_committee(user, decision.meeting.committee) or is_decision_owner(user, decision)


def can_link_contract(user, committee, contract) -> bool:
    """Make the instance a contract's comité de pilotage: the instance's managers (`can_manage_committee`) who may
    also see the contract (`contracts.perms.can_view_contract`: a signed version, or a draft they follow)."""
    return can_manage_committee(user, committee) and contract_perms.can_view_contract(user, contract)


def can_unlink_contract(user, committee) -> bool:
    """The instance's managers."""
    return can_manage_committee(user, committee)


def visible_steered_contracts(user, links):
    """The links (SteeredContract) whose contract `user` may see (`contracts.perms.visible_contracts_q`)."""
    return links.filter(
        contract__in=Contract.objects.filter(contract_perms.visible_contracts_q(user)).values("pk")
    )


def can_use_calendar_token(user) -> bool:
    """Every signed-in user with a role keeps a secret address for the calendars of its instances."""
    return has_role(user, *Role.values)


# --- Concertation ----------------------------------------------------------------------------------------


def can_manage_concertation(user) -> bool:
    """National steering (the team preparing the Pacte): the stakeholder registry, publication of the
    contributions, the syntheses."""
    return is_national(user)


def can_view_synthesis(user) -> bool:
    """National steering and the regional commissioners (the synthesis prepares the Pacte)."""
    return has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER)


def can_edit_synthesis(user) -> bool:
    """National steering."""
    return is_national(user)


def can_view_stakeholder_contacts(user) -> bool:
    """Contacts of the stakeholders: national steering and the regional commissioners."""
    return has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER)


def speaks_for(user, stakeholder) -> bool:
    """A signed-in user with a role, member of the stakeholder's organisation."""
    return (
        has_role(user, *Role.values)
        and stakeholder.organisation_id is not None
        and user.organisation_id == stakeholder.organisation_id
    )


def can_file_contribution(user, stakeholder) -> bool:
    """Members of the stakeholder's organisation (associations, collectivités, services…) file contributions
    in its name."""
    return speaks_for(user, stakeholder)


def can_edit_contribution(user, contribution) -> bool:
    """The stakeholder's organisation, while the contribution is a draft."""
    return contribution.status == ContributionStatus.DRAFT and speaks_for(user, contribution.stakeholder)


def can_view_contribution(user, contribution) -> bool:
    """Everyone once published; otherwise the stakeholder's organisation and national steering (a draft:
    the stakeholder's organisation only)."""
    if contribution.status == ContributionStatus.PUBLISHED:
        return True
    if speaks_for(user, contribution.stakeholder):
        return True
    return contribution.status != ContributionStatus.DRAFT and can_view_synthesis(user)


def can_publish_contribution(user, contribution) -> bool:
    """National steering publishes a filed contribution."""
    return contribution.status == ContributionStatus.FILED and can_manage_concertation(user)


def can_withdraw_contribution(user, contribution) -> bool:
    """The stakeholder's organisation or national steering, for a filed or published contribution."""
    if contribution.status not in (ContributionStatus.FILED, ContributionStatus.PUBLISHED):
        return False
    return speaks_for(user, contribution.stakeholder) or can_manage_concertation(user)


# --- Regional roadmap (feuille de route régionale) -----------------------------------------------------------

# The instances whose decisions feed the roadmap of their région (seed 003: « construire la feuille de route des
# GT », « Alimenter la feuille de route régionale »).
ROADMAP_FEEDING_KINDS = (
    CommitteeKind.REGIONAL_WORKING_GROUP,
    CommitteeKind.REGIONAL_COPIL,
    CommitteeKind.REGIONAL_CONFERENCE,
)


def can_edit_roadmap(user, region) -> bool:
    """National steering, and the regional commissioner of `region`: create the roadmap, its objectives and
    actions, publish it."""
    if is_national(user):
        return True
    return has_role(user, Role.REGIONAL_COMMISSIONER) and user.territory_id == region.pk


def can_read_roadmap_draft(user, region) -> bool:
    """The working version (not published yet, or changed since): its editors and the State services of the
    région (the DDETS of its départements)."""
    if can_edit_roadmap(user, region):
        return True
    return (
        has_role(user, Role.DDETS) and user.territory_id is not None and user.territory.region_id == region.pk
    )


def can_read_published_roadmap(user, roadmap) -> bool:
    """Everyone, once published."""
    return roadmap.is_published


def may_create_roadmaps(user) -> bool:
    return has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER)


def roadmap_region_of(committee):
    """The région whose roadmap a decision of `committee` may feed, or None (an instance of another kind, or
    without a territory)."""
    territory = committee.territory
    if committee.kind not in ROADMAP_FEEDING_KINDS or territory is None:
        return None
    if territory.level == Level.REGION:
        return territory
    return territory.region


def can_report_decision(user, decision) -> bool:
    """« Reporter dans la feuille de route »: the roadmap's editors of the région of a regional working group,
    COPIL or conference, for a decision they may read."""
    region = roadmap_region_of(decision.meeting.committee)
    return region is not None and can_edit_roadmap(user, region) and can_view_decision(user, decision)
