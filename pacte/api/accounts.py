"""The user's own account and the organisations of its scope.

`PATCH /organisations/{id}` takes back the `lock_version` read (optimistic locking): a client may send back the
whole object it read, its read-only fields are ignored; a stale version answers `409`, and nothing is written.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from pacte.accounts import perms, queries, services
from pacte.accounts.models import Organisation
from pacte.api.auth import read_auth, token_auth
from pacte.api.errors import WRITE_ERRORS
from pacte.api.fields import SingleLineStr
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef

router = Router(tags=["Organisations et comptes"])

_READ_ONLY = Field(None, description="Lecture seule : la valeur renvoyée est ignorée")


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
    updated_at: datetime
    lock_version: int = Field(description="Version lue : à renvoyer pour modifier l'organisation")


class OrganisationPatch(Schema):
    """The fields national steering and the State services of the territory may change; omitted ones are left as
    they are. The read-only fields of `OrganisationOut` are accepted and ignored, so that what GET answered can
    be sent back; any other field is refused."""

    model_config = ConfigDict(extra="forbid")

    lock_version: int = Field(description="La valeur « lock_version » lue avant la modification")
    name: SingleLineStr | None = Field(None, min_length=1, max_length=200)
    siren: SingleLineStr | None = Field(None, pattern=r"^(\d{9})?$")
    rna: SingleLineStr | None = Field(None, pattern=r"^(W\d{9})?$")
    email: SingleLineStr | None = Field(None, max_length=254, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")
    website: SingleLineStr | None = Field(None, max_length=200, pattern=r"^(https?://\S+)?$")
    id: int | None = _READ_ONLY
    kind: str | None = _READ_ONLY
    territory: TerritoryRef | None = _READ_ONLY
    is_demo: bool | None = _READ_ONLY
    updated_at: datetime | None = _READ_ONLY


_ORGANISATION_READ_ONLY = {"lock_version", "id", "kind", "territory", "is_demo", "updated_at"}


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


def _visible_organisation(request, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.select_related("territory").filter(pk=organisation_id).first()
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
    if not perms.can_list_organisations(request.auth):
        raise HttpError(403, "Votre compte n'a pas de rôle sur la plateforme.")
    return queries.listed_organisations(request.auth)


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, auth=read_auth, summary="Une organisation"
)
def get_organisation(request, organisation_id: int):
    return _visible_organisation(request, organisation_id)


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Modifier une organisation",
)
def patch_organisation(request, organisation_id: int, payload: OrganisationPatch):
    organisation = _visible_organisation(request, organisation_id)
    if not perms.can_change_organisation(request.auth, organisation):
        raise HttpError(403, "Vous ne pouvez pas modifier cette organisation.")
    changes = payload.dict(exclude_unset=True, exclude=_ORGANISATION_READ_ONLY)
    nulls = [name for name, value in changes.items() if value is None]
    if nulls:
        raise ValidationError({name: ["utilisez une chaîne vide plutôt que null"] for name in nulls})
    return services.update_organisation(organisation, expected_version=payload.lock_version, **changes)
