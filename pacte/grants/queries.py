"""Reads of the appels à projets shared by the pages and the API: the calls a user sees, the computed status as
a filter, the candidatures a user lists or follows, a call's filed and selected candidatures, and the yearly
follow-up of a convention. Who sees what is decided by `perms`; these functions only read."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from pacte.core.enums import ReportStatus
from pacte.grants import opendata, perms
from pacte.grants.enums import ApplicationStatus, CallStatus, ReviewStatus
from pacte.grants.models import (
    Application,
    CallForProjects,
    GrantAgreement,
    GrantReport,
    Review,
    ReviewerAssignment,
)
from pacte.grants.services.common import ZERO
from pacte.grants.services.payments import awaited_report

# --- Calls --------------------------------------------------------------------------------------------


def visible_calls(user):
    """The calls `user` may see, latest deadline first, each with `selected_count` (its selected projects)."""
    return (
        CallForProjects.objects.filter(perms.visible_calls_q(user))
        .select_related("region", "owner")
        .annotate(
            selected_count=Count("applications", filter=Q(applications__status=ApplicationStatus.SELECTED))
        )
        .order_by("-deadline", "pk")
    )


def call_status_q(status: str, now=None) -> Q:
    """The computed status (`CallForProjects.effective_status`) as a filter: a published call whose deadline
    passed is closed."""
    now = now or timezone.now()
    if status == CallStatus.PUBLISHED:
        return Q(status=CallStatus.PUBLISHED, deadline__gt=now)
    if status == CallStatus.CLOSED:
        return Q(status=CallStatus.CLOSED) | Q(status=CallStatus.PUBLISHED, deadline__lte=now)
    return Q(status=status)


def filed_applications(call: CallForProjects):
    """The filed candidatures of a call (drafts aside) with their requested amounts and submitted reviews."""
    return (
        call.applications.exclude(status=ApplicationStatus.DRAFT)
        .select_related("organisation", "territory", "axis")
        .prefetch_related(
            "amounts",
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(status=ReviewStatus.SUBMITTED).prefetch_related(
                    "scores__criterion"
                ),
            ),
        )
        .order_by("number")
    )


def selected_applications(call: CallForProjects):
    """The selected projects of a call with their convention and its yearly amounts (public)."""
    return (
        call.applications.filter(status=ApplicationStatus.SELECTED)
        .select_related("organisation", "territory", "agreement")
        .prefetch_related("agreement__years")
        .order_by("number")
    )


def own_applications(user, call: CallForProjects):
    """The candidatures of the user's association to `call`, latest first."""
    return call.applications.filter(perms.member_applications_q(user)).order_by("-pk")


def own_reviews(user, call: CallForProjects) -> dict[int, Review]:
    """The reviews of `user` on the candidatures of `call`, by candidature id (empty for a non-reviewer)."""
    if not perms.is_reviewer_of(user, call):
        return {}
    return {
        review.application_id: review
        for review in Review.objects.filter(reviewer=user, application__call=call)
    }


def assignments(call: CallForProjects):
    """The reviewers assigned to a call, with their organisation."""
    return call.assignments.select_related("reviewer__organisation")


# --- Candidatures -------------------------------------------------------------------------------------


def visible_applications(user):
    """The candidatures `user` may list on the site (`perms.visible_applications_q`: the public selected
    projects included), latest call first."""
    return (
        Application.objects.filter(perms.visible_applications_q(user))
        .distinct()
        .select_related("call", "organisation", "territory")
        .order_by("-call__deadline", "call_id", "number")
    )


def followed_applications(user, *, call: int | None = None, status: str | None = None) -> list[Application]:
    """The candidatures `user` sees in full (`perms.can_see_details`): its association's, and those it
    instructs; the public selected projects of others stay out. Earliest call first."""
    applications = (
        Application.objects.filter(pk__in=Application.objects.filter(perms.visible_applications_q(user)))
        .select_related("call__region", "organisation", "axis", "territory__departement")
        .prefetch_related(
            "amounts",
            Prefetch(
                "call__assignments", queryset=ReviewerAssignment.objects.only("pk", "call_id", "reviewer_id")
            ),
        )
        .order_by("call__deadline", "call_id", "number")
    )
    if call is not None:
        applications = applications.filter(call_id=call)
    if status:
        applications = applications.filter(status=status)
    return [application for application in applications if perms.can_see_details(user, application)]


def own_review(user, application: Application) -> Review | None:
    """The review of `user` on `application` with its scores, if it started one."""
    if not user.is_authenticated:
        return None
    return Review.objects.filter(application=application, reviewer=user).prefetch_related("scores").first()


def submitted_reviews(application: Application) -> list[Review]:
    """The submitted reviews of a candidature with their reviewer and scores."""
    return list(
        application.reviews.filter(status=ReviewStatus.SUBMITTED)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
    )


def with_reviews(application: Application) -> Application:
    """`application` read again with every review and its scores, for `services.evaluations.review_summary`."""
    return Application.objects.prefetch_related(
        Prefetch("reviews", queryset=Review.objects.prefetch_related("scores__criterion"))
    ).get(pk=application.pk)


# --- Conventions --------------------------------------------------------------------------------------


def public_agreements(*, call: int | None = None, region: str | None = None, year: int | None = None):
    """The public decided grants (the open data set, `opendata.published_agreements`) with their yearly
    amounts, of one call, one région (INSEE code) or funding one year when asked."""
    agreements = (
        opendata.published_agreements()
        .select_related("application__axis", "application__territory")
        .prefetch_related("years")
    )
    if call is not None:
        agreements = agreements.filter(application__call_id=call)
    if region:
        agreements = agreements.filter(application__call__region__code=region)
    if year is not None:
        agreements = agreements.filter(pk__in=GrantAgreement.objects.filter(years__year=year))
    return agreements


@dataclass
class GrantYearFollowUp:
    """One year of a convention: granted, paid, what remains, its report, and the year whose validated report
    its payment still waits for (None when nothing is awaited)."""

    year: int
    amount: Decimal
    paid: Decimal
    report: GrantReport | None
    awaited_report: int | None

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.paid


def follow_up(agreement: GrantAgreement) -> list[GrantYearFollowUp]:
    """The yearly follow-up of a convention (payments and reports), in the order of its years."""
    years = list(agreement.years.all())
    paid = dict(agreement.payments.values("year").annotate(total=Sum("amount")).values_list("year", "total"))
    reports = {report.year: report for report in agreement.reports.all()}
    grant_years = {row.year for row in years}
    validated = {year for year, report in reports.items() if report.status == ReportStatus.VALIDATED}
    return [
        GrantYearFollowUp(
            year=row.year,
            amount=row.amount,
            paid=paid.get(row.year, ZERO),
            report=reports.get(row.year),
            awaited_report=awaited_report(row.year, grant_years, validated),
        )
        for row in years
    ]


def payments(agreement: GrantAgreement):
    """The payments of a convention with who recorded them."""
    return agreement.payments.select_related("recorded_by")


def report_indicators(report: GrantReport) -> list[tuple]:
    """Each indicator of the project with the value the report gives it (None when not given)."""
    values = {value.indicator_id: value.value for value in report.values.all()}
    return [
        (indicator, values.get(indicator.pk)) for indicator in report.agreement.application.indicators.all()
    ]
