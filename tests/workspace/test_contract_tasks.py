"""The tasks of the contracts in « Mon espace »: each for the party that must act, none for the same role
outside the scope."""

import datetime

from django.utils import timezone

from pacte.contracts import services
from pacte.contracts.enums import ContractStatus, MidTermStatus
from pacte.contracts.models import ExecutionReport, MidTermEvaluation, NotifiedAllocation
from pacte.core.enums import ReportStatus
from tests.accounts.factories import UserFactory
from tests.contracts.factories import build_contract, campaigns, notify
from tests.workspace.factories import TODAY, tasks_of, titles


def file_report(contract, year):
    """The report of `year` (opened when needed), filed (the filing's own checks are the contracts tests' business)."""
    report = ExecutionReport.objects.filter(contract=contract, year=year).first()
    report = report or services.open_report(contract, year, today=TODAY)
    ExecutionReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    return report


def test_the_collectivite_files_the_reports_of_the_years_over_by_the_campaign_date(
    places, council, other_council
):
    contract = build_contract(places.loire_atlantique)
    campaigns(2024)
    tasks = tasks_of(council, "contract_reports_to_file")
    assert [(task.title, task.due_on) for task in tasks] == [
        (
            "Rapport d'exécution 2024 – Contrat local des solidarités – Loire-Atlantique",
            datetime.date(2025, 3, 31),
        ),
        ("Rapport d'exécution 2025 – Contrat local des solidarités – Loire-Atlantique", None),
    ]
    assert tasks[0].is_overdue is False  # `today` is set when grouped: see test_page
    assert tasks[1].detail == "date limite pas encore fixée par le pilotage national"
    assert tasks[0].url == f"/contrats/{contract.pk}/rapports/"
    assert tasks_of(other_council, "contract_reports_to_file") == []


def test_an_opened_report_is_to_complete_until_filed_then_to_review_by_the_ddets(
    places, council, ddets, other_ddets, commissioner, other_commissioner, national
):
    contract = build_contract(places.loire_atlantique)
    report = services.open_report(contract, 2024, today=TODAY)
    [task] = [task for task in tasks_of(council, "contract_reports_to_file") if "2024" in task.title]
    assert task.url == report.get_absolute_url() and task.action == "Compléter et déposer"
    assert tasks_of(ddets, "contract_reports_to_review") == []

    file_report(contract, 2024)
    assert "Rapport d'exécution 2024 – Contrat local des solidarités – Loire-Atlantique" not in titles(
        council, "contract_reports_to_file"
    )
    for state in (ddets, commissioner):
        assert titles(state, "contract_reports_to_review") == [
            "Rapport d'exécution 2024 – Contrat local des solidarités – Loire-Atlantique"
        ]
    for outsider in (other_ddets, other_commissioner, national, council):
        assert tasks_of(outsider, "contract_reports_to_review") == []


def test_a_report_sent_back_is_to_correct(places, council):
    contract = build_contract(places.loire_atlantique)
    report = services.open_report(contract, 2024, today=TODAY)
    ExecutionReport.objects.filter(pk=report.pk).update(status=ReportStatus.SENT_BACK)
    [task] = [task for task in tasks_of(council, "contract_reports_to_file") if "2024" in task.title]
    assert task.detail == "renvoyé pour corrections"


def test_each_party_acts_on_a_contract_at_its_status(places, council, ddets, other_council, other_ddets):
    contract = build_contract(places.loire_atlantique, signed=False)
    assert [task.action for task in tasks_of(council, "contracts_to_act")] == ["Soumettre"]
    assert tasks_of(ddets, "contracts_to_act") == []

    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    assert [task.action for task in tasks_of(council, "contracts_to_act")] == ["Valider"]
    assert [task.action for task in tasks_of(ddets, "contracts_to_act")] == ["Valider"]

    contract = services.validate_contract(contract, ddets, side="state")
    assert tasks_of(ddets, "contracts_to_act") == []  # its side is validated: the collectivité's turn
    assert [task.action for task in tasks_of(council, "contracts_to_act")] == ["Valider"]

    services.validate_contract(contract, council, side="local")
    assert [task.action for task in tasks_of(ddets, "contracts_to_act")] == ["Signer"]
    assert tasks_of(council, "contracts_to_act") == []
    for outsider in (other_council, other_ddets):
        assert tasks_of(outsider, "contracts_to_act") == []


def test_the_state_notifies_the_credits_of_each_year_whose_ceiling_was_notified(
    places, council, ddets, other_ddets, national
):
    contract = build_contract(places.loire_atlantique)  # ceilings notified for 2024-2027, signed in 2024
    assert titles(ddets, "credits_to_notify") == [
        "Crédits 2024 – Contrat local des solidarités – Loire-Atlantique",
        "Crédits 2025 – Contrat local des solidarités – Loire-Atlantique",
        "Crédits 2026 – Contrat local des solidarités – Loire-Atlantique",
    ]
    notify(contract, 2024)
    assert "Crédits 2024 – Contrat local des solidarités – Loire-Atlantique" not in titles(
        ddets, "credits_to_notify"
    )
    for outsider in (other_ddets, national, council):
        assert tasks_of(outsider, "credits_to_notify") == []


def test_no_credits_to_notify_for_a_year_whose_ceiling_is_not_notified(places, ddets):
    build_contract(places.loire_atlantique)
    NotifiedAllocation.objects.filter(year=2026).delete()
    assert "Crédits 2026 – Contrat local des solidarités – Loire-Atlantique" not in titles(
        ddets, "credits_to_notify"
    )
    assert "Crédits 2025 – Contrat local des solidarités – Loire-Atlantique" in titles(
        ddets, "credits_to_notify"
    )


def test_both_parties_file_the_mid_term_evaluation_and_the_state_closes_it(
    places, council, ddets, other_council, other_ddets, national
):
    contract = build_contract(places.loire_atlantique)
    for party in (council, ddets):
        [task] = tasks_of(party, "evaluations")
        assert task.due_on == datetime.date(2026, 6, 30)
        assert task.url == f"/contrats/{contract.pk}/evaluation/"
    MidTermEvaluation.objects.create(contract=contract, status=MidTermStatus.FILED)
    assert tasks_of(council, "evaluations") == []
    assert [task.action for task in tasks_of(ddets, "evaluations")] == ["Clôturer"]
    for outsider in (other_council, other_ddets, national):
        assert tasks_of(outsider, "evaluations") == []


def test_national_steering_sets_the_campaigns_of_the_years_over(places, national, ddets):
    campaigns(2024)
    assert titles(national, "report_campaigns") == ["Date limite des rapports d'exécution 2025"]
    assert titles(national, "report_campaigns", today=datetime.date(2027, 1, 2)) == [
        "Date limite des rapports d'exécution 2025",
        "Date limite des rapports d'exécution 2026",
    ]
    assert tasks_of(ddets, "report_campaigns") == []


def test_a_metropole_submits_its_own_contract_not_the_departement(places, council):
    metropole_user = UserFactory(username="marc", metropole=True, territory=places.nantes)
    build_contract(places.nantes, signed=False)
    assert titles(metropole_user, "contracts_to_act")
    assert tasks_of(council, "contracts_to_act") == []
