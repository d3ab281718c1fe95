"""Observation of poverty: statistical indicators and their values per territory and year (open data).

Public indicators and their values are read by everyone, without a token. An indicator that is not public
exists only for the Pacte's steering (national steering, regional commissioners, DDETS, collectivités, with
a token or a session): for anyone else it is answered 404, like an unknown code. Values of France as a
whole have `level` "france" and no territory.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from pacte.api.auth import public_auth
from pacte.api.errors import READ_ERRORS
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.observation import queries
from pacte.observation.models import Indicator, Observation

router = Router(tags=["Observation de la pauvreté"])

ObservationLevel = Literal["france", "region", "com", "departement", "epci", "metropole", "commune"]


class StatIndicatorOut(Schema):
    code: str = Field(description="Code de la variable chez le producteur, sans le millésime (TP60, MED…)")
    label: str
    short_label: str
    kind: str = Field(description="taux, montant, effectif ou ratio")
    unit: str
    decimals: int = Field(description="Décimales affichées")
    higher_is_worse: bool = Field(description="Une valeur élevée traduit plus de pauvreté")
    description: str = Field(description="Définition")
    definition_url: str
    source: str
    source_url: str
    vintage: str = Field(description="Millésime")
    is_public: bool = Field(description="Donnée publique ; sinon réservée au pilotage du Pacte")
    national_target: str | None = Field(description="Code de la cible nationale du référentiel suivie")
    updated_at: datetime = Field(description="Dernière mise à jour de la définition")
    url: str

    @staticmethod
    def resolve_national_target(obj: Indicator) -> str | None:
        return obj.national_target.code if obj.national_target_id else None

    @staticmethod
    def resolve_url(obj: Indicator) -> str:
        return obj.get_absolute_url()


class LevelPeriodsOut(Schema):
    level: str
    periods: list[int] = Field(description="Années disponibles, de la plus récente à la plus ancienne")


class StatIndicatorDetailOut(StatIndicatorOut):
    last_update: datetime = Field(
        description="Dernière mise à jour de l'indicateur ou de l'une de ses valeurs"
    )
    availability: list[LevelPeriodsOut] = Field(description="Années disponibles par niveau")


class ObservationOut(Schema):
    indicator: str = Field(description="Code de l'indicateur")
    level: str = Field(description="france, region, com, departement, epci ou commune")
    territory: TerritoryRef | None = Field(description="Vide pour la France entière")
    period: int = Field(description="Année")
    value: float | None = Field(description="Vide quand la valeur n'est pas disponible")
    status: str = Field(description="disponible, secret (secret statistique) ou non_disponible")
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    source: str
    updated_at: datetime

    @staticmethod
    def resolve_indicator(obj: Observation) -> str:
        return obj.indicator_code

    @staticmethod
    def resolve_level(obj: Observation) -> str:
        return obj.territory.level if obj.territory_id else "france"


class ObservationFilters(Schema):
    indicator: str = Field(description="Code de l'indicateur (TP60, MED…)", max_length=40)
    level: ObservationLevel | None = Field(
        None,
        description="Niveau ; « metropole » donne les EPCI métropoles, « france » les valeurs nationales",
    )
    period: int | None = Field(None, ge=1900, le=2100, description="Année")
    territory: str | None = Field(
        None, max_length=9, description="Code du territoire (avec level) : « 44 », « 2A », SIREN d'un EPCI"
    )


def _indicators(request):
    return queries.visible_indicators(request.auth).select_related("national_target")


def _indicator(request, code: str) -> Indicator:
    indicator = _indicators(request).filter(code=code).first()
    if indicator is None:
        raise HttpError(404, f"Indicateur introuvable : {code}.")
    return indicator


def _invalid(field: str, message: str):
    """A 422 like those of the input schemas: {"detail", "erreurs": [{"champ", "message"}]}."""
    raise ValidationError([{"type": "value_error", "loc": ("query", field), "ctx": {"error": message}}])


@router.get(
    "/indicators/",
    response=list[StatIndicatorOut],
    auth=public_auth,
    summary="Indicateurs statistiques (publics ; tous pour le pilotage du Pacte)",
)
@paginate(PageNumberPagination)
def list_indicators(request):
    return _indicators(request)


@router.get(
    "/indicators/{code}",
    response={200: StatIndicatorDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un indicateur, sa provenance et les années disponibles par niveau",
)
def get_indicator(request, code: str):
    indicator = _indicator(request, code)
    available = queries.availability(indicator)
    indicator.last_update = queries.last_update(indicator)
    indicator.availability = [
        {"level": level, "periods": available[level]}
        for level in ("france", *queries.LEVELS)
        if level in available
    ]
    return indicator


@router.get(
    "/observations/",
    response=list[ObservationOut],
    auth=public_auth,
    summary="Valeurs d'un indicateur par territoire et par année",
)
@paginate(PageNumberPagination)
def list_observations(request, filters: Query[ObservationFilters]):
    if filters.territory and not filters.level:
        _invalid("level", "obligatoire avec territory (un même code désigne une région et un département)")
    if filters.territory and filters.level == "france":
        _invalid("territory", "sans objet avec level=france (les valeurs nationales n'ont pas de territoire)")
    indicator = _indicator(request, filters.indicator)
    territory = None
    if filters.territory:
        territory = queries.find_territory(filters.level, filters.territory)
        if territory is None:
            raise HttpError(
                404,
                f"Territoire introuvable : aucun territoire de niveau « {filters.level} » "
                f"et de code « {filters.territory} ».",
            )
    return queries.observations(indicator, level=filters.level, territory=territory, period=filters.period)
