"""An instance as the comité de pilotage of contracts: linking and unlinking, and the rules a link keeps (which
kinds of instance steer which kinds of contract, inside which territory). The rules and their sources are in
`pacte.governance.rules`; who may link is `perms.can_link_contract`."""

from django.db import transaction

from pacte.contracts.kinds import allowed_axes
from pacte.contracts.models import Contract
from pacte.core.errors import Errors
from pacte.governance import rules
from pacte.governance.enums import CommitteeKind
from pacte.governance.models import Committee, SteeredContract


def _kind_label(kind: str) -> str:
    return CommitteeKind(kind).label


def steering_problems(committee: Committee, contract: Contract) -> list[str]:
    """Why `committee` cannot steer `contract` (French messages; none when it can)."""
    if committee.kind not in rules.STEERING_KINDS:
        return [
            f"Une instance de type « {_kind_label(committee.kind)} » ne peut pas être le comité de pilotage d'un "
            "contrat : seuls un comité de suivi par axe, une gouvernance commune France Travail et solidarités, "
            "un comité départemental pour l'emploi ou une autre instance le peuvent."
        ]
    problems = []
    if committee.territory_id is None:
        problems.append("Une instance nationale ne peut pas être le comité de pilotage d'un contrat local.")
    elif not committee.territory.contains(contract.territory):
        problems.append(
            f"Le contrat « {contract.title} » porte sur {contract.territory.name}, hors du territoire de "
            f"l'instance ({committee.territory.name})."
        )
    if contract.kind not in rules.STEERABLE_CONTRACT_KINDS[committee.kind]:
        problems.append(
            f"Une instance de type « {_kind_label(committee.kind)} » ne pilote pas un contrat de type "
            f"« {contract.get_kind_display()} »"
            + (
                " : le comité départemental pour l'emploi suit les conventions dans le champ de l'emploi "
                "(convention France Travail ou convention globale unique)."
                if committee.kind == CommitteeKind.EMPLOYMENT_COMMITTEE
                else " : la gouvernance commune est celle de l'État et du département."
            )
        )
    if (
        committee.kind == CommitteeKind.AXIS_COMMITTEE
        and committee.axis_id is not None
        and committee.axis.number not in allowed_axes(contract.kind)
    ):
        problems.append(
            f"Le comité de suivi de l'axe {committee.axis.number} ne peut pas piloter un contrat de type "
            f"« {contract.get_kind_display()} », qui ne porte pas sur cet axe."
        )
    return problems


@transaction.atomic
def link_contract(committee: Committee, contract: Contract, *, user=None) -> SteeredContract:
    """Make `committee` the comité de pilotage of `contract` (of its initial version: the avenants share it)."""
    contract = Contract.objects.select_related("territory").get(pk=contract.root_contract.pk)
    errors = Errors()
    for problem in steering_problems(committee, contract):
        errors.add("contract", problem)
    if committee.steered_contracts.filter(contract=contract).exists():
        errors.add("contract", "Cette instance est déjà le comité de pilotage de ce contrat.")
    errors.raise_if_any()
    return SteeredContract.objects.create(
        committee=committee, contract=contract, linked_by=user if user and user.is_authenticated else None
    )


@transaction.atomic
def unlink_contract(link: SteeredContract) -> None:
    """The instance no longer steers the contract (the link's history keeps who linked it and when)."""
    link.delete()


def check_links_kept(committee: Committee, errors: Errors, field: str) -> None:
    """A change of an instance's `field` (its kind, territory or axis) that would break the rules of a contract it
    steers is refused on that field: unlink the contract first."""
    for link in committee.steered_contracts.select_related("contract__territory"):
        for problem in steering_problems(committee, link.contract):
            errors.add(
                field,
                f"Cette instance pilote « {link.contract.title} » (retirez d'abord ce rattachement). {problem}",
            )
