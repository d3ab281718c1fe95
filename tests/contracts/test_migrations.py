"""The data migrations of the contracts that move rows: migration 0005 copies the former signatories of a pacte local
(`partners`, `other_signatories`, dropped by 0009) into `PactSignatory`. Run on a database migrated back to the
state before it, then forward again."""

import importlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pacte.accounts.models import Organisation
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

BEFORE = [("contracts", "0004_local_pact_perimeter_signatories_envelopes_actions")]
COPY = [("contracts", "0005_local_pact_signatories_from_partners")]


def migrate(targets):
    """Migrate to `targets`; the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def test_the_former_signatories_of_a_pact_become_signatories_in_order(transactional_db):
    latest = leaves()
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    nantes = EpciFactory(code="244400404", name="Nantes Métropole", metropole=True, parent=loire_atlantique)
    try:
        before = migrate(BEFORE)
        pact = before.get_model("contracts", "LocalPact").objects.create(
            territory_id=loire_atlantique.pk,
            title="Pacte local des solidarités – Loire-Atlantique",
            diagnostic_summary="Diagnostic",
            other_signatories="ARS Pays de la Loire\n\nMSA Loire-Atlantique",
        )
        ccas = Organisation.objects.create(name="CCAS de Nantes", territory=nantes)
        pact.partners.add(ccas.pk)
        after = migrate(COPY)
        signatories = after.get_model("contracts", "PactSignatory").objects.filter(pact_id=pact.pk)
        assert [
            (s.rank, s.organisation_id, s.name, s.contribution) for s in signatories.order_by("rank")
        ] == [
            (1, ccas.pk, "", ""),
            (2, None, "ARS Pays de la Loire", ""),
            (3, None, "MSA Loire-Atlantique", ""),
        ]
        copy = importlib.import_module("pacte.contracts.migrations.0005_local_pact_signatories_from_partners")
        copy.copy_signatories(after, None)  # run twice: nothing more
        assert signatories.count() == 3
    finally:
        migrate(latest)
