"""Appels à projets for tests: factory_boy factories of single rows, with traits for the stages of a call
(`draft`, `expired`, `closed`) and of a candidature (`draft`, `under_review`), and `select()` which goes
through the decision service so that the convention follows every rule."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from pacte.accounts.enums import OrganisationKind
from pacte.core.validators import luhn_ok
from pacte.grants import services
from pacte.grants.enums import ApplicationStatus, CallStatus
from pacte.grants.models import Application, CallForProjects, Criterion, ProjectIndicator, RequestedAmount
from tests.accounts.factories import OrganisationFactory
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory, RegionFactory


def luhn_complete(prefix: str) -> str:
    """`prefix` (13 digits) followed by the digit that makes a valid SIRET (Luhn key)."""
    for last in "0123456789":
        candidate = prefix + last
        if services.siret_problem(candidate) is None:
            return candidate
    raise AssertionError(f"{prefix[:9]} : la clé du SIREN est fausse (voir siren_with_key)")


def siren_with_key(eight: str) -> str:
    """`eight` digits followed by the digit that makes a SIREN's Luhn key right."""
    return next(eight + last for last in "0123456789" if luhn_ok(eight + last))


def siren_of(n: int) -> str:
    """A 9-digit SIREN with its key right (the SIRET check reads it)."""
    return siren_with_key(f"{80000000 + n:08d}")


class PrefectureFactory(OrganisationFactory):
    kind = OrganisationKind.REGIONAL_PREFECTURE
    territory = factory.SubFactory(RegionFactory)


class AssociationFactory(OrganisationFactory):
    """An association identified by a SIREN; `AssociationFactory(rna_only=True)` by an RNA number only,
    `(unidentified=True)` by neither."""

    kind = OrganisationKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Association de test {n}")
    siren = factory.Sequence(siren_of)

    class Params:
        rna_only = factory.Trait(siren="", rna=factory.Sequence(lambda n: f"W{440000000 + n:09d}"))
        unidentified = factory.Trait(siren="", rna="")


class CallFactory(factory.django.DjangoModelFactory):
    """A call open to candidatures (published, opened ten days ago, deadline in twenty days) for 2025-2026,
    with two criteria. Traits: `draft`, `expired` (deadline passed, closure not yet recorded), `closed`."""

    class Meta:
        model = CallForProjects
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    owner = factory.SubFactory(PrefectureFactory, territory=factory.SelfAttribute("..region"))
    reference = factory.Sequence(lambda n: f"AAP-TEST-{n}")
    title = factory.Sequence(lambda n: f"Appel à projets de test {n}")
    description = "Soutenir les projets associatifs de lutte contre la pauvreté."
    eligibility = "Associations loi 1901 déclarées depuis au moins un an."
    total_budget = Decimal("100000")
    max_amount_per_year = Decimal("30000")
    first_year = 2025
    max_years = 2
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    funder_siret = factory.LazyFunction(lambda: luhn_complete("1300000030001"))
    status = CallStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))

    class Params:
        draft = factory.Trait(status=CallStatus.DRAFT, published_at=None)
        expired = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=40)),
            deadline=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        closed = factory.Trait(
            status=CallStatus.CLOSED,
            opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=40)),
            deadline=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
            closed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        rows = (
            extracted
            if extracted is not None
            else [("Pertinence du projet", 2, 5), ("Capacité à faire", 1, 10)]
        )
        for order, (label, weight, max_score) in enumerate(rows, start=1):
            Criterion.objects.create(call=self, order=order, label=label, weight=weight, max_score=max_score)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A filed candidature asking 20 000 € for each year of its call, with one indicator, in a
    département of the call's région. Traits: `draft`, `under_review`."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    number = factory.Sequence(lambda n: n + 1)
    organisation = factory.SubFactory(AssociationFactory, territory=factory.SelfAttribute("..territory"))
    siret = factory.LazyAttribute(lambda o: luhn_complete(f"{o.organisation.siren or '800000002'}0001"))
    project_title = factory.Sequence(lambda n: f"Projet associatif {n}")
    summary = "Accompagner les familles vers leurs droits."
    axis = factory.SubFactory(AxisFactory, number=1)
    territory = factory.SubFactory(DepartementFactory, parent=factory.SelfAttribute("..call.region"))
    total_cost = Decimal("120000")
    contact_name = "Jeanne Martin"
    contact_email = "contact@association.example.org"
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=ApplicationStatus.DRAFT, submitted_at=None)
        under_review = factory.Trait(
            status=ApplicationStatus.UNDER_REVIEW, call=factory.SubFactory(CallFactory, closed=True)
        )

    @factory.post_generation
    def amounts(self, create, extracted, **kwargs):
        if not create:
            return
        amounts = extracted if extracted is not None else dict.fromkeys(self.call.years, Decimal("20000"))
        for year, requested in amounts.items():
            RequestedAmount.objects.create(application=self, year=year, requested=Decimal(requested))
        ProjectIndicator.objects.create(
            application=self, label="Familles accompagnées", unit="ménages", target=Decimal("50")
        )


def select(application, commissioner, amounts=None, signed_on=datetime.date(2025, 2, 1), **kwargs):
    """Select `application` through the decision service (amounts default to what was asked)."""
    granted = amounts or {row.year: row.requested for row in application.amounts.all()}
    return services.decide_application(
        application,
        commissioner,
        selected=True,
        motivation="Projet solide, ancré dans le territoire.",
        granted={year: Decimal(amount) for year, amount in granted.items()},
        signed_on=signed_on,
        **kwargs,
    )
