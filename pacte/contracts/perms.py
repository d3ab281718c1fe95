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
from pacte.territories.collectivites import can_sign
from pacte.territories.enums import Level
from pacte.territories.models import Collectivite


def _departement(territory):
    return territory if territory.level == Level.DEPARTEMENT else territory.departement


def _covered(contract) -> list:
    """The COG territories the signing collectivité covers (2A and 2B for the Collectivité de Corse); only the
    contract's own territory when it has no collectivité yet."""
    if not contract.collectivite_id:
        return [contract.territory]
    cached = getattr(contract, "_covered_territories", None)
    if cached is None:
        # A list of contracts may have prefetched the territories (« Mon espace »): no query per contract then.
        prefetched = getattr(contract.collectivite, "_prefetched_objects_cache", {}).get("territories")
        if prefetched is not None:
            cached = list(prefetched)
        else:
            cached = list(contract.collectivite.territories.select_related("departement"))
        contract._covered_territories = cached
    return cached or [contract.territory]


def is_local_party(user, contract) -> bool:
    """A local-authority user of the signing collectivité (its territory is one the collectivité covers)."""
    if not has_role(user, Role.LOCAL_AUTHORITY) or not user.territory_id:
        return False
    if user.territory_id == contract.territory_id:
        return True
    return any(territory.pk == user.territory_id for territory in _covered(contract))


def is_state_party(user, contract) -> bool:
    """A DDETS user of a département the signing collectivité covers (for a métropole, the one it lies in)."""
    if not has_role(user, Role.DDETS) or not user.territory_id:
        return False
    departement = _departement(contract.territory)
    if departement is not None and user.territory_id == departement.pk:
        return True
    return any(
        (_departement(territory) or territory).pk == user.territory_id
        for territory in _covered(contract)
        if territory.pk != contract.territory_id
    )


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
    only for a territory a collectivité signs for (a département, a métropole, a collectivité of a special
    status: `territories.collectivites.can_sign`)."""
    if not can_sign(territory):
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


def can_notify_allocations(user) -> bool:
    """National steering notifies each collectivité's annual allocation per envelope (form or CSV import); the
    collectivité never types its ceiling."""
    return is_national(user)


def can_view_allocations(user, region=None) -> bool:
    """Every notified allocation: national steering. A région's allocations and their total: national steering and
    the commissioner of that région (`region` None: the commissioner's own région)."""
    if is_national(user):
        return True
    if not has_role(user, Role.REGIONAL_COMMISSIONER):
        return False
    return region is None or covers(user, region)


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


def user_region(user):
    """The région (or COM) of a user's territory; None without one."""
    territory = user.territory
    if territory is None:
        return None
    return territory if territory.level in (Level.REGION, Level.COM) else territory.region


def visible_reallocations_q(user) -> Q | None:
    """The credit reallocations `user` sees: all of them for national steering; those to or from a
    convention of its région for whoever may see that région's consolidation; None for anyone else."""
    if is_national(user):
        return Q()
    region = user_region(user) if user.is_authenticated else None
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


def _followed_q(user, *, signatory: bool = True) -> Q | None:
    """The contracts (or, `signatory` False, the pacts) `user` follows beyond public data, as a filter on their
    `territory` (and their signing collectivité's territories): what can_follow_contract says, in SQL. None when
    the user follows nothing; an empty Q when everything."""
    if not (user.is_authenticated and user.is_active and user.role):
        return None
    if is_national(user):
        return Q()
    if not user.territory_id:
        return None
    if user.role == Role.LOCAL_AUTHORITY:
        own = Q(territory=user.territory_id)
        if not signatory:
            return own
        return own | Q(collectivite__in=Collectivite.objects.filter(territories=user.territory_id))
    if user.role in (Role.DDETS, Role.REGIONAL_COMMISSIONER):
        # A DDETS follows its département's contract and those of the métropoles inside it; a collectivité
        # covering several départements (Corse) is followed by the DDETS of each.
        within = user.territory.within_q("territory__")
        if not signatory:
            return within
        return within | Q(
            collectivite__in=Collectivite.objects.filter(user.territory.within_q("territories__"))
        )
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
    return _public_or_followed(Q(signed_on__isnull=False), _followed_q(user, signatory=False))


def followed_contracts_q(user) -> Q | None:
    """can_follow_contract for many contracts at once, public data left out: the contracts `user` follows as a party
    (the collectivité, the DDETS, the regional commissioner) or as national steering. None when it follows nothing;
    an empty Q when everything (« Mon espace », pacte.workspace)."""
    return _followed_q(user)


# --- Pactes locaux: follow-up, collected actions, regional envelopes (issue 12, J4) -------------------------


def can_follow_local_pact(user, pact) -> bool:
    """The parties of the pact (the collectivité, the DDETS of its département, the regional commissioner) and
    national steering: the share of the regional envelope and the collected actions with their follow-up."""
    return _pact_party(user, pact) or is_national(user)


def can_record_pact_actions(user, pact) -> bool:
    """The collectivité and the State services of the territory (DDETS, regional commissioner) record the
    actions carried out under their pact and their follow-up, before and after its signature."""
    return _pact_party(user, pact)


def can_enter_pact_envelopes(user) -> bool:
    """National steering enters each région's yearly envelope for the pactes locaux."""
    return is_national(user)


def can_view_pact_envelopes(user, region=None) -> bool:
    """The envelopes of every région: national steering. A région's envelopes and their split: national
    steering, the commissioner of that région and the DDETS of its départements (as the région's
    consolidation)."""
    if region is None:
        return is_national(user) or has_role(user, Role.REGIONAL_COMMISSIONER, Role.DDETS)
    return can_view_consolidation(user, region)


def can_share_pact_envelope(user, envelope) -> bool:
    """The regional commissioner shares its région's envelope among the départements (« les commissaires à la
    lutte contre la pauvreté étant garants de leur bonne répartition », instruction of 12 June 2024)."""
    return is_regional_commissioner_of(user, envelope.region)


def visible_pact_envelopes_q(user) -> Q | None:
    """can_view_pact_envelopes for many envelopes at once: all for national steering, the région's for its
    commissioner and DDETS; None for anyone else."""
    if is_national(user):
        return Q()
    if not has_role(user, Role.REGIONAL_COMMISSIONER, Role.DDETS):
        return None
    region = user_region(user)
    if region is None or not can_view_consolidation(user, region):
        return None
    return Q(region=region)


# --- Joint mid-term evaluation (J3) ------------------------------------------------------------------------


def evaluation_side(user, contract) -> str | None:
    """The side whose part `user` writes in the joint mid-term evaluation of a convention: "collectivite" for the
    collectivité's users, "etat" for the State's services of the convention (the DDETS of its département, the
    regional commissioner); None for anyone else (national steering reads it, the public never sees it)."""
    side = validation_side(user, contract)
    return {"local": "collectivite", "state": "etat"}.get(side) if side else None


def can_write_evaluation(user, contract) -> bool:
    """The collectivité and the State's services of the convention each write their part of every fiche-action,
    the conclusions, file the evaluation and reopen it until it is closed."""
    return evaluation_side(user, contract) is not None


def can_close_evaluation(user, contract) -> bool:
    """The State's services of the convention (DDETS, regional commissioner) close a filed evaluation."""
    return acts_for_state(user, contract)


def can_view_evaluation_consolidation(user, territory=None) -> bool:
    """The conclusions of the evaluations, counted: for France, national steering; for a région, national steering
    and the commissioner of that région (evaluations are not public, and a count per région of a few conventions
    would show each one's conclusions to others)."""
    if is_national(user):
        return True
    return territory is not None and is_regional_commissioner_of(user, territory)


# --- Compliance and report campaigns (J2) ------------------------------------------------------------------


def can_view_compliance(user) -> bool:
    """The page « À mettre en conformité »: the DDETS, the regional commissioners and national steering, each for
    the conventions of its scope (`compliance_scope_q`)."""
    return is_national(user) or has_role(user, Role.DDETS) or has_role(user, Role.REGIONAL_COMMISSIONER)


def compliance_scope_q(user) -> Q | None:
    """The conventions whose non-compliant rows `user` sees, as a filter on their `territory`: everything for
    national steering, its département (and the métropoles inside) for a DDETS, its région for a commissioner;
    None for anyone else."""
    if not can_view_compliance(user):
        return None
    return _followed_q(user)


def can_see_action_compliance(user, contract) -> bool:
    """What a fiche-action breaks, shown on its page: to those who follow the convention (its two parties, the
    regional commissioner, national steering)."""
    return can_follow_contract(user, contract)


def can_manage_report_campaigns(user) -> bool:
    """National steering sets, campaign by campaign, the date the yearly execution reports are due by."""
    return is_national(user)
