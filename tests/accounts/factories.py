import factory

from pacte.accounts.enums import OrganisationKind, Role
from pacte.accounts.models import Organisation, User
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.ASSOCIATION
    territory = factory.SubFactory(DepartementFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pick the role with a trait: `UserFactory(national=True)`, `UserFactory(ddets=True, territory=d)`."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("motdepasse-de-test")
    role = ""
    territory = None
    organisation = None

    class Params:
        national = factory.Trait(
            role=Role.NATIONAL_STEERING,
            organisation=factory.SubFactory(OrganisationFactory, kind=OrganisationKind.DIPLP, territory=None),
        )
        commissioner = factory.Trait(
            role=Role.REGIONAL_COMMISSIONER,
            territory=factory.SubFactory(RegionFactory),
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.REGIONAL_PREFECTURE,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
        ddets = factory.Trait(
            role=Role.DDETS,
            territory=factory.SubFactory(DepartementFactory),
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.DDETS,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
        departement_council = factory.Trait(
            role=Role.LOCAL_AUTHORITY,
            territory=factory.SubFactory(DepartementFactory),
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.DEPARTEMENT_COUNCIL,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
        metropole = factory.Trait(
            role=Role.LOCAL_AUTHORITY,
            territory=factory.SubFactory(EpciFactory, metropole=True),
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.METROPOLE,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
        association = factory.Trait(
            role=Role.ASSOCIATION,
            territory=factory.SubFactory(DepartementFactory),
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.ASSOCIATION,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
        social_worker = factory.Trait(
            role=Role.SOCIAL_WORKER,
            territory=factory.SubFactory(CommuneFactory),
            organisation=factory.SubFactory(
                OrganisationFactory,
                kind=OrganisationKind.CCAS,
                territory=factory.SelfAttribute("..territory"),
            ),
        )
