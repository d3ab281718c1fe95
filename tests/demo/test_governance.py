"""The governance demo (pacte.demo.governance): loaded once per test, checked as a whole story."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from pacte.demo.accounts import load_demo
from pacte.demo.governance import load_governance_demo
from pacte.governance.enums import CommitteeKind, ContributionStatus
from pacte.governance.models import Committee, Contribution, Decision, Meeting, Stakeholder
from pacte.programme.services import load_referentiel
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

TODAY = date(2026, 5, 4)


@pytest.fixture
def prerequisites(settings):
    settings.DEMO_MODE = True
    region = RegionFactory(code="52", name="Pays de la Loire")
    RegionFactory(code="53", name="Bretagne")
    names = {
        "44": "Loire-Atlantique",
        "49": "Maine-et-Loire",
        "53": "Mayenne",
        "72": "Sarthe",
        "85": "Vendée",
    }
    departements = {
        code: DepartementFactory(code=code, name=name, parent=region) for code, name in names.items()
    }
    metropole = EpciFactory(
        code="244400404", name="Nantes Métropole", parent=departements["44"], metropole=True
    )
    CommuneFactory(code="44109", name="Nantes", parent=departements["44"], epci=metropole)
    load_referentiel(today=TODAY)
    load_demo()


def test_the_demo_tells_the_pays_de_la_loire_story_and_reloading_duplicates_nothing(prerequisites, client):
    report = load_governance_demo(today=TODAY)
    assert "données fictives" in report.summary()
    assert Committee.objects.filter(kind=CommitteeKind.AXIS_COMMITTEE).count() == 20
    assert Committee.objects.filter(kind=CommitteeKind.REGIONAL_WORKING_GROUP).count() == 3
    assert Committee.objects.filter(kind=CommitteeKind.PERMANENT_CONFERENCE, territory=None).exists()
    angers = Meeting.objects.get(title="Conférence régionale des acteurs du 7 novembre 2023")
    assert angers.participants_count == 200 and "Angers" in angers.place
    assert Decision.objects.filter(status="faite").exists()
    assert any(decision.is_late for decision in Decision.objects.all())
    assert Meeting.objects.filter(starts_at__date__gt=TODAY).exists()
    assert set(Stakeholder.objects.values_list("category", flat=True)) >= {
        "associations_collectivites",
        "associations_lutte",
        "securite_sociale",
        "operateurs_etat",
        "services_etat",
        "personnes_concernees",
    }
    assert Contribution.objects.filter(status=ContributionStatus.PUBLISHED).count() >= 3
    counts = {
        model: model.objects.count() for model in (Committee, Meeting, Decision, Contribution, Stakeholder)
    }
    again = load_governance_demo(today=TODAY)
    assert {model: model.objects.count() for model in counts} == counts
    assert "laissées telles quelles" in again.summary()

    copil = Committee.objects.get(kind=CommitteeKind.REGIONAL_COPIL)
    client.force_login(copil.members.filter(user__username="commissaire-pdl").get().user)
    assert client.get(reverse("governance:committee", args=[copil.pk])).status_code == 200
    assert client.get(reverse("governance:calendar")).status_code == 200
    body = client.get(reverse("governance:concertation")).content.decode()
    assert "grande exclusion" in body


def test_the_demo_only_loads_in_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        load_governance_demo()
