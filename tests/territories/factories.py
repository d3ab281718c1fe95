import factory

from pacte.territories.enums import EpciType, Level, Zone
from pacte.territories.models import Territory

# The codes of the régions of the COG (the five DROM and the thirteen of metropolitan France). A factory région
# never takes one: tests name the real ones they need (RegionFactory(code="52")), and a sequence that reached
# "52" would get that région instead of creating another one (get_or_create), putting a stray département in it.
REAL_REGION_CODES = frozenset("01 02 03 04 06 11 24 27 28 32 44 52 53 75 76 84 93 94".split())
FACTORY_REGION_CODES = tuple(
    code for code in (f"{n:02d}" for n in range(10, 100)) if code not in REAL_REGION_CODES
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("level", "code")

    level = Level.REGION
    code = factory.Sequence(lambda n: FACTORY_REGION_CODES[n % len(FACTORY_REGION_CODES)])
    name = factory.Sequence(lambda n: f"Région {n}")
    zone = Zone.METRO
    population = 3_000_000


# 01 to 95 but 68: the Bas-Rhin (67) and the Haut-Rhin (68) sign as one collectivité (the Collectivité européenne
# d'Alsace, pacte/territories/data/collectivites.yaml), so two factory départements never share a signatory.
DEPARTEMENT_CODES = tuple(f"{number:02d}" for number in range(1, 96) if number != 68)


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("level", "code")

    level = Level.DEPARTEMENT
    code = factory.Sequence(lambda n: DEPARTEMENT_CODES[n % len(DEPARTEMENT_CODES)])
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
