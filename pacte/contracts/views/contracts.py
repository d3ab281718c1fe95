"""Pages of a contract up to its signature: the list, a version with its fiches-actions and budget, the
negotiation workflow (comments, submission, validations, signature), avenants and their differences, the audit
history. The local pacts have their own module (views/pacts.py).

Signed versions are public. A draft is seen by its two parties, the regional commissioner and national steering:
for anyone else it does not exist (404; an anonymous visitor is asked to sign in first, whether or not the page
exists). Reads come from `queries`, state changes go through `services`; who may do what is decided by `perms`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.contracts import perms, queries
from pacte.contracts.action_forms import ActionEditor
from pacte.contracts.forms import (
    AmendmentForm,
    CommentForm,
    ContractCreateForm,
    ContractEditForm,
    ContractFilterForm,
    SignForm,
)
from pacte.contracts.history import INTRO, contract_sources
from pacte.contracts.models import Contract
from pacte.contracts.services import actions as action_services
from pacte.contracts.services import allocations, amendments, workflow
from pacte.contracts.views.common import (
    CONTRACTS,
    action_link,
    action_or_404,
    breadcrumb,
    contract_link,
    contract_or_hide,
    require_editable,
    sign_in_when_hidden,
    without,
)
from pacte.core.forms import LockForm, Notices, errors_on
from pacte.core.history import history_page, person_name

# --- List and creation ------------------------------------------------------------------------------------


def contract_list(request):
    filter_form = ContractFilterForm(request.GET or None)
    contracts = queries.listed_contracts(request.user, filter_form.filters())
    page = Paginator(contracts, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = queries.with_budgets(page.object_list)
    may_create = request.user.is_authenticated and bool(queries.creatable_territories(request.user))
    context = {
        "title": CONTRACTS["title"],
        "page": page,
        "filter_form": filter_form,
        "may_create": may_create,
        "may_view_allocations": perms.can_view_allocations(request.user),
        "may_view_compliance": perms.can_view_compliance(request.user),
        "export_query": without(request.GET, "page", "format"),
        "breadcrumb_data": {"current": CONTRACTS["title"]},
    }
    return render(request, "contracts/contract_list.html", context)


@login_required
def contract_create(request):
    territories = queries.creatable_territories(request.user)
    if not territories:
        raise PermissionDenied
    form = ContractCreateForm(request.POST or None, territories=territories)
    if request.method == "POST" and form.is_valid():
        territory = form.cleaned_data["territory"]
        if not perms.can_create_contract(request.user, territory):
            raise PermissionDenied
        with errors_on(form) as outcome:
            contract = workflow.create_contract(
                territory, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"]
            )
        if outcome.ok:
            messages.success(request, "La convention est créée. Ajoutez maintenant ses fiches-actions.")
            return redirect(contract)
    context = {
        "title": "Nouvelle convention",
        "form": form,
        "breadcrumb_data": breadcrumb("Nouvelle convention"),
    }
    return render(request, "contracts/contract_form.html", context)


# --- A contract version -----------------------------------------------------------------------------------


@sign_in_when_hidden
def contract_detail(request, pk: int):
    contract = contract_or_hide(request, pk)
    user = request.user
    budget = queries.contract_budget(contract)
    follows = perms.can_follow_contract(user, contract)
    may_validate = perms.can_validate_contract(user, contract)
    side = perms.validation_side(user, contract) if may_validate else None
    context = {
        "title": str(contract),
        "contract": contract,
        "action_rows": budget.actions,
        "budget": budget.grid,
        "versions": queries.versions(user, contract),
        "follows": follows,
        "problems": workflow.readiness_problems(contract) if follows and contract.is_editable else {},
        "comments": contract.comments.select_related("author", "action") if follows else None,
        "comment_form": CommentForm(contract=contract)
        if perms.can_comment_contract(user, contract)
        else None,
        "may_edit": perms.can_edit_contract(user, contract),
        "may_edit_contract": perms.can_edit_contract(user, contract),
        "ceilings": allocations.ceiling_rows(contract) if follows or contract.is_public else [],
        "may_submit": perms.can_submit_contract(user, contract),
        "may_validate": may_validate,
        "is_local_side": side == "local",
        "already_validated": bool(
            (side == "local" and contract.local_validated_at)
            or (side == "state" and contract.state_validated_at)
        ),
        "may_reopen": perms.can_reopen_contract(user, contract),
        "may_sign": perms.can_sign_contract(user, contract),
        "may_amend": perms.can_draft_amendment(user, contract),
        "state_validated_by": person_name(contract.state_validated_by),
        "local_validated_by": person_name(contract.local_validated_by),
        "breadcrumb_data": breadcrumb(contract_link(contract)["title"]),
    }
    return render(request, "contracts/contract_detail.html", context)


@login_required
def contract_edit(request, pk: int):
    contract = contract_or_hide(request, pk)
    refused = require_editable(
        request, contract, contract.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    form = ContractEditForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            workflow.update_contract(
                contract, expected_version=form.cleaned_data["lock_version"], **form.changes()
            )
        if outcome.ok:
            messages.success(request, "Les informations du contrat sont enregistrées.")
            return redirect(contract)
    context = {
        "title": f"Modifier – {contract}",
        "contract": contract,
        "form": form,
        "breadcrumb_data": breadcrumb("Modifier", contract_link(contract)),
    }
    return render(request, "contracts/contract_form.html", context)


# --- Fiches-actions ---------------------------------------------------------------------------------------


def _action_form_page(request, contract: Contract, editor: ActionEditor, action):
    current = "Nouvelle fiche-action" if action is None else "Modifier"
    links = [contract_link(contract)] + ([action_link(action)] if action is not None else [])
    context = {
        "title": f"{current} – {contract}",
        "contract": contract,
        "action": action,
        "editor": editor,
        "error_summary": editor.error_summary() if request.method == "POST" else [],
        "years": list(contract.years),
        "breadcrumb_data": breadcrumb(current, *links),
    }
    return render(request, "contracts/action_form.html", context)


@login_required
def action_create(request, pk: int):
    contract = contract_or_hide(request, pk)
    refused = require_editable(
        request, contract, contract.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    editor = ActionEditor(contract, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        with errors_on(editor) as outcome:
            action = action_services.save_action(contract, editor.to_data())
        if outcome.ok:
            messages.success(request, f"La fiche-action n°{action.number} est enregistrée.")
            return redirect(action)
    return _action_form_page(request, contract, editor, None)


@login_required
def action_edit(request, pk: int, number: int):
    contract = contract_or_hide(request, pk)
    action = action_or_404(contract, number)
    refused = require_editable(
        request, contract, action.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    editor = ActionEditor(contract, action, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        with errors_on(editor) as outcome:
            action_services.save_action(
                contract, editor.to_data(), action=action, expected_version=editor.expected_version
            )
        if outcome.ok:
            messages.success(request, f"La fiche-action n°{action.number} est enregistrée.")
            return redirect(action)
    return _action_form_page(request, contract, editor, action)


@sign_in_when_hidden
def action_detail(request, pk: int, number: int):
    contract = contract_or_hide(request, pk)
    action = action_or_404(contract, number)
    follows = perms.can_follow_contract(request.user, contract)
    context = {
        "title": f"{action} – {contract}",
        "contract": contract,
        "action": action,
        "indicators": queries.action_indicators(action, contract.years),
        "years": list(contract.years),
        "budget": queries.action_budget_grid(action, contract.years),
        "comments": action.comments.select_related("author") if follows else None,
        "may_edit": perms.can_edit_contract(request.user, contract),
        "breadcrumb_data": breadcrumb(f"Fiche-action n°{action.number}", contract_link(contract)),
    }
    return render(request, "contracts/action_detail.html", context)


@login_required
def action_delete(request, pk: int, number: int):
    contract = contract_or_hide(request, pk)
    action = action_or_404(contract, number)
    refused = require_editable(
        request, contract, action.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    form = LockForm(request.POST or None, initial={"lock_version": action.lock_version})
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            action_services.delete_action(action, expected_version=form.cleaned_data["lock_version"])
        if outcome.ok:
            messages.success(request, f"La fiche-action « {action.title} » est supprimée.")
            return redirect(contract)
    context = {
        "title": f"Supprimer la fiche-action n°{action.number}",
        "contract": contract,
        "action": action,
        "form": form,
        "breadcrumb_data": breadcrumb("Supprimer", contract_link(contract), action_link(action)),
    }
    return render(request, "contracts/action_confirm_delete.html", context)


# --- Negotiation and signature ------------------------------------------------------------------------------


@login_required
@require_POST
def comment(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_comment_contract(request.user, contract):
        raise PermissionDenied
    form = CommentForm(request.POST, contract=contract)
    if form.is_valid():
        number = form.cleaned_data["action"]
        action = contract.actions.filter(number=number).first() if number else None
        with errors_on(Notices(request)) as outcome:
            workflow.add_comment(contract, request.user, form.cleaned_data["body"], action=action)
        if outcome.ok:
            messages.success(request, "Votre commentaire est publié.")
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "Commentaire"
            for message in errors:
                messages.error(request, f"{label} : {message}")
    return redirect(f"{contract.get_absolute_url()}#commentaires")


def _transition(request, contract: Contract, operation, success: str):
    with errors_on(Notices(request)) as outcome:
        operation()
    if outcome.ok:
        messages.success(request, success)
    return redirect(contract)


@login_required
@require_POST
def submit(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_submit_contract(request.user, contract):
        raise PermissionDenied
    return _transition(
        request,
        contract,
        lambda: workflow.submit_contract(contract, request.user),
        "Le contrat est soumis à l'État : la négociation est ouverte.",
    )


@login_required
@require_POST
def validate(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_validate_contract(request.user, contract):
        raise PermissionDenied
    side = perms.validation_side(request.user, contract)
    label = "de la collectivité" if side == "local" else "de l'État"
    return _transition(
        request,
        contract,
        lambda: workflow.validate_contract(contract, request.user, side=side),
        f"La validation {label} est enregistrée.",
    )


@login_required
@require_POST
def reopen(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_reopen_contract(request.user, contract):
        raise PermissionDenied
    return _transition(
        request,
        contract,
        lambda: workflow.reopen_contract(contract, request.user),
        "Le contrat est rouvert à la négociation : les deux validations sont à refaire.",
    )


@login_required
def sign(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_sign_contract(request.user, contract):
        raise PermissionDenied
    form = SignForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            workflow.sign_contract(contract, request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(
                request, "La signature est enregistrée : cette version du contrat est désormais publique."
            )
            return redirect(contract)
    context = {
        "title": f"Enregistrer la signature – {contract}",
        "contract": contract,
        "form": form,
        "breadcrumb_data": breadcrumb("Signature", contract_link(contract)),
    }
    return render(request, "contracts/contract_sign.html", context)


@login_required
def amend(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_draft_amendment(request.user, contract):
        raise PermissionDenied
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            amendment = amendments.create_amendment(
                contract, request.user, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(
                request,
                f"L'avenant n°{amendment.amendment_number} est ouvert : modifiez ses fiches-actions, puis soumettez-le.",
            )
            return redirect(amendment)
    context = {
        "title": f"Rédiger un avenant – {contract}",
        "contract": contract,
        "form": form,
        "breadcrumb_data": breadcrumb("Avenant", contract_link(contract)),
    }
    return render(request, "contracts/contract_amend.html", context)


@sign_in_when_hidden
def diff(request, pk: int):
    contract = contract_or_hide(request, pk)
    previous = contract.amends
    changes = amendments.contract_diff(previous, contract) if previous is not None else None
    context = {
        "title": f"Différences – {contract}",
        "contract": contract,
        "previous": previous,
        "changes": changes,
        "breadcrumb_data": breadcrumb("Différences", contract_link(contract)),
    }
    return render(request, "contracts/diff.html", context)


# --- Audit history ---------------------------------------------------------------------------------------


@login_required
def history(request, pk: int):
    contract = contract_or_hide(request, pk)
    if not perms.can_follow_contract(request.user, contract):
        raise PermissionDenied
    return history_page(
        request,
        contract_sources(contract),
        subject=contract,
        intro=INTRO,
        breadcrumb=breadcrumb("Historique", contract_link(contract)),
    )


urlpatterns = [
    path("", contract_list, name="list"),
    path("nouveau/", contract_create, name="create"),
    path("<int:pk>/", contract_detail, name="detail"),
    path("<int:pk>/modifier/", contract_edit, name="edit"),
    path("<int:pk>/fiches/nouvelle/", action_create, name="action_create"),
    path("<int:pk>/fiches/<int:number>/", action_detail, name="action"),
    path("<int:pk>/fiches/<int:number>/modifier/", action_edit, name="action_edit"),
    path("<int:pk>/fiches/<int:number>/supprimer/", action_delete, name="action_delete"),
    path("<int:pk>/commentaires/", comment, name="comment"),
    path("<int:pk>/soumettre/", submit, name="submit"),
    path("<int:pk>/valider/", validate, name="validate"),
    path("<int:pk>/rouvrir/", reopen, name="reopen"),
    path("<int:pk>/signature/", sign, name="sign"),
    path("<int:pk>/avenant/", amend, name="amend"),
    path("<int:pk>/differences/", diff, name="diff"),
    path("<int:pk>/historique/", history, name="history"),
]
