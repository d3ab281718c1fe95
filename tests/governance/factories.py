"""Governance rows for tests: factory_boy factories with traits (`CommitteeFactory(public=True)`,
`MeetingFactory(past=True)`, `DecisionFactory(late=True)`), builders, and the bytes of a small valid PDF."""

import datetime

import factory
from django.utils import timezone

from pacte.governance.enums import (
    CommitteeKind,
    ContributionStatus,
    DecisionStatus,
    MeetingStatus,
    MemberCategory,
    MemberRole,
    StakeholderCategory,
    ThemeKind,
)
from pacte.governance.models import (
    Committee,
    ConcertationTheme,
    Contribution,
    Decision,
    Meeting,
    Member,
    Stakeholder,
)
from pacte.governance.services.attendance import sync_attendances
from tests.accounts.factories import OrganisationFactory
from tests.territories.factories import RegionFactory

PDF = b"%PDF-1.4\n%test\n"  # what the upload checks accept as a PDF


class CommitteeFactory(factory.django.DjangoModelFactory):
    """A private regional COPIL; `public=True` for a public instance, `national=True` for no territory."""

    class Meta:
        model = Committee

    kind = CommitteeKind.REGIONAL_COPIL
    name = factory.Sequence(lambda n: f"COPIL régional {n}")
    territory = factory.SubFactory(RegionFactory)
    meetings_per_year_min = 2
    meetings_per_year_max = 3
    is_public = False

    class Params:
        public = factory.Trait(is_public=True)
        national = factory.Trait(
            territory=None,
            kind=CommitteeKind.PERMANENT_CONFERENCE,
            name=factory.Sequence(lambda n: f"Conférence {n}"),
        )


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    person_name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"membre{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    category = MemberCategory.ASSOCIATIONS
    role = MemberRole.MEMBER
    start_date = datetime.date(2023, 1, 1)

    class Params:
        secretariat = factory.Trait(role=MemberRole.SECRETARIAT, category=MemberCategory.STATE_SERVICES)
        lived_experience = factory.Trait(category=MemberCategory.LIVED_EXPERIENCE, organisation=None)
        former = factory.Trait(end_date=datetime.date(2023, 12, 31))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting in ten days; `past=True` for one held a month ago."""

    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Réunion {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Préfecture, salle du conseil"

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(
                lambda: timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
            ),
            status=MeetingStatus.HELD,
        )


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory, past=True)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Décision de test {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = DecisionStatus.TODO

    class Params:
        late = factory.Trait(
            due_date=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
        )
        done = factory.Trait(status=DecisionStatus.DONE)
        confidential = factory.Trait(is_confidential=True)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcertationTheme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    kind = ThemeKind.THEME
    number = factory.Sequence(lambda n: 10 + n)
    title = factory.Sequence(lambda n: f"Thème {n}")


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    name = factory.Sequence(lambda n: f"Partie prenante {n}")
    category = StakeholderCategory.ANTI_POVERTY_ASSOCIATIONS
    organisation = factory.SubFactory(OrganisationFactory)
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    stakeholder = factory.SubFactory(StakeholderFactory)
    theme = factory.SubFactory(ThemeFactory)
    title = factory.Sequence(lambda n: f"Contribution {n}")
    text = "Nos propositions pour le Pacte."
    status = ContributionStatus.DRAFT

    class Params:
        filed = factory.Trait(status=ContributionStatus.FILED, filed_at=factory.LazyFunction(timezone.now))
        published = factory.Trait(
            status=ContributionStatus.PUBLISHED,
            filed_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )


def invited_meeting(**fields) -> Meeting:
    """A meeting (`MeetingFactory(**fields)`) with the members active on its day invited, as the services do."""
    meeting = MeetingFactory(**fields)
    sync_attendances(meeting)
    return meeting


# The year of the roadmaps the tests make: the current one (a roadmap is one région's for one year).
ROADMAP_YEAR = timezone.localdate().year
