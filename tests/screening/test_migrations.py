"""The data migration that withdraws the NRPE values computed under the former rule."""

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


def test_the_nrpe_values_of_the_former_rule_are_withdrawn_and_nothing_else(transactional_db, cog):
    migrate(BEFORE)
    for code in ("NRPE", "TP60"):
        ObservationFactory(indicator=IndicatorFactory(code=code), territory=cog["44109"], period=2026)
    migrate(AFTER)
    assert list(Observation.objects.values_list("indicator__code", flat=True)) == ["TP60"]
