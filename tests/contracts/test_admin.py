"""The contracts admin, a read-only support tool: every list and change page opens with its inlines (the joint
evaluation's parts and indicators, a pact's signatories and actions, a pact envelope's shares, the report campaigns),
and nothing that the services check can be changed there."""

import pytest
from django.urls import reverse

from pacte.contracts.models import ActionEvaluation, LocalPact, MidTermEvaluation, ReportCampaign
from tests.accounts.factories import UserFactory
from tests.contracts.factories import build_contract, campaigns, evaluate_all
from tests.contracts.pact_factories import add_signatory, envelope, make_pact
from tests.territories.factories import DepartementFactory, RegionFactory

MODELS = [
    "contract",
    "action",
    "executionreport",
    "credit",
    "creditreallocation",
    "notifiedallocation",
    "reportcampaign",
    "midtermevaluation",
    "actionevaluation",
    "localpact",
    "pactenvelope",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows():
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    contract = build_contract(loire_atlantique)
    local = UserFactory(departement_council=True, territory=loire_atlantique)
    state = UserFactory(ddets=True, territory=loire_atlantique)
    evaluate_all(contract, local, state)
    campaigns(2024)
    pact = make_pact(loire_atlantique, signed=True)
    add_signatory(pact, name="CAF de Loire-Atlantique", contribution="Des travailleurs sociaux")
    return {"contract": contract, "pact": pact, "envelope": envelope(region, d44="60000")}


@pytest.mark.parametrize("model", MODELS)
def test_every_list_opens(admin_client, rows, model):
    assert admin_client.get(reverse(f"admin:contracts_{model}_changelist")).status_code == 200


def test_the_change_pages_show_their_inlines_read_only(admin_client, rows):
    evaluation = MidTermEvaluation.objects.get()
    content = admin_client.get(reverse("admin:contracts_midtermevaluation_change", args=[evaluation.pk]))
    assert content.status_code == 200 and "Poursuivre l" in content.content.decode()
    action_evaluation = ActionEvaluation.objects.get()
    content = admin_client.get(
        reverse("admin:contracts_actionevaluation_change", args=[action_evaluation.pk])
    )
    assert "Services de l" in content.content.decode() and "Collectivité" in content.content.decode()
    pact = rows["pact"]
    content = admin_client.get(reverse("admin:contracts_localpact_change", args=[pact.pk])).content.decode()
    assert "CAF de Loire-Atlantique" in content and "Des travailleurs sociaux" in content
    assert 'name="partners"' not in content and 'name="other_signatories"' not in content
    content = admin_client.get(reverse("admin:contracts_pactenvelope_change", args=[rows["envelope"].pk]))
    assert "Loire-Atlantique" in content.content.decode()
    campaign = ReportCampaign.objects.get()
    assert (
        admin_client.get(reverse("admin:contracts_reportcampaign_change", args=[campaign.pk])).status_code
        == 200
    )


def test_the_admin_adds_and_deletes_nothing_checked_by_the_services(admin_client, rows):
    for model in ("reportcampaign", "pactenvelope", "actionevaluation", "midtermevaluation"):
        assert admin_client.get(reverse(f"admin:contracts_{model}_add")).status_code == 403, model
    pact = LocalPact.objects.get()
    assert admin_client.post(reverse("admin:contracts_localpact_delete", args=[pact.pk])).status_code == 403
