"""What the contracts endpoints share: their router, the contract a caller may see or follow, and the write
wrapper that turns the services' refusals into 409 / 422 answers (money types: `pacte.api.money`)."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Router, Status
from ninja.errors import HttpError

from pacte.contracts import perms
from pacte.contracts.models import Contract, ContractLockedError


class ContractsRouter(Router):
    """The contracts' endpoints live in several modules but keep the operation ids they had in one
    (`pacte_api_contracts_<view>`): clients generated from the OpenAPI document keep their method names."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"pacte_api_contracts_{view_func.__name__}"
        return super().add_api_operation(path, methods, view_func, operation_id=operation_id, **kwargs)


router = ContractsRouter(tags=["Contrats locaux des solidarités"])


# --- Errors -------------------------------------------------------------------------------------------


def write(view):
    """Run a write in one transaction. The services' refusals go through (`pacte.api.errors` answers them: 422
    naming the fields, 409 for a stale `lock_version`), but for a version that is validated or signed, which
    is a conflict: 409."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except ContractLockedError as error:
            return Status(409, {"detail": error.messages[0]})

    return wrapper


def invalid(path: str, message: str) -> ValidationError:
    return ValidationError({path: [message]})


def forbid_unless(allowed: bool, party: bool, message: str) -> None:
    """403 unless `allowed`. When the user is the right party but the contract or report is at another
    stage, the service is called anyway and refuses with its own reason (409 or 422)."""
    if not allowed and not party:
        raise HttpError(403, message)


# --- Visibility ---------------------------------------------------------------------------------------


def contracts():
    return Contract.objects.select_related(
        "territory__region", "territory__departement", "collectivite"
    ).prefetch_related("collectivite__territories")


def contract_or_404(request, contract_id: int) -> Contract:
    """The contract version, or 404 when it does not exist or the user may not see this draft."""
    contract = contracts().filter(pk=contract_id).first()
    if contract is None or not perms.can_view_contract(request.auth, contract):
        raise HttpError(404, f"Contrat introuvable : {contract_id}.")
    return contract


def followed_contract(request, contract_id: int) -> Contract:
    """The contract for its execution (reports, credits): 404 as above, 403 outside its two parties, the
    regional commissioner and national steering."""
    contract = contract_or_404(request, contract_id)
    if not perms.can_follow_contract(request.auth, contract):
        raise HttpError(
            403,
            "Seuls les deux signataires, le commissaire à la lutte contre la pauvreté et le pilotage national "
            "suivent l'exécution de ce contrat.",
        )
    return contract
