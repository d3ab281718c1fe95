"""The joint mid-term evaluation of a convention (read: its two parties, the regional commissioner, national
steering) and the national or regional consolidation of its conclusions (national steering; a région: also its
commissioner). The pages write; the API reads (`pacte.contracts.evaluation_queries`)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from ninja.errors import HttpError

from pacte.api.auth import read_auth
from pacte.api.contracts.common import followed_contract, router
from pacte.api.errors import READ_ERRORS
from pacte.contracts import evaluation_queries, perms
from pacte.contracts.enums import EvaluationConclusion
from pacte.core.history import person_name
from pacte.territories.enums import Level
from pacte.territories.models import Territory


class EvaluationPartOut(Schema):
    side: str = Field(description="collectivite ou etat")
    author: str
    written_at: datetime
    assessment: str
    methods: list[str]
    method_detail: str


class IndicatorYearOut(Schema):
    year: int
    target: Decimal | None = Field(description="Cible (décimal écrit en chaîne)")
    reached: Decimal | None = Field(description="Valeur atteinte (décimal écrit en chaîne)")


class EvaluatedIndicatorOut(Schema):
    id: int
    label: str
    unit: str
    years: list[IndicatorYearOut]


class EvaluatedActionOut(Schema):
    number: int
    title: str
    axis: int
    parts: list[EvaluationPartOut]
    conclusion: str | None = Field(description="poursuivre, ajuster, arreter ou null")
    conclusion_note: str
    conclusion_by: str
    conclusion_at: datetime | None
    indicators: list[EvaluatedIndicatorOut]


class EvaluationOut(Schema):
    status: str | None = Field(description="brouillon, deposee, cloturee ; null : pas commencée")
    due_on: date | None
    evaluated_version: int | None
    submitted_at: datetime | None
    submitted_by: str
    closed_at: datetime | None
    closed_by: str
    legacy_form: bool
    findings: str
    recommendations: str
    actions: list[EvaluatedActionOut]


def _part(part) -> dict:
    return {
        "side": part.side,
        "author": person_name(part.author),
        "written_at": part.written_at,
        "assessment": part.assessment,
        "methods": list(part.methods),
        "method_detail": part.method_detail,
    }


def _action(item) -> dict:
    row = item.evaluation
    return {
        "number": item.action.number,
        "title": item.action.title,
        "axis": item.action.axis.number,
        "parts": [_part(part) for part in (item.local, item.state) if part is not None],
        "conclusion": (row.conclusion or None) if row else None,
        "conclusion_note": row.conclusion_note if row else "",
        "conclusion_by": person_name(row.conclusion_by) if row else "",
        "conclusion_at": row.conclusion_at if row else None,
        "indicators": [
            {
                "id": line.indicator.pk,
                "label": line.indicator.label,
                "unit": line.indicator.unit,
                "years": [{"year": y.year, "target": y.target, "reached": y.reached} for y in line.years],
            }
            for line in item.indicators
        ],
    }


@router.get(
    "/contracts/{contract_id}/evaluation",
    response={200: EvaluationOut, **READ_ERRORS},
    auth=read_auth,
    summary="L'évaluation conjointe à mi-parcours de la convention (collectivité et services de l'État)",
)
def get_evaluation(request, contract_id: int):
    root = followed_contract(request, contract_id).root_contract
    sheet = evaluation_queries.evaluation_sheet(root)
    evaluation = sheet.evaluation
    legacy = bool(evaluation and evaluation.legacy_form)
    return {
        "status": evaluation.status if evaluation else None,
        "due_on": evaluation.due_on if evaluation else None,
        "evaluated_version": sheet.version.pk if sheet.version else None,
        "submitted_at": evaluation.submitted_at if evaluation else None,
        "submitted_by": person_name(evaluation.submitted_by) if evaluation else "",
        "closed_at": evaluation.closed_at if evaluation else None,
        "closed_by": person_name(evaluation.closed_by) if evaluation else "",
        "legacy_form": legacy,
        "findings": evaluation.findings if legacy else "",
        "recommendations": evaluation.recommendations if legacy else "",
        "actions": [_action(item) for item in sheet.actions],
    }


class CountsOut(Schema):
    poursuivre: int
    ajuster: int
    arreter: int
    total: int


class ProgressOut(Schema):
    conventions: int
    not_started: int
    brouillon: int
    deposee: int
    cloturee: int
    late: int


class CountedRowOut(CountsOut):
    label: str
    code: str = Field(description="Code de la région ; identifiant du contrat pour une convention")


class ConclusionsOut(Schema):
    progress: ProgressOut
    total: CountsOut
    by_axis: list[CountedRowOut]
    by_region: list[CountedRowOut]
    by_convention: list[CountedRowOut]


def _counts(counts) -> dict:
    values = dict(zip(EvaluationConclusion.values, counts.cells, strict=True))
    return {"poursuivre": 0, "ajuster": 0, "arreter": 0, **values, "total": counts.total}


def _row(row) -> dict:
    code = row.region.code if row.region else str(row.convention.pk) if row.convention else ""
    return {"label": row.label, "code": code, **_counts(row.counts)}


@router.get(
    "/evaluations/conclusions",
    response={200: ConclusionsOut, **READ_ERRORS},
    auth=read_auth,
    summary="Les conclusions des évaluations à mi-parcours, comptées (France ou une région)",
)
def evaluation_conclusions(request, region: str | None = None):
    scope = None
    if region:
        scope = Territory.objects.filter(level__in=(Level.REGION, Level.COM), code=region).first()
        if scope is None:
            raise HttpError(404, f"Région introuvable : {region}.")
    if not perms.can_view_evaluation_consolidation(request.auth, scope):
        raise HttpError(
            403,
            "Les conclusions des évaluations sont réservées au pilotage national et au commissaire de la région.",
        )
    data = evaluation_queries.consolidate_conclusions(scope)
    progress = data.progress
    return {
        "progress": {
            "conventions": progress.conventions,
            "not_started": progress.not_started,
            **{status: progress.by_status.get(status, 0) for status in ("brouillon", "deposee", "cloturee")},
            "late": progress.late,
        },
        "total": _counts(data.total),
        "by_axis": [_row(row) for row in data.by_axis],
        "by_region": [_row(row) for row in data.by_region],
        "by_convention": [_row(row) for row in data.by_convention],
    }
