"""Views of the contracts app (execution): yearly execution reports and their review, State credits,
reallocations between conventions of a région, and the mid-term evaluation.

`pk` may be any version of a convention: reports, credits and the evaluation belong to its root contract.
Who may not see the version at all gets a 404, who sees it without following its execution a 403.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.accounts.scope import is_national, territory_q
from pacte.contracts import perms, services
from pacte.contracts.enums import (
    MID_TERM_EVALUATION_DUE,
    SIGNED_STATUSES,
    EvaluationStatus,
    ReportStatus,
    report_due_date,
)
from pacte.contracts.execution_forms import (
    CreditForm,
    EvaluationForm,
    OpenReportForm,
    ReallocationForm,
    ReportForm,
    ReviewForm,
    report_sections,
)
from pacte.contracts.models import Contract, Credit, CreditReallocation, ExecutionReport, MidTermEvaluation
from pacte.core.exports import export_response
from pacte.core.locking import StaleEditError
from pacte.territories.enums import Level

# --- Shared helpers ---------------------------------------------------------------------------------------


def _followed_convention(request, pk: int) -> Contract:
    """The convention (root contract) of version `pk`, for a user allowed to follow its execution."""
    version = get_object_or_404(Contract.objects.select_related("territory", "root__territory"), pk=pk)
    if not perms.can_view_contract(request.user, version):
        raise Http404
    if not perms.can_follow_contract(request.user, version):
        raise PermissionDenied
    return version.root_contract


def _breadcrumb(root: Contract, current: str, *links: dict) -> dict:
    return {
        "links": [
            {"url": reverse("contracts:list"), "title": "Contrats locaux des solidarités"},
            {"url": root.get_absolute_url(), "title": root.territory.name},
            *links,
        ],
        "current": current,
    }


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _export_format(request) -> str | None:
    return request.GET.get("format") or None


# --- Execution reports ------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    year: int
    report: ExecutionReport | None
    due_on: date
    is_late: bool
    can_open: bool

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "Non ouvert"


def _report_rows(request, root: Contract) -> list[ReportRow]:
    reports = {
        report.year: report
        for report in root.reports.select_related("submitted_by", "reviewed_by").order_by("year")
    }
    today = timezone.localdate()
    may_open = root.is_signed and perms.can_open_report(request.user, root)
    rows = []
    for year in root.years:
        report = reports.get(year)
        due_on = report.due_on if report else report_due_date(year)
        rows.append(
            ReportRow(
                year=year,
                report=report,
                due_on=due_on,
                is_late=report.is_late if report else today > due_on,
                can_open=may_open and report is None and year <= today.year,
            )
        )
    return rows


REPORTS_HEADER = [
    "Année",
    "Statut",
    "À déposer avant le",
    "Déposé le",
    "En retard",
    "Examiné par",
    "Examiné le",
    "Observations de l'État",
]


@login_required
def reports(request, pk: int):
    root = _followed_convention(request, pk)
    rows = _report_rows(request, root)
    fmt = _export_format(request)
    if fmt:
        export_rows = (
            [
                row.year,
                row.status_label,
                row.due_on,
                timezone.localdate(row.report.submitted_at)
                if row.report and row.report.submitted_at
                else None,
                row.is_late,
                _person(row.report.reviewed_by) if row.report else "",
                timezone.localdate(row.report.reviewed_at) if row.report and row.report.reviewed_at else None,
                row.report.review_comment if row.report else "",
            ]
            for row in rows
        )
        return export_response(fmt, f"rapports-execution-{root.territory.code}", REPORTS_HEADER, export_rows)
    context = {
        "title": f"Rapports d'exécution – {root.territory.name}",
        "root": root,
        "rows": rows,
        "breadcrumb_data": _breadcrumb(root, "Rapports d'exécution"),
    }
    return render(request, "contracts/report_list.html", context)


@login_required
@require_POST
def report_open(request, pk: int):
    root = _followed_convention(request, pk)
    if not perms.can_open_report(request.user, root):
        raise PermissionDenied
    form = OpenReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une année de la période du contrat (2024 à 2027).")
        return redirect("contracts:reports", pk=root.pk)
    year = form.cleaned_data["year"]
    try:
        services.open_report(root, year)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("contracts:reports", pk=root.pk)
    messages.success(
        request, f"Le rapport d'exécution {year} est ouvert : renseignez les réalisations de l'année."
    )
    return redirect("contracts:report_edit", pk=root.pk, year=year)


def _report(request, pk: int, year: int) -> ExecutionReport:
    root = _followed_convention(request, pk)
    report = get_object_or_404(
        ExecutionReport.objects.select_related("version", "submitted_by", "reviewed_by"),
        contract=root,
        year=year,
    )
    report.contract = root
    return report


def _report_breadcrumb(report: ExecutionReport, current: str | None = None) -> dict:
    root = report.contract
    reports_link = {
        "url": reverse("contracts:reports", kwargs={"pk": root.pk}),
        "title": "Rapports d'exécution",
    }
    if current is None:
        return _breadcrumb(root, f"Rapport {report.year}", reports_link)
    return _breadcrumb(
        root, current, reports_link, {"url": report.get_absolute_url(), "title": f"Rapport {report.year}"}
    )


def _problem_list(problems: dict[str, list[str]]) -> list[str]:
    return [message for messages_ in problems.values() for message in messages_]


@login_required
def report(request, pk: int, year: int):
    report = _report(request, pk, year)
    context = {
        "title": f"Rapport d'exécution {report.year} – {report.contract.territory.name}",
        "report": report,
        "root": report.contract,
        "sections": report_sections(report),
        "problems": _problem_list(services.report_problems(report)) if report.is_editable else [],
        "can_edit": perms.can_edit_report(request.user, report),
        "can_review": perms.can_review_report(request.user, report),
        "breadcrumb_data": _report_breadcrumb(report),
    }
    return render(request, "contracts/report_detail.html", context)


@login_required
def report_edit(request, pk: int, year: int):
    report = _report(request, pk, year)
    if not report.is_editable:
        messages.info(request, "Ce rapport est déposé : il ne peut plus être modifié, sauf s'il est renvoyé.")
        return redirect(report)
    if not perms.can_edit_report(request.user, report):
        raise PermissionDenied
    sections = report_sections(report)
    form = ReportForm(request.POST if request.method == "POST" else None, report=report, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_report(
                report,
                qualitative_assessment=form.cleaned_data["qualitative_assessment"],
                values=form.values(),
                spendings=form.spendings(),
                expected_version=form.cleaned_data["lock_version"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Le rapport d'exécution {report.year} est enregistré.")
            return redirect(report)
    context = {
        "title": f"Modifier le rapport d'exécution {report.year} – {report.contract.territory.name}",
        "report": report,
        "root": report.contract,
        "form": form,
        "sections": sections,
        "problems": _problem_list(services.report_problems(report)),
        "breadcrumb_data": _report_breadcrumb(report, "Modifier"),
    }
    return render(request, "contracts/report_form.html", context)


@login_required
@require_POST
def report_submit(request, pk: int, year: int):
    report = _report(request, pk, year)
    if not report.is_editable:
        messages.error(request, "Ce rapport est déjà déposé.")
        return redirect(report)
    if not perms.can_edit_report(request.user, report):
        raise PermissionDenied
    try:
        services.submit_report(report, request.user)
    except ValidationError as error:
        if "status" in error.message_dict:
            messages.error(request, " ".join(error.message_dict["status"]))
        else:
            count = len(error.messages)
            messages.error(
                request,
                f"Le rapport n'est pas déposé : il est incomplet ({count} point{'s' if count > 1 else ''} "
                f"à compléter, {'listés' if count > 1 else 'indiqué'} ci-dessous).",
            )
        return redirect(report)
    messages.success(request, f"Le rapport d'exécution {report.year} est déposé : l'État va l'examiner.")
    return redirect(report)


@login_required
def report_review(request, pk: int, year: int):
    report = _report(request, pk, year)
    if report.status != ReportStatus.SUBMITTED:
        messages.info(request, "Seul un rapport déposé peut être validé ou renvoyé.")
        return redirect(report)
    if not perms.can_review_report(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_report(
                report, request.user, validate=form.validates, comment=form.cleaned_data["review_comment"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if form.validates:
                messages.success(request, f"Le rapport d'exécution {report.year} est validé.")
            else:
                messages.success(
                    request,
                    f"Le rapport d'exécution {report.year} est renvoyé à la collectivité avec vos observations.",
                )
            return redirect(report)
    context = {
        "title": f"Examiner le rapport d'exécution {report.year} – {report.contract.territory.name}",
        "report": report,
        "root": report.contract,
        "form": form,
        "sections": report_sections(report),
        "breadcrumb_data": _report_breadcrumb(report, "Examen"),
    }
    return render(request, "contracts/report_review.html", context)


# --- State credits ----------------------------------------------------------------------------------------


@dataclass
class CreditRow:
    year: int
    base_ceiling: Decimal
    moved_in: Decimal
    moved_out: Decimal
    ceiling: Decimal
    credit: Credit | None
    previous_year: int | None
    previous_report: ExecutionReport | None

    @property
    def committed(self) -> Decimal:
        return self.credit.committed if self.credit else Decimal("0")

    @property
    def uncommitted(self) -> Decimal:
        return self.ceiling - self.committed

    @property
    def payment_condition(self) -> str:
        """The state of the previous year's report, which a payment of this year needs validated."""
        if self.previous_year is None:
            return "Sans condition (première année)"
        if self.previous_report is None:
            return f"Rapport {self.previous_year} non ouvert"
        return f"Rapport {self.previous_year} : {self.previous_report.get_status_display().lower()}"

    @property
    def payment_allowed(self) -> bool:
        return self.previous_year is None or (
            self.previous_report is not None and self.previous_report.status == ReportStatus.VALIDATED
        )


def _sums_by_year(queryset) -> dict[int, Decimal]:
    return dict(queryset.order_by().values("year").annotate(total=Sum("amount")).values_list("year", "total"))


def _credit_rows(root: Contract) -> list[CreditRow]:
    credits = {credit.year: credit for credit in root.credits.all()}
    reports = {report.year: report for report in root.reports.all()}
    moved_in, moved_out = _sums_by_year(root.reallocations_in), _sums_by_year(root.reallocations_out)
    version = services.current_version(root) or root
    rows = []
    for year in root.years:
        previous = year - 1 if year > root.period_start else None
        rows.append(
            CreditRow(
                year=year,
                base_ceiling=version.annual_state_ceiling,
                moved_in=moved_in.get(year, Decimal("0")),
                moved_out=moved_out.get(year, Decimal("0")),
                ceiling=services.effective_ceiling(root, year),
                credit=credits.get(year),
                previous_year=previous,
                previous_report=reports.get(previous) if previous else None,
            )
        )
    return rows


CREDITS_HEADER = [
    "Année",
    "Plafond annuel (€)",
    "Réalloué vers ce contrat (€)",
    "Réalloué à d'autres contrats (€)",
    "Plafond effectif (€)",
    "Crédits notifiés (€)",
    "Notifiés le",
    "Crédits engagés (€)",
    "Engagés le",
    "Crédits versés (€)",
    "Versés le",
    "Non engagés (€)",
    "Condition de versement",
]


def _credit_export_row(row: CreditRow) -> list:
    credit = row.credit
    return [
        row.year,
        row.base_ceiling,
        row.moved_in,
        row.moved_out,
        row.ceiling,
        credit.notified if credit else Decimal("0"),
        credit.notified_on if credit else None,
        credit.committed if credit else Decimal("0"),
        credit.committed_on if credit else None,
        credit.paid if credit else Decimal("0"),
        credit.paid_on if credit else None,
        row.uncommitted,
        row.payment_condition,
    ]


@login_required
def credits(request, pk: int):
    root = _followed_convention(request, pk)
    rows = _credit_rows(root)
    fmt = _export_format(request)
    if fmt:
        stem = f"credits-etat-{root.territory.code}"
        return export_response(fmt, stem, CREDITS_HEADER, (_credit_export_row(row) for row in rows))
    context = {
        "title": f"Crédits de l'État – {root.territory.name}",
        "root": root,
        "rows": rows,
        "can_manage": perms.can_manage_credits(request.user, root),
        "can_reallocate": perms.can_reallocate_credits(request.user, root, root),
        "breadcrumb_data": _breadcrumb(root, "Crédits de l'État"),
    }
    return render(request, "contracts/credit_list.html", context)


@login_required
def credit_edit(request, pk: int, year: int):
    root = _followed_convention(request, pk)
    if year not in root.years:
        raise Http404
    if not perms.can_manage_credits(request.user, root):
        raise PermissionDenied
    credit = Credit.objects.filter(contract=root, year=year).first()
    form = CreditForm(request.POST if request.method == "POST" else None, credit=credit)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["lock_version"]
        try:
            if credit is not None and expected is None:
                raise StaleEditError  # the form was opened before these credits were first recorded
            services.record_credit(root, year, **form.amounts(), expected_version=expected)
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Les crédits {year} sont enregistrés.")
            return redirect("contracts:credits", pk=root.pk)
    row = next(row for row in _credit_rows(root) if row.year == year)
    context = {
        "title": f"Crédits de l'État {year} – {root.territory.name}",
        "root": root,
        "year": year,
        "row": row,
        "form": form,
        "breadcrumb_data": _breadcrumb(
            root,
            str(year),
            {"url": reverse("contracts:credits", kwargs={"pk": root.pk}), "title": "Crédits de l'État"},
        ),
    }
    return render(request, "contracts/credit_form.html", context)


# --- Reallocations ----------------------------------------------------------------------------------------


def _region_of(user):
    territory = user.territory
    if territory is None:
        return None
    return territory if territory.level in (Level.REGION, Level.COM) else territory.region


def _reallocation_scope(user) -> Q:
    """National steering sees every reallocation; whoever may see a région's consolidation, its own."""
    if is_national(user):
        return Q()
    region = _region_of(user) if user.is_authenticated else None
    if region is None or not perms.can_view_consolidation(user, region):
        raise PermissionDenied
    return Q(from_contract__territory__region=region) | Q(to_contract__territory__region=region)


REALLOCATIONS_HEADER = [
    "Année",
    "Contrat d'origine",
    "Contrat bénéficiaire",
    "Région",
    "Montant (€)",
    "Motif",
    "Décidé par",
    "Décidé le",
]


@login_required
def reallocations(request):
    scope = _reallocation_scope(request.user)
    rows = CreditReallocation.objects.filter(scope).select_related(
        "from_contract__territory__region", "to_contract__territory", "decided_by"
    )
    fmt = _export_format(request)
    if fmt:
        export_rows = (
            [
                row.year,
                row.from_contract.territory.name,
                row.to_contract.territory.name,
                row.from_contract.territory.region.name if row.from_contract.territory.region else "",
                row.amount,
                row.reason,
                _person(row.decided_by),
                timezone.localdate(row.decided_at),
            ]
            for row in rows
        )
        return export_response(fmt, "reallocations-credits", REALLOCATIONS_HEADER, export_rows)
    context = {
        "title": "Réallocations de crédits",
        "reallocations": rows,
        "can_reallocate": perms.can_view_consolidation(request.user),
        "breadcrumb_data": {
            "links": [{"url": reverse("contracts:list"), "title": "Contrats locaux des solidarités"}],
            "current": "Réallocations de crédits",
        },
    }
    return render(request, "contracts/reallocation_list.html", context)


def _reallocatable_contracts(user):
    """Signed conventions (root contracts) of the user's scope."""
    contracts = Contract.objects.filter(root__isnull=True, status__in=SIGNED_STATUSES).select_related(
        "territory"
    )
    if not is_national(user):
        contracts = contracts.filter(territory_q(user, "territory__"))
    return contracts.order_by("territory__name")


@login_required
def reallocate(request):
    if not perms.can_view_consolidation(request.user):
        raise PermissionDenied
    initial = (
        {"from_contract": request.GET.get("contrat")} if request.GET.get("contrat", "").isdigit() else {}
    )
    form = ReallocationForm(
        request.POST if request.method == "POST" else None,
        contracts=_reallocatable_contracts(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["from_contract"], form.cleaned_data["to_contract"]
        if not perms.can_reallocate_credits(request.user, source, target):
            form.add_error(
                None, "Vous ne pouvez réallouer des crédits qu'entre des contrats de votre région."
            )
        else:
            try:
                services.reallocate_credits(
                    source,
                    target,
                    form.cleaned_data["year"],
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"Les crédits {form.cleaned_data['year']} sont réalloués de {source.territory.name} "
                    f"à {target.territory.name}.",
                )
                return redirect("contracts:reallocations")
    context = {
        "title": "Réallouer des crédits",
        "form": form,
        "breadcrumb_data": {
            "links": [
                {"url": reverse("contracts:list"), "title": "Contrats locaux des solidarités"},
                {"url": reverse("contracts:reallocations"), "title": "Réallocations de crédits"},
            ],
            "current": "Nouvelle réallocation",
        },
    }
    return render(request, "contracts/reallocation_form.html", context)


# --- Mid-term evaluation ----------------------------------------------------------------------------------


def _evaluation_is_late(evaluation: MidTermEvaluation | None, due_on: date) -> bool:
    if evaluation is not None and evaluation.submitted_at is not None:
        return timezone.localdate(evaluation.submitted_at) > due_on
    return timezone.localdate() > due_on


@login_required
def evaluation(request, pk: int):
    root = _followed_convention(request, pk)
    evaluation = MidTermEvaluation.objects.filter(contract=root).select_related("submitted_by").first()
    submitted = evaluation is not None and evaluation.status == EvaluationStatus.SUBMITTED
    may_write = perms.can_submit_evaluation(request.user, root)
    form = None
    if may_write and not submitted:
        form = EvaluationForm(request.POST if request.method == "POST" else None, evaluation=evaluation)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form is None:
            messages.error(
                request, "L'évaluation à mi-parcours est déjà remise : elle ne peut plus être modifiée."
            )
            return redirect("contracts:evaluation", pk=root.pk)
        if form.is_valid():
            submit = request.POST.get("intent") == "remettre"
            try:
                services.save_evaluation(
                    root,
                    request.user,
                    findings=form.cleaned_data["findings"],
                    recommendations=form.cleaned_data["recommendations"],
                    submit=submit,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    "L'évaluation à mi-parcours est remise."
                    if submit
                    else "Le brouillon de l'évaluation à mi-parcours est enregistré.",
                )
                return redirect("contracts:evaluation", pk=root.pk)
    due_on = evaluation.due_on if evaluation else MID_TERM_EVALUATION_DUE
    context = {
        "title": f"Évaluation à mi-parcours – {root.territory.name}",
        "root": root,
        "evaluation": evaluation,
        "submitted": submitted,
        "due_on": due_on,
        "is_late": _evaluation_is_late(evaluation, due_on),
        "form": form,
        "breadcrumb_data": _breadcrumb(root, "Évaluation à mi-parcours"),
    }
    return render(request, "contracts/evaluation_detail.html", context)


urlpatterns = [
    path("<int:pk>/rapports/", reports, name="reports"),
    path("<int:pk>/rapports/ouvrir/", report_open, name="report_open"),
    path("<int:pk>/rapports/<int:year>/", report, name="report"),
    path("<int:pk>/rapports/<int:year>/modifier/", report_edit, name="report_edit"),
    path("<int:pk>/rapports/<int:year>/deposer/", report_submit, name="report_submit"),
    path("<int:pk>/rapports/<int:year>/examen/", report_review, name="report_review"),
    path("<int:pk>/credits/", credits, name="credits"),
    path("<int:pk>/credits/<int:year>/", credit_edit, name="credit_edit"),
    path("reallocations/nouvelle/", reallocate, name="reallocate"),
    path("reallocations/", reallocations, name="reallocations"),
    path("<int:pk>/evaluation/", evaluation, name="evaluation"),
]
