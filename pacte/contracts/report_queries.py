"""Reads of the yearly execution reports shared by the pages and the exports: one row per year a convention
reports on, with its due date (the campaign's, set by national steering), lateness, whether it can be opened now
and whether it waits on the State's notified credits. A fixed number of queries whatever the number of years."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from pacte.contracts.enums import Funder
from pacte.contracts.models import BudgetLine, Contract, Credit, ExecutionReport, ReportSpending
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.services.execution import (
    CreditWait,
    campaign_due_dates,
    report_opens_on,
    reported_years,
    waits_on_credits,
)

ZERO = Decimal("0")


@dataclass
class ReportRow:
    year: int
    report: ExecutionReport | None
    due_on: date | None
    is_late: bool
    can_open: bool
    opens_on: date
    credit_wait: CreditWait | None = None

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "Non ouvert"


def report_rows(root: Contract, *, may_open: bool, today: date | None = None) -> list[ReportRow]:
    """One row per year the convention reports on (from the year of its signature; a report kept from before
    that rule too): its report (or none yet), due date, lateness, whether it can be opened now (`may_open`: the
    user may open the convention's reports) and, for a report still being written, whether it waits on the
    notified credits. Five queries."""
    today = today or timezone.localdate()
    reports = {
        report.year: report
        for report in root.reports.select_related("submitted_by", "reviewed_by").order_by("year")
    }
    due_dates = campaign_due_dates()
    waits = _credit_waits([report for report in reports.values() if report.is_editable])
    may_open = may_open and root.is_signed
    rows = []
    for year in sorted(set(reported_years(root)) | set(reports)):
        report = reports.get(year)
        due_on = report.due_on if report else due_dates.get(year)
        rows.append(
            ReportRow(
                year=year,
                report=report,
                due_on=due_on,
                is_late=report.is_late if report else due_on is not None and today > due_on,
                can_open=may_open and report is None and today >= report_opens_on(year),
                opens_on=report_opens_on(year),
                credit_wait=waits.get(year),
            )
        )
    return rows


def _credit_waits(reports: list[ExecutionReport]) -> dict[int, CreditWait]:
    """For each of `reports` (of one convention) that waits on the notified credits, why (three queries)."""
    if not reports:
        return {}
    notified = dict(Credit.objects.filter(contract=reports[0].contract_id).values_list("year", "notified"))
    spent = dict(
        ReportSpending.objects.filter(report__in=reports, funder=Funder.STATE)
        .values("report__year")
        .annotate(total=Sum("amount"))
        .values_list("report__year", "total")
    )
    budgeted = {
        (row["action__contract"], row["year"]): row["total"]
        for row in BudgetLine.objects.filter(
            action__contract__in={report.version_id for report in reports}, funder=Funder.STATE
        )
        .values("action__contract", "year")
        .annotate(total=Sum("amount"))
    }
    waits = {}
    for report in reports:
        wait = waits_on_credits(
            report.year,
            notified.get(report.year, ZERO),
            budgeted.get((report.version_id, report.year), ZERO),
            spent.get(report.year, ZERO),
        )
        if wait is not None:
            waits[report.year] = wait
    return waits


def campaigns() -> list[ReportCampaign]:
    """The campaigns national steering has set, by year, with who set them last."""
    return list(ReportCampaign.objects.select_related("updated_by").order_by("year"))
