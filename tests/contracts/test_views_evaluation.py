"""The pages of the joint mid-term evaluation (due by 30 June 2026): the overview, one fiche-action's evaluation,
filing / reopening / closing, the PDF, and the consolidation of the conclusions with its export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pacte.contracts.models.evaluation import EvaluationPart, MidTermEvaluation, MidTermStatus
from pacte.contracts.services import evaluation as services
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract, evaluate_all
from tests.helpers import count_queries, is_login, page, text
from tests.programme.factories import AxisFactory
from tests.territories.factories import EpciFactory, RegionFactory


def overview_url(contract):
    return reverse("contracts:evaluation", kwargs={"pk": contract.pk})


def action_url(contract, number=1):
    return reverse("contracts:evaluation_action", kwargs={"pk": contract.pk, "number": number})


def step_url(contract, step):
    return reverse("contracts:evaluation_step", kwargs={"pk": contract.pk, "step": step})


def pdf_url(contract):
    return reverse("contracts:evaluation_pdf", kwargs={"pk": contract.pk})


def part_post(assessment="Des familles mieux accompagnées.", methods=("documentaire",), detail="", version=0):
    return {
        "intent": "part",
        "part-lock_version": str(version),
        "part-assessment": assessment,
        "part-methods": list(methods),
        "part-method_detail": detail,
    }


def conclusion_post(conclusion, note="", version=0):
    return {
        "intent": "conclusion",
        "conclusion-lock_version": str(version),
        "conclusion-conclusion": conclusion,
        "conclusion-conclusion_note": note,
    }


@pytest.fixture
def commissioner(region):
    return UserFactory(commissioner=True, territory=region)


@pytest.fixture
def national():
    return UserFactory(national=True)


# --- Who sees the pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [overview_url, action_url, pdf_url])
def test_the_parties_see_the_evaluation_outsiders_do_not_anonymous_signs_in(
    client, contract, council, ddets, other_council, other_ddets, commissioner, national, url
):
    target = url(contract)
    assert is_login(client.get(target))
    for outsider in (
        other_council,
        other_ddets,
        UserFactory(commissioner=True, territory=RegionFactory(code="93")),
    ):
        client.force_login(outsider)
        assert client.get(target).status_code == 403
    for allowed in (council, ddets, commissioner, national):
        client.force_login(allowed)
        assert client.get(target).status_code == 200


def test_the_evaluation_of_a_draft_does_not_exist_for_outsiders(client, vendee, council, other_council):
    draft = build_contract(vendee, signed=False)
    client.force_login(council)
    assert client.get(overview_url(draft)).status_code == 404
    html = page(client, overview_url(draft), other_council)
    assert "porte sur un contrat signé : ce contrat ne l’est pas encore" in html
    assert "Déposer l’évaluation" not in html


def test_the_overview_lists_each_action_with_both_parts_and_the_conclusion(client, contract, council, ddets):
    html = page(client, overview_url(contract), council)
    assert "30 juin 2026" in html
    assert "Non commencée" in html
    assert "à rédiger" in html
    services.save_evaluation_part(
        contract, ddets, side="etat", number=1, assessment="Bon démarrage.", methods=["questionnaire"]
    )
    html = page(client, overview_url(contract), council)
    assert ddets.get_full_name() in html
    assert "Fiche-action n°1 : la part de la collectivité manque." in html
    assert 'action="{}"'.format(step_url(contract, "deposer")) in html
    assert 'action="{}"'.format(step_url(contract, "cloturer")) not in html


def test_national_steering_reads_without_writing(client, contract, council, ddets, national):
    evaluate_all(contract, council, ddets)
    html = page(client, action_url(contract), national)
    assert "Appréciation (etat) de la fiche-action n°1." in html
    assert 'name="part-assessment"' not in html
    assert client.post(action_url(contract), part_post()).status_code == 403
    assert 'action="{}"'.format(step_url(contract, "deposer")) not in page(client, overview_url(contract))
    assert client.post(step_url(contract, "deposer")).status_code == 403
    assert MidTermEvaluation.objects.get().status == MidTermStatus.DRAFT


def test_the_overview_runs_the_same_queries_whatever_the_number_of_actions(
    client, loire_atlantique, vendee, council
):
    small = build_contract(loire_atlantique)
    axis = AxisFactory(number=1)
    large = build_contract(vendee, actions=[action_data(axis, title=f"Action {n}") for n in range(4)])
    national = UserFactory(national=True)
    assert count_queries(client, overview_url(small), national) == count_queries(client, overview_url(large))


# --- Writing one's part and the conclusion ------------------------------------------------------------------------


def test_each_side_writes_its_part_on_the_action_page(client, contract, council, ddets):
    client.force_login(council)
    assert 'name="part-assessment"' in text(client.get(action_url(contract)))
    response = client.post(
        action_url(contract), part_post(methods=("documentaire", "autre"), detail="Entretiens")
    )
    assert response.status_code == 302
    client.force_login(ddets)
    response = client.post(action_url(contract), part_post("Le partenariat CAF tient."), follow=True)
    assert "La part (services de l&#x27;état) de la fiche-action n°1 est enregistrée." in text(response)
    parts = {part.side: part for part in EvaluationPart.objects.all()}
    assert (parts["collectivite"].author, parts["collectivite"].methods) == (
        council,
        ["documentaire", "autre"],
    )
    assert (parts["etat"].author, parts["etat"].assessment) == (ddets, "Le partenariat CAF tient.")
    html = text(response)
    assert "Entretiens" in html and "Le partenariat CAF tient." in html


def test_a_part_without_assessment_is_refused_on_its_field(client, contract, council):
    client.force_login(council)
    response = client.post(action_url(contract), part_post(assessment=" ", methods=()))
    assert response.status_code == 200
    html = text(response)
    assert "Fiche-action n°1 : rédigez l&#x27;appréciation (la part de la collectivité)." in html
    assert 'id="id_part-assessment-desc-error"' in html
    assert "Choisissez au moins une méthode d&#x27;évaluation." in html
    assert not EvaluationPart.objects.exists()


def test_a_part_opened_before_a_colleague_saved_is_refused(client, contract, council):
    services.save_evaluation_part(
        contract, council, side="collectivite", number=1, assessment="Un", methods=["documentaire"]
    )
    client.force_login(council)
    response = client.post(action_url(contract), part_post("Deux", version=0))
    assert "modifiées par quelqu’un d’autre" in text(response)
    assert EvaluationPart.objects.get().assessment == "Un"


def test_the_conclusion_adjust_needs_the_adjustments(client, contract, council, ddets):
    client.force_login(ddets)
    response = client.post(action_url(contract), conclusion_post("ajuster"))
    assert 'id="id_conclusion-conclusion_note-desc-error"' in text(response)
    assert "Précisez les ajustements de l&#x27;action." in text(response)
    response = client.post(action_url(contract), conclusion_post("ajuster", "Étendre aux QPV"), follow=True)
    assert "Ajuster l&#x27;action" in text(response)
    assert "Étendre aux QPV" in text(response)


def test_an_outsider_cannot_write_a_part(client, contract, other_council, other_ddets):
    for outsider in (other_council, other_ddets):
        client.force_login(outsider)
        assert client.post(action_url(contract), part_post()).status_code == 403
    client.logout()
    assert is_login(client.post(action_url(contract), part_post()))
    assert not EvaluationPart.objects.exists()


def test_an_action_outside_the_evaluated_version_is_not_found(client, contract, council):
    client.force_login(council)
    assert client.get(action_url(contract, 7)).status_code == 404


# --- Filing, reopening, closing -----------------------------------------------------------------------------------


def test_an_incomplete_evaluation_is_not_filed(client, contract, council):
    services.save_evaluation_part(
        contract, council, side="collectivite", number=1, assessment="A", methods=["documentaire"]
    )
    client.force_login(council)
    response = client.post(step_url(contract, "deposer"), follow=True)
    assert "Fiche-action n°1 : la part des services de l&#x27;État manque." in text(response)
    assert MidTermEvaluation.objects.get().status == MidTermStatus.DRAFT


def test_filed_by_one_side_reopened_refiled_then_closed_by_the_state(client, contract, council, ddets):
    evaluate_all(contract, council, ddets)
    client.force_login(council)
    response = client.post(step_url(contract, "deposer"), follow=True)
    assert "L&#x27;évaluation à mi-parcours est déposée." in text(response)
    assert 'name="part-assessment"' not in page(client, action_url(contract))
    assert client.post(step_url(contract, "cloturer")).status_code == 403
    client.post(step_url(contract, "rouvrir"))
    assert MidTermEvaluation.objects.get().status == MidTermStatus.DRAFT
    client.post(step_url(contract, "deposer"))
    client.force_login(ddets)
    response = client.post(step_url(contract, "cloturer"), follow=True)
    assert "L&#x27;évaluation à mi-parcours est clôturée." in text(response)
    assert MidTermEvaluation.objects.get().closed_by == ddets
    response = client.post(step_url(contract, "rouvrir"), follow=True)
    assert "elle ne peut plus être modifiée" in text(response)


def test_steps_are_refused_to_outsiders_and_anonymous_visitors(client, contract, council, ddets, other_ddets):
    evaluate_all(contract, council, ddets)
    assert is_login(client.post(step_url(contract, "deposer")))
    client.force_login(other_ddets)
    assert client.post(step_url(contract, "deposer")).status_code == 403
    client.force_login(council)
    assert client.post(step_url(contract, "publier")).status_code == 404
    assert client.get(step_url(contract, "deposer")).status_code == 405
    assert MidTermEvaluation.objects.get().status == MidTermStatus.DRAFT


def test_an_evaluation_filed_after_30_june_2026_is_late(client, contract, council, ddets):
    evaluate_all(contract, council, ddets)
    evaluation = services.file_evaluation(contract, council)
    client.force_login(council)
    MidTermEvaluation.objects.filter(pk=evaluation.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 6, 20, 10))
    )
    assert "en retard" not in text(client.get(overview_url(contract)))
    MidTermEvaluation.objects.filter(pk=evaluation.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 7, 2, 10))
    )
    assert "en retard" in text(client.get(overview_url(contract)))


def test_a_metropole_and_its_ddets_evaluate_together(client, loire_atlantique, ddets):
    metropole = EpciFactory(metropole=True, parent=loire_atlantique, name="Nantes Métropole")
    actions = [action_data(AxisFactory(number=n), title=f"Action de l'axe {n}") for n in range(1, 5)]
    contract = build_contract(metropole, actions=actions)
    client.force_login(UserFactory(metropole=True, territory=metropole))
    assert 'name="part-assessment"' in text(client.get(action_url(contract)))
    client.force_login(ddets)
    assert 'name="part-assessment"' in text(client.get(action_url(contract)))
    client.force_login(UserFactory(departement_council=True, territory=loire_atlantique))
    assert client.get(action_url(contract)).status_code == 403


def test_an_evaluation_of_the_former_form_is_shown_apart(client, contract, council):
    MidTermEvaluation.objects.create(
        contract=contract,
        version=contract,
        status=MidTermStatus.FILED,
        legacy_form=True,
        findings="1 200 familles",
    )
    html = page(client, overview_url(contract), council)
    assert "ancien formulaire" in html
    assert "1 200 familles" in html
    assert "Fiche-action n°1 : la part de la collectivité manque." in html


# --- PDF -------------------------------------------------------------------------------------------------------------


def test_the_pdf_of_an_evaluation(client, contract, council, ddets):
    evaluate_all(contract, council, ddets)
    services.file_evaluation(contract, council)
    client.force_login(ddets)
    response = client.get(pdf_url(contract))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        f'filename="evaluation-mi-parcours-{contract.territory.code}.pdf"' in response["Content-Disposition"]
    )


def test_the_pdf_html_shows_both_parts_and_the_conclusion(contract, council, ddets):
    from django.template.loader import render_to_string

    from pacte.contracts import evaluation_queries

    evaluate_all(contract, council, ddets, conclusion="arreter", note="Doublon avec la CAF")
    sheet = evaluation_queries.evaluation_sheet(contract)
    html = render_to_string(
        "contracts/evaluation_pdf.html",
        {"root": contract, "sheet": sheet, "record": sheet.evaluation, "due_on": datetime.date(2026, 6, 30)},
    )
    assert "PROJET" in html
    assert "Appréciation (collectivite) de la fiche-action n°1." in html
    assert "Arrêter l&#x27;action" in html and "Doublon avec la CAF" in html


# --- Consolidation of the conclusions --------------------------------------------------------------------------------


def test_the_national_consolidation_is_for_national_steering(
    client, contract, council, ddets, commissioner, national
):
    evaluate_all(contract, council, ddets, conclusion="ajuster", note="Moins de publics")
    services.file_evaluation(contract, council)
    url = reverse("contracts:evaluations")
    assert is_login(client.get(url))
    client.force_login(commissioner)
    assert client.get(url).status_code == 403
    html = page(client, url, national)
    assert "Pays de la Loire" in html
    assert "Ajuster l&#x27;action" in html


def test_a_region_consolidation_is_for_its_commissioner(
    client, contract, council, ddets, commissioner, region
):
    url = reverse("contracts:evaluations_region", kwargs={"code": region.code})
    assert is_login(client.get(url))
    client.force_login(UserFactory(commissioner=True, territory=RegionFactory(code="93")))
    assert client.get(url).status_code == 403
    client.force_login(ddets)
    assert client.get(url).status_code == 403
    html = page(client, url, commissioner)
    assert "Loire-Atlantique" in html
    assert client.get(reverse("contracts:evaluations_region", kwargs={"code": "00"})).status_code == 404


def test_the_conclusions_export(client, contract, council, ddets, national, commissioner, region):
    evaluate_all(contract, council, ddets, conclusion="arreter", note="Doublon")
    services.file_evaluation(contract, council)
    response = page(client, reverse("contracts:evaluations_export", args=["france", "csv"]), national)
    lines = response.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Regroupement;Libellé;Poursuivre l'action;Ajuster l'action;Arrêter l'action")
    assert "Ensemble;France;0;0;1;1;non" in lines
    assert "Région;Pays de la Loire;0;0;1;1;non" in lines
    regional = reverse("contracts:evaluations_export", args=[region.code, "csv"])
    assert "Convention;Loire-Atlantique (44);0;0;1;1;non" in page(client, regional, commissioner)
    assert client.get(reverse("contracts:evaluations_export", args=["france", "csv"])).status_code == 403
    assert client.get(reverse("contracts:evaluations_export", args=["france", "ods"])).status_code == 404
    client.logout()
    assert is_login(client.get(regional))
