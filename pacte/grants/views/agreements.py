"""Conventions: the public summary (beneficiary, object, amounts per year), and for the association and the
State its payments and yearly reports (filed by the association, validated or sent back by the State)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from pacte.core.locking import StaleEditError
from pacte.grants import perms, services
from pacte.grants.enums import ReportStatus
from pacte.grants.forms import PaymentForm, ReportForm, ReportReviewForm
from pacte.grants.models import GrantReport
from pacte.grants.views import agreement_or_404, application_link, breadcrumb, call_link

ZERO = services.ZERO


def _links(agreement):
    application = agreement.application
    return [call_link(application.call), application_link(application)]


def agreement_detail(request, pk: int):
    agreement = agreement_or_404(pk)
    user = request.user
    follows = perms.can_follow_agreement(user, agreement)
    years = list(agreement.years.all())
    rows = []
    if follows:
        paid = dict(
            agreement.payments.values("year").annotate(total=Sum("amount")).values_list("year", "total")
        )
        reports = {report.year: report for report in agreement.reports.all()}
        for row in years:
            report = reports.get(row.year)
            rows.append(
                {
                    "year": row.year,
                    "amount": row.amount,
                    "paid": paid.get(row.year, ZERO),
                    "remaining": row.amount - paid.get(row.year, ZERO),
                    "report": report,
                    "previous_report_missing": row.year - 1 in {y.year for y in years}
                    and not (
                        reports.get(row.year - 1) and reports[row.year - 1].status == ReportStatus.VALIDATED
                    ),
                }
            )
    context = {
        "title": str(agreement),
        "agreement": agreement,
        "application": agreement.application,
        "years": years,
        "total": sum((row.amount for row in years), ZERO),
        "follows": follows,
        "rows": rows,
        "payments": agreement.payments.select_related("recorded_by") if follows else None,
        "may_pay": perms.can_record_payment(user, agreement),
        "may_report": perms.can_open_report(user, agreement),
        "breadcrumb_data": breadcrumb(agreement.number, *_links(agreement)),
    }
    return render(request, "grants/agreement_detail.html", context)


@login_required
def payment_create(request, pk: int):
    agreement = agreement_or_404(pk)
    if not perms.can_record_payment(request.user, agreement):
        raise PermissionDenied
    form = PaymentForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_payment(agreement, request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Le versement est enregistré.")
            return redirect(agreement)
    context = {
        "title": f"Nouveau versement – {agreement.number}",
        "agreement": agreement,
        "form": form,
        "breadcrumb_data": breadcrumb(
            "Nouveau versement",
            *_links(agreement),
            {"url": agreement.get_absolute_url(), "title": agreement.number},
        ),
    }
    return render(request, "grants/payment_form.html", context)


def _report(request, pk: int, year: int, *, create: bool = False):
    agreement = agreement_or_404(pk)
    if not perms.can_follow_agreement(request.user, agreement):
        raise PermissionDenied
    report = GrantReport.objects.filter(agreement=agreement, year=year).prefetch_related("values").first()
    if report is None:
        if not (create and perms.can_open_report(request.user, agreement)):
            raise Http404("Pas de compte rendu pour cette année")
        try:
            report = services.open_report(agreement, year, is_demo=agreement.is_demo)
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
    report.agreement = agreement
    return agreement, report


@login_required
def report_detail(request, pk: int, year: int):
    agreement, report = _report(request, pk, year, create=True)
    form = None
    if perms.can_edit_report(request.user, report):
        form = ReportForm(request.POST or None, report=report)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_report(
                    report,
                    narrative=form.cleaned_data["narrative"],
                    amount_spent=form.cleaned_data["amount_spent"],
                    values=form.values(),
                    expected_version=form.cleaned_data["lock_version"],
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if request.POST.get("action") == "deposer":
                    try:
                        services.submit_report(report, request.user)
                    except ValidationError as error:
                        for message in error.messages:
                            messages.error(request, message)
                        return redirect(report)
                    messages.success(request, f"Le compte rendu {year} est déposé.")
                else:
                    messages.success(request, f"Le compte rendu {year} est enregistré.")
                return redirect(report)
    elif request.method == "POST":
        raise PermissionDenied
    values = {value.indicator_id: value.value for value in report.values.all()}
    context = {
        "title": f"Compte rendu {year} – {agreement.number}",
        "agreement": agreement,
        "report": report,
        "form": form,
        "indicators": [(i, values.get(i.pk)) for i in agreement.application.indicators.all()],
        "review_form": ReportReviewForm() if perms.can_review_report(request.user, report) else None,
        "breadcrumb_data": breadcrumb(
            f"Compte rendu {year}",
            *_links(agreement),
            {"url": agreement.get_absolute_url(), "title": agreement.number},
        ),
    }
    return render(request, "grants/report_detail.html", context)


@login_required
@require_POST
def report_review(request, pk: int, year: int):
    agreement, report = _report(request, pk, year)
    if not perms.can_review_report(request.user, report):
        raise PermissionDenied
    form = ReportReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_report(
                report,
                request.user,
                validate=form.cleaned_data["decision"] == "valider",
                comment=form.cleaned_data["review_comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Le compte rendu {year} est examiné.")
    else:
        messages.error(request, "Choisissez de valider ou de renvoyer le compte rendu.")
    return redirect(report)


urlpatterns = [
    path("conventions/<int:pk>/", agreement_detail, name="agreement"),
    path("conventions/<int:pk>/versements/nouveau/", payment_create, name="payment_create"),
    path("conventions/<int:pk>/comptes-rendus/<int:year>/", report_detail, name="report"),
    path("conventions/<int:pk>/comptes-rendus/<int:year>/examen/", report_review, name="report_review"),
]
