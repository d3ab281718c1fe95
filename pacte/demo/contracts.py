"""Demo contracts: the Pays de la Loire conventions 2024-2027 as they stand in summer 2026, and one overseas
convention, La Réunion's (data/contracts.yaml).

National steering first notifies each collectivité's annual ceilings per envelope (`services.allocations`) and
sets the due date of the 2024 reports (`services.execution.set_report_campaign`). Then the conventions are
drafted, negotiated and signed: the solidarités contracts of the départements (axes 1, 3 and 4), the France
Travail convention of Loire-Atlantique (axis 2, its volets and years), the single global convention of the
Sarthe, the contract of Nantes Métropole (the four axes, with a signed avenant n°1); then the State credits of
2024 and 2025, the 2024 execution reports at every step of their workflow (validated, filed late, sent back,
draft), the campaign current on the day of the load (`story.current_campaign`: the reports of the year before,
drafts to file and Loire-Atlantique's filed, to review; the years between validated), the joint mid-term evaluation of Loire-Atlantique (filed and closed by the DDETS) and a draft one in
Vendée, and the pacte local of Loire-Atlantique with the regional envelope of the pactes locaux
(`pacte.demo.pacts`).

Every row goes through the services, so every rule applies (parity on each action-year, the axes and measures
of each kind, the units of the national targets, reinforced actions above their baseline, the notified
ceilings): data that break one fail loudly (DemoDataError) and nothing is written. Rows are flagged `is_demo`
("donnée fictive"); the signatories are fictitious people. Loaded after the accounts demo, in demo mode only.
Repeatable: a row that already exists under its natural key (collectivité + envelope + year for a ceiling,
year for the campaign, collectivité + kind for a convention, convention + amendment number for an avenant,
convention + year for credits and reports, convention for the evaluation) is left as it is, including what demo
users changed since; the demo loads nothing for a collectivité that has a real convention.
"""

import datetime
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from pacte.contracts import kinds, services
from pacte.contracts.enums import (
    PERIOD_START,
    ContractKind,
    Envelope,
    EvaluationSide,
    Funder,
    IndicatorUnit,
    MidTermStatus,
)
from pacte.contracts.models import (
    Action,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    MidTermEvaluation,
    NotifiedAllocation,
)
from pacte.contracts.services import allocations, evaluation, execution
from pacte.core.enums import ReportStatus
from pacte.demo import calendar, files, pacts
from pacte.demo.common import (
    DemoDataError,
    LoadReport,
    checked,
    require_demo_mode,
    territory,
    user,
)
from pacte.demo.contract_specs import (
    ActionSpec,
    ContractsFile,
    ConventionSpec,
    CreditDates,
    ReportPlan,
    amendment_action,
    convention_actions,
)
from pacte.programme.models import Measure, Target
from pacte.territories.collectivites import collectivite_for

__all__ = ["ContractsDemoReport", "DemoDataError", "load_contracts_demo"]

DATA_FILE = "contracts.yaml"
THOUSAND = Decimal("1000")
# The negotiation ends a few weeks before the signature: days before it that each step happened.
SUBMITTED_BEFORE, LOCAL_VALIDATION_BEFORE, STATE_VALIDATION_BEFORE = 42, 10, 7


@dataclass
class ContractsDemoReport(LoadReport):
    skipped: list[str] = field(default_factory=list)

    LABELS: ClassVar = (
        ("plafonds", "plafond notifié", "plafonds notifiés"),
        ("campagnes", "campagne de rapports", "campagnes de rapports"),
        ("conventions", "convention", "conventions"),
        ("avenants", "avenant", "avenants"),
        ("fiches", "fiche-action", "fiches-actions"),
        ("credits", "année de crédits", "années de crédits"),
        ("rapports", "rapport d'exécution", "rapports d'exécution"),
        ("evaluations", "évaluation à mi-parcours", "évaluations à mi-parcours"),
        ("enveloppes", "enveloppe des pactes locaux", "enveloppes des pactes locaux"),
        ("pactes", "pacte local", "pactes locaux"),
        ("actions_pacte", "action de pacte local", "actions de pactes locaux"),
    )
    CREATED: ClassVar = "Contrats de démonstration chargés (données fictives)"
    NOTHING: ClassVar = "Aucun contrat de démonstration à charger."

    def lines(self) -> list[str]:
        lines = super().lines()
        if self.skipped:
            lines.append(
                "Contrats réels conservés, sans données de démonstration : " + ", ".join(self.skipped) + "."
            )
        return lines


@dataclass(frozen=True)
class Convention:
    """A convention of the file with its fiches-actions expanded."""

    spec: ConventionSpec
    actions: list[ActionSpec]
    amendment_action: ActionSpec | None


def _read(path: Path | str) -> tuple[ContractsFile, list[Convention]]:
    document, file = files.read(path, ContractsFile)
    conventions = [
        Convention(
            spec,
            convention_actions(file, document, index),
            amendment_action(file, document, index) if spec.amendment else None,
        )
        for index, spec in enumerate(document.conventions)
    ]
    return document, conventions


def _check_referentiel(conventions: list[Convention]) -> tuple[dict[str, Measure], dict[str, Target]]:
    specs = [
        *(spec for convention in conventions for spec in convention.actions),
        *(convention.amendment_action for convention in conventions if convention.amendment_action),
    ]
    codes = {code for spec in specs for code in spec.measures}
    measures = {measure.code: measure for measure in Measure.objects.filter(code__in=codes)}
    target_codes = {
        indicator.national_target
        for spec in specs
        for indicator in spec.indicators
        if indicator.national_target
    }
    targets = {target.code: target for target in Target.objects.filter(code__in=target_codes)}
    missing = sorted((codes - measures.keys()) | (target_codes - targets.keys()))
    if missing:
        raise ImproperlyConfigured(
            f"Le référentiel national est absent ou incomplet ({', '.join(missing)} introuvables) : "
            "chargez-le d'abord (pacte load_referentiel)."
        )
    return measures, targets


def _moment(day: date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _per_year(values: list[int], years: tuple[int, ...], what: str) -> list[tuple[int, int]]:
    """The values of an action's years (the list gives one a year from 2024)."""
    if len(values) < len(years):
        raise DemoDataError(
            f"Les données de démonstration sont incomplètes ({what}) : {len(years)} valeurs attendues "
            f"({', '.join(map(str, years))}), {len(values)} données."
        )
    return list(zip(years, values, strict=False))


def _budget_rows(spec: ActionSpec, years: tuple[int, ...]) -> list[services.BudgetRow]:
    """Whole thousands of euros: each co-funder takes its share of the cost rounded down; of the rest, the State
    takes its share rounded down and the collectivité the remainder, so the State never puts in more than the
    collectivité where its share is at most a half (parity)."""
    rows = []
    for year, cost in _per_year(spec.yearly_cost, years, f"coût de « {spec.title} »"):
        others = [
            (cofunder.name, (Decimal(cost) * cofunder.share).to_integral_value(ROUND_FLOOR))
            for cofunder in spec.cofunders
        ]
        rest = Decimal(cost) - sum((amount for _, amount in others), Decimal(0))
        state = (rest * spec.state_share).to_integral_value(ROUND_FLOOR)
        rows.append(services.BudgetRow(year=year, funder=Funder.STATE, amount=state * THOUSAND))
        rows.append(services.BudgetRow(year=year, funder=Funder.LOCAL, amount=(rest - state) * THOUSAND))
        rows += [
            services.BudgetRow(year=year, funder=Funder.OTHER, funder_name=name, amount=amount * THOUSAND)
            for name, amount in others
        ]
    return rows


def _action_data(kind: str, spec: ActionSpec, measures: dict[str, Measure], targets: dict[str, Target]):
    axis = measures[spec.measures[0]].axis
    years = kinds.action_years(kind, axis.number, spec.volet)
    return services.ActionData(
        title=spec.title,
        axis_id=axis.pk,
        nature=spec.nature,
        reinforcement=spec.reinforcement,
        volet=spec.volet,
        target_publics=spec.target_publics,
        pilot=spec.pilot,
        partners=spec.partners,
        description=spec.description,
        measure_ids=[measures[code].pk for code in spec.measures],
        indicators=[
            services.IndicatorRow(
                label=indicator.label,
                unit=indicator.unit,
                baseline_value=None if indicator.baseline is None else Decimal(indicator.baseline),
                baseline_year=None if indicator.baseline is None else PERIOD_START - 1,
                national_target_id=targets[indicator.national_target].pk
                if indicator.national_target
                else None,
                is_reinforcement=indicator.reinforcement,
                year_targets={
                    year: Decimal(value)
                    for year, value in _per_year(
                        indicator.targets, years, f"cibles de « {indicator.label} » ({spec.title})"
                    )
                },
            )
            for indicator in spec.indicators
        ],
        budget=_budget_rows(spec, years),
    )


def _negotiate_and_sign(
    version: Contract, convention: ConventionSpec, *, signed_on: date, local_user, state_user
) -> Contract:
    def before(days: int) -> datetime.datetime:
        return _moment(signed_on - datetime.timedelta(days=days))

    services.submit_contract(version, local_user, now=before(SUBMITTED_BEFORE))
    services.validate_contract(version, local_user, side="local", now=before(LOCAL_VALIDATION_BEFORE))
    services.validate_contract(version, state_user, side="state", now=before(STATE_VALIDATION_BEFORE))
    return services.sign_contract(
        version,
        state_user,
        signed_on=signed_on,
        state_signatory=convention.state_signatory,
        local_signatory=convention.local_signatory,
    )


class ContractsLoader:
    """Loads the conventions of the file one by one, each step through the contracts services."""

    def __init__(self, report: ContractsDemoReport, document: ContractsFile, conventions, today: date):
        self.report = report
        self.story = document.story
        self.document = document
        self.conventions = conventions
        self.today = today
        self.measures, self.targets = _check_referentiel(conventions)
        self.steering = user(self.story.national_steering)

    def _data(self, kind: str, spec: ActionSpec) -> services.ActionData:
        return _action_data(kind, spec, self.measures, self.targets)

    # --- What national steering does first ----------------------------------------------------------------

    def ceilings(self, convention: Convention, collectivite) -> None:
        """The annual ceilings of the convention's envelopes, notified before the convention is drafted."""
        for envelope, amount in convention.spec.ceilings.items():
            kind = (
                ContractKind.FRANCE_TRAVAIL if envelope == Envelope.FRANCE_TRAVAIL else convention.spec.kind
            )
            start, end = kinds.period_of(kind)
            for year in range(start, end + 1):
                if NotifiedAllocation.objects.filter(
                    collectivite=collectivite, envelope=envelope, year=year
                ).exists():
                    self.report.kept["plafonds"] += 1
                    continue
                with checked(f"plafond {Envelope(envelope).label} {year} – {collectivite.name}"):
                    allocations.notify_allocation(
                        collectivite,
                        envelope,
                        year,
                        amount=Decimal(amount),
                        notified_on=self.story.allocations_notified_on,
                        user=self.steering,
                        reference=self.story.allocations_reference,
                        is_demo=True,
                    )
                self.report.created["plafonds"] += 1

    def report_campaign(self) -> None:
        """The due date of the reports of the story's year, set before any report opens."""
        year, plan = self.story.report_year, self.story.report_campaign
        if execution.campaign_due_on(year) is not None:
            self.report.kept["campagnes"] += 1
            return
        with checked(f"campagne des rapports {year}"):
            execution.set_report_campaign(year, plan.due_on, self.steering, note=plan.note)
        self.report.created["campagnes"] += 1

    # --- The campaign current on the day of the load ---------------------------------------------------------

    @property
    def current_year(self) -> int | None:
        """The last year that can be reported on the day of the load, when it comes after the story's."""
        year = self.today.year - 1
        if self.story.current_campaign is None or year <= self.story.report_year:
            return None
        return year

    def later_years(self) -> list[int]:
        """The years reported after the story's, up to the current one."""
        current = self.current_year
        return [] if current is None else list(range(self.story.report_year + 1, current + 1))

    def current_campaigns(self) -> None:
        """The due dates of the years after the story's: 31 March of the following year, or for the current
        campaign, once that day has passed, a working day shortly after the load."""
        plan = self.story.current_campaign
        for year in self.later_years():
            if execution.campaign_due_on(year) is not None:
                self.report.kept["campagnes"] += 1
                continue
            due = date(year + 1, 3, 31)
            if year == self.current_year and due <= self.today:
                due = calendar.working_day_in(self.today, plan.due_in_days)
            with checked(f"campagne des rapports {year}"):
                execution.set_report_campaign(year, due, self.steering, note=plan.note)
            self.report.created["campagnes"] += 1

    def current_reports(self, root: Contract, spec: ConventionSpec, local_user, state_user) -> None:
        """The reports of the years after the story's: validated for the years between, and for the current
        one a draft to file, or, for the conventions of `filed`, a report filed and waiting on the DDETS."""
        plan = self.story.current_campaign
        reportable = execution.reported_years(root)
        filed = (
            any(
                (row.territory.level, row.territory.code, row.kind)
                == (spec.party.territory.level, spec.party.territory.code, spec.kind)
                for row in plan.filed
            )
            if plan
            else False
        )
        for year in self.later_years():
            if year not in reportable:
                continue
            if year > self.story.report_year + 1:  # the story gives the credits of its year and the next
                previous = ExecutionReport.objects.filter(
                    contract=root, year=year - 1, status=ReportStatus.VALIDATED
                ).exists()
                dates = CreditDates(
                    year=year,
                    notified_on=date(year, 4, 15),
                    committed_on=date(year, 6, 15),
                    paid_on=date(year, 7, 10),
                )
                self._credit(root, dates, paid=previous)
            if year < self.current_year:
                report_plan = ReportPlan(
                    status=ReportStatus.VALIDATED,
                    assessment=spec.report.assessment,
                    submitted_on=date(year + 1, 3, 1),
                    execution=spec.report.execution,
                )
            elif filed:
                submitted = self.today - datetime.timedelta(days=plan.filed_days_ago)
                report_plan = ReportPlan(
                    status=ReportStatus.SUBMITTED,
                    assessment=spec.report.assessment,
                    submitted_on=max(submitted, execution.report_opens_on(year)),
                    execution=spec.report.execution,
                )
            else:
                report_plan = ReportPlan(
                    status=ReportStatus.DRAFT,
                    assessment=spec.report.assessment,
                    execution=spec.report.execution,
                )
            self._report_of(root, year, report_plan, local_user, state_user)

    # --- A convention ------------------------------------------------------------------------------------

    def convention(self, convention: Convention) -> None:
        spec = convention.spec
        party = spec.party
        place = territory(party.territory.level, party.territory.code)
        collectivite = collectivite_for(place)
        local_user, state_user = user(spec.local_user), user(spec.state_user)
        roots = Contract.objects.filter(collectivite=collectivite, root__isnull=True)
        if roots.filter(is_demo=False).exists():
            self.report.skipped.append(f"{party.name} ({ContractKind(spec.kind).label})")
            return
        self.ceilings(convention, collectivite)
        root = roots.filter(kind=spec.kind).first()
        if root is None:
            with checked(f"contrat {party.name} ({ContractKind(spec.kind).label})"):
                root = self._sign_contract(place, convention, local_user, state_user)
        else:
            self.report.kept["conventions"] += 1
        first_year, next_year = self.story.credits
        self._credit(root, first_year, paid=True)
        self._report(root, spec, local_user, state_user)
        if spec.amendment:
            self._amendment(root, convention, local_user, state_user)
        validated = ExecutionReport.objects.filter(
            contract=root, year=self.story.report_year, status=ReportStatus.VALIDATED
        ).exists()
        self._credit(root, next_year, paid=validated)
        self.current_reports(root, spec, local_user, state_user)
        if spec.evaluation:
            self._evaluation(root, spec, local_user, state_user)

    def _sign_contract(self, place, convention: Convention, local_user, state_user) -> Contract:
        spec = convention.spec
        contract = services.create_contract(place, kind=spec.kind, is_demo=True)
        for action in convention.actions:
            with checked(f"fiche-action « {action.title} »"):
                services.save_action(contract, self._data(spec.kind, action))
        self.report.created["conventions"] += 1
        self.report.created["fiches"] += len(convention.actions)
        return _negotiate_and_sign(
            contract, spec, signed_on=spec.signed_on, local_user=local_user, state_user=state_user
        )

    def _amendment(self, root: Contract, convention: Convention, local_user, state_user) -> None:
        if Contract.objects.filter(root=root, amendment_number=1).exists():
            self.report.kept["avenants"] += 1
            return
        spec, plan = convention.spec, convention.spec.amendment
        change = plan.budget_change
        with checked(f"avenant n°1 – {spec.party.name}"):
            amendment = services.create_amendment(root, local_user, reason=plan.reason)
            action = next(action for action in convention.actions if action.title == change.action)
            data = self._data(spec.kind, action)
            data.budget = [
                replace(row, amount=change.amount)
                if (row.year, row.funder) == (change.year, change.funder)
                else row
                for row in data.budget
            ]
            services.save_action(amendment, data, action=amendment.actions.get(title=change.action))
            services.save_action(amendment, self._data(spec.kind, convention.amendment_action))
            _negotiate_and_sign(
                amendment, spec, signed_on=plan.signed_on, local_user=local_user, state_user=state_user
            )
        self.report.created["avenants"] += 1
        self.report.created["fiches"] += 1

    def _credit(self, root: Contract, dates, *, paid: bool) -> None:
        year = dates.year
        if Credit.objects.filter(contract=root, year=year).exists():
            self.report.kept["credits"] += 1
            return
        version = services.current_version(root)
        requested = BudgetLine.objects.filter(
            action__contract=version, year=year, funder=Funder.STATE
        ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        with checked(f"crédits {year} – {root}"):
            services.record_credit(
                root,
                year,
                notified=requested,
                committed=requested,
                paid=requested if paid else Decimal(0),
                notified_on=dates.notified_on,
                committed_on=dates.committed_on,
                paid_on=dates.paid_on if paid else None,
            )
        self.report.created["credits"] += 1

    def _report(self, root: Contract, spec: ConventionSpec, local_user, state_user) -> None:
        self._report_of(root, self.story.report_year, spec.report, local_user, state_user)

    def _report_of(self, root: Contract, year: int, plan: ReportPlan, local_user, state_user) -> None:
        """The report of `year` at the step `plan` gives, unless it exists."""
        if ExecutionReport.objects.filter(contract=root, year=year).exists():
            self.report.kept["rapports"] += 1
            return
        with checked(f"rapport d'exécution {year} – {root}"):
            report = services.open_report(root, year, today=self.today, is_demo=True)
            actions = report.version.actions.order_by("number")
            actions = list(actions.prefetch_related("indicators__year_targets", "budget_lines"))
            if plan.status == ReportStatus.DRAFT:  # half filled in: the first actions only
                actions = actions[: len(actions) // 2]
            services.save_report(
                report,
                qualitative_assessment=plan.assessment,
                values=self._realised_values(actions, plan.execution, year),
                spendings=self._spendings(actions, plan.execution, year),
            )
            if plan.status == ReportStatus.DRAFT:
                self.report.created["rapports"] += 1
                return
            services.submit_report(report, local_user, now=_moment(plan.submitted_on))
            reviewed_at = _moment(plan.submitted_on + datetime.timedelta(days=self.story.review_delay_days))
            if plan.status == ReportStatus.VALIDATED:
                services.review_report(report, state_user, validate=True, now=reviewed_at)
            elif plan.status == ReportStatus.SENT_BACK:
                services.review_report(
                    report, state_user, validate=False, comment=plan.review_comment, now=reviewed_at
                )
        self.report.created["rapports"] += 1

    @staticmethod
    def _realised_values(actions: list[Action], execution: Decimal, year: int) -> dict[int, Decimal]:
        values = {}
        for action in actions:
            for indicator in action.indicators.all():
                # The target of the year, or of the nearest year the action sets one for.
                targets = sorted(indicator.year_targets.all(), key=lambda t: (abs(t.year - year), -t.year))
                if not targets:
                    continue
                target = targets[0].value
                precision = Decimal("0.1") if indicator.unit == IndicatorUnit.PERCENT else Decimal("1")
                values[indicator.pk] = (target * execution).quantize(precision, ROUND_HALF_UP)
        return values

    @staticmethod
    def _spendings(actions: list[Action], execution: Decimal, year: int) -> list[services.SpendingRow]:
        """Every funder spent the same share of its budget of the year, so parity holds on the spending too."""
        return [
            services.SpendingRow(
                action_id=action.pk,
                funder=line.funder,
                funder_name=line.funder_name,
                amount=(line.amount * execution).quantize(Decimal("1"), ROUND_HALF_UP),
            )
            for action in actions
            for line in action.budget_lines.all()
            if line.year == year
        ]

    def _evaluation(self, root: Contract, spec: ConventionSpec, local_user, state_user) -> None:
        """The joint mid-term evaluation: each side's part on each action (a draft: the collectivité's on the
        first half), the common conclusions, the filing by the collectivité and the closing by the DDETS."""
        if MidTermEvaluation.objects.filter(contract=root).exists():
            self.report.kept["evaluations"] += 1
            return
        plan, dates = spec.evaluation, self.story.evaluation
        written = _moment(dates.written_on)
        with checked(f"évaluation à mi-parcours – {root}"):
            actions = list(services.current_version(root).actions.order_by("number"))
            if plan.status == MidTermStatus.DRAFT:
                actions = actions[: max(len(actions) // 2, 1)]
            sides = [(EvaluationSide.LOCAL, plan.local, local_user)]
            if plan.state is not None:
                sides.append((EvaluationSide.STATE, plan.state, state_user))
            for action in actions:
                for side, part, author in sides:
                    evaluation.save_evaluation_part(
                        root,
                        author,
                        side=side,
                        number=action.number,
                        assessment=part.assessment.format(action=action.title),
                        methods=list(part.methods),
                        method_detail=part.method_detail,
                        now=written,
                    )
                if plan.status != MidTermStatus.DRAFT:
                    conclusion = plan.conclusions.get(action.number, plan.conclusion)
                    evaluation.save_conclusion(
                        root,
                        state_user,
                        number=action.number,
                        conclusion=conclusion.conclusion,
                        note=conclusion.note,
                        now=written,
                    )
            if plan.status != MidTermStatus.DRAFT:
                evaluation.file_evaluation(root, local_user, now=_moment(dates.filed_on))
            if plan.status == MidTermStatus.CLOSED:
                evaluation.close_evaluation(root, state_user, now=_moment(dates.closed_on))
        self.report.created["evaluations"] += 1


@transaction.atomic
def load_contracts_demo(today: date | None = None, path: Path | str = DATA_FILE) -> ContractsDemoReport:
    """Load the contracts of the demo (see the module docstring); `today` is the date the
    demo is loaded on (the reports of 2024 can only be opened once 2024 has begun)."""
    require_demo_mode()
    document, conventions = _read(path)
    today = today or timezone.localdate()
    last_event = document.story.last_event
    if today <= last_event:
        raise ImproperlyConfigured(
            f"La démonstration des contrats décrit leur exécution jusqu'au {last_event:%d/%m/%Y} : elle ne "
            "peut pas être chargée à une date antérieure."
        )
    report = ContractsDemoReport()
    loader = ContractsLoader(report, document, conventions, today)
    loader.report_campaign()
    loader.current_campaigns()
    for convention in conventions:
        loader.convention(convention)
    pacts.load_pact(document, report)
    return report
