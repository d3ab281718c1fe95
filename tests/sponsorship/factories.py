"""Mécénat de proximité for tests: a company (validated or pending), a selected project published with its
association's consent, a pledge; `siret_with_key` builds a valid SIRET."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from pacte.core.validators import luhn_ok
from pacte.grants.enums import ApplicationStatus
from pacte.sponsorship.enums import CompanyStatus, PledgeKind
from pacte.sponsorship.models import Company, Pledge, PublishedProject
from tests.grants.factories import ApplicationFactory, siren_with_key
from tests.territories.factories import CommuneFactory


def siret_with_key(prefix: str) -> str:
    """`prefix` (13 digits, a SIREN whose key is right first) followed by the digit that makes its Luhn key
    valid."""
    assert luhn_ok(prefix[:9]), (
        f"{prefix[:9]} : la clé du SIREN est fausse (tests.grants.factories.siren_with_key)"
    )
    return next(prefix + last for last in "0123456789" if luhn_ok(prefix + last))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Entreprise de test {n}")
    siret = factory.Sequence(lambda n: siret_with_key(siren_with_key(f"{70000000 + n:08d}") + "0001"))
    address = "1 rue de l'Industrie"
    commune = factory.SubFactory(CommuneFactory)
    contact_name = "Paul Durand"
    contact_email = "contact@entreprise.example.org"
    publish_name = False
    status = CompanyStatus.VALIDATED

    class Params:
        pending = factory.Trait(status=CompanyStatus.PENDING)


class PublishedProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublishedProject

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.SELECTED)
    money_wanted = Decimal("5000")
    skills_wanted = "Un appui juridique"
    goods_wanted = ""
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    association_consent = True


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    company = factory.SubFactory(CompanyFactory)
    project = factory.SubFactory(PublishedProjectFactory)
    kind = PledgeKind.MONEY
    amount = Decimal("2000")
