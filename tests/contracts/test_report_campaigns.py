"""When the yearly execution reports are due: the campaign national steering sets for each year (and its page), a
convention reporting from the year it was signed, and a report waiting on the State's notified credits."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pacte.contracts import report_queries, services
from pacte.contracts.models import ExecutionReport
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.services import execution
from pacte.core.locking import StaleEditError
from tests.contracts.factories import TODAY, build_contract, campaigns, fill_report, notify
from tests.helpers import is_login, page

CAMPAIGNS = reverse("contracts:report_campaigns")


def edit_url(year: int) -> str:
    return reverse("contracts:report_campaign_edit", kwargs={"year": year})


# --- The campaign ---------------------------------------------------------------------------------------------


def test_a_campaign_sets_the_due_date_of_every_report_of_its_year(contract):
    report = services.open_report(contract, 2024, today=TODAY)
    assert report.due_on is None
    campaign = execution.set_report_campaign(2024, datetime.date(2025, 6, 30), None, note="Instruction DIPLP")
    report.refresh_from_db()
    assert report.due_on == datetime.date(2025, 6, 30)
    assert (campaign.note, campaign.lock_version) == ("Instruction DIPLP", 1)
    moved = execution.set_report_campaign(2024, datetime.date(2025, 9, 30), None, expected_version=1)
    report.refresh_from_db()
    assert report.due_on == datetime.date(2025, 9, 30) == moved.due_on
    assert services.open_report(contract, 2025, today=TODAY).due_on is None


def test_a_due_date_before_the_report_opens_is_refused(contract):
    with pytest.raises(ValidationError) as error:
        execution.set_report_campaign(2025, datetime.date(2025, 12, 31), None)
    assert error.value.message_dict["due_on"] == [
        "Le rapport 2025 s'ouvre le 1er janvier 2026 : la date limite de dépôt doit venir après."
    ]
    assert not ReportCampaign.objects.exists()


def test_a_campaign_moved_from_a_stale_read_is_refused():
    execution.set_report_campaign(2024, datetime.date(2025, 3, 31), None)
    execution.set_report_campaign(2024, datetime.date(2025, 4, 30), None, expected_version=1)
    with pytest.raises(StaleEditError):
        execution.set_report_campaign(2024, datetime.date(2025, 5, 31), None, expected_version=1)
    with pytest.raises(StaleEditError):  # the form read no campaign, someone created it meanwhile
        execution.set_report_campaign(2024, datetime.date(2025, 5, 31), None, expected_version=0)
    assert ReportCampaign.objects.get().due_on == datetime.date(2025, 4, 30)


# --- Which years a convention reports on ---------------------------------------------------------------------


def test_a_convention_signed_in_2025_reports_from_2025_and_is_not_late_for_2024(loire_atlantique):
    campaigns(2024, 2025)
    contract = build_contract(loire_atlantique, signed_on=datetime.date(2025, 2, 10))
    with pytest.raises(ValidationError) as error:
        services.open_report(contract, 2024, today=TODAY)
    assert error.value.message_dict["year"] == [
        "La convention est signée en 2025 : elle rend compte à partir de 2025, pas de 2024."
    ]
    rows = report_queries.report_rows(contract, may_open=True, today=TODAY)
    assert [row.year for row in rows] == [2025, 2026, 2027]
    assert not any(row.is_late for row in rows[1:])
    assert services.open_report(contract, 2025, today=TODAY).year == 2025


def test_a_convention_signed_late_in_2024_reports_for_2024(loire_atlantique):
    contract = build_contract(loire_atlantique, signed_on=datetime.date(2024, 9, 20))
    assert execution.first_report_year(contract) == 2024
    assert services.open_report(contract, 2024, today=TODAY).year == 2024


def test_the_rows_say_when_each_report_opens_and_whether_it_is_due(contract):
    campaigns(2024)
    rows = report_queries.report_rows(contract, may_open=True, today=datetime.date(2025, 4, 1))
    first, second = rows[0], rows[1]
    assert (first.due_on, first.is_late, first.can_open) == (datetime.date(2025, 3, 31), True, True)
    assert (second.due_on, second.is_late, second.can_open) == (None, False, False)
    assert second.opens_on == datetime.date(2026, 1, 1)


# --- Waiting on the notified credits --------------------------------------------------------------------------


def test_a_report_waits_on_the_credits_until_the_state_notifies_them(contract):
    report = services.open_report(contract, 2024, today=TODAY)
    wait = execution.credit_wait(report)
    assert wait is not None and "ne sont pas encore notifiés" in wait.message
    notify(contract, 2024, amount="30000")
    fill_report(report, state="40000")
    assert "dépassent les crédits notifiés pour 2024" in execution.credit_wait(report).message
    notify(contract, 2024, amount="50000")
    assert execution.credit_wait(report) is None


def test_the_ddets_and_the_collectivite_see_the_report_waiting(client, contract, council, ddets):
    report = services.open_report(contract, 2024, today=TODAY)
    report_url = reverse("contracts:report", kwargs={"pk": contract.pk, "year": 2024})
    html = page(client, report_url, ddets)
    assert "En attente des crédits notifiés" in html and "Saisir les crédits notifiés 2024" in html
    html = page(client, report_url, council)
    assert "En attente des crédits notifiés" in html and "Saisir les crédits notifiés" not in html
    assert "en attente des crédits notifiés" in page(
        client, reverse("contracts:reports", kwargs={"pk": contract.pk}), council
    )
    notify(contract, 2024)
    assert "En attente des crédits notifiés" not in page(client, report_url, ddets)
    assert ExecutionReport.objects.get() == report


# --- The campaigns page ---------------------------------------------------------------------------------------


@pytest.fixture
def national(world):
    return world.national


def test_national_steering_sets_a_campaign_through_its_page(client, world, national):
    html = page(client, CAMPAIGNS, national)
    assert "fixée par le pilotage national" in html and "Fixer la date 2024" in html
    response = client.post(
        edit_url(2024), {"lock_version": "0", "due_on": "2025-05-15", "note": "Note DIPLP"}
    )
    assert response.status_code == 302 and response.url == CAMPAIGNS
    campaign = ReportCampaign.objects.get(year=2024)
    assert (campaign.due_on, campaign.note, campaign.updated_by) == (
        datetime.date(2025, 5, 15),
        "Note DIPLP",
        national,
    )
    assert "15 mai 2025" in page(client, CAMPAIGNS)


def test_a_wrong_date_is_refused_on_its_field(client, world, national):
    client.force_login(national)
    response = client.post(edit_url(2026), {"lock_version": "0", "due_on": "2026-06-30", "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == [
        "Le rapport 2026 s'ouvre le 1er janvier 2027 : la date limite de dépôt doit venir après."
    ]
    assert not ReportCampaign.objects.exists()
    assert client.get(edit_url(2031)).status_code == 404


def test_the_campaigns_are_refused_to_the_state_s_other_services_and_to_anonymous_visitors(client, world):
    for user in (world.commissioner, world.ddets_a, world.local_a):
        page(client, CAMPAIGNS, user, status=403)
        client.force_login(user)
        assert client.post(edit_url(2024), {"lock_version": "0", "due_on": "2025-05-15"}).status_code == 403
    client.logout()
    assert is_login(client.get(CAMPAIGNS))
    assert not ReportCampaign.objects.exists()


def test_the_years_reported_before_the_campaigns_keep_their_date_as_a_campaign(contract):
    """The data migration: reports opened under the former rule (31 March) keep their date, now a campaign that
    national steering may move."""
    from django.apps import apps

    migration = importlib.import_module("pacte.contracts.migrations.0006_action_rules_report_campaigns")
    report = services.open_report(contract, 2024, today=TODAY)
    ExecutionReport.objects.filter(pk=report.pk).update(due_on=datetime.date(2025, 3, 31))
    migration.campaigns_from_existing_reports(apps, None)
    campaign = ReportCampaign.objects.get()
    assert (campaign.year, campaign.due_on) == (2024, datetime.date(2025, 3, 31))
    assert "règle précédente de la plateforme" in campaign.note
    report.refresh_from_db()
    assert report.due_on == datetime.date(2025, 3, 31)
