"""The page of the mid-term evaluation of a convention (due by 30 June 2026)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pacte.contracts import services
from pacte.contracts.enums import EvaluationStatus
from pacte.contracts.models import MidTermEvaluation
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract
from tests.helpers import text
from tests.programme.factories import AxisFactory
from tests.territories.factories import EpciFactory


def evaluation_url(contract):
    return reverse("contracts:evaluation", kwargs={"pk": contract.pk})


def test_the_collectivite_saves_a_draft_then_submits_its_evaluation(client, contract, council):
    client.force_login(council)
    html = text(client.get(evaluation_url(contract)))
    assert "30 juin 2026" in html
    assert "Non commencée" in html
    response = client.post(
        evaluation_url(contract),
        {"findings": "", "recommendations": "Un avenant en 2026", "intent": "brouillon"},
    )
    assert response.status_code == 302
    evaluation = MidTermEvaluation.objects.get(contract=contract)
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.recommendations == "Un avenant en 2026"
    assert "Un avenant en 2026" in text(client.get(evaluation_url(contract)))

    response = client.post(
        evaluation_url(contract),
        {
            "findings": "1 200 familles accompagnées",
            "recommendations": "Un avenant en 2026",
            "intent": "remettre",
        },
        follow=True,
    )
    assert "L&#x27;évaluation à mi-parcours est remise." in text(response)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.submitted_by == council


def test_a_submitted_evaluation_is_read_only(client, contract, council):
    services.save_evaluation(contract, council, findings="Constat", recommendations="Suites", submit=True)
    client.force_login(council)
    html = text(client.get(evaluation_url(contract)))
    assert "Remettre l’évaluation" not in html
    assert 'name="findings"' not in html
    assert "Constat" in html
    response = client.post(
        evaluation_url(contract),
        {"findings": "Autre", "recommendations": "", "intent": "brouillon"},
        follow=True,
    )
    assert "déjà remise" in text(response)
    assert MidTermEvaluation.objects.get().findings == "Constat"


def test_an_evaluation_is_not_submitted_without_findings(client, contract, council):
    client.force_login(council)
    response = client.post(
        evaluation_url(contract), {"findings": " ", "recommendations": "", "intent": "remettre"}
    )
    assert response.status_code == 200
    html = text(response)
    assert "Rédigez les principaux enseignements avant de remettre l&#x27;évaluation." in html
    assert 'id="id_findings-desc-error"' in html
    assert not MidTermEvaluation.objects.filter(status=EvaluationStatus.SUBMITTED).exists()


def test_the_state_reads_the_evaluation_without_editing_it(client, contract, council, ddets, region):
    services.save_evaluation(contract, council, findings="Constat partagé", recommendations="")
    for user in (ddets, UserFactory(commissioner=True, territory=region), UserFactory(national=True)):
        client.force_login(user)
        response = client.get(evaluation_url(contract))
        assert response.status_code == 200
        assert "Constat partagé" in text(response)
        assert 'name="findings"' not in text(response)
    client.force_login(ddets)
    response = client.post(evaluation_url(contract), {"findings": "Réécrit", "intent": "brouillon"})
    assert response.status_code == 403
    assert MidTermEvaluation.objects.get().findings == "Constat partagé"


def test_a_collectivite_of_another_departement_is_refused(client, contract, vendee):
    client.force_login(UserFactory(departement_council=True, territory=vendee))
    response = client.get(evaluation_url(contract))
    assert response.status_code == 403
    assert "Accès refusé" in text(response)
    response = client.post(evaluation_url(contract), {"findings": "Intrus", "intent": "remettre"})
    assert response.status_code == 403
    assert not MidTermEvaluation.objects.exists()


def test_the_ddets_of_another_departement_is_refused(client, contract, vendee):
    client.force_login(UserFactory(ddets=True, territory=vendee))
    assert client.get(evaluation_url(contract)).status_code == 403


def test_an_anonymous_visitor_is_asked_to_sign_in(client, contract):
    for response in (
        client.get(evaluation_url(contract)),
        client.post(evaluation_url(contract), {"findings": "Anonyme", "intent": "remettre"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not MidTermEvaluation.objects.exists()


def test_the_evaluation_of_a_draft_does_not_exist_for_outsiders(client, vendee, council):
    draft = build_contract(vendee, signed=False)
    client.force_login(council)
    assert client.get(evaluation_url(draft)).status_code == 404


def test_a_metropole_writes_its_own_evaluation(client, loire_atlantique):
    metropole = EpciFactory(metropole=True, parent=loire_atlantique, name="Nantes Métropole")
    actions = [action_data(AxisFactory(number=n), title=f"Action de l'axe {n}") for n in range(1, 5)]
    contract = build_contract(metropole, actions=actions)
    client.force_login(UserFactory(metropole=True, territory=metropole))
    assert 'name="findings"' in text(client.get(evaluation_url(contract)))
    client.force_login(UserFactory(departement_council=True, territory=loire_atlantique))
    assert client.get(evaluation_url(contract)).status_code == 403


def test_an_evaluation_submitted_after_30_june_2026_is_late(client, contract, council):
    evaluation = services.save_evaluation(
        contract, council, findings="Constat", recommendations="", submit=True
    )
    client.force_login(council)
    MidTermEvaluation.objects.filter(pk=evaluation.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 6, 20, 10))
    )
    assert "en retard" not in text(client.get(evaluation_url(contract)))
    MidTermEvaluation.objects.filter(pk=evaluation.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 7, 2, 10))
    )
    assert "en retard" in text(client.get(evaluation_url(contract)))
