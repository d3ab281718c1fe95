"""Demo calls for projects in Pays de la Loire (data/grants.yaml), loaded after the accounts demo, in demo mode.

The figures the seed declares for 2019-2023 are kept as declared figures with their source (grants has no
service for them: they are written here, update_or_create on région + period). Everything else goes through
the grants services, dated as the story goes (`now=`), so every rule applies: the 2024 call decided, with its
conventions, payments and report; the 2025 call under instruction; a call open on the day of the load.
Repeatable: a call whose reference already exists is left as it is, with what demo users did since.
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

from pacte.demo import files
from pacte.demo.common import DemoTerritory, require_demo_mode, territory, territory_of, user
from pacte.demo.files import Spec
from pacte.grants import services
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


class ReviewSpec(Spec):
    reviewer: str
    marks: list[int]
    day: datetime.date


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
    amounts: dict[int, Decimal]
    siret_prefix: Annotated[str, Field(pattern=r"^\d{13}$")]
    submitted: datetime.date
    cofunding: str
    reviews: list[ReviewSpec] = []
    decision: GrantDecisionSpec | None = None


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
    title: str
    year: int
    opens: datetime.date
    deadline: datetime.date
    max_years: int
    budget: Decimal
    reviewers: list[str]
    applications: list[ApplicationSpec] = []
    after_decisions: list[Step] = []


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
        requested = sum(spec.amounts.values(), Decimal("0"))
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
            amounts=dict(spec.amounts),
            cofundings=[services.CoFundingRow(spec.cofunding, requested // 2, FundingStatus.ACQUIRED)],
            indicators=[services.ProjectIndicatorRow(indicator.label, indicator.unit, indicator.target)],
        )
        now = at(spec.submitted)
        application = services.save_application(call, applicant, data, now=now, is_demo=True)
        return services.submit_application(application, applicant, now=now)

    def review(self, application: Application, spec: ReviewSpec) -> None:
        criteria = list(application.call.criteria.all())
        services.save_review(
            Application.objects.get(pk=application.pk),
            user(spec.reviewer),
            scores={c.pk: services.ScoreRow(mark, "") for c, mark in zip(criteria, spec.marks, strict=True)},
            comment=self.every.review_comment,
            no_conflict_declared=True,
            submit=True,
            now=at(spec.day),
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
        call = self.call(
            spec.title,
            spec.year,
            at(spec.opens),
            at(spec.deadline),
            max_years=spec.max_years,
            budget=spec.budget,
        )
        applications = {application.title: self.apply(call, application) for application in spec.applications}
        if at(spec.deadline) < timezone.now():
            services.close_call(call, self.commissioner, now=at(spec.deadline))
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
        opens = at(self.today - datetime.timedelta(days=spec.opened_days_ago), OPENING_TIME)
        deadline = at(self.today + datetime.timedelta(days=spec.days_left))
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
        if not _exists(report, spec.year):
            loader.story(spec)
    year = max(document.open_call.earliest_year, today.year)
    if not _exists(report, year):
        loader.open_call(document.open_call, year)
    return report
