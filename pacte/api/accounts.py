from datetime import datetime

from django.db import transaction
from django.db.models import Q
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.accounts import perms
from pacte.accounts.models import Organisation
from pacte.accounts.scope import is_national, territory_q
from pacte.api.auth import read_auth, token_auth
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef

router = Router(tags=["Organisations et comptes"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    territory: TerritoryRef | None
    siren: str
    rna: str
    email: str
    website: str
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    updated_at: datetime = Field(description="À renvoyer dans « version » pour modifier")


class OrganisationPatch(Schema):
    version: datetime = Field(description="La valeur « updated_at » lue avant la modification")
    name: str | None = Field(None, min_length=1, max_length=200)
    siren: str | None = Field(None, pattern=r"^(\d{9})?$")
    rna: str | None = Field(None, pattern=r"^(W\d{9})?$")
    email: str | None = Field(None, max_length=254, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")
    website: str | None = Field(None, max_length=200, pattern=r"^(https?://\S+)?$")


class MeOut(Schema):
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: OrganisationOut | None
    territory: TerritoryRef | None = Field(description="Territoire de compétence")


@router.get("/me", response=MeOut, auth=read_auth, summary="Mon compte")
def me(request):
    return request.auth


def _visible_organisation(request, organisation_id: int, *, for_update: bool = False) -> Organisation:
    queryset = Organisation.objects.select_related("territory")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    organisation = queryset.filter(pk=organisation_id).first()
    if organisation is None:
        raise HttpError(404, f"Organisation introuvable : {organisation_id}.")
    if not perms.can_view_organisation(request.auth, organisation):
        raise HttpError(403, "Cette organisation n'est pas dans votre périmètre.")
    return organisation


@router.get(
    "/organisations/",
    response=list[OrganisationOut],
    auth=read_auth,
    summary="Organisations de mon périmètre",
)
@paginate(PageNumberPagination)
def list_organisations(request):
    user = request.auth
    if not perms.can_list_organisations(user):
        raise HttpError(403, "Votre compte n'a pas de rôle sur la plateforme.")
    scope = territory_q(user, "territory__")
    if not is_national(user) and user.organisation_id:
        scope |= Q(pk=user.organisation_id)
    return Organisation.objects.filter(scope).select_related("territory").order_by("name")


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, auth=read_auth, summary="Une organisation"
)
def get_organisation(request, organisation_id: int):
    return _visible_organisation(request, organisation_id)


@router.patch(
    "/organisations/{organisation_id}",
    response=OrganisationOut,
    auth=token_auth,
    summary="Modifier une organisation",
)
def patch_organisation(request, organisation_id: int, payload: OrganisationPatch):
    with transaction.atomic():
        organisation = _visible_organisation(request, organisation_id, for_update=True)
        if not perms.can_change_organisation(request.auth, organisation):
            raise HttpError(403, "Vous ne pouvez pas modifier cette organisation.")
        if organisation.updated_at != payload.version:
            raise HttpError(
                409,
                "version : l'organisation a été modifiée depuis votre lecture ; relisez-la avant de la modifier.",
            )
        for field, value in payload.dict(exclude_unset=True, exclude={"version"}).items():
            if value is None:
                raise HttpError(422, f"{field} : utilisez une chaîne vide plutôt que null.")
            setattr(organisation, field, value)
        organisation.save()
    return organisation
