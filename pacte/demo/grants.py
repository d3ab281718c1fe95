"""Demo calls for projects in Pays de la Loire (data/grants.yaml), loaded after the accounts demo, in demo mode.

The figures the seed declares for 2019-2023 are kept as declared figures with their source (grants has no
service for them: they are written here, update_or_create on région + period). Everything else goes through
the grants services, dated as the story goes (`now=`), so every rule applies: the 2024 call decided, with its
conventions, payments and report; the call of the current campaign under instruction; the next campaign's call,
open on the day of the load. Repeatable: a call whose reference already exists is left as it is, with what demo
users did since.

The call under instruction is dated from the day of the load, like the meetings of the governance demo
(`pacte.demo.calendar`): opened, closed, answered and reviewed a number of days before that day, always on
working days, so that it reads « en instruction » a few weeks after its deadline, whatever the day the demo
is loaded; its year is the year of its deadline, and the open call funds the year after it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from pydantic import Field, model_validator

from pacte.demo import calendar, files
from pacte.demo.common import DemoTerritory, require_demo_mode, territory, territory_of, user
from pacte.demo.files import Spec
from pacte.grants import schedule, services
from pacte.grants.enums import AwardAct, FundingStatus
from pacte.grants.models import Application, CallForProjects, DeclaredFigure, GrantAgreement
from pacte.programme.models import Axis
from pacte.territories.enums import Level

DATA_FILE = "grants.yaml"
PARIS = ZoneInfo("Europe/Paris")
NOON = datetime.time(12)
OPENING_TIME = datetime.time(9)  # of the call open on the day of the load


# --- The format of data/grants.yaml ----------------------------------------------------------------------


class Figure(Spec):
    period_start: int
    period_end: int
    amount: Decimal
    project_count: int
    label: str


class DeclaredFigures(Spec):
    region: str
    source_file: str
    source_excerpt: str
    figures: list[Figure]


class CriterionSpec(Spec):
    label: str
    weight: int
    max_score: int


class ProjectIndicatorSpec(Spec):
    label: str
    unit: str
    target: Decimal


class EveryCall(Spec):
    commissioner: str
    description: str
    eligibility: str
    max_amount_per_year: Decimal
    funder_siret_prefix: str
    published_days_before_opening: int
    criteria: list[CriterionSpec]
    indicator: ProjectIndicatorSpec
    review_comment: str


def _one_date(day: datetime.date | None, in_days: int | None, what: str) -> None:
    if (day is None) == (in_days is None):
        raise ValueError(f"{what} (une date) ou {what}_in_days (un nombre de jours), l'un des deux")


def _on(day: datetime.date | None, in_days: int | None, today: datetime.date) -> datetime.date:
    """A fixed date, or the working day `in_days` days from `today` (negative: before it)."""
    return day if in_days is None else calendar.working_day_in(today, in_days)


class ReviewSpec(Spec):
    reviewer: str
    marks: list[int]
    day: datetime.date | None = None
    in_days: int | None = None  # relative to the day of the load, negative: before it

    @model_validator(mode="after")
    def _dated(self):
        if (self.day is None) == (self.in_days is None):
            raise ValueError("day (une date) ou in_days (un nombre de jours), l'un des deux")
        return self


class GrantDecisionSpec(Spec):
    selected: bool
    motivation: str
    day: datetime.date
    granted: dict[int, Decimal] = {}
    signed_on: datetime.date | None = None
    reference: str = ""
    act: AwardAct = AwardAct.CONVENTION  # an arrêté attributif for one year at most 23 000 €


class ApplicationSpec(Spec):
    title: str
    applicant: str  # username of an association account of accounts.yaml
    territory: DemoTerritory
    summary: str
    axis: int
    amounts: dict[int, Decimal] | list[Decimal]  # by year, or by year from the call's first year
    siret_prefix: Annotated[str, Field(pattern=r"^\d{13}$")]
    submitted: datetime.date | None = None
    submitted_in_days: int | None = None
    cofunding: str
    reviews: list[ReviewSpec] = []
    decision: GrantDecisionSpec | None = None

    @model_validator(mode="after")
    def _dated(self):
        _one_date(self.submitted, self.submitted_in_days, "submitted")
        return self

    def yearly(self, first_year: int) -> dict[int, Decimal]:
        if isinstance(self.amounts, dict):
            return dict(self.amounts)
        return {first_year + index: amount for index, amount in enumerate(self.amounts)}


class PaymentSpec(Spec):
    application: str
    year: int
    amount: Decimal
    paid_on: datetime.date
    by: str


class GrantReportSpec(Spec):
    application: str
    year: int
    narrative: str
    amount_spent: Decimal
    indicator_value: Decimal
    submitted: datetime.date
    submitted_by: str
    reviewer: str
    validated: datetime.date


class Step(Spec):
    payment: PaymentSpec | None = None
    report: GrantReportSpec | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.payment is None) == (self.report is None):
            raise ValueError("payment ou report, l'un des deux")
        return self


class CallSpec(Spec):
    title: str  # « {year} » is replaced by the call's year
    year: int | None = None  # by default the year of the deadline
    opens: datetime.date | None = None
    opens_in_days: int | None = None
    deadline: datetime.date | None = None
    deadline_in_days: int | None = None
    max_years: int
    budget: Decimal
    reviewers: list[str]
    applications: list[ApplicationSpec] = []
    after_decisions: list[Step] = []

    @model_validator(mode="after")
    def _dated(self):
        _one_date(self.opens, self.opens_in_days, "opens")
        _one_date(self.deadline, self.deadline_in_days, "deadline")
        dated = self.opens_in_days is not None or self.deadline_in_days is not None
        fixed_steps = any(application.decision for application in self.applications) or self.after_decisions
        if dated and fixed_steps:
            raise ValueError("un appel daté du jour du chargement n'a ni décision ni suite (after_decisions)")
        return self

    def opens_on(self, today: datetime.date) -> datetime.date:
        return _on(self.opens, self.opens_in_days, today)

    def deadline_on(self, today: datetime.date) -> datetime.date:
        return _on(self.deadline, self.deadline_in_days, today)

    def year_on(self, today: datetime.date) -> int:
        return self.year if self.year is not None else self.deadline_on(today).year


class OpenCall(Spec):
    title: str
    earliest_year: int
    opened_days_ago: int
    days_left: int
    max_years: int
    budget: Decimal
    reviewers: list[str]


class GrantsFile(Spec):
    declared_figures: DeclaredFigures
    every_call: EveryCall
    calls: list[CallSpec]
    open_call: OpenCall


# --- Loading ---------------------------------------------------------------------------------------------


@dataclass
class GrantsDemoReport:
    calls: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    applications: int = 0
    agreements: int = 0
    declared: int = 0

    def summary(self) -> str:
        created = ", ".join(self.calls) or "aucun"
        kept = f" ; déjà présents, laissés tels quels : {', '.join(self.skipped)}" if self.skipped else ""
        return (
            f"Appels à projets créés : {created}{kept}. Candidatures : {self.applications}, conventions : "
            f"{self.agreements} (données fictives). Chiffres déclarés 2019-2023 : {self.declared}."
        )


def at(day: datetime.date, clock: datetime.time = NOON) -> datetime.datetime:
    return datetime.datetime.combine(day, clock, PARIS)


def fictitious_siret(prefix: str) -> str:
    """The prefix followed by the one digit that makes a valid SIRET (Luhn key)."""
    return next(prefix + last for last in "0123456789" if services.siret_problem(prefix + last) is None)


class GrantsLoader:
    def __init__(self, report: GrantsDemoReport, document: GrantsFile, today: datetime.date):
        self.report = report
        self.every = document.every_call
        self.today = today
        self.commissioner = user(self.every.commissioner)

    def declared(self, spec: DeclaredFigures) -> None:
        region = territory(Level.REGION, spec.region)
        for figure in spec.figures:
            DeclaredFigure.objects.update_or_create(
                region=region,
                period_start=figure.period_start,
                period_end=figure.period_end,
                defaults={
                    "amount": figure.amount,
                    "project_count": figure.project_count,
                    "label": figure.label,
                    "source_file": spec.source_file,
                    "source_excerpt": spec.source_excerpt,
                },
            )
            self.report.declared += 1

    def call(self, title: str, year: int, opens_at, deadline, *, max_years: int, budget: Decimal):
        every = self.every
        data = services.CallData(
            title=title,
            description=every.description,
            eligibility=every.eligibility,
            total_budget=budget,
            max_amount_per_year=every.max_amount_per_year,
            first_year=year,
            max_years=max_years,
            opens_at=opens_at,
            deadline=deadline,
            funder_siret=fictitious_siret(every.funder_siret_prefix),
            axis_ids=list(Axis.objects.values_list("pk", flat=True)),
            criteria=[services.CriterionRow(**criterion.model_dump()) for criterion in every.criteria],
        )
        call = services.create_call(self.commissioner, data, is_demo=True)
        published = opens_at - datetime.timedelta(days=every.published_days_before_opening)
        return services.publish_call(call, self.commissioner, now=published)

    def apply(self, call, spec: ApplicationSpec) -> Application:
        applicant = user(spec.applicant)
        amounts = spec.yearly(call.first_year)
        requested = sum(amounts.values(), Decimal("0"))
        indicator = self.every.indicator
        data = services.ApplicationData(
            project_title=spec.title,
            summary=spec.summary,
            axis_id=Axis.objects.get(number=spec.axis).pk,
            territory_id=territory_of(spec.territory).pk,
            total_cost=requested * 2,
            contact_name=applicant.get_full_name(),
            contact_email=applicant.email,
            siret=fictitious_siret(spec.siret_prefix),
            amounts=amounts,
            cofundings=[services.CoFundingRow(spec.cofunding, requested // 2, FundingStatus.ACQUIRED)],
            indicators=[services.ProjectIndicatorRow(indicator.label, indicator.unit, indicator.target)],
        )
        now = at(_on(spec.submitted, spec.submitted_in_days, self.today))
        application = services.save_application(call, applicant, data, now=now, is_demo=True)
        if spec.submitted_in_days is not None:
            self.file_overdue_reports(application.organisation_id, applicant, now.date())
        return services.submit_application(application, applicant, now=now)

    def file_overdue_reports(self, organisation_id: int, applicant, day: datetime.date) -> None:
        """Before a candidature dated from the day of the load, the association files the financial reports of
        its past grants due by then (form CERFA n° 15059*02: the report comes « avant toute nouvelle demande »,
        `schedule.overdue`), each ten days before its due date; they await the DDETS's review."""
        indicator = self.every.indicator
        for row in schedule.overdue(organisation_id, day):
            filed_on = calendar.working_day_on_or_before(row.due_on - datetime.timedelta(days=10))
            report = row.report or services.open_report(row.agreement, row.year, is_demo=True)
            granted = row.agreement.years.get(year=row.year).amount
            services.save_report(
                report,
                narrative=f"Compte rendu {row.year} de l'action (donnée fictive).",
                amount_spent=granted * 2,
                values={row.agreement.application.indicators.get().pk: indicator.target},
            )
            services.submit_report(report, applicant, now=at(filed_on))

    def review(self, application: Application, spec: ReviewSpec) -> None:
        criteria = list(application.call.criteria.all())
        services.save_review(
            Application.objects.get(pk=application.pk),
            user(spec.reviewer),
            scores={c.pk: services.ScoreRow(mark, "") for c, mark in zip(criteria, spec.marks, strict=True)},
            comment=self.every.review_comment,
            no_conflict_declared=True,
            submit=True,
            now=at(_on(spec.day, spec.in_days, self.today)),
        )

    def decide(self, application: Application, spec: GrantDecisionSpec) -> None:
        extra = {}
        if spec.selected:
            extra = {
                "granted": dict(spec.granted),
                "signed_on": spec.signed_on,
                "decision_reference": spec.reference,
                "act": spec.act,
                "is_demo": True,
            }
        services.decide_application(
            Application.objects.get(pk=application.pk),
            self.commissioner,
            selected=spec.selected,
            motivation=spec.motivation,
            now=at(spec.day),
            **extra,
        )
        self.report.agreements += spec.selected

    def step(self, applications: dict[str, Application], spec: Step) -> None:
        if spec.payment:
            payment = spec.payment
            agreement = GrantAgreement.objects.get(application=applications[payment.application])
            services.record_payment(
                agreement, user(payment.by), year=payment.year, amount=payment.amount, paid_on=payment.paid_on
            )
            return
        plan = spec.report
        agreement = GrantAgreement.objects.get(application=applications[plan.application])
        report = services.open_report(agreement, plan.year, is_demo=True)
        indicator = agreement.application.indicators.get()
        services.save_report(
            report,
            narrative=plan.narrative,
            amount_spent=plan.amount_spent,
            values={indicator.pk: plan.indicator_value},
        )
        services.submit_report(report, user(plan.submitted_by), now=at(plan.submitted))
        services.review_report(report, user(plan.reviewer), validate=True, now=at(plan.validated))

    def story(self, spec: CallSpec) -> None:
        """A call of the story: opened, answered, closed at its deadline, reviewed, decided, followed up."""
        year, deadline = spec.year_on(self.today), spec.deadline_on(self.today)
        opens_at = at(spec.opens_on(self.today), OPENING_TIME if spec.opens is None else NOON)
        call = self.call(
            spec.title.format(year=year),
            year,
            opens_at,
            at(deadline),
            max_years=spec.max_years,
            budget=spec.budget,
        )
        applications = {application.title: self.apply(call, application) for application in spec.applications}
        if deadline < self.today:
            services.close_call(call, self.commissioner, now=at(deadline))
        for username in spec.reviewers:
            services.assign_reviewer(call, user(username), by=self.commissioner)
        for application in spec.applications:
            for review in application.reviews:
                self.review(applications[application.title], review)
        for application in spec.applications:
            if application.decision:
                self.decide(applications[application.title], application.decision)
        for step in spec.after_decisions:
            self.step(applications, step)
        self.report.calls.append(call.reference)
        self.report.applications += len(spec.applications)

    def open_call(self, spec: OpenCall, year: int) -> None:
        opens = at(calendar.working_day_in(self.today, -spec.opened_days_ago), OPENING_TIME)
        deadline = at(calendar.working_day_in(self.today, spec.days_left))
        call = self.call(
            spec.title.format(year=year), year, opens, deadline, max_years=spec.max_years, budget=spec.budget
        )
        for username in spec.reviewers:
            services.assign_reviewer(call, user(username), by=self.commissioner)
        self.report.calls.append(call.reference)


def _exists(report: GrantsDemoReport, year: int) -> bool:
    reference = f"AAP-52-{year}"
    if CallForProjects.objects.filter(reference=reference).exists():
        report.skipped.append(reference)
        return True
    return False


@transaction.atomic
def load_grants_demo(today: datetime.date | None = None, path: Path | str = DATA_FILE) -> GrantsDemoReport:
    require_demo_mode()
    document, _ = files.read(path, GrantsFile)
    today = today or timezone.localdate()
    report = GrantsDemoReport()
    loader = GrantsLoader(report, document, today)
    loader.declared(document.declared_figures)
    for spec in document.calls:
        if not _exists(report, spec.year_on(today)):
            loader.story(spec)
    # The next campaign's call: it funds the year after the calls of the story.
    story_years = [spec.year_on(today) for spec in document.calls]
    year = max(document.open_call.earliest_year, today.year, max(story_years, default=0) + 1)
    if not _exists(report, year):
        loader.open_call(document.open_call, year)
    return report
