"""Grants (conventions and arrêtés): the public summary (beneficiary, object, act, amounts per year), and for
the association and the State its payments (advance and balance) and yearly reports (filed by the association,
validated or sent back by the State); the list of reports due or late of the grants a user follows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from pacte.core.forms import Notices, errors_on
from pacte.grants import perms, queries, rules
from pacte.grants.forms import GrantReportForm, GrantReportReviewForm, PaymentForm
from pacte.grants.services import payments, reports
from pacte.grants.services.common import ZERO
from pacte.grants.views.common import (
    agreement_links,
    agreement_or_hide,
    breadcrumb,
    report_or_hide,
)


def _agreement_link(agreement) -> dict:
    return {"url": agreement.get_absolute_url(), "title": agreement.number}


def _advance_context() -> dict:
    share = rules.advance_share()
    return {"advance_share": share * 100, "has_advance": share > 0}


def agreement_detail(request, pk: int):
    agreement = agreement_or_hide(request, pk)
    user = request.user
    follows = perms.can_follow_agreement(user, agreement)
    years = list(agreement.years.all())
    totals = queries.beneficiary_totals(agreement)
    convention_years = rules.needs_convention(totals)
    context = {
        "title": str(agreement),
        "agreement": agreement,
        "application": agreement.application,
        "years": years,
        "total": sum((row.amount for row in years), ZERO),
        "threshold": rules.CONVENTION_THRESHOLD,
        "year_rows": [
            {
                "year": row.year,
                "amount": row.amount,
                "total": totals[row.year],
                "required": row.year in convention_years,
            }
            for row in years
        ],
        "convention_years": convention_years,
        "follows": follows,
        "rows": queries.follow_up(agreement) if follows else [],
        "payments": queries.payments(agreement) if follows else None,
        "reminders": queries.reminders(agreement) if follows else None,
        **_advance_context(),
        "may_pay": perms.can_record_payment(user, agreement),
        "may_report": perms.can_open_report(user, agreement),
        "breadcrumb_data": breadcrumb(agreement.number, *agreement_links(agreement)),
    }
    return render(request, "grants/agreement_detail.html", context)


@login_required
def payment_create(request, pk: int):
    agreement = agreement_or_hide(request, pk)
    if not perms.can_record_payment(request.user, agreement):
        raise PermissionDenied
    form = PaymentForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            payments.record_payment(agreement, request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, "Le versement est enregistré.")
            return redirect(agreement)
    context = {
        "title": f"Nouveau versement – {agreement.number}",
        "agreement": agreement,
        "form": form,
        "rows": queries.follow_up(agreement),
        **_advance_context(),
        "breadcrumb_data": breadcrumb(
            "Nouveau versement", *agreement_links(agreement), _agreement_link(agreement)
        ),
    }
    return render(request, "grants/payment_form.html", context)


@login_required
def report_detail(request, pk: int, year: int):
    agreement, report = report_or_hide(request, pk, year, open_it=True)
    form = None
    if perms.can_edit_report(request.user, report):
        form = GrantReportForm(request.POST or None, report=report)
        if request.method == "POST" and form.is_valid():
            with errors_on(form) as saved:
                reports.save_report(
                    report,
                    narrative=form.cleaned_data["narrative"],
                    amount_spent=form.cleaned_data["amount_spent"],
                    values=form.values(),
                    expected_version=form.cleaned_data["lock_version"],
                )
            if saved.ok:
                if request.POST.get("action") != "deposer":
                    messages.success(request, f"Le compte rendu {year} est enregistré.")
                    return redirect(report)
                with errors_on(Notices(request)) as submitted:
                    reports.submit_report(report, request.user)
                if submitted.ok:
                    messages.success(request, f"Le compte rendu {year} est déposé.")
                return redirect(report)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "title": f"Compte rendu {year} – {agreement.number}",
        "agreement": agreement,
        "report": report,
        "cerfa": rules.REPORT_FORM,
        "compte_asso": rules.COMPTE_ASSO_URL,
        "form": form,
        "indicators": queries.report_indicators(report),
        "review_form": GrantReportReviewForm() if perms.can_review_report(request.user, report) else None,
        "breadcrumb_data": breadcrumb(
            f"Compte rendu {year}", *agreement_links(agreement), _agreement_link(agreement)
        ),
    }
    return render(request, "grants/report_detail.html", context)


@login_required
@require_POST
def report_review(request, pk: int, year: int):
    agreement, report = report_or_hide(request, pk, year)
    if not perms.can_review_report(request.user, report):
        raise PermissionDenied
    form = GrantReportReviewForm(request.POST)
    if form.is_valid():
        with errors_on(Notices(request)) as outcome:
            reports.review_report(
                report,
                request.user,
                validate=form.cleaned_data["decision"] == "valider",
                comment=form.cleaned_data["review_comment"],
            )
        if outcome.ok:
            messages.success(request, f"Le compte rendu {year} est examiné.")
    else:
        messages.error(request, "Choisissez de valider ou de renvoyer le compte rendu.")
    return redirect(report)


@login_required
def reports_due(request):
    """The reports due, late or awaiting review of the grants the user follows."""
    if not perms.can_list_reports(request.user):
        raise PermissionDenied
    context = {
        "title": "Comptes rendus attendus",
        "rows": queries.reports_due(request.user),
        "is_association": perms.is_association_user(request.user),
        "cerfa": rules.REPORT_FORM,
        "breadcrumb_data": breadcrumb("Comptes rendus attendus"),
    }
    return render(request, "grants/reports_due.html", context)


urlpatterns = [
    path("comptes-rendus/", reports_due, name="reports_due"),
    path("conventions/<int:pk>/", agreement_detail, name="agreement"),
    path("conventions/<int:pk>/versements/nouveau/", payment_create, name="payment_create"),
    path("conventions/<int:pk>/comptes-rendus/<int:year>/", report_detail, name="report"),
    path("conventions/<int:pk>/comptes-rendus/<int:year>/examen/", report_review, name="report_review"),
]
