"""What the contract pages share: finding a contract, a fiche-action, a report or a local pact the user may see
(or answering as if it did not exist), the edits refused on a locked version, and breadcrumbs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from pacte.contracts import perms
from pacte.contracts.models import Action, Contract, ContractLockedError, ExecutionReport, LocalPact
from pacte.core.visibility import Hidden, sign_in_when_hidden  # noqa: F401  (shared by the views)

CONTRACTS = {"title": "Contrats locaux des solidarités"}
PACTS = {"title": "Pactes locaux des solidarités"}


# --- Get the object or hide it ----------------------------------------------------------------------------


def contract_or_hide(request, pk: int) -> Contract:
    """The contract version `pk`, for a user allowed to see it (`perms.can_view_contract`)."""
    contract = (
        Contract.objects.select_related(
            "territory__region",
            "territory__departement",
            "collectivite",
            "root",
            "amends",
            "state_validated_by",
            "local_validated_by",
            "signature_recorded_by",
        )
        .filter(pk=pk)
        .first()
    )
    if contract is None or not perms.can_view_contract(request.user, contract):
        raise Hidden("Contrat introuvable")
    return contract


def action_or_404(contract: Contract, number: int) -> Action:
    """The fiche-action n°`number` of a version the user sees (a missing one is a plain 404, even for an
    anonymous visitor: the version itself is public)."""
    action = (
        contract.actions.select_related("axis")
        .prefetch_related("measures__axis")
        .filter(number=number)
        .first()
    )
    if action is None:
        raise Http404("Fiche-action introuvable")
    return action


def followed_convention(request, pk: int) -> Contract:
    """The convention (root contract) of version `pk`, for a user allowed to follow its execution: hidden
    from who may not see the version, refused (403) to who sees it without following it."""
    version = (
        Contract.objects.select_related("territory", "collectivite", "root__territory", "root__collectivite")
        .filter(pk=pk)
        .first()
    )
    if version is None or not perms.can_view_contract(request.user, version):
        raise Hidden("Contrat introuvable")
    if not perms.can_follow_contract(request.user, version):
        raise PermissionDenied
    return version.root_contract


def report_or_404(request, pk: int, year: int) -> ExecutionReport:
    """The execution report of `year` of the convention of version `pk` (see `followed_convention`)."""
    root = followed_convention(request, pk)
    report = (
        ExecutionReport.objects.select_related("version", "submitted_by", "reviewed_by")
        .filter(contract=root, year=year)
        .first()
    )
    if report is None:
        raise Http404("Rapport introuvable")
    report.contract = root
    return report


def pact_or_hide(request, pk: int) -> LocalPact:
    pact = (
        LocalPact.objects.select_related("territory__departement", "territory__region").filter(pk=pk).first()
    )
    if pact is None or not perms.can_view_local_pact(request.user, pact):
        raise Hidden("Pacte local introuvable")
    return pact


# --- Locked versions ----------------------------------------------------------------------------------------


def require_editable(request, contract: Contract, read_only_url: str, allowed: bool):
    """None when the user may edit now; a redirect to the read-only page, with the reason, when the version is
    locked (signed, or validated by both sides); PermissionDenied when the user may not edit it at all."""
    if not contract.is_editable:
        messages.warning(request, ContractLockedError(contract).messages[0])
        return redirect(read_only_url)
    if not allowed:
        raise PermissionDenied
    return None


# --- Breadcrumbs and query strings ----------------------------------------------------------------------------


def breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("contracts:list"), **CONTRACTS}, *links], "current": current}


def contract_title(contract: Contract) -> str:
    """The signatory and the kind of a version, so that a département's two conventions are told apart:
    « Loire-Atlantique – Convention France Travail », « … – avenant n°1 »."""
    suffix = f" – avenant n°{contract.amendment_number}" if contract.amendment_number else ""
    return f"{contract.signatory_name} – {contract.kind_name}{suffix}"


def contract_link(contract: Contract) -> dict:
    return {"url": contract.get_absolute_url(), "title": contract_title(contract)}


def action_link(action: Action) -> dict:
    return {"url": action.get_absolute_url(), "title": f"Fiche-action n°{action.number}"}


def convention_breadcrumb(root: Contract, current: str, *links: dict) -> dict:
    """The pages of a convention's execution: contracts, the convention, then `links`."""
    return breadcrumb(current, {"url": root.get_absolute_url(), "title": contract_title(root)}, *links)


def pact_breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("contracts:pact_list"), **PACTS}, *links], "current": current}


def without(query, *names: str) -> str:
    """The query string of a request without some of its parameters (the page number, the format)."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
