"""The governance demo (pacte.demo.governance, data/governance.yaml): loaded once per test, checked as a whole story."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from pacte.contracts.enums import ContractKind
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.governance import load_governance_demo
from pacte.governance.enums import CommitteeKind, ContributionStatus
from pacte.governance.models import (
    Committee,
    Contribution,
    Decision,
    Meeting,
    Stakeholder,
    SteeredContract,
)
from tests.demo.factories import TODAY


def test_the_demo_tells_the_pays_de_la_loire_story_and_reloading_duplicates_nothing(prerequisites, client):
    load_contracts_demo(today=TODAY)  # the instances steer its conventions
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
    # Every meeting is flagged « donnée fictive », the held ones too (recording attendance saves the meeting).
    assert not Meeting.objects.filter(is_demo=False).exists()
    axis_meetings = Meeting.objects.filter(committee__kind=CommitteeKind.AXIS_COMMITTEE, starts_at__year=2023)
    assert axis_meetings.count() == 20
    assert all(meeting.title.endswith(("octobre 2023", "novembre 2023")) for meeting in axis_meetings)
    assert set(Stakeholder.objects.values_list("category", flat=True)) >= {
        "associations_collectivites",
        "associations_lutte",
        "securite_sociale",
        "operateurs_etat",
        "services_etat",
        "personnes_concernees",
        "cnle",
        "organisations_syndicales",
        "entreprises",
    }
    assert all(
        "(fictif" in name or "(fictive" in name or "(CNLE)" in name
        for name in Stakeholder.objects.exclude(organisation__isnull=False).values_list("name", flat=True)
    )
    # The comité de pilotage of Loire-Atlantique's contract and the joint governance of the Sarthe's single
    # global convention, linked through the governance services.
    links = {
        (link.committee.kind, link.contract.territory.code, link.contract.kind)
        for link in SteeredContract.objects.select_related("committee", "contract__territory")
    }
    assert links == {
        (CommitteeKind.OTHER, "44", ContractKind.DEPARTEMENT),
        (CommitteeKind.JOINT_GOVERNANCE, "72", ContractKind.GLOBALE),
    }
    assert Contribution.objects.filter(status=ContributionStatus.PUBLISHED).count() >= 3
    counts = {
        model: model.objects.count()
        for model in (Committee, Meeting, Decision, Contribution, Stakeholder, SteeredContract)
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
