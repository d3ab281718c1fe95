import datetime
from decimal import Decimal

import factory

from pacte.programme.enums import (
    DatePrecision,
    MeasureKind,
    MilestoneScope,
    MilestoneStatus,
    TargetKind,
    TargetScope,
)
from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from tests.territories.factories import RegionFactory

SEED_000 = "000_ffdb588009e9a993.txt"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "pacte-des-solidarites"
    name = "Pacte des solidarités 2023-2027"
    start_year = 2024
    end_year = 2027
    measure_count = 25
    budget_eur = Decimal("20000000000")
    source_file = "003_15a36d82a2e300cb.txt"


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis
        django_get_or_create = ("programme", "number")

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: 1 + n % 4)
    title = factory.LazyAttribute(lambda o: f"Axe de test {o.number}")


def _contractable(scope: str):
    """A new action or a local-contract measure is contractable where its axis belongs (the département's
    solidarités contract on axes 1, 3 and 4, the France Travail convention on axis 2, a métropole's contract on
    every axis); a reform, or a measure made with `national=True`, nowhere."""

    def flag(o) -> bool:
        if o.kind == MeasureKind.REFORM or o.national:
            return False
        if scope == "departement":
            return o.axis.number != 2
        if scope == "france_travail":
            return o.axis.number == 2
        return True

    return factory.LazyAttribute(flag)


class MeasureFactory(factory.django.DjangoModelFactory):
    """A new action by default; `MeasureFactory(local_contract=True)` or `(reform=True)` for the other kinds;
    `national=True` for a new action that no contract may serve (Pass colos, MALIN…)."""

    class Meta:
        model = Measure
        django_get_or_create = ("code",)

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"t{n}-n1")
    kind = MeasureKind.NEW_ACTION
    number_label = "Action nouvelle n°1"
    title = factory.Sequence(lambda n: f"Mesure de test {n}")
    order = factory.Sequence(lambda n: n)
    source_file = SEED_000
    contractable_departement = _contractable("departement")
    contractable_france_travail = _contractable("france_travail")
    contractable_metropole = _contractable("metropole")

    class Params:
        local_contract = factory.Trait(kind=MeasureKind.LOCAL_CONTRACT, number_label="")
        reform = factory.Trait(kind=MeasureKind.REFORM, number_label="")
        national = False


class TargetFactory(factory.django.DjangoModelFactory):
    """A dated national target; traits `reference` (a baseline fact) and `regional` (Pays de la Loire)."""

    class Meta:
        model = Target
        django_get_or_create = ("code",)

    measure = factory.SubFactory(MeasureFactory)
    programme = factory.LazyAttribute(lambda o: o.measure.axis.programme if o.measure else ProgrammeFactory())
    code = factory.Sequence(lambda n: f"cible-de-test-{n}")
    kind = TargetKind.TARGET
    label = factory.Sequence(lambda n: f"Indicateur de test {n}")
    unit = "places"
    target_value = Decimal("1000")
    target_year = 2027
    scope = TargetScope.NATIONAL
    source_file = SEED_000

    class Params:
        reference = factory.Trait(
            kind=TargetKind.REFERENCE,
            baseline_value=Decimal("500"),
            baseline_year=2023,
            target_value=None,
            target_year=None,
        )
        regional = factory.Trait(
            measure=None,
            scope=TargetScope.TERRITORY,
            territory=factory.SubFactory(RegionFactory, code="52", name="Pays de la Loire"),
            source_file="003_15a36d82a2e300cb.txt",
        )


class MilestoneFactory(factory.django.DjangoModelFactory):
    """A national milestone on a given day; trait `regional` for one of the Pays de la Loire."""

    class Meta:
        model = Milestone
        django_get_or_create = ("code",)

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"jalon-de-test-{n}")
    scope = MilestoneScope.NATIONAL
    title = factory.Sequence(lambda n: f"Jalon de test {n}")
    date_start = datetime.date(2024, 1, 15)
    precision = DatePrecision.DAY
    date_label = "15 janvier 2024"
    status = MilestoneStatus.DONE
    source_file = SEED_000

    class Params:
        regional = factory.Trait(
            scope=MilestoneScope.REGIONAL,
            territory=factory.SubFactory(RegionFactory, code="52", name="Pays de la Loire"),
            source_file="003_15a36d82a2e300cb.txt",
        )
