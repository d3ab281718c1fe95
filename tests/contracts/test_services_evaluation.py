"""The joint mid-term evaluation: its rules (services), who may (perms), its reads (sheet, consolidation) and the
migration of the evaluations written on the former two-field form."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from pacte.contracts import evaluation_queries, perms
from pacte.contracts import services as contract_services
from pacte.contracts.models import ExecutionReport, ReportIndicatorValue
from pacte.contracts.models.evaluation import (
    ActionEvaluation,
    EvaluatedIndicator,
    EvaluationPart,
    MidTermEvaluation,
    MidTermStatus,
)
from pacte.contracts.services import evaluation as services
from pacte.core.enums import ReportStatus
from pacte.core.locking import StaleEditError
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract, evaluate_all
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory, RegionFactory


def write(contract, user, side="collectivite", number=1, **fields):
    data = {"assessment": "Des familles mieux accompagnées.", "methods": ["documentaire"]} | fields
    return services.save_evaluation_part(contract, user, side=side, number=number, **data)


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Each side's part ---------------------------------------------------------------------------------------


def test_each_side_writes_its_own_part_kept_with_its_author_and_date(contract, council, ddets):
    moment = timezone.make_aware(datetime.datetime(2026, 5, 4, 10))
    local = write(contract, council, now=moment)
    state = write(
        contract, ddets, side="etat", assessment="Un partenariat CAF à consolider.", methods=["questionnaire"]
    )
    assert (local.side, local.author, local.written_at) == ("collectivite", council, moment)
    assert (state.side, state.author) == ("etat", ddets)
    evaluation = MidTermEvaluation.objects.get(contract=contract)
    assert evaluation.version == contract
    assert EvaluationPart.objects.filter(action_evaluation__evaluation=evaluation).count() == 2
    # Rewriting one's part changes that part only, and its author is the last writer.
    colleague = UserFactory(departement_council=True, territory=contract.territory)
    write(contract, colleague, assessment="Revu.")
    assert EvaluationPart.objects.get(side="etat").assessment == "Un partenariat CAF à consolider."
    assert EvaluationPart.objects.get(side="collectivite").author == colleague


def test_a_part_needs_an_assessment_and_a_method(contract, council):
    with pytest.raises(ValidationError) as error:
        write(contract, council, assessment="  ", methods=[])
    assert messages(error) == {
        "assessment": ["Fiche-action n°1 : rédigez l'appréciation (la part de la collectivité)."],
        "methods": ["Choisissez au moins une méthode d'évaluation."],
    }
    assert not EvaluationPart.objects.exists()


def test_another_method_is_described(contract, council):
    with pytest.raises(ValidationError) as error:
        write(contract, council, methods=["autre"])
    assert messages(error) == {"method_detail": ["Décrivez l'autre méthode d'évaluation employée."]}
    with pytest.raises(ValidationError) as error:
        write(contract, council, methods=["sondage"])
    assert messages(error) == {"methods": ["Méthode d'évaluation inconnue : « sondage »."]}
    part = write(
        contract, council, methods=["autre", "documentaire"], method_detail="Entretiens avec les familles"
    )
    assert part.method_labels == ["Entretiens avec les familles", "Collecte et analyse documentaire"]


def test_an_unknown_side_an_unsigned_part_or_another_action_is_refused(contract, council):
    with pytest.raises(ValidationError) as error:
        write(contract, council, side="association")
    assert list(messages(error)) == ["side"]
    with pytest.raises(ValidationError) as error:
        write(contract, None)
    assert messages(error) == {"author": ["Une part de l'évaluation est signée : indiquez qui la rédige."]}
    with pytest.raises(ValidationError) as error:
        write(contract, council, number=9)
    assert messages(error) == {
        "action": ["La fiche-action n°9 n'appartient pas à la version évaluée du contrat."]
    }


def test_a_draft_contract_has_no_evaluation(loire_atlantique, council):
    draft = build_contract(loire_atlantique, signed=False)
    with pytest.raises(ValidationError) as error:
        write(draft, council)
    assert list(messages(error)) == ["contract"]
    assert not MidTermEvaluation.objects.exists()


def test_a_part_opened_before_someone_saved_it_is_refused(contract, council):
    part = write(contract, council)
    with pytest.raises(StaleEditError):
        write(contract, council, assessment="Écrasé ?", expected_version=part.lock_version - 1)
    write(contract, council, assessment="À jour.", expected_version=part.lock_version)
    assert EvaluationPart.objects.get().assessment == "À jour."


# --- The conclusion ------------------------------------------------------------------------------------------


def test_the_conclusion_is_recorded_with_its_author(contract, council, ddets):
    row = services.save_conclusion(contract, ddets, number=1, conclusion="poursuivre")
    assert (row.conclusion, row.conclusion_by) == ("poursuivre", ddets)
    row = services.save_conclusion(
        contract,
        council,
        number=1,
        conclusion="ajuster",
        note="Étendre aux QPV.",
        expected_version=row.lock_version,
    )
    assert (row.get_conclusion_display(), row.conclusion_note, row.conclusion_by) == (
        "Ajuster l'action",
        "Étendre aux QPV.",
        council,
    )


@pytest.mark.parametrize(
    ("conclusion", "field", "message"),
    [
        ("", "conclusion", "Fiche-action n°1 : choisissez poursuivre, ajuster ou arrêter l'action."),
        ("suspendre", "conclusion", "Conclusion inconnue : « suspendre »."),
        ("ajuster", "conclusion_note", "Précisez les ajustements de l'action."),
        ("arreter", "conclusion_note", "Précisez pourquoi arrêter l'action."),
    ],
)
def test_a_conclusion_is_one_of_three_and_adjusting_or_stopping_says_why(
    contract, council, conclusion, field, message
):
    with pytest.raises(ValidationError) as error:
        services.save_conclusion(contract, council, number=1, conclusion=conclusion)
    assert messages(error) == {field: [message]}
    assert not ActionEvaluation.objects.exclude(conclusion="").exists()


# --- Filing, reopening, closing -----------------------------------------------------------------------------


def test_the_evaluation_is_filed_once_every_action_has_both_parts_and_a_conclusion(contract, council, ddets):
    write(contract, council)
    with pytest.raises(ValidationError) as error:
        services.file_evaluation(contract, council)
    assert messages(error) == {
        "actions.1.etat": ["Fiche-action n°1 : la part des services de l'État manque."],
        "actions.1.conclusion": ["Fiche-action n°1 : la conclusion (poursuivre, ajuster, arrêter) manque."],
    }
    evaluate_all(contract, council, ddets)
    evaluation = services.file_evaluation(contract, ddets)
    assert (evaluation.status, evaluation.submitted_by) == (MidTermStatus.FILED, ddets)
    with pytest.raises(ValidationError) as error:
        write(contract, council)
    assert messages(error) == {
        "status": ["L'évaluation à mi-parcours est déposée : rouvrez-la pour la modifier."]
    }


def test_a_filed_evaluation_is_reopened_then_closed_by_the_state(contract, council, ddets):
    evaluate_all(contract, council, ddets)
    with pytest.raises(ValidationError) as error:
        services.close_evaluation(contract, ddets)
    assert messages(error) == {"status": ["Déposez l'évaluation avant de la clôturer."]}
    services.file_evaluation(contract, council)
    evaluation = services.reopen_evaluation(contract, council)
    assert (evaluation.status, evaluation.submitted_at) == (MidTermStatus.DRAFT, None)
    assert not EvaluatedIndicator.objects.exists()
    services.file_evaluation(contract, council)
    evaluation = services.close_evaluation(contract, ddets)
    assert (evaluation.status, evaluation.closed_by) == (MidTermStatus.CLOSED, ddets)
    for change in (services.reopen_evaluation, services.close_evaluation):
        with pytest.raises(ValidationError) as error:
            change(contract, ddets)
        assert messages(error) == {
            "status": ["L'évaluation à mi-parcours est clôturée : elle ne peut plus être modifiée."]
        }
    with pytest.raises(ValidationError):
        services.save_conclusion(contract, council, number=1, conclusion="arreter", note="Fin")


def test_only_a_filed_evaluation_is_reopened(contract, council):
    write(contract, council)
    with pytest.raises(ValidationError) as error:
        services.reopen_evaluation(contract, council)
    assert messages(error) == {"status": ["Seule une évaluation déposée peut être rouverte."]}


def _validated_report(root, year, values):
    report = ExecutionReport.objects.create(
        contract=root,
        version=root,
        year=year,
        due_on=datetime.date(year + 1, 3, 31),
        status=ReportStatus.VALIDATED,
    )
    for indicator, value in values.items():
        ReportIndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))
    return report


def test_indicators_reached_are_those_of_validated_reports_recorded_at_filing(contract, council, ddets):
    indicator = contract.actions.get().indicators.get()
    _validated_report(contract, 2024, {indicator: "80"})
    draft = _validated_report(contract, 2025, {indicator: "95"})
    ExecutionReport.objects.filter(pk=draft.pk).update(status=ReportStatus.SUBMITTED)
    line = evaluation_queries.evaluation_sheet(contract).actions[0].indicators[0]
    assert [(cell.year, cell.target, cell.reached) for cell in line.years] == [
        (2024, Decimal("100"), Decimal("80")),
        (2025, Decimal("100"), None),  # filed, not validated
        (2026, Decimal("100"), None),
        (2027, Decimal("100"), None),
    ]
    evaluate_all(contract, council, ddets)
    services.file_evaluation(contract, council)
    assert EvaluatedIndicator.objects.filter(reached__isnull=False).count() == 1
    # A report validated after the filing does not change the filed evaluation.
    ExecutionReport.objects.filter(pk=draft.pk).update(status=ReportStatus.VALIDATED)
    line = evaluation_queries.evaluation_sheet(contract).actions[0].indicators[0]
    assert [cell.reached for cell in line.years] == [Decimal("80"), None, None, None]


def test_an_avenant_signed_after_the_start_leaves_the_evaluated_version(contract, council):
    write(contract, council)
    amendment = contract_services.create_amendment(contract, None, reason="Ajout d'une action")
    amendment.status = "signe"
    amendment.save()
    sheet = evaluation_queries.evaluation_sheet(contract)
    assert sheet.version == contract
    assert evaluation_queries.evaluated_version(contract, None) == amendment


# --- Who may ---------------------------------------------------------------------------------------------------


def test_the_collectivite_and_the_state_services_write_national_steering_reads(
    contract, council, ddets, vendee
):
    commissioner = UserFactory(commissioner=True, territory=contract.territory.region)
    national = UserFactory(national=True)
    assert perms.evaluation_side(council, contract) == "collectivite"
    assert perms.evaluation_side(ddets, contract) == "etat"
    assert perms.evaluation_side(commissioner, contract) == "etat"
    assert perms.evaluation_side(national, contract) is None
    assert perms.can_follow_contract(national, contract)
    for outsider in (
        UserFactory(departement_council=True, territory=vendee),
        UserFactory(ddets=True, territory=vendee),
        UserFactory(commissioner=True, territory=RegionFactory(code="93")),
        UserFactory(association=True, territory=contract.territory),
    ):
        assert not perms.can_write_evaluation(outsider, contract)
    assert perms.can_close_evaluation(ddets, contract) and perms.can_close_evaluation(commissioner, contract)
    assert not perms.can_close_evaluation(council, contract)


def test_the_consolidation_is_for_national_steering_and_the_commissioner_of_the_region(region):
    commissioner = UserFactory(commissioner=True, territory=region)
    other = RegionFactory(code="93")
    assert perms.can_view_evaluation_consolidation(UserFactory(national=True))
    assert perms.can_view_evaluation_consolidation(commissioner, region)
    assert not perms.can_view_evaluation_consolidation(commissioner)
    assert not perms.can_view_evaluation_consolidation(commissioner, other)
    assert not perms.can_view_evaluation_consolidation(UserFactory(ddets=True), region)


# --- Consolidation ----------------------------------------------------------------------------------------------


def test_conclusions_are_counted_by_conclusion_axis_and_region(contract, council, ddets, vendee):
    axis = AxisFactory(number=3, title="Accès aux droits")
    vendee_contract = build_contract(
        vendee, actions=[action_data(axis, title="Aller vers"), action_data(axis, title="Domiciliation")]
    )
    vendee_council = UserFactory(departement_council=True, territory=vendee)
    vendee_ddets = UserFactory(ddets=True, territory=vendee)
    evaluate_all(
        vendee_contract, vendee_council, vendee_ddets, conclusion="arreter", note="Doublon avec la CAF"
    )
    services.file_evaluation(vendee_contract, vendee_council)
    evaluate_all(contract, council, ddets)  # a draft: not counted
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    build_contract(DepartementFactory(code="13", name="Bouches-du-Rhône", parent=paca))

    data = evaluation_queries.consolidate_conclusions()
    assert data.total.cells == [0, 0, 2]
    assert {row.label: row.counts.total for row in data.by_axis}["Axe 3 – Accès aux droits"] == 2
    assert {row.label: row.counts.cells for row in data.by_region} == {
        "Pays de la Loire": [0, 0, 2],
        "Provence-Alpes-Côte d'Azur": [0, 0, 0],
    }
    assert data.progress.conventions == 3
    assert data.progress.by_status == {"brouillon": 1, "deposee": 1, "cloturee": 0}
    assert data.progress.not_started == 1
    regional = evaluation_queries.consolidate_conclusions(vendee.region)
    assert [(row.label, row.counts.total) for row in regional.by_convention] == [
        ("Loire-Atlantique", 0),
        ("Vendée", 2),
    ]


# --- Evaluations written on the former form ---------------------------------------------------------------------


def test_the_migration_keeps_former_evaluations_and_marks_them(contract, loire_atlantique, vendee):
    filed = MidTermEvaluation.objects.create(
        contract=contract,
        status=MidTermStatus.FILED,
        findings="1 200 familles accompagnées",
        recommendations="Un avenant",
        submitted_at=timezone.make_aware(datetime.datetime(2026, 6, 22, 10)),
    )
    empty = MidTermEvaluation.objects.create(contract=build_contract(vendee))
    migration = importlib.import_module("pacte.contracts.migrations.0003_joint_mid_term_evaluation")
    migration.keep_existing_evaluations(apps, None)
    filed.refresh_from_db()
    empty.refresh_from_db()
    assert (filed.legacy_form, filed.version, filed.status, filed.findings) == (
        True,
        contract,
        MidTermStatus.FILED,
        "1 200 familles accompagnées",
    )
    assert (empty.legacy_form, empty.version) == (False, empty.contract)
    # A former evaluation cannot be closed as it is: the joint parts are missing.
    with pytest.raises(ValidationError) as error:
        services.close_evaluation(contract, None)
    assert "actions.1.collectivite" in messages(error)


def test_a_filed_evaluation_without_the_joint_parts_is_listed_for_compliance(
    contract, council, ddets, vendee
):
    from pacte.contracts.compliance import Scope

    MidTermEvaluation.objects.create(
        contract=contract,
        version=contract,
        status=MidTermStatus.FILED,
        legacy_form=True,
        findings="Constat",
        submitted_at=timezone.make_aware(datetime.datetime(2026, 6, 22, 10)),
    )
    complete = build_contract(vendee)
    vendee_council = UserFactory(departement_council=True, territory=vendee)
    evaluate_all(complete, vendee_council, UserFactory(ddets=True, territory=vendee))
    services.file_evaluation(complete, vendee_council)
    found = list(evaluation_queries.check_filed_evaluations(Scope()))
    assert [(finding.contract, finding.field) for finding in found] == [(contract, "evaluation")]
    assert found[0].message == (
        "Évaluation à mi-parcours déposée le 22 juin 2026 sur l'ancien formulaire sans l'évaluation conjointe de "
        "1 fiche-action sur 1 (part de la collectivité, part des services de l'État, conclusion) : rouvrez-la pour "
        "la compléter."
    )
    assert not list(evaluation_queries.check_filed_evaluations(Scope(territories=Q(territory=vendee))))


def test_a_complete_evaluation_of_several_actions_is_not_listed_for_compliance(vendee):
    from pacte.contracts.compliance import Scope

    axis = AxisFactory(number=1)
    complete = build_contract(vendee, actions=[action_data(axis, title=f"Fiche {n}") for n in (1, 2, 3)])
    vendee_council = UserFactory(departement_council=True, territory=vendee)
    evaluate_all(complete, vendee_council, UserFactory(ddets=True, territory=vendee))
    services.file_evaluation(complete, vendee_council)
    assert list(evaluation_queries.check_filed_evaluations(Scope())) == []
