"""Reads of the appels à projets shared by the pages and the API: the calls a user sees, the computed status as
a filter, the candidatures a user lists or follows, a call's filed and selected candidatures, the yearly
follow-up of a grant (advance, balance, report due date), what an attribuant grants an association each year
(the convention threshold) and the reports due or late. Who sees what is decided by `perms`; these functions
only read."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from pacte.core.enums import ReportStatus
from pacte.grants import opendata, perms, rules, schedule
from pacte.grants.enums import ApplicationStatus, CallStatus, ReviewStatus
from pacte.grants.models import (
    Application,
    CallForProjects,
    GrantAgreement,
    GrantReport,
    GrantYear,
    Review,
    ReviewerAssignment,
)
from pacte.grants.services.common import ZERO
from pacte.grants.services.decisions import granted_to_beneficiary
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
    projects included; another association's draft never), latest call first."""
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


def with_beneficiary_peak(agreements):
    """`agreements` annotated with `beneficiary_peak`: over the years of each grant, the highest total that its
    attribuant (the call's owner) grants its association that year, all calls together; above 23 000 € a
    convention is required (`rules.needs_convention`)."""
    same_year = (
        GrantYear.objects.filter(
            year=OuterRef("year"),
            agreement__application__organisation_id=OuterRef("agreement__application__organisation_id"),
            agreement__application__call__owner_id=OuterRef("agreement__application__call__owner_id"),
        )
        .order_by()
        .values("year")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    peak = (
        GrantYear.objects.filter(agreement=OuterRef("pk"))
        .annotate(total=Subquery(same_year))
        .order_by("-total")
        .values("total")[:1]
    )
    return agreements.annotate(beneficiary_peak=Subquery(peak))


def public_agreements(*, call: int | None = None, region: str | None = None, year: int | None = None):
    """The public decided grants (the open data set, `opendata.published_agreements`) with their yearly
    amounts, of one call, one région (INSEE code) or funding one year when asked, each with its
    `beneficiary_peak` (`with_beneficiary_peak`)."""
    agreements = with_beneficiary_peak(
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
    """One year of a grant: granted, paid, what remains, its report and the day it is due, and the year whose
    validated report the balance still waits for (None when nothing is awaited: then `advance_cap` is None and
    all that remains may be paid)."""

    year: int
    amount: Decimal
    paid: Decimal
    report: GrantReport | None
    awaited_report: int | None
    advance_cap: Decimal | None
    today: date

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.paid

    @property
    def payable(self) -> Decimal:
        """What may be paid now: the rest of the advance while a report is awaited, else all that remains."""
        if self.advance_cap is None:
            return self.remaining
        return max(min(self.advance_cap - self.paid, self.remaining), ZERO)

    @property
    def due_on(self) -> date:
        return rules.report_due_on(self.year)

    @property
    def report_late(self) -> bool:
        filed = self.report is not None and self.report.status in schedule.FILED
        return not filed and self.today > self.due_on


def follow_up(agreement: GrantAgreement, today: date | None = None) -> list[GrantYearFollowUp]:
    """The yearly follow-up of a grant (payments, advance and reports), in the order of its years."""
    today = today or timezone.localdate()
    years = list(agreement.years.all())
    paid = dict(agreement.payments.values("year").annotate(total=Sum("amount")).values_list("year", "total"))
    reports = {report.year: report for report in agreement.reports.all()}
    grant_years = {row.year for row in years}
    validated = {year for year, report in reports.items() if report.status == ReportStatus.VALIDATED}
    share = rules.advance_share()
    rows = []
    for row in years:
        awaited = awaited_report(row.year, grant_years, validated)
        rows.append(
            GrantYearFollowUp(
                year=row.year,
                amount=row.amount,
                paid=paid.get(row.year, ZERO),
                report=reports.get(row.year),
                awaited_report=awaited,
                advance_cap=rules.advance_cap(row.amount, share) if awaited is not None else None,
                today=today,
            )
        )
    return rows


def beneficiary_totals(agreement: GrantAgreement) -> dict[int, Decimal]:
    """For each year of the grant, what its attribuant grants its association that year, all calls together
    (this grant included)."""
    application = agreement.application
    return granted_to_beneficiary(
        application.organisation_id, application.call.owner_id, [row.year for row in agreement.years.all()]
    )


def already_granted(application: Application) -> dict[int, Decimal]:
    """For each year asked by a candidature, what the call's attribuant already grants the association that
    year through other grants (shown where the decision is taken, beside the 23 000 € threshold)."""
    return granted_to_beneficiary(
        application.organisation_id,
        application.call.owner_id,
        [row.year for row in application.amounts.all()],
        exclude=application,
    )


def reports_due(user, today: date | None = None) -> list[schedule.ReportDue]:
    """The outstanding reports (years ended, not validated) of the grants `user` follows, oldest first."""
    agreements = GrantAgreement.objects.filter(perms.followed_agreements_q(user))
    return schedule.outstanding(agreements, today or timezone.localdate())


def reminders(agreement: GrantAgreement):
    """The e-mail reminders sent about the reports of a grant, latest first."""
    return agreement.reminders.order_by("-sent_at")


def payments(agreement: GrantAgreement):
    """The payments of a convention with who recorded them."""
    return agreement.payments.select_related("recorded_by")


def report_indicators(report: GrantReport) -> list[tuple]:
    """Each indicator of the project with the value the report gives it (None when not given)."""
    values = {value.indicator_id: value.value for value in report.values.all()}
    return [
        (indicator, values.get(indicator.pk)) for indicator in report.agreement.application.indicators.all()
    ]
