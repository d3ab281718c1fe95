"""The regional roadmaps: the list by région and year, a roadmap's working version (objectives and actions with
their owner, partners, due date, status and source decision), its forms, its publication, its public version,
its PDF and its history, and the report of a decision of a regional working group into the roadmap.

Who may: `perms.can_edit_roadmap` (the regional commissioner of the région, national steering),
`perms.can_read_roadmap_draft` (the same and the DDETS of the région's départements); everyone reads a published
version. A working version the user may not read does not exist for it (404, an anonymous visitor is asked to
sign in), unless it is published: then the visitor is sent to the public version.
"""

import copy
import datetime
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from pacte.accounts.throttling import client_ip
from pacte.core import pdf_cache
from pacte.core.collation import french_key
from pacte.core.forms import LockForm, Notices, errors_on
from pacte.core.history import Source, history_page
from pacte.core.locking import StaleEditError
from pacte.core.pdf import html_to_pdf
from pacte.governance import perms
from pacte.governance.roadmap_forms import (
    ReportDecisionForm,
    RoadmapActionForm,
    RoadmapCreateForm,
    RoadmapObjectiveForm,
    RoadmapTitleForm,
    editable_regions,
)
from pacte.governance.roadmap_models import (
    OPEN_ACTION_STATUSES,
    Roadmap,
    RoadmapAction,
    RoadmapObjective,
)
from pacte.governance.services import roadmap as services
from pacte.governance.views.common import Hidden, decision_or_hide, require, sign_in_when_hidden
from pacte.territories.enums import Level
from pacte.territories.models import Territory

ROADMAPS = {"title": "Feuilles de route régionales"}
PDF_TEMPLATE = "governance/roadmap_pdf.html"
HISTORY_INTRO = (
    "Toutes les modifications de la feuille de route, de ses objectifs et de ses actions (dont leurs "
    "publications), les plus récentes d’abord."
)


def _breadcrumb(current: str, roadmap: Roadmap | None = None) -> dict:
    links = [{"url": reverse("governance:roadmaps"), **ROADMAPS}]
    if roadmap is not None:
        links.append({"url": roadmap.get_absolute_url(), "title": str(roadmap)})
    return {"links": links, "current": current}


def _roadmap(pk: int) -> Roadmap | None:
    return Roadmap.objects.select_related("region", "published_by").filter(pk=pk).first()


def _readable_or_hide(request, pk: int) -> Roadmap:
    roadmap = _roadmap(pk)
    if roadmap is None or not perms.can_read_roadmap_draft(request.user, roadmap.region):
        raise Hidden("Feuille de route introuvable")
    return roadmap


def _editable_or_hide(request, pk: int) -> Roadmap:
    roadmap = _readable_or_hide(request, pk)
    require(perms.can_edit_roadmap(request.user, roadmap.region))
    return roadmap


def _dated(content: dict) -> dict:
    """The content with its due dates as dates and each action's overdue flag (today's, for both versions)."""
    today = timezone.localdate()
    for objective in content["objectives"]:
        for action in objective["actions"]:
            due = action["due_date"]
            action["due"] = datetime.date.fromisoformat(due) if due else None
            action["is_overdue"] = bool(
                action["due"] and action["due"] < today and action["status"] in OPEN_ACTION_STATUSES
            )
    return content


def roadmap_list(request):
    user = request.user
    readable = services.readable_roadmaps_q(user)
    rows = Roadmap.objects.select_related("region").filter(readable | Q(published_content__isnull=False))
    region_code, year = request.GET.get("region", ""), request.GET.get("annee", "")
    if region_code:
        rows = rows.filter(region__code=region_code)
    if year.isdigit():
        rows = rows.filter(year=int(year))
    readable_ids = set(Roadmap.objects.filter(readable).values_list("pk", flat=True))
    items = [
        {
            "roadmap": roadmap,
            "url": roadmap.get_absolute_url() if roadmap.pk in readable_ids else roadmap.get_public_url(),
        }
        for roadmap in rows.order_by("region__code", "-year")
    ]
    context = {
        "title": ROADMAPS["title"],
        "items": items,
        "regions": Territory.objects.active().filter(level=Level.REGION).order_by("code"),
        "region_code": region_code,
        "year": year,
        "may_create": perms.may_create_roadmaps(user),
        "breadcrumb_data": {"current": ROADMAPS["title"]},
    }
    return render(request, "governance/roadmap_list.html", context)


@login_required
def roadmap_create(request):
    require(perms.may_create_roadmaps(request.user))
    regions = editable_regions(request.user)
    form = RoadmapCreateForm(
        request.POST or None, regions=regions, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(perms.can_edit_roadmap(request.user, data["region"]))
        with errors_on(form) as outcome:
            roadmap = services.create_roadmap(data["region"], data["year"], title=data["title"])
        if outcome.ok:
            messages.success(request, "La feuille de route est créée : ajoutez-lui ses objectifs.")
            return redirect(roadmap)
    context = {
        "title": "Nouvelle feuille de route régionale",
        "form": form,
        "cancel_url": reverse("governance:roadmaps"),
        "breadcrumb_data": _breadcrumb("Nouvelle feuille de route"),
    }
    return render(request, "governance/roadmap_form.html", context)


@sign_in_when_hidden
def roadmap_detail(request, pk: int):
    roadmap = _roadmap(pk)
    if roadmap is not None and not perms.can_read_roadmap_draft(request.user, roadmap.region):
        if roadmap.is_published:
            return redirect(roadmap.get_public_url())
        roadmap = None
    if roadmap is None:
        raise Hidden("Feuille de route introuvable")
    content = _dated(services.roadmap_content(roadmap, public=False))
    published = roadmap.published_content
    context = {
        "title": str(roadmap),
        "roadmap": roadmap,
        "content": content,
        "is_public_version": False,
        "editable": perms.can_edit_roadmap(request.user, roadmap.region),
        "changed_since_publication": published is not None
        and services.roadmap_content(roadmap, public=True) != published,
        "breadcrumb_data": _breadcrumb(str(roadmap)),
    }
    return render(request, "governance/roadmap_detail.html", context)


def roadmap_public(request, pk: int):
    roadmap = _roadmap(pk)
    if roadmap is None or not roadmap.is_published:
        raise Hidden("Feuille de route introuvable")
    context = {
        "title": f"{roadmap} – version publiée",
        "roadmap": roadmap,
        "content": _dated(copy.deepcopy(roadmap.published_content)),
        "is_public_version": True,
        "editable": False,
        "changed_since_publication": False,
        "breadcrumb_data": _breadcrumb("Version publiée", roadmap)
        if perms.can_read_roadmap_draft(request.user, roadmap.region)
        else {"links": [{"url": reverse("governance:roadmaps"), **ROADMAPS}], "current": str(roadmap)},
    }
    return render(request, "governance/roadmap_detail.html", context)


def _pdf_html(roadmap: Roadmap, content: dict, *, is_draft: bool) -> str:
    with translation.override("fr"):
        return render_to_string(
            PDF_TEMPLATE, {"roadmap": roadmap, "content": _dated(content), "is_draft": is_draft}
        )


@sign_in_when_hidden
def roadmap_pdf(request, pk: int):
    """The published version (stored once per version, `pacte.core.pdf_cache`); `?version=travail` the working
    version for those who read it (never stored)."""
    roadmap = _roadmap(pk)
    if roadmap is None:
        raise Hidden("Feuille de route introuvable")
    stem = f"feuille-de-route-{roadmap.region.code}-{roadmap.year}"
    if request.GET.get("version") == "travail" or not roadmap.is_published:
        if not perms.can_read_roadmap_draft(request.user, roadmap.region):
            raise Hidden("Feuille de route introuvable")
        content = services.roadmap_content(roadmap, public=False)
        return pdf_cache.fresh(html_to_pdf(_pdf_html(roadmap, content, is_draft=True)), f"{stem}-travail.pdf")
    digest = pdf_cache.version_digest(
        roadmap.pk,
        roadmap.publication_number,
        roadmap.published_content,
        roadmap.region.name,
        pdf_cache.layout_digest((PDF_TEMPLATE,), ("contracts/convention.css",)),
    )
    return pdf_cache.serve_or_render(
        request,
        f"{pdf_cache.ROOT}/feuilles-de-route/{roadmap.pk}/{digest}.pdf",
        lambda _stored_at: f"{stem}.pdf",
        lambda: html_to_pdf(_pdf_html(roadmap, copy.deepcopy(roadmap.published_content), is_draft=False)),
        client_ip(request),
    )


@login_required
def roadmap_edit(request, pk: int):
    roadmap = _editable_or_hide(request, pk)
    form = RoadmapTitleForm(
        request.POST or None, initial={"title": roadmap.title, "lock_version": roadmap.lock_version}
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.update_roadmap(
                roadmap, title=form.cleaned_data["title"], expected_version=form.cleaned_data["lock_version"]
            )
        if outcome.ok:
            messages.success(request, "La feuille de route est enregistrée.")
            return redirect(roadmap)
    context = {
        "title": f"Modifier – {roadmap}",
        "form": form,
        "cancel_url": roadmap.get_absolute_url(),
        "breadcrumb_data": _breadcrumb("Modifier", roadmap),
    }
    return render(request, "governance/roadmap_form.html", context)


@login_required
@require_POST
def roadmap_publish(request, pk: int):
    roadmap = _editable_or_hide(request, pk)
    lock = LockForm(request.POST)
    with errors_on(Notices(request)) as outcome:
        if not lock.is_valid():
            raise StaleEditError
        services.publish(roadmap, by=request.user, expected_version=lock.cleaned_data["lock_version"])
    if outcome.ok:
        messages.success(request, "La feuille de route est publiée : chacun peut lire cette version.")
    return redirect(roadmap)


@login_required
def objective_form(request, pk: int, objective_pk: int | None = None):
    roadmap = _editable_or_hide(request, pk)
    objective = None
    if objective_pk is not None:
        objective = roadmap.objectives.filter(pk=objective_pk).first()
        if objective is None:
            raise Hidden("Objectif introuvable")
    form = RoadmapObjectiveForm(request.POST or None, objective=objective)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.save_objective(
                roadmap,
                objective,
                title=form.cleaned_data["title"],
                axis=form.cleaned_data["axis"],
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(request, "L'objectif est enregistré.")
            return redirect(roadmap)
    current = "Modifier l'objectif" if objective else "Nouvel objectif"
    context = {
        "title": f"{current} – {roadmap}",
        "form": form,
        "cancel_url": roadmap.get_absolute_url(),
        "breadcrumb_data": _breadcrumb(current, roadmap),
    }
    return render(request, "governance/roadmap_form.html", context)


@login_required
def action_form(request, pk: int, action_pk: int | None = None):
    roadmap = _editable_or_hide(request, pk)
    action = None
    if action_pk is not None:
        action = (
            RoadmapAction.objects.filter(pk=action_pk, objective__roadmap=roadmap)
            .prefetch_related("partners")
            .first()
        )
        if action is None:
            raise Hidden("Action introuvable")
    if not roadmap.objectives.exists():
        messages.warning(request, "Ajoutez d'abord un objectif : chaque action relève d'un objectif.")
        return redirect(roadmap)
    objective = roadmap.objectives.filter(pk=request.GET.get("objectif") or 0).first()
    form = RoadmapActionForm(request.POST or None, roadmap=roadmap, action=action, objective=objective)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.save_action(
                form.cleaned_data["objective"],
                action,
                partners=form.cleaned_data["partners"],
                expected_version=form.cleaned_data["lock_version"],
                actor=request.user,
                **form.changes(),
            )
        if outcome.ok:
            messages.success(request, "L'action est enregistrée.")
            return redirect(roadmap)
    current = "Modifier l'action" if action else "Nouvelle action"
    context = {
        "title": f"{current} – {roadmap}",
        "form": form,
        "action": action,
        "cancel_url": roadmap.get_absolute_url(),
        "breadcrumb_data": _breadcrumb(current, roadmap),
    }
    return render(request, "governance/roadmap_form.html", context)


def _sources(roadmap: Roadmap) -> list[Source]:
    objectives = {
        record.id: record.number
        for record in RoadmapObjective.history.filter(roadmap_id=roadmap.pk).order_by("history_date")
    }
    hidden = {"roadmap", "objective", "source_decision", "published_by"}
    return [
        Source(Roadmap.history.filter(id=roadmap.pk), lambda record: "Feuille de route", hidden=hidden),
        Source(
            RoadmapObjective.history.filter(roadmap_id=roadmap.pk),
            lambda record: f"Objectif {record.number} « {record.title} »",
            hidden=hidden,
        ),
        Source(
            RoadmapAction.history.filter(objective_id__in=list(objectives)),
            lambda record: (
                f"Action {objectives.get(record.objective_id, '?')}.{record.number} « {record.title} »"
            ),
            hidden=hidden - {"objective"},
            extra_changes=_partner_changes,
        ),
    ]


def _partner_changes(records: list, previous: dict) -> dict[int, list[tuple[str, str, str]]]:
    """The partner organisations an action record added or removed (a many-to-many set kept by simple-history in
    its own table): one query."""
    wanted = [record.history_id for record in records]
    wanted += [record.history_id for record in previous.values() if record is not None]
    through = RoadmapAction.history.model.partners.model
    names: dict[int, set[str]] = defaultdict(set)
    for history_id, name in through.objects.filter(history_id__in=wanted).values_list(
        "history_id", "organisation__name"
    ):
        names[history_id].add(name)
    changes = {}
    for record in records:
        if record.history_type == "-":
            continue
        before = previous.get(record.history_id)
        new = names.get(record.history_id, set())
        old = names.get(before.history_id, set()) if before is not None else set()
        if new != old:
            changes[record.history_id] = [
                (
                    "partenaires",
                    ", ".join(sorted(old, key=french_key)) or "–",
                    ", ".join(sorted(new, key=french_key)) or "–",
                )
            ]
    return changes


@login_required
def roadmap_history(request, pk: int):
    roadmap = _readable_or_hide(request, pk)
    return history_page(
        request,
        _sources(roadmap),
        subject=roadmap,
        intro=HISTORY_INTRO,
        breadcrumb=_breadcrumb("Historique", roadmap),
    )


@login_required
def decision_report(request, pk: int):
    """« Reporter dans la feuille de route »: create the action of a decision, or bring its action up to date."""
    decision = decision_or_hide(request, pk)
    require(perms.can_report_decision(request.user, decision))
    roadmap = services.roadmap_for_decision(decision)
    existing = RoadmapAction.objects.filter(source_decision=decision).select_related("objective").first()
    if roadmap is None:
        messages.warning(
            request,
            f"La région n'a pas encore de feuille de route {decision.meeting.meeting_date.year} : "
            "créez-la, puis reportez la décision.",
        )
        return redirect(decision.get_absolute_url())
    form = ReportDecisionForm(
        request.POST or None,
        roadmap=roadmap,
        initial={"objective": existing.objective_id if existing else None},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            action, created = services.action_from_decision(
                decision,
                objective=form.cleaned_data["objective"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        if outcome.ok:
            done = "ajoutée à" if created else "mise à jour dans"
            messages.success(request, f"L'action « {action.title} » est {done} la feuille de route.")
            return redirect(f"{roadmap.get_absolute_url()}#action-{action.pk}")
    context = {
        "title": f"Reporter la décision n°{decision.number} dans la feuille de route",
        "form": form,
        "decision": decision,
        "roadmap": roadmap,
        "existing": existing,
        "cancel_url": decision.get_absolute_url(),
        "breadcrumb_data": _breadcrumb("Reporter une décision", roadmap),
    }
    return render(request, "governance/roadmap_report_form.html", context)


urlpatterns = [
    path("feuilles-de-route/", roadmap_list, name="roadmaps"),
    path("feuilles-de-route/nouvelle/", roadmap_create, name="roadmap_create"),
    path("feuilles-de-route/<int:pk>/", roadmap_detail, name="roadmap"),
    path("feuilles-de-route/<int:pk>/modifier/", roadmap_edit, name="roadmap_edit"),
    path("feuilles-de-route/<int:pk>/publier/", roadmap_publish, name="roadmap_publish"),
    path("feuilles-de-route/<int:pk>/publique/", roadmap_public, name="roadmap_public"),
    path("feuilles-de-route/<int:pk>/feuille-de-route.pdf", roadmap_pdf, name="roadmap_pdf"),
    path("feuilles-de-route/<int:pk>/historique/", roadmap_history, name="roadmap_history"),
    path("feuilles-de-route/<int:pk>/objectifs/nouveau/", objective_form, name="roadmap_objective_create"),
    path(
        "feuilles-de-route/<int:pk>/objectifs/<int:objective_pk>/modifier/",
        objective_form,
        name="roadmap_objective_edit",
    ),
    path("feuilles-de-route/<int:pk>/actions/nouvelle/", action_form, name="roadmap_action_create"),
    path(
        "feuilles-de-route/<int:pk>/actions/<int:action_pk>/modifier/",
        action_form,
        name="roadmap_action_edit",
    ),
    path("decisions/<int:pk>/feuille-de-route/", decision_report, name="decision_roadmap"),
]
