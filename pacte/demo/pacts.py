"""Demo pactes locaux (the `pact_envelope` and `local_pact` parts of data/contracts.yaml): the région's envelope
for the pactes locaux of a year, entered by national steering and split among the départements by the
commissioner, then the pacte local of a département (perimeter, priority publics, signatories with their
contribution, priorities) and its collected actions with their follow-up. Every row goes through
`pacte.contracts.services.pacts`. Repeatable: the envelope (région + year), its split (made once), the pact
(territory + period) and its actions (pact + title) are left as they are when they exist.
"""

import datetime
from decimal import Decimal

from pacte.contracts.enums import PERIOD_START
from pacte.contracts.models.pacts import LocalPact, PactEnvelope
from pacte.contracts.services import pacts
from pacte.demo.common import LoadReport, at, checked, organisation, territory, territory_of, user
from pacte.demo.contract_specs import ContractsFile, LocalPactSpec, PactEnvelopeSpec
from pacte.territories.enums import Level

NOON = datetime.time(12, 0)


def _envelope(spec: PactEnvelopeSpec, report: LoadReport) -> None:
    region = territory_of(spec.region)
    envelope = PactEnvelope.objects.filter(region=region, year=spec.year).first()
    if envelope is not None:
        report.kept["enveloppes"] += 1
        return
    with checked(f"enveloppe {spec.year} des pactes locaux – {region.name}"):
        envelope = pacts.save_pact_envelope(
            None,
            region=region,
            year=spec.year,
            amount=spec.amount,
            reference=spec.reference,
            by=user(spec.entered_by),
            is_demo=True,
        )
        shares = {territory(Level.DEPARTEMENT, code).pk: amount for code, amount in spec.shares.items()}
        pacts.share_pact_envelope(envelope, shares, by=user(spec.shared_by), now=at(spec.shared_on, NOON))
    report.created["enveloppes"] += 1


def _pact(spec: LocalPactSpec, report: LoadReport) -> LocalPact:
    place = territory(spec.territory.level, spec.territory.code)
    pact = LocalPact.objects.filter(territory=place, period_start=PERIOD_START).first()
    if pact is not None:
        report.kept["pactes"] += 1
        return pact
    with checked(f"pacte local – {place.name}"):
        pact = pacts.save_local_pact(
            None,
            territory=place,
            title=spec.title,
            diagnostic_summary=spec.diagnostic_summary,
            priorities=[pacts.PriorityRow(**priority.model_dump()) for priority in spec.priorities],
            priority_publics=list(spec.priority_publics),
            perimeter=[territory_of(ref) for ref in spec.perimeter],
            signatories=[
                pacts.SignatoryRow(
                    organisation_id=organisation(row.organisation).pk if row.organisation else None,
                    name=row.name or "",
                    contribution=row.contribution,
                    amount=row.amount,
                )
                for row in spec.signatories
            ],
            signed_on=spec.signed_on,
            is_demo=True,
        )
    report.created["pactes"] += 1
    return pact


def _actions(pact: LocalPact, spec: LocalPactSpec, report: LoadReport) -> None:
    priorities = {priority.rank: priority.pk for priority in pact.priorities.all()}
    by = user(spec.actions_by)
    existing = set(pact.actions.values_list("title", flat=True))
    for row in spec.actions:
        if row.title in existing:
            report.kept["actions_pacte"] += 1
            continue
        data = pacts.PactActionData(
            priority_id=priorities.get(row.priority),
            title=row.title,
            description=row.description,
            carrier=row.carrier,
            publics=list(row.publics),
            year=row.year,
            state_amount=row.state_amount,
            other_funding=row.other_funding or Decimal(0),
            status=row.status,
            people_reached=row.people_reached,
            follow_up=row.follow_up,
        )
        with checked(f"action « {row.title} » du pacte local"):
            pacts.save_pact_action(None, pact=pact, data=data, by=by, is_demo=True)
        report.created["actions_pacte"] += 1


def load_pact(document: ContractsFile, report: LoadReport) -> None:
    """The regional envelope and its split, then the pact and its collected actions (which use the share)."""
    _envelope(document.pact_envelope, report)
    pact = _pact(document.local_pact, report)
    _actions(pact, document.local_pact, report)
