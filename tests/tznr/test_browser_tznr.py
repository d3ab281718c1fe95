"""In Debian's Chromium: a porteur (member of the CCAS of Nantes) records a territoire zéro non-recours and its first
period, enters the rights opened and transmits the period; the regional commissioner validates it and reads the
cost per right opened against the pooled figure of the région (a second experiment of the région has a validated
period)."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect, sync_playwright

from pacte.accounts.enums import OrganisationKind
from pacte.tznr.enums import PeriodStatus
from pacte.tznr.models import Experiment, FollowUpPeriod
from tests import browser
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.territories.factories import CommuneFactory
from tests.tznr.factories import ExperimentFactory, OpenedRightFactory, PeriodFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path


def test_a_porteur_declares_and_the_commissioner_compares(
    chromium_path, live_server, transactional_db, monkeypatch, region, loire_atlantique
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    nantes = CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique)
    ccas_nantes = OrganisationFactory(name="CCAS de Nantes", kind=OrganisationKind.CCAS, territory=nantes)
    UserFactory(
        username="carl",
        first_name="Carl",
        last_name="Durand",
        social_worker=True,
        organisation=ccas_nantes,
        territory=nantes,
    )
    UserFactory(username="alice", first_name="Alice", last_name="Martin", commissioner=True, territory=region)
    neighbour = ExperimentFactory(name="Rezé solidaire", commune=nantes, covers=[nantes])
    seeded = PeriodFactory(experiment=neighbour, spent=Decimal("20000"), validated=True)
    OpenedRightFactory(period=seeded, count=40, monthly_amount=None)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            carl = browser.signed_in_person(chromium, live_server.url, "carl", "Carl Durand")
            page = carl.page
            page.goto("/zero-non-recours/")
            page.get_by_role("link", name="Enregistrer un territoire").click()
            page.locator("#id_name").fill("Nantes, quartiers nord")
            page.locator("#id_territories").fill("44109")
            page.locator("#id_lead_name").fill("Ville de Nantes")
            page.locator("#id_lead_kind").select_option(label="CCAS / CIAS")
            page.locator("#id_start_date").fill("2024-01-01")
            page.get_by_role("button", name="Enregistrer").click()
            carl.expect_success("Le territoire est enregistré")
            experiment = Experiment.objects.get(name="Nantes, quartiers nord")

            page.get_by_role("link", name="Déclarer une période").click()
            page.locator("#id_start").fill("2024-01-01")
            page.locator("#id_end").fill("2024-06-30")
            page.locator("#id_households_met").fill("150")
            page.locator("#id_rights_examined").fill("90")
            page.locator("#id_spent").fill("30 000")
            page.get_by_role("button", name="Enregistrer").click()
            carl.expect_success("La période est ouverte")

            page.locator("#id_droits-0-benefit").select_option(label="RSA")
            page.locator("#id_droits-0-count").fill("20")
            page.locator("#id_droits-0-monthly_amount").fill("10 540")
            page.get_by_role("button", name="Enregistrer les droits ouverts").click()
            carl.expect_success("Les droits ouverts sont enregistrés")
            page.get_by_role("button", name="Transmettre la période").click()
            carl.expect_success("La période est transmise")
            expect(page.locator("#statut-periode")).to_have_text("Transmise")
            carl.assert_clean("déclaration")
            period = FollowUpPeriod.objects.get(experiment=experiment)

            alice = browser.signed_in_person(chromium, live_server.url, "alice", "Alice Martin")
            page = alice.page
            page.goto(period.get_absolute_url())
            browser.tick(page, "Valider la période")
            page.get_by_role("button", name="Enregistrer la décision").click()
            alice.expect_success("La période est validée")
            period.refresh_from_db()
            assert period.status == PeriodStatus.VALIDATED

            page.get_by_role("link", name="Nantes, quartiers nord").first.click()
            expect(page.locator("#cout-par-droit")).to_have_text("1\u202f500,00\u202f€")  # 30 000 / 20
            expect(page.locator("#cout-par-droit-region")).to_have_text("833,33\u202f€")  # 50 000 / 60
            expect(page.locator("#ecart-region")).to_have_text("+80,0\u202f%")
            page.wait_for_load_state("networkidle")
            alice.assert_clean("coût par droit ouvert")
        finally:
            chromium.close()
    assert datetime.date.today() > period.end
