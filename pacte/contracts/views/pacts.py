"""Pages of the local pacts (pactes locaux des solidarités): list, creation, a pact with its 1 to 3
priorities, and its editing. A pact is public once signed; before, its parties see it (perms)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path

from pacte.contracts import perms, queries
from pacte.contracts.pact_forms import PactEditor
from pacte.contracts.views.common import PACTS, pact_breadcrumb, pact_or_hide, sign_in_when_hidden
from pacte.core.forms import errors_on


def pact_list(request):
    page = Paginator(queries.listed_pacts(request.user), settings.PACTE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "title": PACTS["title"],
        "page": page,
        "may_create": request.user.is_authenticated
        and bool(queries.creatable_territories(request.user, for_pact=True)),
        "breadcrumb_data": {"current": PACTS["title"]},
    }
    return render(request, "contracts/pact_list.html", context)


def _pact_form_page(request, editor: PactEditor, title: str, breadcrumb: dict):
    context = {
        "title": title,
        "pact": editor.pact,
        "editor": editor,
        "error_summary": editor.error_summary() if request.method == "POST" else [],
        "breadcrumb_data": breadcrumb,
    }
    return render(request, "contracts/pact_form.html", context)


@login_required
def pact_create(request):
    territories = queries.creatable_territories(request.user, for_pact=True)
    if not territories:
        raise PermissionDenied
    editor = PactEditor(territories=territories, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        if not perms.can_create_contract(request.user, editor.form.cleaned_data["territory"]):
            raise PermissionDenied
        with errors_on(editor) as outcome:
            pact = editor.save()
        if outcome.ok:
            messages.success(
                request,
                "Le pacte local est créé. Vous pouvez maintenant choisir ses partenaires signataires.",
            )
            return redirect(pact)
    return _pact_form_page(
        request, editor, "Nouveau pacte local des solidarités", pact_breadcrumb("Nouveau pacte")
    )


@sign_in_when_hidden
def pact_detail(request, pk: int):
    pact = pact_or_hide(request, pk)
    context = {
        "title": str(pact),
        "pact": pact,
        "partners": pact.partners.order_by("name"),
        "priorities": pact.priorities.all(),
        "may_edit": perms.can_edit_local_pact(request.user, pact),
        "breadcrumb_data": pact_breadcrumb(pact.territory.name),
    }
    return render(request, "contracts/pact_detail.html", context)


@login_required
def pact_edit(request, pk: int):
    pact = pact_or_hide(request, pk)
    if pact.signed_on is not None:
        messages.warning(request, "Ce pacte local est signé : il ne peut plus être modifié.")
        return redirect(pact)
    if not perms.can_edit_local_pact(request.user, pact):
        raise PermissionDenied
    editor = PactEditor(pact=pact, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        with errors_on(editor) as outcome:
            editor.save()
        if outcome.ok:
            messages.success(request, "Le pacte local est enregistré.")
            return redirect(pact)
    breadcrumb = pact_breadcrumb("Modifier", {"url": pact.get_absolute_url(), "title": pact.territory.name})
    return _pact_form_page(request, editor, f"Modifier – {pact}", breadcrumb)


urlpatterns = [
    path("pactes/", pact_list, name="pact_list"),
    path("pactes/nouveau/", pact_create, name="pact_create"),
    path("pactes/<int:pk>/", pact_detail, name="pact"),
    path("pactes/<int:pk>/modifier/", pact_edit, name="pact_edit"),
]
