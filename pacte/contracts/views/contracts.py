"""Pages of a contract up to its signature: the list, a version with its fiches-actions and budget, the
negotiation workflow (comments, submission, validations, signature), avenants and their differences, the audit
history. The local pacts have their own module (views/pacts.py).

Signed versions are public. A draft is seen by its two parties, the regional commissioner and national steering:
for anyone else it does not exist (404; an anonymous visitor is asked to sign in first, whether or not the page
exists). State changes go through `services`; who may do what is decided by `perms`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.contracts import perms, services
from pacte.contracts.enums import Funder
from pacte.contracts.forms import (
    ActionEditor,
    AmendmentForm,
    CommentForm,
    ContractCreateForm,
    ContractEditForm,
    ContractFilterForm,
    LockForm,
    SignForm,
    creatable_territories,
)
from pacte.contracts.history import history_entries, history_index, history_scope
from pacte.contracts.models import (
    Action,
    BudgetLine,
    Contract,
    ContractLockedError,
    Indicator,
)
from pacte.core.forms import apply_errors
from pacte.core.history import person_name
from pacte.core.locking import StaleEditError
from pacte.core.visibility import Hidden, sign_in_when_hidden
from pacte.territories.enums import METROPOLE_TYPES, Level

ZERO = Decimal("0")
CONTRACTS = {"title": "Contrats locaux des solidarités"}
PACTS = {"title": "Pactes locaux des solidarités"}


# --- Visibility -------------------------------------------------------------------------------------------


def _contract_or_hide(request, pk: int) -> Contract:
    contract = (
        Contract.objects.select_related(
            "territory__region",
            "territory__departement",
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
        raise Hidden
    return contract


def _locked_redirect(request, contract: Contract, url: str):
    """Edits of a signed (or validated) version land on its read-only page, with the reason."""
    messages.warning(request, ContractLockedError(contract).messages[0])
    return redirect(url)


def _require_editable(request, contract: Contract, read_only_url: str, allowed: bool):
    """None when the user may edit now; a redirect to the read-only page when the version is locked;
    PermissionDenied when the user may not edit it at all."""
    if not contract.is_editable:
        return _locked_redirect(request, contract, read_only_url)
    if not allowed:
        raise PermissionDenied
    return None


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("contracts:list"), **CONTRACTS}, *links], "current": current}


def _contract_link(contract: Contract) -> dict:
    suffix = f" – avenant n°{contract.amendment_number}" if contract.amendment_number else ""
    return {"url": contract.get_absolute_url(), "title": f"{contract.territory.name}{suffix}"}


# --- Budget tables ----------------------------------------------------------------------------------------

FUNDER_ORDER = {Funder.STATE: 0, Funder.LOCAL: 1, Funder.OTHER: 2}


@dataclass
class BudgetRowView:
    label: str
    amounts: list[Decimal]
    total: Decimal


@dataclass
class BudgetTable:
    """Amounts by funder × year, with totals and the State's share of each year."""

    years: list[int]
    rows: list[BudgetRowView] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=list)
    grand_total: Decimal = ZERO
    state_shares: list[Decimal | None] = field(default_factory=list)
    state_share_total: Decimal | None = None


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


def budget_table(lines, years) -> BudgetTable:
    years = list(years)
    amounts: dict[tuple[int, str, str], dict[int, Decimal]] = {}
    for line in lines:
        key = (FUNDER_ORDER[line.funder], line.funder_label, line.funder)
        amounts.setdefault(key, defaultdict(lambda: ZERO))[line.year] += line.amount
    table = BudgetTable(years=years)
    state = [ZERO] * len(years)
    table.totals = [ZERO] * len(years)
    for (_order, label, funder), by_year in sorted(amounts.items()):
        row = [by_year.get(year, ZERO) for year in years]
        table.rows.append(BudgetRowView(label, row, sum(row, ZERO)))
        table.totals = [total + amount for total, amount in zip(table.totals, row, strict=True)]
        if funder == Funder.STATE:
            state = [total + amount for total, amount in zip(state, row, strict=True)]
    table.grand_total = sum(table.totals, ZERO)
    table.state_shares = [_share(part, whole) for part, whole in zip(state, table.totals, strict=True)]
    table.state_share_total = _share(sum(state, ZERO), table.grand_total)
    return table


@dataclass
class ActionRow:
    action: Action
    state: Decimal
    local: Decimal
    other: Decimal
    total: Decimal
    state_share: Decimal | None


def _action_row(action: Action) -> ActionRow:
    totals = {funder: ZERO for funder in Funder}
    for line in action.budget_lines.all():
        totals[line.funder] += line.amount
    total = sum(totals.values(), ZERO)
    return ActionRow(
        action,
        totals[Funder.STATE],
        totals[Funder.LOCAL],
        totals[Funder.OTHER],
        total,
        _share(totals[Funder.STATE], total),
    )


# --- List and creation ------------------------------------------------------------------------------------


def _budget_sum(**filters):
    lines = (
        BudgetLine.objects.filter(action__contract=OuterRef("pk"), **filters)
        .order_by()
        .values("action__contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(lines), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


def listed_contracts(user, filters: dict):
    """The contracts `user` may see, filtered; by default only the most recent (visible, matching) version of
    each convention."""
    visible = perms.visible_contracts_q(user)
    contracts = Contract.objects.filter(visible)
    narrowing = Q()
    if "status" in filters:
        narrowing &= Q(status=filters["status"])
    if filters.get("versions") != "toutes":
        newer = Contract.objects.filter(
            visible,
            narrowing,
            root=OuterRef("convention"),
            amendment_number__gt=OuterRef("amendment_number"),
        )
        contracts = contracts.annotate(convention=Coalesce("root", "pk")).exclude(Exists(newer))
    contracts = contracts.filter(narrowing)
    if "region" in filters:
        contracts = contracts.filter(territory__region=filters["region"])
    if filters.get("kind") == "departement":
        contracts = contracts.filter(territory__level=Level.DEPARTEMENT)
    elif filters.get("kind") == "metropole":
        contracts = contracts.filter(territory__level=Level.EPCI, territory__epci_type__in=METROPOLE_TYPES)
    action_count = (
        Action.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        contracts.select_related("territory__region")
        .annotate(
            state_total=_budget_sum(funder=Funder.STATE),
            budget_total=_budget_sum(),
            action_count=Coalesce(Subquery(action_count), Value(0)),
        )
        .order_by("territory__name", "amendment_number")
    )


def _without(query, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def contract_list(request):
    filter_form = ContractFilterForm(request.GET or None)
    filters = filter_form.filters()
    contracts = listed_contracts(request.user, filters)
    page = Paginator(contracts, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    may_create = request.user.is_authenticated and bool(creatable_territories(request.user))
    context = {
        "title": CONTRACTS["title"],
        "page": page,
        "filter_form": filter_form,
        "may_create": may_create,
        "export_query": _without(request.GET, "page", "format"),
        "breadcrumb_data": {"current": CONTRACTS["title"]},
    }
    return render(request, "contracts/contract_list.html", context)


@login_required
def contract_create(request):
    territories = creatable_territories(request.user)
    if not territories:
        raise PermissionDenied
    form = ContractCreateForm(request.POST or None, territories=territories)
    if request.method == "POST" and form.is_valid():
        territory = form.cleaned_data["territory"]
        if not perms.can_create_contract(request.user, territory):
            raise PermissionDenied
        try:
            contract = services.create_contract(
                territory,
                annual_state_ceiling=form.cleaned_data["annual_state_ceiling"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Le contrat est créé. Ajoutez maintenant ses fiches-actions.")
            return redirect(contract)
    context = {
        "title": "Nouveau contrat local des solidarités",
        "form": form,
        "breadcrumb_data": _breadcrumb("Nouveau contrat"),
    }
    return render(request, "contracts/contract_form.html", context)


# --- A contract version -----------------------------------------------------------------------------------


def _versions(user, contract: Contract):
    root = contract.root_contract
    return (
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root))
        .filter(perms.visible_contracts_q(user))
        .select_related("amends")
        .order_by("amendment_number")
    )


def _validation_side(user, contract: Contract) -> str:
    return "local" if perms.is_local_party(user, contract) else "state"


@sign_in_when_hidden
def contract_detail(request, pk: int):
    contract = _contract_or_hide(request, pk)
    user = request.user
    actions = list(
        contract.actions.select_related("axis").prefetch_related("budget_lines").order_by("number")
    )
    follows = perms.can_follow_contract(user, contract)
    may_validate = perms.can_validate_contract(user, contract)
    side = _validation_side(user, contract) if may_validate else ""
    context = {
        "title": str(contract),
        "contract": contract,
        "action_rows": [_action_row(action) for action in actions],
        "budget": budget_table(
            (line for action in actions for line in action.budget_lines.all()), contract.years
        ),
        "versions": _versions(user, contract),
        "follows": follows,
        "problems": services.readiness_problems(contract) if follows and contract.is_editable else {},
        "comments": contract.comments.select_related("author", "action") if follows else None,
        "comment_form": CommentForm(contract=contract)
        if perms.can_comment_contract(user, contract)
        else None,
        "may_edit": perms.can_edit_contract(user, contract),
        "may_edit_contract": perms.can_edit_contract(user, contract)
        or perms.can_edit_ceiling(user, contract),
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
        "breadcrumb_data": _breadcrumb(_contract_link(contract)["title"]),
    }
    return render(request, "contracts/contract_detail.html", context)


@login_required
def contract_edit(request, pk: int):
    contract = _contract_or_hide(request, pk)
    may_title = perms.can_edit_contract(request.user, contract)
    may_ceiling = perms.can_edit_ceiling(request.user, contract)
    refused = _require_editable(request, contract, contract.get_absolute_url(), may_title or may_ceiling)
    if refused:
        return refused
    form = ContractEditForm(
        request.POST or None, contract=contract, may_edit_title=may_title, may_edit_ceiling=may_ceiling
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contract(
                contract, expected_version=form.cleaned_data["lock_version"], **form.changes()
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Les informations du contrat sont enregistrées.")
            return redirect(contract)
    context = {
        "title": f"Modifier – {contract}",
        "contract": contract,
        "form": form,
        "breadcrumb_data": _breadcrumb("Modifier", _contract_link(contract)),
    }
    return render(request, "contracts/contract_form.html", context)


# --- Fiches-actions ---------------------------------------------------------------------------------------


def _action_or_404(contract: Contract, number: int) -> Action:
    return get_object_or_404(
        contract.actions.select_related("axis").prefetch_related("measures__axis"), number=number
    )


def _action_form_page(request, contract: Contract, editor: ActionEditor, action: Action | None):
    current = "Nouvelle fiche-action" if action is None else "Modifier"
    links = [_contract_link(contract)]
    if action is not None:
        links.append({"url": action.get_absolute_url(), "title": f"Fiche-action n°{action.number}"})
    context = {
        "title": f"{current} – {contract}",
        "contract": contract,
        "action": action,
        "editor": editor,
        "error_summary": editor.error_summary() if request.method == "POST" else [],
        "years": list(contract.years),
        "breadcrumb_data": _breadcrumb(current, *links),
    }
    return render(request, "contracts/action_form.html", context)


@login_required
def action_create(request, pk: int):
    contract = _contract_or_hide(request, pk)
    refused = _require_editable(
        request, contract, contract.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    editor = ActionEditor(contract, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            action = services.save_action(contract, editor.to_data())
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(request, f"La fiche-action n°{action.number} est enregistrée.")
            return redirect(action)
    return _action_form_page(request, contract, editor, None)


@login_required
def action_edit(request, pk: int, number: int):
    contract = _contract_or_hide(request, pk)
    action = _action_or_404(contract, number)
    refused = _require_editable(
        request, contract, action.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    editor = ActionEditor(contract, action, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            services.save_action(
                contract, editor.to_data(), action=action, expected_version=editor.expected_version
            )
        except StaleEditError as error:
            editor.add_error(str(error))
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(request, f"La fiche-action n°{action.number} est enregistrée.")
            return redirect(action)
    return _action_form_page(request, contract, editor, action)


@sign_in_when_hidden
def action_detail(request, pk: int, number: int):
    contract = _contract_or_hide(request, pk)
    action = _action_or_404(contract, number)
    indicators = action.indicators.select_related("national_target").prefetch_related("year_targets")
    follows = perms.can_follow_contract(request.user, contract)
    context = {
        "title": f"{action} – {contract}",
        "contract": contract,
        "action": action,
        "indicators": [
            (indicator, [_target_of(indicator, year) for year in contract.years]) for indicator in indicators
        ],
        "years": list(contract.years),
        "budget": budget_table(action.budget_lines.all(), contract.years),
        "comments": action.comments.select_related("author") if follows else None,
        "may_edit": perms.can_edit_contract(request.user, contract),
        "breadcrumb_data": _breadcrumb(f"Fiche-action n°{action.number}", _contract_link(contract)),
    }
    return render(request, "contracts/action_detail.html", context)


def _target_of(indicator: Indicator, year: int) -> Decimal | None:
    return next((target.value for target in indicator.year_targets.all() if target.year == year), None)


@login_required
def action_delete(request, pk: int, number: int):
    contract = _contract_or_hide(request, pk)
    action = _action_or_404(contract, number)
    refused = _require_editable(
        request, contract, action.get_absolute_url(), perms.can_edit_contract(request.user, contract)
    )
    if refused:
        return refused
    form = LockForm(request.POST or None, initial={"lock_version": action.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_action(action, expected_version=form.cleaned_data["lock_version"])
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"La fiche-action « {action.title} » est supprimée.")
            return redirect(contract)
    context = {
        "title": f"Supprimer la fiche-action n°{action.number}",
        "contract": contract,
        "action": action,
        "form": form,
        "breadcrumb_data": _breadcrumb(
            "Supprimer",
            _contract_link(contract),
            {"url": action.get_absolute_url(), "title": f"Fiche-action n°{action.number}"},
        ),
    }
    return render(request, "contracts/action_confirm_delete.html", context)


# --- Negotiation and signature ------------------------------------------------------------------------------


@login_required
@require_POST
def comment(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_comment_contract(request.user, contract):
        raise PermissionDenied
    form = CommentForm(request.POST, contract=contract)
    if form.is_valid():
        number = form.cleaned_data["action"]
        action = contract.actions.filter(number=number).first() if number else None
        try:
            services.add_comment(contract, request.user, form.cleaned_data["body"], action=action)
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, "Votre commentaire est publié.")
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "Commentaire"
            for message in errors:
                messages.error(request, f"{label} : {message}")
    return redirect(f"{contract.get_absolute_url()}#commentaires")


def _transition(request, contract: Contract, operation, success: str):
    try:
        operation()
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(contract)


@login_required
@require_POST
def submit(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_submit_contract(request.user, contract):
        raise PermissionDenied
    return _transition(
        request,
        contract,
        lambda: services.submit_contract(contract, request.user),
        "Le contrat est soumis à l'État : la négociation est ouverte.",
    )


@login_required
@require_POST
def validate(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_validate_contract(request.user, contract):
        raise PermissionDenied
    side = _validation_side(request.user, contract)
    label = "de la collectivité" if side == "local" else "de l'État"
    return _transition(
        request,
        contract,
        lambda: services.validate_contract(contract, request.user, side=side),
        f"La validation {label} est enregistrée.",
    )


@login_required
@require_POST
def reopen(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_reopen_contract(request.user, contract):
        raise PermissionDenied
    return _transition(
        request,
        contract,
        lambda: services.reopen_contract(contract, request.user),
        "Le contrat est rouvert à la négociation : les deux validations sont à refaire.",
    )


@login_required
def sign(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_sign_contract(request.user, contract):
        raise PermissionDenied
    form = SignForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_contract(contract, request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request, "La signature est enregistrée : cette version du contrat est désormais publique."
            )
            return redirect(contract)
    context = {
        "title": f"Enregistrer la signature – {contract}",
        "contract": contract,
        "form": form,
        "breadcrumb_data": _breadcrumb("Signature", _contract_link(contract)),
    }
    return render(request, "contracts/contract_sign.html", context)


@login_required
def amend(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_draft_amendment(request.user, contract):
        raise PermissionDenied
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.create_amendment(contract, request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request,
                f"L'avenant n°{amendment.amendment_number} est ouvert : modifiez ses fiches-actions, puis soumettez-le.",
            )
            return redirect(amendment)
    context = {
        "title": f"Rédiger un avenant – {contract}",
        "contract": contract,
        "form": form,
        "breadcrumb_data": _breadcrumb("Avenant", _contract_link(contract)),
    }
    return render(request, "contracts/contract_amend.html", context)


@sign_in_when_hidden
def diff(request, pk: int):
    contract = _contract_or_hide(request, pk)
    previous = contract.amends
    changes = services.contract_diff(previous, contract) if previous is not None else None
    context = {
        "title": f"Différences – {contract}",
        "contract": contract,
        "previous": previous,
        "changes": changes,
        "breadcrumb_data": _breadcrumb("Différences", _contract_link(contract)),
    }
    return render(request, "contracts/diff.html", context)


# --- Audit history ---------------------------------------------------------------------------------------


@login_required
def history(request, pk: int):
    contract = _contract_or_hide(request, pk)
    if not perms.can_follow_contract(request.user, contract):
        raise PermissionDenied
    scope = history_scope(contract)
    page = Paginator(history_index(scope), settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": f"Historique – {contract}",
        "contract": contract,
        "page": page,
        "entries": history_entries(scope, list(page.object_list)),
        "breadcrumb_data": _breadcrumb("Historique", _contract_link(contract)),
    }
    return render(request, "contracts/history.html", context)


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
