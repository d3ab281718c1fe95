"""When the yearly financial reports of the grants are due and which are outstanding, shared by the list of
reports due, the agreement's follow-up, the e-mail reminders and the check made before a new application.

The report of year N is due on 30 June N+1, six months after the end of the exercise (loi n° 2000-321, art. 10;
`pacte.grants.rules.report_due_on`). A year is outstanding once it has ended and until its report is validated;
a report is « filed » once deposited (awaiting review or validated); a draft or a report sent back is not."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from pacte.core.enums import ReportStatus
from pacte.grants import rules
from pacte.grants.enums import ReportState
from pacte.grants.models import GrantAgreement, GrantReport, GrantYear, ReportReminder

FILED = (ReportStatus.SUBMITTED, ReportStatus.VALIDATED)


@dataclass
class ReportDue:
    """One year of a grant whose report is outstanding on `today`, with its report (None when not opened) and
    the last reminder sent for it."""

    agreement: GrantAgreement
    year: int
    report: GrantReport | None
    last_reminder: ReportReminder | None
    today: date

    @property
    def due_on(self) -> date:
        return rules.report_due_on(self.year)

    @property
    def filed(self) -> bool:
        return self.report is not None and self.report.status in FILED

    @property
    def late(self) -> bool:
        return not self.filed and self.today > self.due_on

    @property
    def state(self) -> str:
        if self.filed:
            return ReportState.TO_REVIEW
        if self.report is not None and self.report.status == ReportStatus.SENT_BACK:
            return ReportState.SENT_BACK
        return ReportState.LATE if self.late else ReportState.DUE

    def get_state_display(self) -> str:
        return ReportState(self.state).label

    @property
    def reminder_due(self) -> bool:
        """Whether a reminder should go out on `today`: not filed, from a month before the due date, and no
        reminder in the last month."""
        if self.filed or self.today < rules.reminder_from(self.year):
            return False
        if self.last_reminder is None:
            return True
        return timezone.localdate(self.last_reminder.sent_at) <= self.today - timedelta(
            days=rules.REMINDER_DAYS
        )


def outstanding(agreements, today: date) -> list[ReportDue]:
    """The outstanding reports of `agreements` (a queryset of grants) on `today`: years ended and not validated,
    the oldest due first. A fixed number of queries whatever the number of grants."""
    validated = GrantReport.objects.filter(
        agreement=OuterRef("agreement"), year=OuterRef("year"), status=ReportStatus.VALIDATED
    )
    years = list(
        GrantYear.objects.filter(agreement__in=agreements, year__lt=today.year)
        .exclude(Exists(validated))
        .select_related("agreement__application__organisation", "agreement__application__call")
        .order_by("year", "agreement__number")
    )
    agreement_ids = {row.agreement_id for row in years}
    reports = {
        (report.agreement_id, report.year): report
        for report in GrantReport.objects.filter(agreement_id__in=agreement_ids)
    }
    reminders: dict[tuple[int, int], ReportReminder] = {}
    for reminder in ReportReminder.objects.filter(agreement_id__in=agreement_ids).order_by("-sent_at"):
        reminders.setdefault((reminder.agreement_id, reminder.year), reminder)
    return [
        ReportDue(
            agreement=row.agreement,
            year=row.year,
            report=reports.get((row.agreement_id, row.year)),
            last_reminder=reminders.get((row.agreement_id, row.year)),
            today=today,
        )
        for row in years
    ]


def overdue(organisation_id: int, today: date) -> list[ReportDue]:
    """The reports of an association's grants past their due date and not filed: the form CERFA n° 15059*02
    says the financial report « doit obligatoirement être établi, avant toute nouvelle demande »."""
    agreements = GrantAgreement.objects.filter(application__organisation_id=organisation_id)
    return [row for row in outstanding(agreements, today) if row.late]
