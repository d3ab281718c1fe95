"""The execution of a convention: its yearly reports (written and filed by the collectivité, reviewed by the
State), the State credits of each year, and the report campaigns (the due date national steering sets)."""

from datetime import date

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import read_auth, token_auth
from pacte.api.contracts.common import followed_contract, forbid_unless, invalid, router, write
from pacte.api.contracts.schemas import (
    CreditOut,
    CreditPut,
    ReportOut,
    ReportPut,
    ReportSummaryOut,
    ReviewIn,
    SpendingIn,
)
from pacte.api.errors import READ_ERRORS, WRITE_ERRORS
from pacte.api.pagination import PageNumberPagination
from pacte.contracts import perms
from pacte.contracts.models import Contract, Credit, ExecutionReport
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.services import credits as credit_services
from pacte.contracts.services import execution as report_services
from pacte.core.errors import Errors

# --- Execution reports --------------------------------------------------------------------------------


def _report(contract: Contract, year: int) -> ExecutionReport:
    report = (
        ExecutionReport.objects.select_related("contract__territory__departement", "version")
        .filter(contract=contract.root_contract, year=year)
        .first()
    )
    if report is None:
        raise HttpError(404, f"Aucun rapport d'exécution {year} pour ce contrat.")
    return report


@router.get(
    "/contracts/{contract_id}/reports/",
    response={200: list[ReportSummaryOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les rapports d'exécution annuels de la convention",
)
@paginate(PageNumberPagination)
def list_reports(request, contract_id: int):
    contract = followed_contract(request, contract_id)
    return ExecutionReport.objects.filter(contract=contract.root_contract).order_by("year")


@router.get(
    "/contracts/{contract_id}/reports/{year}",
    response={200: ReportOut, **READ_ERRORS},
    auth=read_auth,
    summary="Un rapport d'exécution",
)
def get_report(request, contract_id: int, year: int):
    return _report(followed_contract(request, contract_id), year)


def _spending_rows(report: ExecutionReport, rows: list[SpendingIn]) -> list[report_services.SpendingRow]:
    actions = dict(report.version.actions.values_list("number", "pk"))
    errors = Errors()
    for index, row in enumerate(rows):
        if row.action_number not in actions:
            errors.add(
                f"spendings[{index}].action_number",
                f"La version rapportée du contrat n'a pas de fiche-action n°{row.action_number}.",
            )
    errors.raise_if_any()
    return [
        report_services.SpendingRow(
            action_id=actions[row.action_number],
            funder=row.funder,
            funder_name=row.funder_name,
            amount=row.amount,
        )
        for row in rows
    ]


@router.put(
    "/contracts/{contract_id}/reports/{year}",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Ouvrir ou compléter le rapport d'exécution d'une année (collectivité)",
)
@write
def put_report(request, contract_id: int, year: int, payload: ReportPut):
    user = request.auth
    root = followed_contract(request, contract_id).root_contract
    report = ExecutionReport.objects.filter(contract=root, year=year).first()
    if report is None:
        if not perms.can_open_report(user, root):
            raise HttpError(403, "Seule la collectivité rédige ses rapports.")
        report = report_services.open_report(root, year)
    else:
        forbid_unless(
            perms.can_edit_report(user, report),
            perms.can_open_report(user, root),
            "Seule la collectivité rédige ses rapports.",
        )
        if payload.lock_version is None:
            raise invalid("lock_version", "Renvoyez la valeur « lock_version » lue pour modifier ce rapport.")
    assessment = payload.qualitative_assessment
    report_services.save_report(
        report,
        qualitative_assessment=report.qualitative_assessment if assessment is None else assessment.strip(),
        values=dict(payload.values),
        spendings=_spending_rows(report, payload.spendings),
        expected_version=payload.lock_version,
    )
    return _report(root, year)


@router.post(
    "/contracts/{contract_id}/reports/{year}/submit",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Déposer le rapport (collectivité) ; 422 liste ce qui manque",
)
@write
def submit_report(request, contract_id: int, year: int):
    user, contract = request.auth, followed_contract(request, contract_id)
    report = _report(contract, year)
    forbid_unless(
        perms.can_edit_report(user, report),
        perms.can_open_report(user, report.contract),
        "Seule la collectivité dépose ses rapports.",
    )
    report_services.submit_report(report, user)
    return _report(contract, year)


@router.post(
    "/contracts/{contract_id}/reports/{year}/review",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Valider le rapport ou le renvoyer avec des observations (DDETS ou commissaire)",
)
@write
def review_report(request, contract_id: int, year: int, payload: ReviewIn):
    user, contract = request.auth, followed_contract(request, contract_id)
    report = _report(contract, year)
    forbid_unless(
        perms.can_review_report(user, report),
        perms.acts_for_state(user, report.contract),
        "Seuls la DDETS et le commissaire à la lutte contre la pauvreté examinent les rapports.",
    )
    report_services.review_report(report, user, validate=payload.accept, comment=payload.comment)
    return _report(contract, year)


# --- State credits ------------------------------------------------------------------------------------


@router.get(
    "/contracts/{contract_id}/credits/",
    response={200: list[CreditOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les crédits de l'État par année : notifiés, engagés, versés",
)
@paginate(PageNumberPagination)
def list_credits(request, contract_id: int):
    contract = followed_contract(request, contract_id)
    return Credit.objects.filter(contract=contract.root_contract).select_related("contract").order_by("year")


@router.put(
    "/contracts/{contract_id}/credits/{year}",
    response={200: CreditOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Saisir les crédits de l'État d'une année (DDETS, commissaire, pilotage national)",
)
@write
def put_credit(request, contract_id: int, year: int, payload: CreditPut):
    contract = followed_contract(request, contract_id)
    if not perms.can_manage_credits(request.auth, contract):
        raise HttpError(403, "Seul l'État saisit ses crédits.")
    exists = Credit.objects.filter(contract=contract.root_contract, year=year).exists()
    if exists and payload.lock_version is None:
        raise invalid("lock_version", "Renvoyez la valeur « lock_version » lue pour modifier ces crédits.")
    return credit_services.record_credit(
        contract,
        year,
        notified=payload.notified,
        committed=payload.committed,
        paid=payload.paid,
        notified_on=payload.notified_on,
        committed_on=payload.committed_on,
        paid_on=payload.paid_on,
        expected_version=payload.lock_version,
    )


# --- Report campaigns ---------------------------------------------------------------------------------


class CampaignOut(Schema):
    year: int
    due_on: date = Field(description="Date limite de dépôt des rapports de l'année")
    note: str
    lock_version: int = Field(description="À renvoyer pour déplacer la date")


class CampaignPut(Schema):
    due_on: date
    note: str = ""
    lock_version: int | None = Field(
        None, description="La valeur « lock_version » lue (0 pour une nouvelle campagne)"
    )


@router.get(
    "/report-campaigns/",
    response={200: list[CampaignOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les campagnes de rapports d'exécution : la date limite de chaque année fixée par le pilotage national",
)
def list_report_campaigns(request):
    return list(ReportCampaign.objects.order_by("year"))


@router.put(
    "/report-campaigns/{year}",
    response={200: CampaignOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Fixer ou déplacer la date limite des rapports d'une année (pilotage national)",
)
@write
def put_report_campaign(request, year: int, payload: CampaignPut):
    if not perms.can_manage_report_campaigns(request.auth):
        raise HttpError(403, "Seul le pilotage national fixe la date limite des rapports d'exécution.")
    return report_services.set_report_campaign(
        year, payload.due_on, request.auth, note=payload.note, expected_version=payload.lock_version
    )
