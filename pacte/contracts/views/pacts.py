"""Pages of the local pacts (pactes locaux des solidarités): list, creation, a pact with its 1 to 3
priorities, and its editing. A pact is public once signed; before, its parties see it (perms)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
)
from django.shortcuts import redirect, render
from django.urls import path, reverse

from pacte.contracts import perms
from pacte.contracts.forms import (
    PactEditor,
    creatable_territories,
)
from pacte.contracts.models import (
    LocalPact,
)
from pacte.core.locking import StaleEditError
from pacte.core.visibility import Hidden, sign_in_when_hidden

PACTS = {"title": "Pactes locaux des solidarités"}


def _pact_breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("contracts:pact_list"), **PACTS}, *links], "current": current}


def _pact_or_hide(request, pk: int) -> LocalPact:
    pact = (
        LocalPact.objects.select_related("territory__departement", "territory__region").filter(pk=pk).first()
    )
    if pact is None or not perms.can_view_local_pact(request.user, pact):
        raise Hidden
    return pact


def pact_list(request):
    pacts = (
        LocalPact.objects.filter(perms.visible_pacts_q(request.user))
        .select_related("territory__region")
        .annotate(priority_count=Count("priorities"))
        .order_by("territory__name")
    )
    page = Paginator(pacts, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": PACTS["title"],
        "page": page,
        "may_create": request.user.is_authenticated
        and bool(creatable_territories(request.user, for_pact=True)),
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
    territories = creatable_territories(request.user, for_pact=True)
    if not territories:
        raise PermissionDenied
    editor = PactEditor(territories=territories, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        if not perms.can_create_contract(request.user, editor.form.cleaned_data["territory"]):
            raise PermissionDenied
        pact = editor.save()
        messages.success(
            request, "Le pacte local est créé. Vous pouvez maintenant choisir ses partenaires signataires."
        )
        return redirect(pact)
    return _pact_form_page(
        request, editor, "Nouveau pacte local des solidarités", _pact_breadcrumb("Nouveau pacte")
    )


@sign_in_when_hidden
def pact_detail(request, pk: int):
    pact = _pact_or_hide(request, pk)
    context = {
        "title": str(pact),
        "pact": pact,
        "partners": pact.partners.order_by("name"),
        "priorities": pact.priorities.all(),
        "may_edit": perms.can_edit_local_pact(request.user, pact),
        "breadcrumb_data": _pact_breadcrumb(pact.territory.name),
    }
    return render(request, "contracts/pact_detail.html", context)


@login_required
def pact_edit(request, pk: int):
    pact = _pact_or_hide(request, pk)
    if pact.signed_on is not None:
        messages.warning(request, "Ce pacte local est signé : il ne peut plus être modifié.")
        return redirect(pact)
    if not perms.can_edit_local_pact(request.user, pact):
        raise PermissionDenied
    editor = PactEditor(pact=pact, data=request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            editor.save()
        except StaleEditError as error:
            editor.form.add_error(None, str(error))
        else:
            messages.success(request, "Le pacte local est enregistré.")
            return redirect(pact)
    breadcrumb = _pact_breadcrumb("Modifier", {"url": pact.get_absolute_url(), "title": pact.territory.name})
    return _pact_form_page(request, editor, f"Modifier – {pact}", breadcrumb)


urlpatterns = [
    path("pactes/", pact_list, name="pact_list"),
    path("pactes/nouveau/", pact_create, name="pact_create"),
    path("pactes/<int:pk>/", pact_detail, name="pact"),
    path("pactes/<int:pk>/modifier/", pact_edit, name="pact_edit"),
]
