from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from pacte.demo.observation import load_observation_demo
from pacte.observation.models import Indicator, Observation
from pacte.observation.reference import load_reference
from tests.observation.factories import ObservationFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory


@pytest.fixture
def france(settings):
    settings.DEMO_MODE = True
    region = RegionFactory(code="52", name="Pays de la Loire")
    departements = [
        DepartementFactory(code="44", parent=region, population=1_450_000),
        DepartementFactory(code="85", parent=region, population=690_000),
        # Its own région, named: a factory région takes the next code of a sequence, which can be "52" (got, not
        # created), and the Seine-Saint-Denis would then weigh in the Pays de la Loire's mean.
        DepartementFactory(
            code="93", parent=RegionFactory(code="11", name="Île-de-France"), population=1_650_000
        ),
    ]
    EpciFactory(code="244400404", parent=departements[0], departement=departements[0], metropole=True)
    load_reference()
    return region, departements


def test_every_departement_region_and_metropole_gets_fictitious_values(france):
    region, departements = france
    report = load_observation_demo()
    rows = Observation.objects.filter(territory__isnull=False)
    assert report.created == rows.count() > 0 and not rows.filter(is_demo=False).exists()
    tp60 = Indicator.objects.get(code="TP60")
    assert (
        rows.filter(indicator=tp60, period=2021).count() == 3 + 2 + 1
    )  # 3 départements, 2 régions, 1 métropole
    seine_saint_denis = rows.get(indicator=tp60, period=2021, territory__code="93")
    assert Decimal("25") < seine_saint_denis.value < Decimal("29")


def test_a_region_value_is_the_population_weighted_mean_of_its_departements(france):
    region, (loire_atlantique, vendee, _) = france
    load_observation_demo()

    def rate(territory):
        return Observation.objects.get(indicator__code="TP60", period=2021, territory=territory).value

    expected = (rate(loire_atlantique) * 1_450_000 + rate(vendee) * 690_000) / 2_140_000
    assert rate(region) == expected.quantize(Decimal("0.1"))


def test_loading_twice_changes_nothing_and_never_overwrites_a_real_value(france):
    load_observation_demo()
    real = Observation.objects.get(indicator__code="TP60", period=2021, territory__code="44")
    real.value, real.is_demo = Decimal("10.2"), False
    real.save()
    report = load_observation_demo()
    assert (report.created, report.updated, report.kept_real) == (0, 0, 1)
    real.refresh_from_db()
    assert real.value == Decimal("10.2")


def test_the_demo_values_need_demo_mode_and_the_indicators(settings):
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured, match="mode démonstration"):
        load_observation_demo()
    settings.DEMO_MODE = True
    ObservationFactory()
    with pytest.raises(ImproperlyConfigured, match="pacte load_observation"):
        load_observation_demo()
