from decimal import Decimal

import factory

from pacte.observation.enums import ValueKind, ValueStatus
from pacte.observation.models import Indicator, Observation
from tests.territories.factories import DepartementFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A public poverty rate by default; traits `count` (additive), `restricted` (not public)."""

    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND{n}")
    label = factory.Sequence(lambda n: f"Indicateur statistique {n}")
    kind = ValueKind.RATE
    unit = "%"
    decimals = 1
    source = "INSEE – Filosofi"
    vintage = "Filosofi 2021"

    class Params:
        count = factory.Trait(kind=ValueKind.COUNT, unit="foyers", decimals=0)
        restricted = factory.Trait(is_public=False)


class ObservationFactory(factory.django.DjangoModelFactory):
    """A value of a département; traits `national` (France), `secret` (statistical secrecy), `demo`."""

    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    territory = factory.SubFactory(DepartementFactory)
    period = 2021
    value = Decimal("14.5")

    class Params:
        national = factory.Trait(territory=None)
        secret = factory.Trait(value=None, status=ValueStatus.SECRET)
        demo = factory.Trait(is_demo=True)
