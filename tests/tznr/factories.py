"""Territoires zéro non-recours for tests: an experiment (on a commune of its own by default), its funding, a
period (validated with `validated=True`) and its rights opened; `tznr_cast` builds the people and places the
tests of tznr, of its API and of its link to screening share."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import factory

from pacte.accounts.enums import OrganisationKind
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from pacte.tznr.enums import FunderKind, LeadKind, OpenedBenefit, PeriodStatus, RightSource
from pacte.tznr.models import Experiment, FollowUpPeriod, Funding, OpenedRight
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory


class ExperimentFactory(factory.django.DjangoModelFactory):
    """`ExperimentFactory(commune=c)` covers the commune `c` (a new commune by default) and lies in its région
    and département; `porteur=` names the organisation whose members keep it."""

    class Meta:
        model = Experiment
        skip_postgeneration_save = True

    class Params:
        commune = factory.SubFactory(CommuneFactory)

    name = factory.Sequence(lambda n: f"Territoire zéro non-recours {n}")
    region = factory.LazyAttribute(lambda o: o.commune.region)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    lead_name = factory.LazyAttribute(lambda o: f"Ville de {o.commune.name}")
    lead_kind = LeadKind.COMMUNE
    start_date = datetime.date(2024, 1, 1)

    @factory.post_generation
    def covers(self, create, extracted, **kwargs):
        """The territories covered: those given, else the commune the experiment was made on (the last commune
        created in its département, which the SubFactory has just made)."""
        if not create:
            return
        if extracted is None:
            extracted = [
                Territory.objects.filter(level=Level.COMMUNE, departement=self.departement)
                .order_by("-pk")
                .first()
            ]
        self.territories.set(extracted)


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    experiment = factory.SubFactory(ExperimentFactory)
    funder = "État – Pacte des solidarités"
    funder_kind = FunderKind.STATE
    year = 2024
    amount = Decimal("120000")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpPeriod

    experiment = factory.SubFactory(ExperimentFactory)
    start = datetime.date(2024, 1, 1)
    end = datetime.date(2024, 6, 30)
    households_met = 400
    rights_examined = 250
    spent = Decimal("60000")
    status = PeriodStatus.DRAFT

    class Params:
        validated = factory.Trait(status=PeriodStatus.VALIDATED)
        submitted = factory.Trait(status=PeriodStatus.SUBMITTED)


class OpenedRightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenedRight

    period = factory.SubFactory(PeriodFactory)
    benefit = OpenedBenefit.RSA
    source = RightSource.LEAD
    count = 40
    monthly_amount = Decimal("21080")


def tznr_cast(region, loire_atlantique, vendee) -> SimpleNamespace:
    """In Pays de la Loire: the commissioner (alice), the DDETS of Loire-Atlantique (dora), the CCAS of Nantes that
    carries `experiment` (its member carl, `porteur`), national steering (nina); outside the scope, the same roles
    elsewhere: the commissioner of Bretagne (charlie), the DDETS of Vendée (victor), the CCAS of Brest (bruno,
    `other_porteur`) that carries `other_experiment`."""
    bretagne = RegionFactory(code="53", name="Bretagne")
    finistere = DepartementFactory(code="29", name="Finistère", parent=bretagne)
    nantes = CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique)
    brest = CommuneFactory(code="29019", name="Brest", parent=finistere)
    ccas_nantes = OrganisationFactory(name="CCAS de Nantes", kind=OrganisationKind.CCAS, territory=nantes)
    ccas_brest = OrganisationFactory(name="CCAS de Brest", kind=OrganisationKind.CCAS, territory=brest)
    return SimpleNamespace(
        bretagne=bretagne,
        finistere=finistere,
        nantes=nantes,
        brest=brest,
        ccas_nantes=ccas_nantes,
        ccas_brest=ccas_brest,
        experiment=ExperimentFactory(
            name="Ville de Nantes", commune=nantes, covers=[nantes], porteur=ccas_nantes
        ),
        other_experiment=ExperimentFactory(
            name="Ville de Brest", commune=brest, covers=[brest], porteur=ccas_brest
        ),
        porteur=UserFactory(username="carl", social_worker=True, organisation=ccas_nantes, territory=nantes),
        other_porteur=UserFactory(
            username="bruno", social_worker=True, organisation=ccas_brest, territory=brest
        ),
        commissioner=UserFactory(username="alice", commissioner=True, territory=region),
        other_commissioner=UserFactory(username="charlie", commissioner=True, territory=bretagne),
        ddets=UserFactory(username="dora", ddets=True, territory=loire_atlantique),
        other_ddets=UserFactory(username="victor", ddets=True, territory=vendee),
        national=UserFactory(username="nina", national=True),
    )
