"""Views of the yearly execution reports of a convention and their review by the State, and the campaigns in
which national steering sets the date they are due by.

`pk` may be any version of a convention: reports belong to its root contract. Who may not see the version at all gets
a 404, who sees it without following its execution a 403.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte import formatting
from pacte.contracts import perms, queries, report_queries
from pacte.contracts.enums import YEARS
from pacte.contracts.models import ExecutionReport
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.report_forms import (
    OpenReportForm,
    ReportCampaignForm,
    ReportForm,
    ReviewForm,
)
from pacte.contracts.services import execution as report_services
from pacte.contracts.views.common import (
    breadcrumb,
    contract_title,
    convention_breadcrumb,
    followed_convention,
    report_or_404,
)
from pacte.core.enums import ReportStatus
from pacte.core.exports import export_response
from pacte.core.forms import Notices, errors_on
from pacte.core.history import person_name


def _export_format(request) -> str | None:
    return request.GET.get("format") or None


def _local_date(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


# --- Execution reports ------------------------------------------------------------------------------------


REPORTS_HEADER = [
    "Année",
    "Statut",
    "À déposer avant le",
    "Déposé le",
    "En retard",
    "Examiné par",
    "Examiné le",
    "Observations de l'État",
    "En attente des crédits notifiés",
]


@login_required
def reports(request, pk: int):
    root = followed_convention(request, pk)
    rows = report_queries.report_rows(root, may_open=perms.can_open_report(request.user, root))
    fmt = _export_format(request)
    if fmt:
        export_rows = (
            [
                row.year,
                row.status_label,
                row.due_on,
                _local_date(row.report.submitted_at) if row.report else None,
                row.is_late,
                person_name(row.report.reviewed_by) if row.report else "",
                _local_date(row.report.reviewed_at) if row.report else None,
                row.report.review_comment if row.report else "",
                "oui" if row.credit_wait else "non",
            ]
            for row in rows
        )
        return export_response(fmt, f"rapports-execution-{root.territory.code}", REPORTS_HEADER, export_rows)
    context = {
        "title": f"Rapports d'exécution – {contract_title(root)}",
        "root": root,
        "rows": rows,
        "may_manage_credits": perms.can_manage_credits(request.user, root),
        "breadcrumb_data": convention_breadcrumb(root, "Rapports d'exécution"),
    }
    return render(request, "contracts/report_list.html", context)


@login_required
@require_POST
def report_open(request, pk: int):
    root = followed_convention(request, pk)
    if not perms.can_open_report(request.user, root):
        raise PermissionDenied
    form = OpenReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une année de la période du contrat (2024 à 2027).")
        return redirect("contracts:reports", pk=root.pk)
    year = form.cleaned_data["year"]
    with errors_on(Notices(request)) as outcome:
        report_services.open_report(root, year)
    if not outcome.ok:
        return redirect("contracts:reports", pk=root.pk)
    messages.success(
        request, f"Le rapport d'exécution {year} est ouvert : renseignez les réalisations de l'année."
    )
    return redirect("contracts:report_edit", pk=root.pk, year=year)


def _report_breadcrumb(report: ExecutionReport, current: str | None = None) -> dict:
    root = report.contract
    reports_link = {
        "url": reverse("contracts:reports", kwargs={"pk": root.pk}),
        "title": "Rapports d'exécution",
    }
    if current is None:
        return convention_breadcrumb(root, f"Rapport {report.year}", reports_link)
    return convention_breadcrumb(
        root, current, reports_link, {"url": report.get_absolute_url(), "title": f"Rapport {report.year}"}
    )


def _problem_list(problems: dict[str, list[str]]) -> list[str]:
    return [message for messages_ in problems.values() for message in messages_]


@login_required
def report(request, pk: int, year: int):
    report = report_or_404(request, pk, year)
    context = {
        "title": f"Rapport d'exécution {report.year} – {contract_title(report.contract)}",
        "report": report,
        "root": report.contract,
        "sections": queries.report_sections(report),
        "problems": _problem_list(report_services.report_problems(report)) if report.is_editable else [],
        "credit_wait": report_services.credit_wait(report) if report.is_editable else None,
        "may_manage_credits": perms.can_manage_credits(request.user, report.contract),
        "can_edit": perms.can_edit_report(request.user, report),
        "can_review": perms.can_review_report(request.user, report),
        "breadcrumb_data": _report_breadcrumb(report),
    }
    return render(request, "contracts/report_detail.html", context)


@login_required
def report_edit(request, pk: int, year: int):
    report = report_or_404(request, pk, year)
    if not report.is_editable:
        messages.info(request, "Ce rapport est déposé : il ne peut plus être modifié, sauf s'il est renvoyé.")
        return redirect(report)
    if not perms.can_edit_report(request.user, report):
        raise PermissionDenied
    sections = queries.report_sections(report)
    form = ReportForm(request.POST if request.method == "POST" else None, report=report, sections=sections)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            report_services.save_report(
                report,
                qualitative_assessment=form.cleaned_data["qualitative_assessment"],
                values=form.values(),
                spendings=form.spendings(),
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(request, f"Le rapport d'exécution {report.year} est enregistré.")
            return redirect(report)
    context = {
        "title": f"Modifier le rapport d'exécution {report.year} – {contract_title(report.contract)}",
        "report": report,
        "root": report.contract,
        "form": form,
        "sections": sections,
        "problems": _problem_list(report_services.report_problems(report)),
        "breadcrumb_data": _report_breadcrumb(report, "Modifier"),
    }
    return render(request, "contracts/report_form.html", context)


class IncompleteReportNotices(Notices):
    """A refused filing, said in one message: the report is already filed, or it is incomplete (the points
    to complete are listed on the report page)."""

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "status" in error.message_dict:
            messages.error(self.request, " ".join(error.message_dict["status"]))
            return
        count = len(error.messages)
        points = formatting.plural(count, "point")
        listed = "listés" if count > 1 else "indiqué"
        messages.error(
            self.request,
            f"Le rapport n'est pas déposé : il est incomplet ({points} à compléter, {listed} ci-dessous).",
        )


@login_required
@require_POST
def report_submit(request, pk: int, year: int):
    report = report_or_404(request, pk, year)
    if not report.is_editable:
        messages.error(request, "Ce rapport est déjà déposé.")
        return redirect(report)
    if not perms.can_edit_report(request.user, report):
        raise PermissionDenied
    with errors_on(IncompleteReportNotices(request)) as outcome:
        report_services.submit_report(report, request.user)
    if outcome.ok:
        messages.success(request, f"Le rapport d'exécution {report.year} est déposé : l'État va l'examiner.")
    return redirect(report)


@login_required
def report_review(request, pk: int, year: int):
    report = report_or_404(request, pk, year)
    if report.status != ReportStatus.SUBMITTED:
        messages.info(request, "Seul un rapport déposé peut être validé ou renvoyé.")
        return redirect(report)
    if not perms.can_review_report(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            report_services.review_report(
                report, request.user, validate=form.validates, comment=form.cleaned_data["review_comment"]
            )
        if outcome.ok:
            if form.validates:
                messages.success(request, f"Le rapport d'exécution {report.year} est validé.")
            else:
                messages.success(
                    request,
                    f"Le rapport d'exécution {report.year} est renvoyé à la collectivité avec vos observations.",
                )
            return redirect(report)
    context = {
        "title": f"Examiner le rapport d'exécution {report.year} – {contract_title(report.contract)}",
        "report": report,
        "root": report.contract,
        "form": form,
        "sections": queries.report_sections(report),
        "breadcrumb_data": _report_breadcrumb(report, "Examen"),
    }
    return render(request, "contracts/report_review.html", context)


# --- Report campaigns (national steering) -------------------------------------------------------------------


CAMPAIGNS_TITLE = "Campagnes des rapports d'exécution"


def _may_manage_campaigns(request) -> None:
    if not perms.can_manage_report_campaigns(request.user):
        raise PermissionDenied


@login_required
def report_campaigns(request):
    _may_manage_campaigns(request)
    campaigns = {campaign.year: campaign for campaign in report_queries.campaigns()}
    context = {
        "title": CAMPAIGNS_TITLE,
        "rows": [(year, campaigns.get(year), report_services.report_opens_on(year)) for year in YEARS],
        "breadcrumb_data": breadcrumb(CAMPAIGNS_TITLE),
    }
    return render(request, "contracts/report_campaigns.html", context)


@login_required
def report_campaign_edit(request, year: int):
    _may_manage_campaigns(request)
    if year not in YEARS:
        raise Http404("Année hors de la période des contrats")
    campaign = ReportCampaign.objects.filter(year=year).first()
    form = ReportCampaignForm(request.POST if request.method == "POST" else None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            report_services.set_report_campaign(
                year,
                form.cleaned_data["due_on"],
                request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(
                request,
                f"Les rapports d'exécution {year} sont à déposer avant le "
                f"{formatting.date(form.cleaned_data['due_on'])}.",
            )
            return redirect("contracts:report_campaigns")
    context = {
        "title": f"Campagne des rapports {year}",
        "year": year,
        "campaign": campaign,
        "form": form,
        "opens_on": report_services.report_opens_on(year),
        "breadcrumb_data": breadcrumb(
            f"Rapports {year}", {"url": reverse("contracts:report_campaigns"), "title": CAMPAIGNS_TITLE}
        ),
    }
    return render(request, "contracts/report_campaign_form.html", context)


urlpatterns = [
    path("rapports/campagnes/", report_campaigns, name="report_campaigns"),
    path("rapports/campagnes/<int:year>/", report_campaign_edit, name="report_campaign_edit"),
    path("<int:pk>/rapports/", reports, name="reports"),
    path("<int:pk>/rapports/ouvrir/", report_open, name="report_open"),
    path("<int:pk>/rapports/<int:year>/", report, name="report"),
    path("<int:pk>/rapports/<int:year>/modifier/", report_edit, name="report_edit"),
    path("<int:pk>/rapports/<int:year>/deposer/", report_submit, name="report_submit"),
    path("<int:pk>/rapports/<int:year>/examen/", report_review, name="report_review"),
]
