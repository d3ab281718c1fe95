"""The data migration that withdraws the NRPE values computed under the former rule. The database is migrated
back, then forward to the latest migrations whatever happens: the tests that follow (the browser tests among them,
which share the in-memory database) need every table."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pacte.observation.models import Observation
from tests.observation.factories import IndicatorFactory, ObservationFactory

BEFORE = [("screening", "0002_probable_and_yearly_figures")]
AFTER = [("screening", "0003_withdraw_nrpe_values_of_the_former_rule")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def leaves():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def test_the_nrpe_values_of_the_former_rule_are_withdrawn_and_nothing_else(transactional_db, cog):
    latest = leaves()
    try:
        migrate(BEFORE)
        for code in ("NRPE", "TP60"):
            ObservationFactory(indicator=IndicatorFactory(code=code), territory=cog["44109"], period=2026)
        migrate(AFTER)
        assert list(Observation.objects.values_list("indicator__code", flat=True)) == ["TP60"]
    finally:
        migrate(latest)


def test_the_database_is_back_at_the_latest_migrations(transactional_db):
    """Run after the test above (same module, file order): the link of a batch job to a territoire zéro non-recours
    (0005) is there again."""
    from pacte.screening.models import ExperimentScreening

    assert ExperimentScreening.objects.count() == 0
