"""Pages of the pactes locaux des solidarités: list, creation, a pact with its perimeter, priorities, publics and
signatories, its editing; the actions collected under a pact and their follow-up; the regional envelopes for
the pacts (entered by national steering) and their split among départements (by the commissioner). A pact is
public once signed; before, its parties see it; its share of the envelope and its actions are for those who
follow it (perms)."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from pacte.contracts import pact_queries, perms, queries
from pacte.contracts.models.pacts import PactEnvelope
from pacte.contracts.pact_forms import EnvelopeShareForm, PactActionForm, PactEditor, PactEnvelopeForm
from pacte.contracts.services.pacts import save_pact_action, save_pact_envelope, share_pact_envelope
from pacte.contracts.views.common import PACTS, pact_breadcrumb, pact_or_hide, sign_in_when_hidden
from pacte.core.collation import french
from pacte.core.forms import errors_on
from pacte.core.visibility import Hidden

ENVELOPES = {"title": "Enveloppes régionales des pactes locaux"}


def pact_list(request):
    page = Paginator(queries.listed_pacts(request.user), settings.PACTE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "title": PACTS["title"],
        "page": page,
        "may_create": request.user.is_authenticated
        and bool(queries.creatable_territories(request.user, for_pact=True)),
        "may_see_envelopes": perms.can_view_pact_envelopes(request.user),
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
                "Le pacte local est créé. Vous pouvez maintenant préciser son périmètre et ses signataires.",
            )
            return redirect(pact)
    return _pact_form_page(
        request, editor, "Nouveau pacte local des solidarités", pact_breadcrumb("Nouveau pacte")
    )


@sign_in_when_hidden
def pact_detail(request, pk: int):
    pact = pact_or_hide(request, pk)
    follows = perms.can_follow_local_pact(request.user, pact)
    context = {
        "title": str(pact),
        "pact": pact,
        "perimeter": pact.perimeter.order_by("-level", french("name")),
        "signatories": pact.signatories.select_related("organisation"),
        "priorities": pact.priorities.all(),
        "may_edit": perms.can_edit_local_pact(request.user, pact),
        "follows": follows,
        "may_record": perms.can_record_pact_actions(request.user, pact),
        "funding": pact_queries.pact_funding(pact) if follows else [],
        "actions": pact_queries.pact_actions(pact) if follows else [],
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


# --- Collected actions ------------------------------------------------------------------------------------


@login_required
def pact_action_edit(request, pk: int, number: int | None = None):
    """A new action (`number` None) or an existing one and its follow-up, for the parties of the pact."""
    pact = pact_or_hide(request, pk)
    if not perms.can_record_pact_actions(request.user, pact):
        raise PermissionDenied
    action = None
    if number is not None:
        action = pact.actions.filter(number=number).first()
        if action is None:
            raise Http404("Action introuvable")
    form = PactActionForm(request.POST or None, pact=pact, action=action)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            action = save_pact_action(
                action,
                pact=pact,
                data=form.data_for_services(),
                by=request.user,
                expected_version=form.cleaned_data.get("lock_version"),
            )
        if outcome.ok:
            messages.success(request, f"L’action n°{action.number} est enregistrée.")
            return redirect(f"{pact.get_absolute_url()}#actions")
    title = f"Action n°{action.number}" if action is not None else "Nouvelle action"
    context = {
        "title": f"{title} – {pact}",
        "pact": pact,
        "action": action,
        "form": form,
        "error_summary": form.error_summary() if request.method == "POST" else [],
        "breadcrumb_data": pact_breadcrumb(
            title, {"url": pact.get_absolute_url(), "title": pact.territory.name}
        ),
    }
    return render(request, "contracts/pact_action_form.html", context)


# --- Regional envelopes -------------------------------------------------------------------------------------


def _envelope_breadcrumb(current: str) -> dict:
    """Pactes locaux › Enveloppes régionales › `current`."""
    return pact_breadcrumb(current, {"url": reverse("contracts:pact_envelopes"), **ENVELOPES})


@login_required
def pact_envelope_list(request):
    if not perms.can_view_pact_envelopes(request.user):
        raise PermissionDenied
    context = {
        "title": ENVELOPES["title"],
        "envelopes": pact_queries.listed_pact_envelopes(request.user),
        "may_enter": perms.can_enter_pact_envelopes(request.user),
        "breadcrumb_data": pact_breadcrumb(ENVELOPES["title"]),
    }
    return render(request, "contracts/pact_envelope_list.html", context)


def _envelope_or_hide(request, pk: int) -> PactEnvelope:
    envelope = PactEnvelope.objects.select_related("region", "shared_by").filter(pk=pk).first()
    if envelope is None or not perms.can_view_pact_envelopes(request.user, envelope.region):
        raise Hidden("Enveloppe introuvable")
    return envelope


@login_required
def pact_envelope_form(request, pk: int | None = None):
    """National steering enters a région's envelope for a year, or changes its amount."""
    envelope = _envelope_or_hide(request, pk) if pk is not None else None
    if not perms.can_enter_pact_envelopes(request.user):
        raise PermissionDenied
    form = PactEnvelopeForm(request.POST or None, envelope=envelope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as outcome:
            envelope = save_pact_envelope(
                envelope,
                region=data.get("region"),
                year=data.get("year"),
                amount=data["amount"],
                reference=data["reference"],
                by=request.user,
                expected_version=data.get("lock_version"),
            )
        if outcome.ok:
            messages.success(request, f"{envelope} : enregistrée.")
            return redirect(envelope)
    title = f"Modifier – {envelope}" if envelope is not None else "Saisir une enveloppe régionale"
    context = {
        "title": title,
        "envelope": envelope,
        "form": form,
        "error_summary": form.error_summary() if request.method == "POST" else [],
        "breadcrumb_data": _envelope_breadcrumb("Modifier" if envelope else "Nouvelle enveloppe"),
    }
    return render(request, "contracts/pact_envelope_form.html", context)


@sign_in_when_hidden
def pact_envelope_detail(request, pk: int):
    """The envelope and its split among the départements; the commissioner of the région types the split,
    next to the split suggested by poverty headcount."""
    envelope = _envelope_or_hide(request, pk)
    rows = pact_queries.envelope_split(envelope)
    may_share = perms.can_share_pact_envelope(request.user, envelope)
    form = None
    if may_share:
        form = EnvelopeShareForm(request.POST or None, envelope=envelope, rows=rows)
        if request.method == "POST" and form.is_valid():
            with errors_on(form) as outcome:
                share_pact_envelope(
                    envelope,
                    form.amounts(),
                    by=request.user,
                    expected_version=form.cleaned_data["lock_version"],
                )
            if outcome.ok:
                messages.success(request, "La répartition de l’enveloppe est enregistrée.")
                return redirect(envelope)
    elif request.method == "POST":
        raise PermissionDenied
    for row in rows:
        row["field"] = form[f"amount_{row['departement'].code}"] if form is not None else None
    context = {
        "title": str(envelope),
        "envelope": envelope,
        "rows": rows,
        "shared": sum((row["allocated"] or Decimal(0) for row in rows), Decimal(0)),
        "form": form,
        "may_enter": perms.can_enter_pact_envelopes(request.user),
        "error_summary": form.error_summary() if form is not None and request.method == "POST" else [],
        "breadcrumb_data": _envelope_breadcrumb(f"{envelope.region.name} – {envelope.year}"),
    }
    return render(request, "contracts/pact_envelope_detail.html", context)


urlpatterns = [
    path("pactes/", pact_list, name="pact_list"),
    path("pactes/nouveau/", pact_create, name="pact_create"),
    path("pactes/<int:pk>/", pact_detail, name="pact"),
    path("pactes/<int:pk>/modifier/", pact_edit, name="pact_edit"),
    path("pactes/<int:pk>/actions/nouvelle/", pact_action_edit, name="pact_action_create"),
    path("pactes/<int:pk>/actions/<int:number>/", pact_action_edit, name="pact_action"),
    path("pactes/enveloppes/", pact_envelope_list, name="pact_envelopes"),
    path("pactes/enveloppes/nouvelle/", pact_envelope_form, name="pact_envelope_create"),
    path("pactes/enveloppes/<int:pk>/", pact_envelope_detail, name="pact_envelope"),
    path("pactes/enveloppes/<int:pk>/modifier/", pact_envelope_form, name="pact_envelope_edit"),
]
