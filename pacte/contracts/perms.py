"""Who may see and do what on contracts, fiches-actions, reports, credits and local pacts.

The two parties of a contract are the collectivité (a local-authority user whose territory is the
contract's département or métropole) and the State's departmental services (a DDETS user of that
département; for a métropole, of the département it lies in). The regional commissioner of the
région and national steering see everything of their scope.
"""

from django.db.models import Q

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national
from pacte.contracts.enums import SIGNED_STATUSES, ContractStatus
from pacte.core.enums import ReportStatus
from pacte.territories.enums import Level


def _departement(territory):
    return territory if territory.level == Level.DEPARTEMENT else territory.departement


def is_local_party(user, contract) -> bool:
    return has_role(user, Role.LOCAL_AUTHORITY) and user.territory_id == contract.territory_id


def is_state_party(user, contract) -> bool:
    departement = _departement(contract.territory)
    return has_role(user, Role.DDETS) and departement is not None and user.territory_id == departement.pk


def is_regional_commissioner_of(user, territory) -> bool:
    return has_role(user, Role.REGIONAL_COMMISSIONER) and covers(user, territory)


def acts_for_state(user, contract) -> bool:
    """The State's party in the negotiation and the execution of a contract: the DDETS of its département or
    the regional commissioner (national steering follows, it does not validate, sign or review)."""
    return is_state_party(user, contract) or is_regional_commissioner_of(user, contract.territory)


def is_state_side(user, contract) -> bool:
    """The State in the wide sense: its party (`acts_for_state`) and national steering."""
    return acts_for_state(user, contract) or is_national(user)


def validation_side(user, contract) -> str | None:
    """The side `user` validates a contract for: "local" (the collectivité), "state" (the DDETS or the
    regional commissioner), None for anyone else."""
    if is_local_party(user, contract):
        return "local"
    if acts_for_state(user, contract):
        return "state"
    return None


def can_view_contract(user, contract) -> bool:
    """Everyone for a signed version (open data); for a draft, the two parties, the regional commissioner
    and national steering."""
    return contract.is_public or can_follow_contract(user, contract)


def can_follow_contract(user, contract) -> bool:
    """The two parties, the regional commissioner and national steering: negotiation comments, audit
    history, execution reports, credits and the mid-term evaluation."""
    return is_local_party(user, contract) or is_state_side(user, contract)


def can_create_contract(user, territory) -> bool:
    """The collectivité itself, the DDETS of its département, the regional commissioner, national steering;
    only for a département or a métropole."""
    if territory.level != Level.DEPARTEMENT and not territory.is_metropole:
        return False
    if has_role(user, Role.LOCAL_AUTHORITY):
        return user.territory_id == territory.pk
    departement = _departement(territory)
    if has_role(user, Role.DDETS):
        return departement is not None and user.territory_id == departement.pk
    return is_regional_commissioner_of(user, territory) or is_national(user)


def can_edit_contract(user, contract) -> bool:
    """The collectivité drafts its fiches-actions and budgets while the version is a draft or in negotiation."""
    return contract.is_editable and is_local_party(user, contract)


def can_edit_ceiling(user, contract) -> bool:
    """The State side sets the annual ceiling of State credits while the version is not signed."""
    return contract.is_editable and is_state_side(user, contract)


def can_comment_contract(user, contract) -> bool:
    """Both parties, the regional commissioner and national steering, at any stage."""
    return can_follow_contract(user, contract)


def can_submit_contract(user, contract) -> bool:
    """The collectivité sends its draft to the State for negotiation."""
    return is_local_party(user, contract) and contract.status == ContractStatus.DRAFT


def can_validate_contract(user, contract) -> bool:
    """Each party validates its own side while in negotiation (the State side: DDETS or the commissioner)."""
    return contract.status == ContractStatus.NEGOTIATION and validation_side(user, contract) is not None


def can_sign_contract(user, contract) -> bool:
    """The State side (DDETS or regional commissioner) records the signature once both sides validated."""
    return contract.status == ContractStatus.VALIDATED and acts_for_state(user, contract)


def can_draft_amendment(user, contract) -> bool:
    """Either party opens an avenant on the version in force."""
    return contract.status == ContractStatus.SIGNED and (
        is_local_party(user, contract) or is_state_party(user, contract)
    )


def can_edit_report(user, report) -> bool:
    """The collectivité fills in its execution report until it is filed (or after it was sent back)."""
    return report.is_editable and is_local_party(user, report.contract)


def can_open_report(user, contract) -> bool:
    """The collectivité opens the report of a year of its signed convention."""
    return is_local_party(user, contract)


def can_review_report(user, report) -> bool:
    """The DDETS (or the regional commissioner) validates a filed report or sends it back with comments."""
    return report.status == ReportStatus.SUBMITTED and acts_for_state(user, report.contract)


def can_manage_credits(user, contract) -> bool:
    """The DDETS, the regional commissioner and national steering record notified, committed and paid credits."""
    return is_state_side(user, contract)


def can_reallocate_credits(user, from_contract, to_contract) -> bool:
    """The regional commissioner, between two conventions of its région (national steering too)."""
    if is_national(user):
        return True
    return is_regional_commissioner_of(user, from_contract.territory) and is_regional_commissioner_of(
        user, to_contract.territory
    )


def can_submit_evaluation(user, contract) -> bool:
    """The collectivité writes and files the mid-term evaluation."""
    return is_local_party(user, contract)


def can_view_consolidation(user, territory=None) -> bool:
    """National figures: national steering and regional commissioners. A région's figures: national steering,
    the commissioner of that région and the DDETS of its départements."""
    if is_national(user):
        return True
    if territory is None:
        return has_role(user, Role.REGIONAL_COMMISSIONER)
    if has_role(user, Role.REGIONAL_COMMISSIONER):
        return covers(user, territory)
    return (
        has_role(user, Role.DDETS)
        and user.territory_id is not None
        and user.territory.region_id == territory.pk
    )


def _region_of(user):
    territory = user.territory
    if territory is None:
        return None
    return territory if territory.level in (Level.REGION, Level.COM) else territory.region


def visible_reallocations_q(user) -> Q | None:
    """The credit reallocations `user` sees: all of them for national steering; those to or from a
    convention of its région for whoever may see that région's consolidation; None for anyone else."""
    if is_national(user):
        return Q()
    region = _region_of(user) if user.is_authenticated else None
    if region is None or not can_view_consolidation(user, region):
        return None
    return Q(from_contract__territory__region=region) | Q(to_contract__territory__region=region)


def can_view_local_pact(user, pact) -> bool:
    """Everyone once signed; before, the collectivité, the State side and national steering."""
    if pact.signed_on is not None:
        return True
    return _pact_party(user, pact) or is_national(user)


def can_edit_local_pact(user, pact) -> bool:
    """The collectivité and the DDETS of its département, while the pact is not signed."""
    return pact.signed_on is None and _pact_party(user, pact)


def _pact_party(user, pact) -> bool:
    if has_role(user, Role.LOCAL_AUTHORITY):
        return user.territory_id == pact.territory_id
    departement = _departement(pact.territory)
    if has_role(user, Role.DDETS):
        return departement is not None and user.territory_id == departement.pk
    return is_regional_commissioner_of(user, pact.territory)


def can_reopen_contract(user, contract) -> bool:
    """Once both sides validated and before the signature, either party (or the regional commissioner)
    reopens the negotiation; both validations are then to be given again."""
    return contract.status == ContractStatus.VALIDATED and validation_side(user, contract) is not None


# --- The same rules for many rows at once, in SQL --------------------------------------------------------


def _followed_q(user) -> Q | None:
    """The contracts (or pacts) `user` follows beyond public data, as a filter on their `territory`: what
    can_follow_contract says, in SQL. None when the user follows nothing; an empty Q when everything."""
    if not (user.is_authenticated and user.is_active and user.role):
        return None
    if is_national(user):
        return Q()
    if not user.territory_id:
        return None
    if user.role == Role.LOCAL_AUTHORITY:
        return Q(territory=user.territory_id)
    if user.role in (Role.DDETS, Role.REGIONAL_COMMISSIONER):
        # A DDETS follows its département's contract and those of the métropoles inside it.
        return user.territory.within_q("territory__")
    return None


def _public_or_followed(public: Q, followed: Q | None) -> Q:
    if followed is None:
        return public
    if not followed:  # everything (an empty Q would vanish from `public | followed`)
        return Q()
    return public | followed


def visible_contracts_q(user) -> Q:
    """can_view_contract for many contracts at once: signed versions, and the drafts the user follows."""
    return _public_or_followed(Q(status__in=SIGNED_STATUSES), _followed_q(user))


def visible_pacts_q(user) -> Q:
    """can_view_local_pact for many pacts at once."""
    return _public_or_followed(Q(signed_on__isnull=False), _followed_q(user))
