"""The consolidation of the conventions in force by envelope, as the page /contrats/consolidation/ shows it: per
envelope (solidarités, France Travail, métropoles) and year, the budget of the actions drawing on it with the State,
the collectivités and the other partners apart, the ceilings notified in the scope and the published national amount
(`pacte.contracts.consolidation.budget_by_envelope`). France: national steering and the commissioners; a région:
national steering, its commissioner and the DDETS of its départements (`perms.can_view_consolidation`)."""

from ninja import Field, Schema
from ninja.errors import HttpError

from pacte.api.auth import read_auth
from pacte.api.contracts.common import router
from pacte.api.errors import READ_ERRORS
from pacte.api.money import Money, money
from pacte.contracts import consolidation, perms
from pacte.territories.enums import Level
from pacte.territories.models import Territory


class EnvelopeYearOut(Schema):
    envelope: str = Field(description="solidarites, france_travail ou metropoles")
    envelope_label: str
    year: int
    state: Money = money("Budget de l'État des fiches-actions qui puisent dans l'enveloppe")
    local: Money = money("Budget des collectivités signataires")
    other: Money = money("Budget des autres partenaires (CAF, ARS, communes…), en plus de la parité")
    total: Money = money("Budget total")
    notified: Money | None = money("Somme des plafonds notifiés du périmètre ; null : aucun plafond notifié")
    national: Money | None = money("Montant national publié ; null : non publié")
    source: str = Field(description="Source du montant national")


@router.get(
    "/consolidation/envelopes",
    response={200: list[EnvelopeYearOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les enveloppes tenues à part (solidarités, France Travail, métropoles) : budgets, plafonds, montant national",
)
def consolidation_envelopes(request, region: str | None = None):
    scope = None
    if region:
        scope = Territory.objects.filter(level=Level.REGION, code=region).first()
        if scope is None:
            raise HttpError(404, f"Région introuvable : {region}.")
    if not perms.can_view_consolidation(request.auth, scope):
        raise HttpError(
            403,
            "La consolidation est réservée au pilotage national, aux commissaires et aux DDETS de la région.",
        )
    return [
        {
            "envelope": table.envelope,
            "envelope_label": table.label,
            "year": row.year,
            "state": row.budget.state,
            "local": row.budget.local,
            "other": row.budget.other,
            "total": row.budget.total,
            "notified": row.notified,
            "national": row.national.amount,
            "source": row.national.source,
        }
        for table in consolidation.budget_by_envelope(scope)
        for row in table.years
    ]
