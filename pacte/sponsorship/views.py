"""Pages of the mécénat de proximité: the public list of published projects (and its partner), a company's
registration, the commissioner's companies and their validation, the association's publication of a selected
project, a project's page with its pledges, and the pledge's steps (recorded, accepted or declined, delivered);
the history of a company and of a project (`history`), the export of the pledges (CSV, XLSX)."""

import hashlib
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.accounts.throttling import client_ip
from pacte.core import throttle
from pacte.core.exports import export_response
from pacte.core.forms import Notices, errors_on
from pacte.core.history import history_page
from pacte.core.visibility import Hidden, sign_in_when_hidden
from pacte.grants.models import Application
from pacte.sponsorship import history, perms, queries, services
from pacte.sponsorship.enums import CompanyStatus
from pacte.sponsorship.forms import (
    AnswerForm,
    CompanyDecisionForm,
    CompanyForm,
    DeliverForm,
    PledgeForm,
    PublishForm,
)
from pacte.sponsorship.models import Company, Pledge, PublishedProject
from pacte.sponsorship.partners import PARTNERS
from pacte.territories.enums import Level
from pacte.territories.models import Territory


def breadcrumb(current: str, *links: dict) -> dict:
    return {
        "links": [{"url": reverse("sponsorship:index"), "title": "Mécénat de proximité"}, *links],
        "current": current,
    }


PROJECT_RELATED = (
    "application__organisation",
    "application__territory",
    "application__call__region",
)


def index(request):
    projects = (
        PublishedProject.objects.filter(perms.public_projects_q(), deadline__gte=timezone.localdate())
        .select_related(*PROJECT_RELATED)
        .order_by("deadline", "pk")
    )
    regions = Territory.objects.active().filter(level=Level.REGION).order_by("code")
    region_code = request.GET.get("region", "")
    region = next((row for row in regions if row.code == region_code), None)
    if region_code and region is None:
        region_code = ""  # an unknown code: every région, said on the page
        messages.warning(request, "Région : code inconnu, les projets de toutes les régions sont affichés.")
    if region is not None:
        projects = projects.filter(application__call__region=region)
    context = {
        "title": f"Mécénat de proximité – {region.name}" if region else "Mécénat de proximité",
        "projects": projects,
        "regions": regions,
        "region": region,
        "region_code": region_code,
        "partners": PARTNERS,
        "can_list_companies": perms.can_list_companies(request.user),
        "can_export": perms.can_export_pledges(request.user),
        "signed_in": request.user.is_authenticated,
    }
    return render(request, "sponsorship/index.html", context)


# Registrations accepted per client IP in an hour (an anonymous form that writes rows).
REGISTRATIONS_PER_HOUR = 5
_REGISTRATION_WINDOW = 3600  # seconds


def _registration_refused(request) -> bool:
    key = hashlib.sha256(f"client:{client_ip(request) or 'inconnu'}".encode()).hexdigest()
    total, _wait = throttle.count("inscriptions-mecenat", key, _REGISTRATION_WINDOW, time.time())
    return total > REGISTRATIONS_PER_HOUR


def register_company(request):
    form = CompanyForm(request.POST or None)
    status = 200
    if request.method == "POST" and _registration_refused(request):
        form.is_valid()
        form.add_error(None, "Trop d'inscriptions envoyées depuis ce poste : réessayez dans une heure.")
        status = 429
    elif request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.register_company(**form.cleaned_data)
        if outcome.ok:
            messages.success(
                request,
                "L'inscription de l'entreprise est enregistrée : le commissaire à la lutte contre la pauvreté de "
                "sa région la validera, puis prendra contact avec la personne indiquée.",
            )
            return redirect("sponsorship:index")
    context = {
        "title": "Inscrire une entreprise mécène",
        "form": form,
        "breadcrumb_data": breadcrumb("Inscrire une entreprise"),
    }
    return render(request, "sponsorship/company_form.html", context, status=status)


@login_required
def companies(request):
    if not perms.can_list_companies(request.user):
        raise PermissionDenied
    rows = Company.objects.filter(perms.visible_companies_q(request.user)).select_related("commune")
    context = {
        "title": "Entreprises mécènes",
        "pending": [company for company in rows if company.status == CompanyStatus.PENDING],
        "others": [company for company in rows if company.status != CompanyStatus.PENDING],
        "breadcrumb_data": breadcrumb("Entreprises"),
    }
    return render(request, "sponsorship/company_list.html", context)


def _company_or_hide(request, pk: int) -> Company:
    company = Company.objects.select_related("commune__region").filter(pk=pk).first()
    if company is None or not perms.can_view_company(request.user, company):
        raise Hidden("Entreprise introuvable")
    return company


@sign_in_when_hidden
def company_detail(request, pk: int):
    company = _company_or_hide(request, pk)
    can_decide = perms.can_decide_company(request.user, company)
    form = CompanyDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            with errors_on(form) as outcome:
                services.decide_company(
                    company,
                    request.user,
                    validate=form.cleaned_data["decision"] == "valider",
                    reason=form.cleaned_data["reason"],
                )
            if outcome.ok:
                messages.success(request, "La décision est enregistrée.")
                return redirect(company)
    context = {
        "title": company.name,
        "company": company,
        "form": form,
        "pledges": company.pledges.select_related("project__application"),
        "breadcrumb_data": breadcrumb(
            company.name, {"url": reverse("sponsorship:companies"), "title": "Entreprises"}
        ),
    }
    return render(request, "sponsorship/company_detail.html", context)


@login_required
def follow(request):
    """« Suivi du mécénat »: the projects a user follows and, for an association, its selected projects it may
    publish."""
    projects = (
        PublishedProject.objects.filter(perms.followed_projects_q(request.user))
        .select_related(*PROJECT_RELATED)
        .prefetch_related(Prefetch("pledges", queryset=Pledge.objects.select_related("company")))
    )
    publishable = Application.objects.filter(perms.publishable_applications_q(request.user)).select_related(
        "call"
    )
    context = {
        "title": "Suivi du mécénat",
        "projects": projects,
        "publishable": publishable,
        "breadcrumb_data": breadcrumb("Suivi"),
    }
    return render(request, "sponsorship/follow.html", context)


@login_required
def publish(request, application_pk: int):
    application = get_object_or_404(
        Application.objects.select_related("call__region", "organisation", "territory"), pk=application_pk
    )
    if not perms.can_publish(request.user, application):
        raise Hidden("Projet introuvable")
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            project = services.publish_project(application, request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, "Le projet est publié sur la page du mécénat de proximité.")
            return redirect(project)
    context = {
        "title": f"Ouvrir au mécénat – {application.project_title}",
        "application": application,
        "form": form,
        "breadcrumb_data": breadcrumb(
            "Ouvrir un projet au mécénat", {"url": reverse("sponsorship:follow"), "title": "Suivi"}
        ),
    }
    return render(request, "sponsorship/publish_form.html", context)


def _project_or_hide(request, pk: int) -> PublishedProject:
    project = PublishedProject.objects.select_related(*PROJECT_RELATED).filter(pk=pk).first()
    if project is None or not perms.can_view_project(request.user, project):
        raise Hidden("Projet introuvable")
    return project


@sign_in_when_hidden
def project_detail(request, pk: int):
    project = _project_or_hide(request, pk)
    user = request.user
    follows = perms.follows_project(user, project)
    pledges = []
    if follows:
        for pledge in project.pledges.select_related("company").order_by("-proposed_at", "pk"):
            pledge.project = project
            pledge.can_answer = perms.can_answer_pledge(user, pledge)
            pledge.can_deliver = perms.can_mark_delivered(user, pledge)
            pledges.append(pledge)
    context = {
        "title": project.application.project_title,
        "project": project,
        "follows": follows,
        "pledges": pledges,
        "can_record": perms.can_record_pledge(user, project),
        "can_withdraw": perms.can_withdraw_project(user, project),
        "supporters": queries.public_supporters(project),
        "breadcrumb_data": breadcrumb(project.application.project_title),
    }
    return render(request, "sponsorship/project_detail.html", context)


@login_required
@require_POST
def project_withdraw(request, pk: int):
    project = _project_or_hide(request, pk)
    if not perms.can_withdraw_project(request.user, project):
        raise PermissionDenied
    services.withdraw_project(project, request.user)
    messages.success(request, "Le projet est retiré de la page publique du mécénat.")
    return redirect(project)


@login_required
def pledge_create(request, pk: int):
    project = _project_or_hide(request, pk)
    if not perms.can_record_pledge(request.user, project):
        raise PermissionDenied
    companies_qs = Company.objects.filter(
        perms.visible_companies_q(request.user), status=CompanyStatus.VALIDATED
    )
    form = PledgeForm(request.POST or None, companies=companies_qs)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.record_pledge(project, request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(
                request, "La promesse est enregistrée : l'association peut l'accepter ou la décliner."
            )
            return redirect(project)
    context = {
        "title": f"Enregistrer une promesse – {project.application.project_title}",
        "project": project,
        "form": form,
        "breadcrumb_data": breadcrumb(
            "Enregistrer une promesse",
            {"url": project.get_absolute_url(), "title": project.application.project_title},
        ),
    }
    return render(request, "sponsorship/pledge_form.html", context)


def _pledge_or_hide(request, pk: int) -> Pledge:
    pledge = (
        Pledge.objects.select_related("company", *(f"project__{name}" for name in PROJECT_RELATED))
        .filter(pk=pk)
        .first()
    )
    if pledge is None or not perms.follows_project(request.user, pledge.project):
        raise Hidden("Promesse introuvable")
    return pledge


@login_required
@require_POST
def pledge_answer(request, pk: int, answer: str):
    pledge = _pledge_or_hide(request, pk)
    if answer not in ("accepter", "decliner") or not perms.can_answer_pledge(request.user, pledge):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.answer_pledge(pledge, request.user, accept=answer == "accepter", note=note)
    messages.success(
        request, "La promesse est acceptée." if answer == "accepter" else "La promesse est déclinée."
    )
    return redirect(pledge.project)


@login_required
@require_POST
def pledge_deliver(request, pk: int):
    pledge = _pledge_or_hide(request, pk)
    if not perms.can_mark_delivered(request.user, pledge):
        raise PermissionDenied
    form = DeliverForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with errors_on(Notices(request)) as outcome:
        services.mark_delivered(pledge, request.user, note=note)
    if outcome.ok:
        messages.success(request, "La promesse est marquée réalisée.")
    return redirect(pledge.project)


@login_required
def company_history(request, pk: int):
    company = _company_or_hide(request, pk)
    return history_page(
        request,
        history.company_sources(company),
        subject=company,
        intro=history.COMPANY_INTRO,
        breadcrumb=breadcrumb(
            "Historique",
            {"url": reverse("sponsorship:companies"), "title": "Entreprises"},
            {"url": company.get_absolute_url(), "title": company.name},
        ),
    )


@login_required
def project_history(request, pk: int):
    project = _project_or_hide(request, pk)
    if not perms.follows_project(request.user, project):
        raise Hidden("Projet introuvable")
    return history_page(
        request,
        history.project_sources(project),
        subject=project,
        intro=history.PROJECT_INTRO,
        breadcrumb=breadcrumb(
            "Historique", {"url": project.get_absolute_url(), "title": project.application.project_title}
        ),
    )


EXPORT_HEADER = (
    "Région",
    "Appel à projets",
    "Projet",
    "Association",
    "Entreprise",
    "SIRET de l'entreprise",
    "Nature",
    "Montant (€)",
    "Description",
    "Statut",
    "Proposée le",
    "Réponse de l'association le",
    "Réalisée le",
    "Ce qui a été donné",
    "Donnée fictive",
)


def _local(moment):
    return timezone.localtime(moment).replace(microsecond=0) if moment else None


@login_required
def pledges_export(request, fmt: str):
    """The pledges of the projects the commissioner follows (its région), all for national steering, as CSV or
    XLSX. The company's contact is not exported (it is on the company's page)."""
    if not perms.can_export_pledges(request.user):
        raise PermissionDenied
    pledges = (
        Pledge.objects.filter(perms.exported_pledges_q(request.user))
        .select_related(*queries.PLEDGE_RELATED, "project__application__call")
        .order_by("project__application__call__region__code", "project_id", "proposed_at", "pk")
    )
    rows = (
        (
            pledge.project.application.call.region.name,
            pledge.project.application.call.reference,
            pledge.project.application.project_title,
            pledge.project.application.organisation.name,
            pledge.company.name,
            pledge.company.siret,
            pledge.get_kind_display(),
            pledge.amount,
            pledge.description,
            pledge.get_status_display(),
            _local(pledge.proposed_at),
            _local(pledge.decided_at),
            _local(pledge.delivered_at),
            pledge.delivered_note,
            pledge.is_demo,
        )
        for pledge in pledges
    )
    stem = f"promesses-mecenat-{timezone.localdate().isoformat()}"
    return export_response(fmt, stem, EXPORT_HEADER, rows)


urlpatterns = [
    path("", index, name="index"),
    path("entreprises/inscription/", register_company, name="register"),
    path("entreprises/", companies, name="companies"),
    path("entreprises/<int:pk>/", company_detail, name="company"),
    path("entreprises/<int:pk>/historique/", company_history, name="company_history"),
    path("suivi/", follow, name="follow"),
    path("publier/<int:application_pk>/", publish, name="publish"),
    path("projets/<int:pk>/", project_detail, name="project"),
    path("projets/<int:pk>/historique/", project_history, name="project_history"),
    path("promesses/export.<str:fmt>", pledges_export, name="pledges_export"),
    path("projets/<int:pk>/retirer/", project_withdraw, name="project_withdraw"),
    path("projets/<int:pk>/promesse/", pledge_create, name="pledge_create"),
    path("promesses/<int:pk>/accepter/", pledge_answer, {"answer": "accepter"}, name="pledge_accept"),
    path("promesses/<int:pk>/decliner/", pledge_answer, {"answer": "decliner"}, name="pledge_decline"),
    path("promesses/<int:pk>/realisee/", pledge_deliver, name="pledge_deliver"),
]
