"""The national référentiel: the programme, its axes, measures, targets and milestones (public reads).

`PATCH /targets/{code}` (national steering) takes back the `lock_version` read (optimistic locking): a client may
send back the whole target it read, its read-only fields are ignored; a stale version answers `409`, and nothing
is written.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from pacte.api.auth import token_auth
from pacte.api.errors import WRITE_ERRORS
from pacte.api.fields import SingleLineStr
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.programme import perms, services
from pacte.programme.enums import MeasureKind, MilestoneScope, TargetComparison, TargetKind, TargetScope
from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.sources import source_title

router = Router(tags=["Référentiel national"])


class ProgrammeOut(Schema):
    code: str
    name: str
    start_year: int
    end_year: int
    measure_count: int
    budget_eur: int
    budget_comparison: str
    source_file: str


class TargetOut(Schema):
    code: str
    kind: str = Field(
        description="cible, reference (valeur de référence), reforme (réforme en vigueur) ou parametre ; seule une "
        "cible est un objectif"
    )
    is_national_target: bool = Field(
        description="Une cible nationale : une cible, ni retirée du référentiel ni propre à un territoire"
    )
    label: str
    unit: str
    baseline_value: float | None
    baseline_year: int | None = Field(
        description="Année de la valeur de départ, ou année de base d'une cible relative"
    )
    baseline_source: str = Field(
        description="Source de la valeur de départ quand ce n'est pas la source du chiffre"
    )
    target_value: float | None = Field(
        description="Niveau à atteindre ; pour une cible relative, la variation en % signée ou le multiplicateur"
    )
    target_year: int | None = Field(description="Vide : horizon non daté")
    horizon: str = Field(description="L'année cible, ou « horizon non daté »")
    horizon_source: str = Field(description="Source de l'échéance quand ce n'est pas la source du chiffre")
    comparison: str = Field(description="niveau, variation (en % depuis l'année de base) ou multiplicateur")
    in_force_on: date | None = Field(description="Pour une réforme ou un paramètre : en vigueur depuis le")
    in_force_source: str
    borne_by_contracts: bool = Field(
        description="Portée par les contrats locaux (leurs rapports mesurent la cible)"
    )
    contracts_reason: str
    withdrawn: bool = Field(
        description="Retirée du fichier du référentiel, conservée car un indicateur la suit"
    )
    scope: str = Field(description="national, departement ou territoire")
    territory: TerritoryRef | None
    measure_code: str | None
    source_file: str
    source_title: str = Field(description="Titre du document source")
    source_excerpt: str
    notes: str
    lock_version: int = Field(description="Version lue : à renvoyer pour corriger la cible")

    @staticmethod
    def resolve_source_title(obj: Target) -> str:
        return source_title(obj.source_file)

    @staticmethod
    def resolve_measure_code(obj: Target) -> str | None:
        return obj.measure.code if obj.measure_id else None

    @staticmethod
    def resolve_horizon(obj: Target) -> str:
        return obj.horizon_label


class MeasureOut(Schema):
    code: str
    axis: int
    kind: str = Field(description="action_nouvelle, contrat_local ou reforme_associee")
    number_label: str
    title: str
    description: str
    overseas: bool = Field(
        description="Mesure du plan d'action en faveur de l'Outre-mer (badge « Outre-mer »)"
    )
    overseas_note: str = Field(
        description="Ce que fait la mesure outre-mer, avec sa source (document, date, adresse, phrase citée)"
    )
    source_file: str
    url: str
    targets: list[TargetOut]

    @staticmethod
    def resolve_axis(obj: Measure) -> int:
        return obj.axis.number

    @staticmethod
    def resolve_url(obj: Measure) -> str:
        return obj.get_absolute_url()


class MeasureRef(Schema):
    code: str
    kind: str
    title: str
    overseas: bool


class AxisOut(Schema):
    number: int
    title: str
    summary: str
    reforms_summary: str
    measures: list[MeasureRef]


class MilestoneOut(Schema):
    code: str
    scope: str
    title: str
    date_start: date
    date_end: date | None
    precision: str
    date_label: str
    status: str
    territory: TerritoryRef | None
    source_file: str


class MeasureFilters(Schema):
    axis: int | None = Field(None, ge=1, le=4, description="Numéro d'axe")
    kind: Literal[tuple(MeasureKind.values)] | None = None  # type: ignore[valid-type]
    overseas: bool | None = Field(
        None, description="true : seulement les mesures Outre-mer ; false : les autres"
    )


class TargetFilters(Schema):
    measure: str | None = Field(None, description="Code de la mesure")
    kind: Literal[tuple(TargetKind.values)] | None = None  # type: ignore[valid-type]
    scope: Literal[tuple(TargetScope.values)] | None = None  # type: ignore[valid-type]


_READ_ONLY = Field(None, description="Lecture seule : la valeur renvoyée est ignorée")


class TargetPatch(Schema):
    """Fields of a target that national steering may correct; omitted ones are left as they are, `null` clears a
    text (`notes`, the sources, the reason). The read-only fields of `TargetOut` are accepted and ignored, so that what GET answered can
    be sent back; any other field is refused."""

    model_config = ConfigDict(extra="forbid")

    lock_version: int = Field(description="La valeur « lock_version » lue avant la modification")
    label: SingleLineStr | None = Field(None, min_length=1, max_length=300)
    unit: SingleLineStr | None = Field(None, min_length=1, max_length=60)
    baseline_value: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    baseline_year: int | None = Field(None, ge=1990, le=2100)
    target_value: Decimal | None = Field(None, max_digits=18, decimal_places=3)
    target_year: int | None = Field(None, ge=1990, le=2100)
    comparison: Literal[tuple(TargetComparison.values)] | None = None  # type: ignore[valid-type]
    baseline_source: str | None = None
    horizon_source: str | None = None
    in_force_on: date | None = None
    in_force_source: str | None = None
    borne_by_contracts: bool | None = None
    contracts_reason: str | None = None
    notes: str | None = None
    code: str | None = _READ_ONLY
    is_national_target: bool | None = _READ_ONLY
    horizon: str | None = _READ_ONLY
    withdrawn: bool | None = _READ_ONLY
    kind: str | None = _READ_ONLY
    scope: str | None = _READ_ONLY
    territory: TerritoryRef | None = _READ_ONLY
    measure_code: str | None = _READ_ONLY
    source_file: str | None = _READ_ONLY
    source_title: str | None = _READ_ONLY
    source_excerpt: str | None = _READ_ONLY


_TARGET_READ_ONLY = {
    "lock_version",
    "code",
    "is_national_target",
    "horizon",
    "withdrawn",
    "kind",
    "scope",
    "territory",
    "measure_code",
    "source_file",
    "source_title",
    "source_excerpt",
}


_TARGET_TEXTS = ("notes", "baseline_source", "horizon_source", "in_force_source", "contracts_reason")


@router.get("/programme", response=ProgrammeOut, summary="Le Pacte et ses chiffres d'ensemble")
def get_programme(request):
    programme = Programme.objects.first()
    if programme is None:
        raise HttpError(404, "Le référentiel n'est pas chargé.")
    return programme


@router.get("/axes/", response=list[AxisOut], summary="Les axes et leurs mesures")
@paginate(PageNumberPagination)
def list_axes(request):
    return Axis.objects.prefetch_related("measures").order_by("number")


@router.get("/axes/{number}", response=AxisOut, summary="Un axe")
def get_axis(request, number: int):
    axis = Axis.objects.prefetch_related("measures").filter(number=number).first()
    if axis is None:
        raise HttpError(404, f"Axe introuvable : {number}.")
    return axis


def _measures():
    return Measure.objects.select_related("axis").prefetch_related("targets__territory", "targets__measure")


@router.get("/measures/", response=list[MeasureOut], summary="Les mesures et leurs cibles")
@paginate(PageNumberPagination)
def list_measures(request, filters: Query[MeasureFilters]):
    measures = _measures()
    if filters.axis:
        measures = measures.filter(axis__number=filters.axis)
    if filters.kind:
        measures = measures.filter(kind=filters.kind)
    if filters.overseas is not None:
        measures = measures.filter(overseas=filters.overseas)
    return measures


@router.get("/measures/{code}", response=MeasureOut, summary="Une mesure")
def get_measure(request, code: str):
    measure = _measures().filter(code=code).first()
    if measure is None:
        raise HttpError(404, f"Mesure introuvable : « {code} ».")
    return measure


@router.get("/targets/", response=list[TargetOut], summary="Les cibles et valeurs de référence")
@paginate(PageNumberPagination)
def list_targets(request, filters: Query[TargetFilters]):
    targets = Target.objects.select_related("measure", "territory")
    if filters.measure:
        targets = targets.filter(measure__code=filters.measure)
    if filters.kind:
        targets = targets.filter(kind=filters.kind)
    if filters.scope:
        targets = targets.filter(scope=filters.scope)
    return targets


@router.patch(
    "/targets/{code}",
    response={200: TargetOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Corriger une cible (DIPLP)",
)
def patch_target(request, code: str, payload: TargetPatch):
    target = Target.objects.select_related("measure", "territory").filter(code=code).first()
    if target is None:
        raise HttpError(404, f"Cible introuvable : « {code} ».")
    if not perms.can_change_target(request.auth, target):
        raise HttpError(403, "Seul le pilotage national peut modifier une cible du référentiel.")
    changes = payload.dict(exclude_unset=True, exclude=_TARGET_READ_ONLY)
    for name in _TARGET_TEXTS:  # `null` clears a text
        if name in changes and changes[name] is None:
            changes[name] = ""
    for name in ("comparison", "borne_by_contracts"):  # `null` leaves a choice as it is
        if name in changes and changes[name] is None:
            del changes[name]
    return services.update_target(target, expected_version=payload.lock_version, **changes)


@router.get("/milestones/", response=list[MilestoneOut], summary="Le calendrier du Pacte")
@paginate(PageNumberPagination)
def list_milestones(request, scope: Literal[tuple(MilestoneScope.values)] | None = None):  # type: ignore[valid-type]
    milestones = Milestone.objects.select_related("territory").order_by("date_start", "code")
    if scope:
        milestones = milestones.filter(scope=scope)
    return milestones
