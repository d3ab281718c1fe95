"""The tasks of the calls for projects: candidatures to score (reviews assigned to the user) and to decide (the
commissioner), payments to record and financial reports to review (the commissioner, the DDETS of the project's
département), an association's drafts and the financial reports it has to file.

Who acts is decided by `pacte.grants.perms`, each candidate checked with the rule of its page; the candidates are
read with that module's filters. A fixed number of queries whatever the number of candidatures or grants.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.urls import reverse
from django.utils import timezone

from pacte import formatting
from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role
from pacte.core.enums import ReportStatus
from pacte.grants import perms, rules, schedule
from pacte.grants.enums import PENDING_STATUSES, ApplicationStatus, ReviewStatus
from pacte.grants.models import (
    Application,
    GrantAgreement,
    GrantReport,
    GrantYear,
    Payment,
    Review,
    ReviewerAssignment,
)
from pacte.grants.queries import GrantYearFollowUp
from pacte.grants.services.payments import awaited_report
from pacte.workspace.tasks import Task

ZERO = Decimal("0")
# The roles `perms.can_record_payment` and `perms.can_review_report` may answer yes for (national steering follows
# every grant but neither pays nor reviews): the others are not asked about every grant of the country.
PAYING_ROLES = (Role.REGIONAL_COMMISSIONER, Role.DDETS)


def grant_tasks(user, today: date) -> list[Task]:
    if not (user.is_authenticated and user.is_active and user.role):
        return []
    tasks = _to_score(user)
    tasks += _to_decide(user)
    followed = GrantAgreement.objects.filter(perms.followed_agreements_q(user))
    if perms.is_association_user(user):
        tasks += _drafts(user)
        tasks += _reports_to_file(user, followed, today)
    elif has_role(user, *PAYING_ROLES):
        tasks += _payments(user, followed, today)
        tasks += _reports_to_review(user, followed)
    return tasks


def _application_title(application) -> str:
    return f"{application.project_title} – {application.organisation.name}"


def _with_rules(applications):
    """Candidatures with what the rules of `perms` read: the call (its region, its reviewers), the organisation."""
    return applications.select_related(
        "call__region", "organisation", "territory__departement"
    ).prefetch_related(
        Prefetch(
            "call__assignments", queryset=ReviewerAssignment.objects.only("pk", "call_id", "reviewer_id")
        )
    )


def _to_score(user) -> list[Task]:
    """The filed candidatures of the closed calls `user` reviews, not of its own organisation, whose review it has
    not submitted (`perms.can_review_application`)."""
    candidates = _with_rules(
        Application.objects.filter(call__assignments__reviewer=user, status__in=PENDING_STATUSES).distinct()
    )
    submitted = set(
        Review.objects.filter(reviewer=user, status=ReviewStatus.SUBMITTED).values_list(
            "application", flat=True
        )
    )
    return [
        Task(
            kind="applications_to_score",
            title=_application_title(application),
            url=reverse("grants:review", kwargs={"pk": application.pk}),
            action="Évaluer",
            detail=f"appel « {application.call.title} »",
            is_demo=application.is_demo,
        )
        for application in candidates.order_by("call__deadline", "number")
        if application.pk not in submitted and perms.can_review_application(user, application)
    ]


def _to_decide(user) -> list[Task]:
    """The candidatures under instruction of the closed calls of the commissioner's région
    (`perms.can_decide_application`)."""
    if not has_role(user, Role.REGIONAL_COMMISSIONER):
        return []
    candidates = _with_rules(
        Application.objects.filter(perms.visible_applications_q(user), status__in=PENDING_STATUSES).distinct()
    )
    return [
        Task(
            kind="applications_to_decide",
            title=_application_title(application),
            url=reverse("grants:decide", kwargs={"pk": application.pk}),
            action="Décider",
            detail=f"appel « {application.call.title} »",
            is_demo=application.is_demo,
        )
        for application in candidates.order_by("call__deadline", "number")
        if perms.can_decide_application(user, application)
    ]


def _drafts(user) -> list[Task]:
    """The association's draft candidatures, due by their call's deadline."""
    drafts = (
        Application.objects.filter(perms.member_applications_q(user), status=ApplicationStatus.DRAFT)
        .select_related("call", "organisation")
        .order_by("call__deadline", "number")
    )
    return [
        Task(
            kind="application_drafts",
            title=_application_title(application),
            url=application.get_absolute_url(),
            action="Compléter et déposer",
            due_on=timezone.localdate(application.call.deadline),
            detail=f"appel « {application.call.title} », date limite de dépôt",
            is_demo=application.is_demo,
        )
        for application in drafts
        if perms.can_submit_application(user, application)
    ]


def _reports_to_file(user, followed, today: date) -> list[Task]:
    """The association's financial reports outstanding and not filed (`grants.schedule`): due on 30 June of the
    following year (loi n° 2000-321, art. 10)."""
    tasks = []
    for row in schedule.outstanding(followed, today):
        if row.filed:
            continue
        tasks.append(
            Task(
                kind="grant_reports_to_file",
                title=f"Compte rendu {row.year} – {row.agreement.number} – {row.agreement.application.project_title}",
                url=reverse("grants:report", kwargs={"pk": row.agreement.pk, "year": row.year}),
                action="Déposer",
                due_on=row.due_on,
                detail=row.get_state_display().lower(),
                is_demo=row.agreement.is_demo,
            )
        )
    return tasks


def _agreements_with_rules(user, followed):
    return [
        agreement
        for agreement in followed.select_related(
            "application__call__region", "application__organisation", "application__territory__departement"
        ).order_by("number")
        if perms.can_record_payment(user, agreement)
    ]


def _payments(user, followed, today: date) -> list[Task]:
    """The years of a grant, up to the current one, of which something may be paid now (what remains, or the rest
    of the advance while the previous report is not validated: `grants.services.payments`)."""
    agreements = {agreement.pk: agreement for agreement in _agreements_with_rules(user, followed)}
    if not agreements:
        return []
    years = defaultdict(list)
    for row in GrantYear.objects.filter(agreement__in=list(agreements)).order_by("year"):
        years[row.agreement_id].append(row)
    paid = {
        (row["agreement"], row["year"]): row["total"]
        for row in Payment.objects.filter(agreement__in=list(agreements))
        .values("agreement", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    validated = defaultdict(set)
    for agreement_id, year in GrantReport.objects.filter(
        agreement__in=list(agreements), status=ReportStatus.VALIDATED
    ).values_list("agreement", "year"):
        validated[agreement_id].add(year)
    share = rules.advance_share()
    tasks = []
    for agreement_id, rows in years.items():
        agreement = agreements[agreement_id]
        grant_years = {row.year for row in rows}
        for row in rows:
            if row.year > today.year:
                continue
            awaited = awaited_report(row.year, grant_years, validated[agreement_id])
            follow_up = GrantYearFollowUp(
                year=row.year,
                amount=row.amount,
                paid=paid.get((agreement_id, row.year)) or ZERO,
                report=None,
                awaited_report=awaited,
                advance_cap=rules.advance_cap(row.amount, share) if awaited is not None else None,
                today=today,
            )
            if follow_up.payable <= 0:
                continue
            what = "avance" if awaited is not None else "solde"
            tasks.append(
                Task(
                    kind="grant_payments",
                    title=f"Subvention {row.year} – {agreement.number} – {agreement.application.project_title}",
                    url=reverse("grants:payment_create", kwargs={"pk": agreement.pk}),
                    action="Enregistrer un versement",
                    detail=f"{what} versable : {formatting.euros(follow_up.payable)}",
                    is_demo=agreement.is_demo,
                )
            )
    return tasks


def _reports_to_review(user, followed) -> list[Task]:
    """The filed financial reports of the grants the commissioner or the DDETS follows (`perms.can_review_report`)."""
    reports = (
        GrantReport.objects.filter(agreement__in=followed, status=ReportStatus.SUBMITTED)
        .select_related(
            "agreement__application__call__region",
            "agreement__application__organisation",
            "agreement__application__territory__departement",
        )
        .order_by("submitted_at", "pk")
    )
    return [
        Task(
            kind="grant_reports_to_review",
            title=f"Compte rendu {report.year} – {report.agreement.number} – "
            f"{report.agreement.application.project_title}",
            url=report.get_absolute_url(),
            action="Examiner",
            detail=f"déposé le {formatting.date(timezone.localdate(report.submitted_at))}"
            if report.submitted_at
            else "déposé",
            is_demo=report.is_demo,
        )
        for report in reports
        if perms.can_review_report(user, report)
    ]
