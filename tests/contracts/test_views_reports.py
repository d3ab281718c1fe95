"""Pages of the yearly execution reports: the list by year, a report, its edition, filing and review."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.contracts import services
from pacte.contracts.enums import Funder
from pacte.contracts.models import ActionIndicator, BudgetLine, Credit, ExecutionReport, ReportIndicatorValue
from pacte.core.enums import ReportStatus
from tests.accounts.factories import UserFactory
from tests.contracts.factories import TODAY, action_data, build_contract, campaigns, fill_report, notify
from tests.helpers import is_login, keep_menu_count, text
from tests.territories.factories import RegionFactory


@pytest.fixture
def report(contract):
    return services.open_report(contract, 2024, today=TODAY)


def form_data(
    report, *, value="80", state="40000", local="45000", assessment="Une année de mise en route.", **extra
):
    """The POST data of the report form with every field filled."""
    data = {"lock_version": report.lock_version, "qualitative_assessment": assessment}
    for indicator in ActionIndicator.objects.filter(action__contract=report.version):
        data[f"value_{indicator.pk}"] = value
    for line in BudgetLine.objects.filter(action__contract=report.version, year=report.year):
        data[f"spent_{line.action_id}_{line.pk}"] = state if line.funder == Funder.STATE else local
    data.update(extra)
    return data


def state_field(report) -> str:
    line = BudgetLine.objects.get(action__contract=report.version, year=report.year, funder=Funder.STATE)
    return f"spent_{line.action_id}_{line.pk}"


def value_field(report) -> str:
    return f"value_{ActionIndicator.objects.get(action__contract=report.version).pk}"


def url(name, report):
    return reverse(f"contracts:{name}", kwargs={"pk": report.contract_id, "year": report.year})


def row_of(html: str, label: str) -> str:
    """The table row holding `label`."""
    return next(row for row in re.split(r"<tr[ >]", html) if label in row)


# --- The list of reports ----------------------------------------------------------------------------------


def test_the_reports_page_lists_each_year_with_status_due_date_and_reviewer(
    client, contract, report, council, ddets, django_assert_max_num_queries
):
    campaigns(2024)
    notify(contract, 2024)
    fill_report(report)
    services.submit_report(report, council, now=datetime.datetime(2025, 3, 10, 9, tzinfo=datetime.UTC))
    services.review_report(report, ddets, validate=True)
    services.open_report(contract, 2025, today=TODAY)
    client.force_login(council)
    keep_menu_count(council)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("contracts:reports", kwargs={"pk": contract.pk}))
    assert response.status_code == 200
    html = text(response)
    first = row_of(html, "Rapport 2024")
    assert "Validé" in first
    assert "31 mars 2025" in first
    assert "10 mars 2025" in first
    assert ddets.get_full_name() in first
    assert "en retard" not in first
    second = row_of(html, "Rapport 2025</a>")
    assert "Brouillon" in second
    assert "fixée par le pilotage national (pas encore fixée)" in second
    assert "en attente des crédits notifiés" in second  # nothing notified for 2025 yet
    assert "Non ouvert" in row_of(html, '<th scope="row">2027</th>')
    assert "S’ouvre le 1er janvier 2028" in row_of(html, '<th scope="row">2027</th>')


def test_a_report_filed_after_its_due_date_is_flagged_late(client, contract, report, council):
    campaigns(2024, 2025)
    notify(contract, 2024)
    fill_report(report)
    services.submit_report(report, council, now=datetime.datetime(2025, 4, 15, 9, tzinfo=datetime.UTC))
    on_time = services.open_report(contract, 2025, today=TODAY)
    notify(contract, 2025)
    fill_report(on_time)
    services.submit_report(on_time, council, now=datetime.datetime(2026, 3, 30, 9, tzinfo=datetime.UTC))
    client.force_login(council)
    html = text(client.get(reverse("contracts:reports", kwargs={"pk": contract.pk})))
    assert "en retard" in row_of(html, "Rapport 2024")
    assert "en retard" not in row_of(html, "Rapport 2025")
    assert "en retard" in text(client.get(url("report", report)))


def test_the_collectivite_opens_the_report_of_a_year(client, contract, council):
    client.force_login(council)
    response = client.post(reverse("contracts:report_open", kwargs={"pk": contract.pk}), {"year": "2024"})
    report = ExecutionReport.objects.get(contract=contract, year=2024)
    assert response.status_code == 302
    assert response.url == url("report_edit", report)
    assert report.version == contract


def test_opening_a_report_twice_or_for_a_year_outside_the_period_is_refused_in_french(
    client, contract, council
):
    client.force_login(council)
    opening = reverse("contracts:report_open", kwargs={"pk": contract.pk})
    client.post(opening, {"year": "2024"})
    response = client.post(opening, {"year": "2024"}, follow=True)
    assert "Le rapport d&#x27;exécution 2024 existe déjà." in text(response)
    response = client.post(opening, {"year": "2023"}, follow=True)
    assert "Choisissez une année de la période du contrat" in text(response)
    assert ExecutionReport.objects.count() == 1


def test_the_state_cannot_open_a_report(client, contract, ddets):
    client.force_login(ddets)
    response = client.post(reverse("contracts:report_open", kwargs={"pk": contract.pk}), {"year": "2024"})
    assert response.status_code == 403
    assert not ExecutionReport.objects.exists()


def test_only_the_collectivite_sees_the_open_buttons(client, contract, council, ddets):
    reports_url = reverse("contracts:reports", kwargs={"pk": contract.pk})
    client.force_login(council)
    assert "Ouvrir le rapport 2024" in text(client.get(reports_url))
    client.force_login(ddets)
    assert "Ouvrir le rapport" not in text(client.get(reports_url))


def test_an_avenant_shows_the_reports_of_its_convention(client, contract, report, council):
    amendment = services.create_amendment(contract, None, reason="Nouvelle action")
    client.force_login(council)
    response = client.get(reverse("contracts:reports", kwargs={"pk": amendment.pk}))
    assert response.status_code == 200
    assert url("report", report) in text(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_reports_export_as_csv_and_xlsx(client, contract, report, council, fmt):
    campaigns(2024)
    client.force_login(council)
    response = client.get(reverse("contracts:reports", kwargs={"pk": contract.pk}), {"format": fmt})
    assert response.status_code == 200
    assert f"rapports-execution-44.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert text.startswith("Année;Statut;À déposer avant le")
        assert "2024;Brouillon;2025-03-31" in text


def test_an_unknown_export_format_is_not_found(client, contract, council):
    client.force_login(council)
    assert (
        client.get(reverse("contracts:reports", kwargs={"pk": contract.pk}), {"format": "pdf"}).status_code
        == 404
    )


# --- Who may see what --------------------------------------------------------------------------------------


PAGES = ["reports", "report", "report_edit"]


def _page_url(name, contract, report):
    if name == "reports":
        return reverse("contracts:reports", kwargs={"pk": contract.pk})
    return url(name, report)


@pytest.mark.parametrize("name", PAGES)
def test_the_parties_follow_the_reports(client, contract, report, council, name):
    client.force_login(council)
    assert client.get(_page_url(name, contract, report)).status_code == 200


@pytest.mark.parametrize("name", ["reports", "report"])
def test_the_state_and_the_commissioner_follow_the_reports(client, contract, report, ddets, region, name):
    client.force_login(ddets)
    assert client.get(_page_url(name, contract, report)).status_code == 200
    client.force_login(UserFactory(commissioner=True, territory=region))
    assert client.get(_page_url(name, contract, report)).status_code == 200
    client.force_login(UserFactory(national=True))
    assert client.get(_page_url(name, contract, report)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_collectivite_of_another_departement_is_refused_with_a_french_page(
    client, contract, report, other_council, name
):
    client.force_login(other_council)
    response = client.get(_page_url(name, contract, report))
    assert response.status_code == 403
    assert "Accès refusé" in text(response)


@pytest.mark.parametrize("name", ["reports", "report"])
def test_the_ddets_of_another_departement_is_refused(client, contract, report, other_ddets, name):
    client.force_login(other_ddets)
    assert client.get(_page_url(name, contract, report)).status_code == 403


def test_a_commissioner_of_another_region_is_refused(client, contract, report):
    client.force_login(
        UserFactory(commissioner=True, territory=RegionFactory(code="84", name="Auvergne-Rhône-Alpes"))
    )
    assert client.get(url("report", report)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_is_asked_to_sign_in(client, contract, report, name):
    assert is_login(client.get(_page_url(name, contract, report)))


def test_anonymous_posts_are_asked_to_sign_in(client, contract, report):
    assert is_login(
        client.post(reverse("contracts:report_open", kwargs={"pk": contract.pk}), {"year": "2025"})
    )
    assert is_login(client.post(url("report_submit", report)))
    assert not ExecutionReport.objects.filter(year=2025).exists()


def test_the_reports_of_a_draft_do_not_exist_for_outsiders(client, vendee, council, other_council):
    draft = build_contract(vendee, signed=False)
    client.force_login(council)
    assert client.get(reverse("contracts:reports", kwargs={"pk": draft.pk})).status_code == 404
    client.force_login(other_council)
    response = client.get(reverse("contracts:reports", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    assert "pas encore signé" in text(response)
    assert "Ouvrir le rapport" not in text(response)


def test_a_year_without_report_is_not_found(client, contract, council):
    client.force_login(council)
    assert (
        client.get(reverse("contracts:report", kwargs={"pk": contract.pk, "year": 2025})).status_code == 404
    )


# --- Filling in a report -------------------------------------------------------------------------------------


def test_the_report_form_shows_each_indicator_with_its_target_and_each_budget_line(client, report, council):
    client.force_login(council)
    html = text(client.get(url("report_edit", report)))
    assert "« Personnes accompagnées » : valeur réalisée en 2024 (personnes)" in html
    assert "Cible 2024 : 100 personnes" in html
    assert "dépensé par État en 2024 (€)" in html
    assert "dépensé par Collectivité en 2024 (€)" in html
    assert "Budgété : 50\u202f000\u202f€" in html
    assert f'name="{value_field(report)}"' in html
    assert 'name="lock_version"' in html


def test_the_collectivite_saves_its_report_with_decimal_commas(client, report, council):
    client.force_login(council)
    response = client.post(url("report_edit", report), form_data(report, state="1 500,50"))
    assert response.status_code == 302
    assert response.url == url("report", report)
    report.refresh_from_db()
    assert report.qualitative_assessment == "Une année de mise en route."
    assert report.indicator_values.get().value == Decimal("80")
    assert report.spendings.get(funder=Funder.STATE).amount == Decimal("1500.50")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12,5", "L&#x27;indicateur se compte en personnes : 12,5 n&#x27;est pas un nombre entier."),
        ("-3", "Une valeur d&#x27;indicateur ne peut pas être négative."),
        ("beaucoup", "Saisissez un nombre."),
    ],
)
def test_a_wrong_indicator_value_is_shown_on_its_field_and_nothing_is_saved(
    client, report, council, value, message
):
    client.force_login(council)
    response = client.post(url("report_edit", report), form_data(report, value=value))
    assert response.status_code == 200
    html = text(response)
    assert message in html
    assert f'href="#id_{value_field(report)}"' in html  # the summary links to the field
    assert f'id="id_{value_field(report)}-desc-error"' in html
    report.refresh_from_db()
    assert report.qualitative_assessment == ""
    assert not ReportIndicatorValue.objects.exists()


def test_a_percentage_above_100_is_refused(client, loire_atlantique, council):
    contract = build_contract(loire_atlantique, actions=[action_data(unit="pourcentage", target="60")])
    report = services.open_report(contract, 2024, today=TODAY)
    client.force_login(council)
    response = client.post(url("report_edit", report), form_data(report, value="120"))
    assert "L&#x27;indicateur est en pourcentage : 120 dépasse 100." in text(response)
    assert not ReportIndicatorValue.objects.exists()


def test_a_negative_spending_is_refused_on_its_funder(client, report, council):
    client.force_login(council)
    response = client.post(url("report_edit", report), form_data(report, state="-10"))
    html = text(response)
    assert response.status_code == 200
    assert f'id="id_{state_field(report)}-desc-error"' in html
    assert "Un montant ne peut pas être négatif." in html
    assert (
        "Fiche-action n°1 – dépensé par État en 2024 (€)</a> : Un montant ne peut pas être négatif." in html
    )
    assert not report.spendings.exists()


def test_a_spending_once_given_cannot_be_blanked(client, report, council):
    fill_report(report)
    client.force_login(council)
    response = client.post(url("report_edit", report), form_data(report, state=""))
    assert "Ce montant était renseigné : indiquez 0 si rien n&#x27;a été dépensé." in text(response)


def test_a_concurrent_edit_of_the_same_report_is_refused_for_the_second_save(client, report, council):
    client.force_login(council)
    first = form_data(report, assessment="Version d'Alice")
    second = form_data(report, assessment="Version de Bruno")
    assert client.post(url("report_edit", report), first).status_code == 302
    response = client.post(url("report_edit", report), second)
    assert response.status_code == 200
    assert "modifiées par quelqu’un d’autre" in text(response)
    report.refresh_from_db()
    assert report.qualitative_assessment == "Version d'Alice"


def test_the_state_cannot_edit_the_report(client, report, ddets):
    client.force_login(ddets)
    assert client.get(url("report_edit", report)).status_code == 403
    assert client.post(url("report_edit", report), form_data(report)).status_code == 403
    assert not report.indicator_values.exists()


def test_the_report_page_shows_the_realised_value_against_the_target(client, contract, report, council):
    fill_report(report, value="80")
    client.force_login(council)
    html = text(client.get(url("report", report)))
    indicator_row = row_of(html, "Personnes accompagnées (personnes)")
    assert ">100<" in indicator_row
    assert ">80<" in indicator_row
    assert "80\u202f%" in indicator_row
    assert "Une année de mise en route." in html


def test_the_report_page_needs_few_queries_whatever_the_number_of_actions(
    client, loire_atlantique, council, django_assert_max_num_queries
):
    contract = build_contract(loire_atlantique, actions=[action_data(title=f"Action {n}") for n in range(6)])
    report = services.open_report(contract, 2024, today=TODAY)
    client.force_login(council)
    keep_menu_count(council)
    with django_assert_max_num_queries(21):  # the credits the report may wait on: 3 queries
        assert client.get(url("report", report)).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(url("report_edit", report)).status_code == 200


# --- Filing and review ---------------------------------------------------------------------------------------


def test_the_completeness_checklist_lists_what_is_missing_before_filing(client, report, council):
    client.force_login(council)
    html = text(client.get(url("report", report)))
    assert "Avant de déposer : 4 points à compléter" in html
    assert "Fiche-action n°1 : indiquez la valeur réalisée de « Personnes accompagnées »." in html
    assert "Fiche-action n°1 : indiquez le montant dépensé par État (même nul)." in html
    # Filing waits for the checklist: the button is disabled and says why.
    assert 'disabled aria-describedby="depot-impossible"' in html
    assert "Le dépôt sera possible une fois les points ci-dessus complétés." in html


def test_an_incomplete_report_is_refused_listing_what_is_missing(client, report, council):
    client.force_login(council)
    client.post(url("report_edit", report), form_data(report, value="", assessment=""))
    response = client.post(url("report_submit", report), follow=True)
    html = text(response)
    assert "Le rapport n&#x27;est pas déposé : il est incomplet (3 points à compléter" in html
    assert "dépassent les crédits notifiés pour 2024 (0\u202f€)" in html
    assert "Fiche-action n°1 : indiquez la valeur réalisée de « Personnes accompagnées »." in html
    assert "Rédigez le bilan qualitatif de l&#x27;année." in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_the_state_cannot_file_the_report(client, contract, report, ddets):
    notify(contract, 2024)
    fill_report(report)
    client.force_login(ddets)
    assert client.post(url("report_submit", report)).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.fixture
def filed(contract, report, council):
    notify(contract, 2024)
    fill_report(report)
    return services.submit_report(report, council)


def test_a_filed_report_is_no_longer_editable(client, filed, council):
    client.force_login(council)
    response = client.get(url("report_edit", filed), follow=True)
    assert response.redirect_chain[-1][0] == url("report", filed)
    assert "ne peut plus être modifié" in text(response)


def test_the_ddets_and_the_commissioner_review_a_filed_report(client, filed, ddets, region):
    client.force_login(ddets)
    assert client.get(url("report_review", filed)).status_code == 200
    client.force_login(UserFactory(commissioner=True, territory=region))
    assert client.get(url("report_review", filed)).status_code == 200


def test_who_is_not_the_state_of_the_departement_cannot_review(client, filed, council, other_ddets):
    client.force_login(council)
    assert client.get(url("report_review", filed)).status_code == 403
    assert client.post(url("report_review", filed), {"decision": "valider"}).status_code == 403
    client.force_login(other_ddets)
    assert client.post(url("report_review", filed), {"decision": "valider"}).status_code == 403
    filed.refresh_from_db()
    assert filed.status == ReportStatus.SUBMITTED


def test_an_anonymous_visitor_cannot_review(client, filed):
    assert is_login(client.get(url("report_review", filed)))


def test_sending_back_needs_a_comment(client, filed, ddets):
    client.force_login(ddets)
    response = client.post(url("report_review", filed), {"decision": "renvoyer", "review_comment": ""})
    assert response.status_code == 200
    assert "Expliquez ce qui doit être corrigé avant de renvoyer le rapport." in text(response)
    assert 'id="id_review_comment-desc-error"' in text(response)
    filed.refresh_from_db()
    assert filed.status == ReportStatus.SUBMITTED


def test_a_draft_report_cannot_be_reviewed(client, report, ddets):
    client.force_login(ddets)
    response = client.get(url("report_review", report), follow=True)
    assert "Seul un rapport déposé peut être validé ou renvoyé." in text(response)


def test_a_full_year_of_reporting_then_the_next_years_payment(client, contract, council, ddets):
    reports_url = reverse("contracts:reports", kwargs={"pk": contract.pk})
    credit_2025 = reverse("contracts:credit_edit", kwargs={"pk": contract.pk, "year": 2025})
    client.force_login(ddets)
    client.post(
        reverse("contracts:credit_edit", kwargs={"pk": contract.pk, "year": 2024}),
        {
            "notified": "50000",
            "notified_on": "2024-02-01",
            "committed": "50000",
            "committed_on": "2024-03-01",
            "paid": "50000",
            "paid_on": "2024-04-01",
        },
    )
    assert Credit.objects.get(year=2024).paid == Decimal("50000")

    # The collectivité opens its 2024 report, fills it in (with a too short assessment) and files it.
    client.force_login(council)
    response = client.post(reverse("contracts:report_open", kwargs={"pk": contract.pk}), {"year": "2024"})
    report = ExecutionReport.objects.get(contract=contract, year=2024)
    assert response.url == url("report_edit", report)
    assert client.post(url("report_edit", report), form_data(report, assessment="RAS")).status_code == 302
    response = client.post(url("report_submit", report), follow=True)
    assert "est déposé : l&#x27;État va l&#x27;examiner" in text(response)

    # Paying 2025 is refused while the 2024 report is not validated.
    client.force_login(ddets)
    payment = {
        "notified": "50000",
        "notified_on": "2025-02-01",
        "committed": "50000",
        "committed_on": "2025-03-01",
        "paid": "20000",
        "paid_on": "2025-04-01",
    }
    response = client.post(credit_2025, payment)
    assert response.status_code == 200
    assert "Le versement des crédits 2025 suppose le rapport d&#x27;exécution 2024 validé." in text(response)
    assert not Credit.objects.filter(year=2025).exists()

    # The DDETS sends it back with a comment.
    response = client.post(
        url("report_review", report),
        {"decision": "renvoyer", "review_comment": "Détaillez le bilan qualitatif."},
    )
    assert response.status_code == 302

    # The collectivité sees the comment, fixes the report and files it again.
    client.force_login(council)
    html = text(client.get(url("report", report)))
    assert "Rapport renvoyé pour corrections" in html
    assert "Détaillez le bilan qualitatif." in html
    assert "Renvoyé pour corrections" in text(client.get(reports_url))
    report.refresh_from_db()
    fixed = form_data(report, assessment="Deux cents familles accompagnées ; recrutements achevés en juin.")
    assert client.post(url("report_edit", report), fixed).status_code == 302
    client.post(url("report_submit", report))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # The DDETS validates; the 2025 payment now goes through.
    client.force_login(ddets)
    response = client.post(
        url("report_review", report), {"decision": "valider", "review_comment": ""}, follow=True
    )
    assert "Le rapport d&#x27;exécution 2024 est validé." in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    assert report.reviewed_by == ddets
    assert client.post(credit_2025, payment).status_code == 302
    assert Credit.objects.get(year=2025).paid == Decimal("20000")
    assert "Validé" in row_of(text(client.get(reports_url)), "Rapport 2024")
