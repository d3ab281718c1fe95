from typing import Literal

from django.db.models import Q
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.pagination import PageNumberPagination
from pacte.territories.enums import Level
from pacte.territories.models import Territory

router = Router(tags=["Territoires"])

LevelParam = Literal["region", "com", "departement", "epci", "metropole", "commune"]


class TerritoryRef(Schema):
    level: str
    code: str
    name: str


class TerritoryOut(Schema):
    level: str = Field(description="region, com, departement, epci ou commune")
    code: str = Field(description="Code INSEE (SIREN pour un EPCI)")
    name: str
    is_metropole: bool
    epci_type: str = Field(description="CC, CA, CU, METRO, MET69 pour un EPCI")
    zone: str
    population: int | None = Field(description="Population municipale")
    is_active: bool
    parent: TerritoryRef | None
    region: TerritoryRef | None
    departement: TerritoryRef | None
    epci: TerritoryRef | None
    url: str

    @staticmethod
    def resolve_url(obj: Territory) -> str:
        return obj.get_absolute_url()


class TerritoryFilters(Schema):
    level: LevelParam | None = Field(None, description="Niveau ; « metropole » donne les EPCI métropoles")
    parent: str | None = Field(
        None,
        description=(
            "Code du territoire parent : la région d'un département, le département (principal) d'un EPCI, "
            "le département, la collectivité d'outre-mer ou l'EPCI (SIREN) d'une commune. "
            "Avec parent_level=region, les EPCI ou communes d'une région."
        ),
    )
    parent_level: Literal["region", "com", "departement", "epci"] | None = None
    q: str | None = Field(None, description="Recherche dans le nom ou le début du code", max_length=100)
    include_obsolete: bool = Field(False, description="Inclure les territoires qui ne figurent plus au COG")


COM_CODES = {"975", "977", "978", "984", "986", "987", "988", "989"}


def _default_parent_level(level: str | None, code: str) -> str:
    """The level a bare `parent` code refers to, given the level being listed."""
    if level == Level.DEPARTEMENT:
        return Level.REGION
    if len(code) == 9:
        return Level.EPCI
    if code in COM_CODES:
        return Level.COM
    return Level.DEPARTEMENT


_PARENT_FIELD = {
    Level.REGION: "region",
    Level.COM: "region",
    Level.DEPARTEMENT: "departement",
    Level.EPCI: "epci",
}


@router.get("/territories/", response=list[TerritoryOut], summary="Lister les territoires")
@paginate(PageNumberPagination)
def list_territories(request, filters: Query[TerritoryFilters]):
    territories = Territory.objects.select_related("parent", "region", "departement", "epci").order_by(
        "level", "code"
    )
    if not filters.include_obsolete:
        territories = territories.filter(is_active=True)
    if filters.level:
        territories = territories.of_level(filters.level)
    if filters.parent:
        parent_level = filters.parent_level or _default_parent_level(filters.level, filters.parent)
        parent = Territory.objects.filter(level=parent_level, code=filters.parent).first()
        if parent is None:
            raise HttpError(
                404,
                f"parent : aucun territoire de niveau « {parent_level} » et de code « {filters.parent} ».",
            )
        field = _PARENT_FIELD[parent_level]
        if parent_level == Level.COM:
            territories = territories.filter(Q(region=parent) | Q(parent=parent))
        else:
            territories = territories.filter(**{field: parent})
    if filters.q:
        territories = territories.filter(Q(name__icontains=filters.q) | Q(code__startswith=filters.q))
    return territories


@router.get("/territories/{level}/{code}", response=TerritoryOut, summary="Un territoire")
def get_territory(request, level: LevelParam, code: str):
    queryset = Territory.objects.select_related("parent", "region", "departement", "epci")
    if level == "metropole":
        queryset = queryset.metropoles()
    else:
        queryset = queryset.filter(level=level)
    territory = queryset.filter(code=code).first()
    if territory is None:
        raise HttpError(
            404, f"Territoire introuvable : aucun territoire de niveau « {level} » et de code « {code} »."
        )
    return territory
