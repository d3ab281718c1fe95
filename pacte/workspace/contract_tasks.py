"""The tasks of the contracts: execution reports to file or to review, contracts to submit, validate or sign,
State credits to notify, mid-term evaluations to file or close, report campaigns to set.

Who acts is decided by `pacte.contracts.perms` (each candidate is checked with the rule its page applies); which
contracts are candidates is the set the user follows (`perms.can_follow_contract` in SQL). A fixed number of queries
whatever the number of contracts: the candidates, their reports, credits, evaluations and notified ceilings are
each read once.
"""

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role
from pacte.contracts import kinds, perms
from pacte.contracts.enums import MID_TERM_EVALUATION_DUE, SIGNED_STATUSES, YEARS, MidTermStatus
from pacte.contracts.models import Contract, Credit, ExecutionReport, MidTermEvaluation, NotifiedAllocation
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.services.execution import campaign_due_dates, report_opens_on, reported_years
from pacte.core.enums import ReportStatus
from pacte.formatting import date as date_fr
from pacte.territories.models import Territory
from pacte.workspace.tasks import Task

# The roles that are a party of a contract (the collectivité, the State's services); national steering follows the
# contracts, it does not file, validate, sign or review (`perms.acts_for_state`).
PARTY_ROLES = (Role.LOCAL_AUTHORITY, Role.DDETS, Role.REGIONAL_COMMISSIONER)


def _followed(user):
    """The contract versions `user` follows as a party, with what the rules of `perms` read (no query per row)."""
    scope = perms.followed_contracts_q(user)
    if scope is None:
        return Contract.objects.none()
    return (
        Contract.objects.filter(scope)
        .select_related("territory__departement", "territory__region", "collectivite")
        .prefetch_related(
            Prefetch("collectivite__territories", queryset=Territory.objects.select_related("departement"))
        )
        .order_by("pk")
    )


def contract_tasks(user, today: date) -> list[Task]:
    if not has_role(user, *PARTY_ROLES):
        return []
    contracts = list(_followed(user))
    roots = [
        contract for contract in contracts if contract.root_id is None and contract.status in SIGNED_STATUSES
    ]
    tasks = _contracts_to_act(user, contracts)
    tasks += _reports(user, roots, today)
    tasks += _credits(user, roots, today)
    tasks += _evaluations(user, roots)
    return tasks


def _contracts_to_act(user, contracts) -> list[Task]:
    tasks = []
    for contract in contracts:
        url = contract.get_absolute_url()
        name = str(contract)
        if perms.can_submit_contract(user, contract):
            tasks.append(
                _task("contracts_to_act", f"Soumettre à l'État : {name}", url, "Soumettre", contract)
            )
        elif perms.can_validate_contract(user, contract):
            side = perms.validation_side(user, contract)
            done = contract.local_validated_at if side == "local" else contract.state_validated_at
            if done is None:
                tasks.append(_task("contracts_to_act", f"Valider : {name}", url, "Valider", contract))
        elif perms.can_sign_contract(user, contract):
            tasks.append(
                _task("contracts_to_act", f"Enregistrer la signature : {name}", url, "Signer", contract)
            )
    return tasks


def _convention(root) -> str:
    """« Convention France Travail – Loire-Atlantique »: a collectivité may sign several conventions."""
    return f"{root.kind_name} – {root.signatory_name}"


def _task(kind, title, url, action, contract, **fields) -> Task:
    return Task(kind=kind, title=title, url=url, action=action, is_demo=contract.is_demo, **fields)


def _reports(user, roots, today: date) -> list[Task]:
    """Reports to file (the collectivité: a year over whose report is missing, a draft or sent back) and to
    review (the State's party: filed reports)."""
    if not roots:
        return []
    reports = {
        (report.contract_id, report.year): report
        for report in ExecutionReport.objects.filter(contract__in=[root.pk for root in roots])
    }
    kept_years: dict[int, set[int]] = {}
    for contract_id, year in reports:
        kept_years.setdefault(contract_id, set()).add(year)
    due_dates = campaign_due_dates()
    tasks = []
    for root in roots:
        for year in sorted(set(reported_years(root)) | kept_years.get(root.pk, set())):
            report = reports.get((root.pk, year))
            if report is not None:
                report.contract = root
            name = f"Rapport d'exécution {year} – {_convention(root)}"
            if report is None:
                if today >= report_opens_on(year) and perms.can_open_report(user, root):
                    tasks.append(
                        _task(
                            "contract_reports_to_file",
                            name,
                            reverse("contracts:reports", kwargs={"pk": root.pk}),
                            "Ouvrir le rapport",
                            root,
                            due_on=due_dates.get(year),
                            detail=_campaign_detail(due_dates.get(year)),
                        )
                    )
            elif perms.can_edit_report(user, report):
                sent_back = report.status == ReportStatus.SENT_BACK
                tasks.append(
                    _task(
                        "contract_reports_to_file",
                        name,
                        report.get_absolute_url(),
                        "Compléter et déposer",
                        root,
                        due_on=report.due_on,
                        detail="renvoyé pour corrections" if sent_back else _campaign_detail(report.due_on),
                    )
                )
            elif perms.can_review_report(user, report):
                filed = (
                    f"déposé le {date_fr(timezone.localdate(report.submitted_at))}"
                    if report.submitted_at
                    else "déposé"
                )
                tasks.append(
                    _task(
                        "contract_reports_to_review",
                        name,
                        report.get_absolute_url(),
                        "Examiner",
                        root,
                        detail=filed,
                    )
                )
    return tasks


def _campaign_detail(due_on: date | None) -> str:
    return "" if due_on else "date limite pas encore fixée par le pilotage national"


def _credits(user, roots, today: date) -> list[Task]:
    """The years, from the first the convention reports on to the current one, whose ceiling was notified to the
    collectivité but whose State credits are not recorded for the convention: the DDETS or the commissioner
    notifies them (`perms.can_manage_credits`; national steering follows)."""
    roots = [
        root for root in roots if perms.acts_for_state(user, root) and perms.can_manage_credits(user, root)
    ]
    if not roots:
        return []
    notified = {
        (credit.contract_id, credit.year)
        for credit in Credit.objects.filter(contract__in=[root.pk for root in roots], notified__gt=0)
    }
    ceilings: dict[tuple[int, str, int], object] = {}
    for collectivite_id, envelope, year, amount in NotifiedAllocation.objects.filter(
        collectivite__in={root.collectivite_id for root in roots if root.collectivite_id}
    ).values_list("collectivite", "envelope", "year", "amount"):
        ceilings[(collectivite_id, envelope, year)] = amount
    tasks = []
    for root in roots:
        for year in reported_years(root):
            if year > today.year or (root.pk, year) in notified:
                continue
            ceiling = [
                ceilings.get((root.collectivite_id, envelope, year))
                for envelope in kinds.envelopes_of(root.kind)
            ]
            if not any(ceiling):
                continue  # nothing notified to the collectivité for the year: no credits to notify yet
            tasks.append(
                _task(
                    "credits_to_notify",
                    f"Crédits {year} – {_convention(root)}",
                    reverse("contracts:credit_edit", kwargs={"pk": root.pk, "year": year}),
                    "Notifier",
                    root,
                    detail="plafond notifié à la collectivité, crédits de la convention non enregistrés",
                )
            )
    return tasks


def _evaluations(user, roots) -> list[Task]:
    """The joint mid-term evaluation: each party writes and files it until it is filed (due by its date, 30 June
    2026 by default); the State's party closes a filed one."""
    roots = [root for root in roots if perms.can_write_evaluation(user, root)]
    if not roots:
        return []
    evaluations = {
        evaluation.contract_id: evaluation
        for evaluation in MidTermEvaluation.objects.filter(contract__in=[root.pk for root in roots])
    }
    tasks = []
    for root in roots:
        evaluation = evaluations.get(root.pk)
        url = reverse("contracts:evaluation", kwargs={"pk": root.pk})
        name = f"Évaluation à mi-parcours – {_convention(root)}"
        if evaluation is None or evaluation.status == MidTermStatus.DRAFT:
            due_on = evaluation.due_on if evaluation else MID_TERM_EVALUATION_DUE
            tasks.append(_task("evaluations", name, url, "Rédiger et déposer", root, due_on=due_on))
        elif evaluation.status == MidTermStatus.FILED and perms.can_close_evaluation(user, root):
            tasks.append(_task("evaluations", name, url, "Clôturer", root, detail="déposée, à clôturer"))
    return tasks


def campaign_tasks(user, today: date) -> list[Task]:
    """National steering sets the due date of each year's reports once the year is over."""
    if not perms.can_manage_report_campaigns(user):
        return []
    set_years = set(ReportCampaign.objects.values_list("year", flat=True))
    url = reverse("contracts:report_campaigns")
    return [
        Task(
            kind="report_campaigns",
            title=f"Date limite des rapports d'exécution {year}",
            url=url,
            action="Fixer la date",
            detail=f"les rapports {year} s'ouvrent le {date_fr(report_opens_on(year))}",
        )
        for year in YEARS
        if year not in set_years and today >= report_opens_on(year)
    ]
