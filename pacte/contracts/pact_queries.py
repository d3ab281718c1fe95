"""Reads of the pactes locaux shared by their pages (and, later, the API): a pact's share of the regional
envelopes and its collected actions, the envelopes a user sees, an envelope's split among départements. Each
function runs a fixed number of queries, whatever the number of pacts, actions or départements.

(A module apart from `queries.py` while issue 12 is built by several people at once; it may join it.)
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from pacte.contracts import perms
from pacte.contracts.models.pacts import LocalPact, PactAction, PactAllocation, PactEnvelope
from pacte.contracts.services.pacts import departements_of, pacts_of_q
from pacte.core.collation import french

ZERO = Decimal(0)


def pact_actions(pact: LocalPact) -> list[PactAction]:
    """The collected actions of a pact, with their priority, in their order."""
    return list(pact.actions.select_related("priority").order_by("number"))


def pact_funding(pact: LocalPact) -> list[dict]:
    """For each year of the pact: the share of the regional envelope given to its département (None when
    there is none), what the collected actions of all the département's pacts use of it, and this pact's
    part of that use."""
    departement = pact.departement
    allocations = dict(
        PactAllocation.objects.filter(departement=departement, envelope__year__in=pact.years).values_list(
            "envelope__year", "amount"
        )
    )
    used = dict(
        PactAction.objects.filter(pacts_of_q(departement, "pact__"), year__in=pact.years)
        .values("year")
        .annotate(total=Sum("state_amount"))
        .values_list("year", "total")
    )
    own = dict(
        pact.actions.filter(year__in=pact.years)
        .values("year")
        .annotate(total=Sum("state_amount"))
        .values_list("year", "total")
    )
    rows = []
    for year in pact.years:
        allocated = allocations.get(year)
        rows.append(
            {
                "year": year,
                "allocated": allocated,
                "used": used.get(year, ZERO),
                "own": own.get(year, ZERO),
                "left": None if allocated is None else allocated - used.get(year, ZERO),
            }
        )
    return rows


def listed_pact_envelopes(user):
    """The regional envelopes `user` sees, with the total shared among départements and what is left."""
    visible = perms.visible_pact_envelopes_q(user)
    if visible is None:
        return PactEnvelope.objects.none()
    return (
        PactEnvelope.objects.filter(visible)
        .select_related("region")
        .annotate(shared=Coalesce(Sum("allocations__amount"), ZERO), shares=Count("allocations"))
        .annotate(left=ExpressionWrapper(F("amount") - F("shared"), output_field=DecimalField()))
        .order_by("-year", french("region__name"))
    )


def envelope_split(envelope: PactEnvelope) -> list[dict]:
    """One row per département of the envelope's région: its share, what its pacts' collected actions use in
    the envelope's year, and its pacts."""
    departements = list(departements_of(envelope.region))
    allocated = dict(envelope.allocations.values_list("departement_id", "amount"))
    used = dict(
        PactAction.objects.filter(year=envelope.year, pact__territory__region=envelope.region)
        .annotate(departement_id=Coalesce("pact__territory__departement_id", "pact__territory_id"))
        .values("departement_id")
        .annotate(total=Sum("state_amount"))
        .values_list("departement_id", "total")
    )
    pacts: dict[int, list[LocalPact]] = {}
    for pact in (
        LocalPact.objects.filter(Q(territory__in=departements) | Q(territory__departement__in=departements))
        .select_related("territory__departement")
        .order_by(french("territory__name"))
    ):
        pacts.setdefault(pact.departement.pk, []).append(pact)
    return [
        {
            "departement": departement,
            "allocated": allocated.get(departement.pk),
            "used": used.get(departement.pk, ZERO),
            "pacts": pacts.get(departement.pk, []),
        }
        for departement in departements
    ]
