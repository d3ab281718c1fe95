import factory

from pacte.territories.enums import EpciType, Level, Zone
from pacte.territories.models import Territory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("level", "code")

    level = Level.REGION
    code = factory.Sequence(lambda n: f"{10 + n % 80:02d}")
    name = factory.Sequence(lambda n: f"Région {n}")
    zone = Zone.METRO
    population = 3_000_000


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("level", "code")

    level = Level.DEPARTEMENT
    code = factory.Sequence(lambda n: f"{1 + n % 95:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    parent = factory.SubFactory(RegionFactory)
    region = factory.SelfAttribute("parent")
    zone = Zone.METRO
    population = 600_000


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("level", "code")

    level = Level.EPCI
    code = factory.Sequence(lambda n: f"2{n:08d}")
    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    epci_type = EpciType.CC
    parent = factory.SubFactory(DepartementFactory)
    departement = factory.SelfAttribute("parent")
    region = factory.SelfAttribute("parent.region")
    zone = Zone.METRO
    population = 40_000

    class Params:
        metropole = factory.Trait(epci_type=EpciType.METRO, name=factory.Sequence(lambda n: f"Métropole {n}"))


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("level", "code")

    level = Level.COMMUNE
    name = factory.Sequence(lambda n: f"Commune {n}")
    parent = factory.SubFactory(DepartementFactory)
    departement = factory.SelfAttribute("parent")
    region = factory.SelfAttribute("parent.region")
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:2]}{n % 1000:03d}")
    epci = None
    zone = Zone.METRO
    population = 1_000
