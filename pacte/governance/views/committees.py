"""Instances: the list, an instance with its members, meetings, cadence, decisions and the contracts it steers
(comité de pilotage), their forms, the list of decisions with its CSV export, the ICS feed and the audit history.

A private instance does not exist for those who may not see it (404; an anonymous visitor is asked to sign
in first). State changes go through `services`; who may do what is decided by `perms`; shared reads are in
`queries`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.core.exports import csv_response
from pacte.core.forms import Notices, errors_on
from pacte.core.history import history_page
from pacte.governance import exports, ics, perms, queries, rules
from pacte.governance.enums import CommitteeKind
from pacte.governance.forms import CommitteeForm, MemberForm, SteeringForm
from pacte.governance.history import INTRO, committee_sources
from pacte.governance.models import Committee
from pacte.governance.services import calendar_tokens, steering
from pacte.governance.services import committees as services
from pacte.governance.views.common import (
    GOVERNANCE,
    base_url,
    breadcrumb,
    committee_link,
    committee_or_hide,
    require,
    sign_in_when_hidden,
)


def committee_list(request):
    kind = request.GET.get("type", "")
    committees = queries.committee_list(request.user, kind if kind in CommitteeKind.values else "")
    page = Paginator(committees, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": GOVERNANCE["title"],
        "page": page,
        "kinds": CommitteeKind.choices,
        "kind": kind,
        "may_create": perms.may_create_committees(request.user),
        "may_use_token": perms.can_use_calendar_token(request.user),
        "breadcrumb_data": {"current": GOVERNANCE["title"]},
    }
    return render(request, "governance/committee_list.html", context)


@login_required
def committee_create(request):
    require(perms.may_create_committees(request.user))
    form = CommitteeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        require(perms.can_create_committee(request.user, form.cleaned_data["territory"]))
        with errors_on(form) as outcome:
            committee = services.create_committee(**form.changes())
        if outcome.ok:
            messages.success(request, "L'instance est créée. Ajoutez maintenant ses membres.")
            return redirect(committee)
    context = {"title": "Nouvelle instance", "form": form, "breadcrumb_data": breadcrumb("Nouvelle instance")}
    return render(request, "governance/committee_form.html", context)


@sign_in_when_hidden
def committee_detail(request, pk: int):
    committee = committee_or_hide(request, pk)
    user = request.user
    manages = perms.can_manage_committee(user, committee)
    members = list(committee.members.select_related("user__organisation", "organisation"))
    today = timezone.localdate()
    meetings = list(committee.meetings.select_related("concertation_theme").order_by("-starts_at"))
    now = timezone.now()
    open_decisions = list(
        queries.committee_decisions(user, committee, open_only=True).order_by("meeting__starts_at", "number")
    )
    context = {
        "title": committee.name,
        "committee": committee,
        "manages": manages,
        "sees_members": perms.can_view_members(user, committee),
        "sees_emails": perms.can_view_member_emails(user, committee),
        "active_members": [member for member in members if member.is_active_on(today)],
        "former_members": [member for member in members if not member.is_active_on(today)],
        "upcoming": sorted((m for m in meetings if m.ends_at >= now), key=lambda m: m.starts_at),
        "past": [m for m in meetings if m.ends_at < now],
        "cadence": queries.cadence(committee, meetings, today),
        "open_decisions": open_decisions,
        "late_count": sum(1 for decision in open_decisions if decision.is_late_on(today)),
        "may_use_token": perms.can_use_calendar_token(user),
        "kind_note": rules.KIND_NOTES.get(committee.kind),
        "steers": committee.kind in rules.STEERING_KINDS,
        "steered": list(queries.steered_contracts(user, committee)),
        "steering_note": rules.STEERING_NOTE,
        "breadcrumb_data": breadcrumb(committee.name),
    }
    return render(request, "governance/committee_detail.html", context)


@login_required
def committee_edit(request, pk: int):
    committee = committee_or_hide(request, pk)
    require(perms.can_manage_committee(request.user, committee))
    form = CommitteeForm(request.POST or None, instance=committee, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not perms.can_move_committee(request.user, committee, form.cleaned_data["territory"]):
            form.add_error("territory", "Vous ne pouvez pas rattacher l'instance à ce territoire.")
        else:
            with errors_on(form) as outcome:
                services.update_committee(
                    Committee.objects.get(pk=committee.pk),
                    expected_version=form.cleaned_data["lock_version"],
                    **form.changes(),
                )
            if outcome.ok:
                messages.success(request, "L'instance est enregistrée.")
                return redirect(committee)
    context = {
        "title": f"Modifier – {committee.name}",
        "committee": committee,
        "form": form,
        "breadcrumb_data": breadcrumb("Modifier", committee_link(committee)),
    }
    return render(request, "governance/committee_form.html", context)


@login_required
def member_form(request, pk: int, member_pk: int | None = None):
    committee = committee_or_hide(request, pk)
    require(perms.can_manage_committee(request.user, committee))
    member = get_object_or_404(committee.members, pk=member_pk) if member_pk else None
    form = MemberForm(request.POST or None, instance=member, committee=committee)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.save_member(
                committee,
                member=committee.members.get(pk=member.pk) if member else None,
                expected_version=form.cleaned_data.get("lock_version"),
                **form.changes(),
            )
        if outcome.ok:
            messages.success(request, "Le membre est enregistré.")
            return redirect(f"{committee.get_absolute_url()}#membres")
    current = "Modifier un membre" if member else "Ajouter un membre"
    context = {
        "title": f"{current} – {committee.name}",
        "committee": committee,
        "member": member,
        "form": form,
        "breadcrumb_data": breadcrumb(current, committee_link(committee)),
    }
    return render(request, "governance/member_form.html", context)


@login_required
def steering_form(request, pk: int):
    """Make the instance the comité de pilotage of a contract: its managers, for a contract they see."""
    committee = committee_or_hide(request, pk)
    require(perms.can_unlink_contract(request.user, committee))
    form = SteeringForm(request.POST or None, contracts=queries.linkable_contracts(request.user, committee))
    if request.method == "POST" and form.is_valid():
        contract = form.cleaned_data["contract"]
        require(perms.can_link_contract(request.user, committee, contract))
        with errors_on(form) as outcome:
            steering.link_contract(committee, contract, user=request.user)
        if outcome.ok:
            messages.success(request, f"L’instance est le comité de pilotage de « {contract.title} ».")
            return redirect(f"{committee.get_absolute_url()}#contrats")
    current = "Piloter un contrat"
    context = {
        "title": f"{current} – {committee.name}",
        "committee": committee,
        "form": form,
        "steering_note": rules.STEERING_NOTE,
        "breadcrumb_data": breadcrumb(current, committee_link(committee)),
    }
    return render(request, "governance/steering_form.html", context)


@login_required
@require_POST
def steering_remove(request, pk: int, link_pk: int):
    committee = committee_or_hide(request, pk)
    require(perms.can_unlink_contract(request.user, committee))
    link = get_object_or_404(queries.steered_contracts(request.user, committee), pk=link_pk)
    with errors_on(Notices(request)) as outcome:
        steering.unlink_contract(link)
    if outcome.ok:
        messages.success(request, f"L’instance ne pilote plus « {link.contract.title} ».")
    return redirect(f"{committee.get_absolute_url()}#contrats")


@sign_in_when_hidden
def committee_decisions(request, pk: int):
    committee = committee_or_hide(request, pk)
    status = request.GET.get("statut", "")
    decisions = queries.committee_decisions(request.user, committee, open_only=status == "ouvertes")
    today = timezone.localdate()
    if request.GET.get("format") == "csv":
        return csv_response(
            f"decisions-instance-{committee.pk}.csv",
            exports.DECISIONS_HEADER,
            exports.decision_rows(decisions, today),
        )
    page = Paginator(decisions, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": f"Relevé de décisions – {committee.name}",
        "committee": committee,
        "manages": perms.can_manage_committee(request.user, committee),
        "page": page,
        "status": status,
        "breadcrumb_data": breadcrumb("Décisions", committee_link(committee)),
    }
    return render(request, "governance/committee_decisions.html", context)


def committee_ics(request, pk: int, cle: str | None = None):
    """The instance's meetings as an iCalendar feed: public for a public instance; for a private one, through
    the secret address of a user who may see it (calendar apps cannot sign in), or the signed-in session.

    The secret key is in the path, `calendrier/<clé>.ics`, the address « Mes agendas » gives. The older
    address, `calendrier.ics?cle=<clé>`, keeps working for the calendars subscribed to it before. Neither
    lands in the platform's logs (`pacte.governance.logs`)."""
    committee = Committee.objects.select_related("territory").filter(pk=pk).first()
    if committee is None:
        raise Http404("Instance introuvable")
    if not committee.is_public:
        key = cle if cle is not None else request.GET.get("cle", "")
        user = calendar_tokens.calendar_token_user(key) or request.user
        if not perms.can_view_committee(user, committee):
            raise Http404("Instance introuvable")
    meetings = (
        committee.meetings.select_related("committee").prefetch_related("agenda_items").order_by("starts_at")
    )
    root = base_url(request)
    body = ics.calendar(committee.name, meetings, lambda meeting: root + meeting.get_absolute_url())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="instance-{committee.pk}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def committee_history_view(request, pk: int):
    committee = committee_or_hide(request, pk)
    require(perms.can_manage_committee(request.user, committee))
    return history_page(
        request,
        committee_sources(committee),
        subject=committee,
        intro=INTRO,
        breadcrumb=breadcrumb("Historique", committee_link(committee)),
    )


urlpatterns = [
    path("", committee_list, name="committees"),
    path("instances/nouvelle/", committee_create, name="committee_create"),
    path("instances/<int:pk>/", committee_detail, name="committee"),
    path("instances/<int:pk>/modifier/", committee_edit, name="committee_edit"),
    path("instances/<int:pk>/membres/nouveau/", member_form, name="member_create"),
    path("instances/<int:pk>/membres/<int:member_pk>/modifier/", member_form, name="member_edit"),
    path("instances/<int:pk>/contrats/", steering_form, name="steering_create"),
    path("instances/<int:pk>/contrats/<int:link_pk>/retirer/", steering_remove, name="steering_remove"),
    path("instances/<int:pk>/decisions/", committee_decisions, name="committee_decisions"),
    path("instances/<int:pk>/calendrier.ics", committee_ics, name="committee_ics"),
    path("instances/<int:pk>/calendrier/<slug:cle>.ics", committee_ics, name="committee_ics_key"),
    path("instances/<int:pk>/historique/", committee_history_view, name="committee_history"),
]
