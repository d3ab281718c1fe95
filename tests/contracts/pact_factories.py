"""The cast of the pactes locaux tests, without any contract: two départements of the Pays de la Loire (Loire-
Atlantique with Nantes Métropole, an agglomeration and two communes; Vendée with one commune), one of PACA, and
users of every side. `make_pact()` writes a pact row by row (a draft or a signed one), `pact_post()` is the pact
form as a browser sends it, `envelope()` a regional envelope with its shares."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from pacte.contracts.models.pacts import LocalPact, PactAllocation, PactEnvelope, PactPriority, PactSignatory
from pacte.territories.enums import EpciType
from pacte.territories.models import Territory
from tests.accounts.factories import UserFactory
from tests.contracts.factories import make_places
from tests.territories.factories import CommuneFactory, EpciFactory


@dataclass
class PactCast:
    pays_de_la_loire: Territory
    paca: Territory
    loire_atlantique: Territory
    vendee: Territory
    bouches_du_rhone: Territory
    nantes: Territory
    carene: Territory
    saint_nazaire: Territory
    reze: Territory
    la_roche: Territory
    local_a: object
    local_b: object
    local_c: object
    local_nantes: object
    ddets_a: object
    ddets_c: object
    commissioner: object
    commissioner_other: object
    national: object
    association: object


def make_pact_cast() -> PactCast:
    places = make_places()
    pays_de_la_loire, paca = places.pays_de_la_loire, places.paca
    loire_atlantique, vendee, bouches_du_rhone = (
        places.loire_atlantique,
        places.vendee,
        places.bouches_du_rhone,
    )
    nantes = places.nantes
    carene = EpciFactory(
        code="244400644",
        name="CARENE Saint-Nazaire Agglomération",
        epci_type=EpciType.CA,
        parent=loire_atlantique,
    )
    return PactCast(
        pays_de_la_loire=pays_de_la_loire,
        paca=paca,
        loire_atlantique=loire_atlantique,
        vendee=vendee,
        bouches_du_rhone=bouches_du_rhone,
        nantes=nantes,
        carene=carene,
        saint_nazaire=CommuneFactory(
            code="44184", name="Saint-Nazaire", parent=loire_atlantique, epci=carene
        ),
        reze=CommuneFactory(code="44143", name="Rezé", parent=loire_atlantique, epci=nantes),
        la_roche=CommuneFactory(code="85191", name="La Roche-sur-Yon", parent=vendee),
        local_a=UserFactory(username="alice", departement_council=True, territory=loire_atlantique),
        local_b=UserFactory(username="bernard", departement_council=True, territory=vendee),
        local_c=UserFactory(username="chloe", departement_council=True, territory=bouches_du_rhone),
        local_nantes=UserFactory(username="nina", metropole=True, territory=nantes),
        ddets_a=UserFactory(username="denis", ddets=True, territory=loire_atlantique),
        ddets_c=UserFactory(username="diane", ddets=True, territory=bouches_du_rhone),
        commissioner=UserFactory(username="camille", commissioner=True, territory=pays_de_la_loire),
        commissioner_other=UserFactory(username="claude", commissioner=True, territory=paca),
        national=UserFactory(username="nadia", national=True),
        association=UserFactory(username="asso", association=True, territory=loire_atlantique),
    )


def make_pact(territory, *, signed=False, priorities=1, publics=("enfants",), **fields) -> LocalPact:
    """A pact written row by row (no rule checked): `priorities` priorities, the given publics."""
    pact = LocalPact.objects.create(
        territory=territory,
        title=fields.pop("title", f"Pacte local des solidarités – {territory.name}"),
        diagnostic_summary="Un taux de pauvreté des familles monoparentales élevé.",
        signed_on=datetime.date(2024, 3, 1) if signed else None,
        priority_publics=list(publics),
        **fields,
    )
    for rank in range(1, priorities + 1):
        PactPriority.objects.create(
            pact=pact,
            rank=rank,
            title=f"Priorité {rank}",
            action_plan="Plan",
            pilot="Direction de l'action sociale",
            technical_committee="Mensuel",
        )
    return pact


def add_signatory(pact, *, organisation=None, name="", contribution="Un accompagnement", amount=None):
    rank = pact.signatories.count() + 1
    return PactSignatory.objects.create(
        pact=pact, rank=rank, organisation=organisation, name=name, contribution=contribution, amount=amount
    )


def envelope(region, year=2025, amount="100000", **shares) -> PactEnvelope:
    """A regional envelope and its shares, given as `{departement code: amount}` through `shares` (keyword
    `d44="60000"`)."""
    row = PactEnvelope.objects.create(region=region, year=year, amount=Decimal(amount))
    for key, value in shares.items():
        departement = Territory.objects.get(level="departement", code=key.removeprefix("d"))
        PactAllocation.objects.create(envelope=row, departement=departement, amount=Decimal(value))
    return row


# --- The pact form as a browser sends it -------------------------------------------------------------------


def priorities_post(*rows, initial=0, ids=()) -> dict:
    data = {
        "priorites-TOTAL_FORMS": str(len(rows)),
        "priorites-INITIAL_FORMS": str(initial),
        "priorites-MIN_NUM_FORMS": "1",
        "priorites-MAX_NUM_FORMS": "3",
    }
    for index, title in enumerate(rows):
        if index < len(ids):
            data[f"priorites-{index}-id"] = str(ids[index])
        if title is None:
            continue
        data.update(
            {
                f"priorites-{index}-title": title,
                f"priorites-{index}-action_plan": f"Plan pour {title}",
                f"priorites-{index}-pilot": "CAF",
                f"priorites-{index}-technical_committee": "Trimestriel",
            }
        )
    return data


def signatories_post(*rows, initial=0) -> dict:
    """`rows`: (organisation or None, name, contribution, amount) tuples."""
    data = {
        "signataires-TOTAL_FORMS": str(len(rows)),
        "signataires-INITIAL_FORMS": str(initial),
        "signataires-MIN_NUM_FORMS": "0",
        "signataires-MAX_NUM_FORMS": "100",
    }
    for index, (organisation, name, contribution, amount) in enumerate(rows):
        data.update(
            {
                f"signataires-{index}-organisation": str(organisation.pk) if organisation else "",
                f"signataires-{index}-name": name,
                f"signataires-{index}-contribution": contribution,
                f"signataires-{index}-amount": amount,
            }
        )
    return data


def pact_post(pact=None, *rows, initial=None, ids=None, signatories=(), **fields) -> dict:
    """The pact form: its fields, the priorities `rows` (titles; None for an empty one) and, for an existing
    pact, the signatories (as for `signatories_post`)."""
    data = {
        "title": "Pacte local de Loire-Atlantique",
        "diagnostic_summary": "Diagnostic partagé.",
        "priority_publics": ["enfants", "familles_monoparentales"],
        "signed_on": "",
    }
    if pact is not None:
        data["lock_version"] = str(pact.lock_version)
        data.update(signatories_post(*signatories, initial=pact.signatories.count()))
        if ids is None:
            ids = list(pact.priorities.values_list("pk", flat=True))
    data.update(fields)
    data.update(priorities_post(*rows, initial=len(rows) if initial is None else initial, ids=ids or ()))
    return data
