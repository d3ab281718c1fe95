"""In Debian's Chromium, the mécénat journey of issue 18: a company registers on the public page, the commissioner
validates it (reached from « Mon espace »), the association publishes its selected project, the commissioner
records the company's pledge, the association accepts it (from « Mon espace ») and the commissioner marks it
delivered and reads the project's history; the public page, filtered by région, then names the company, which
consented.

Only the setup (the people, the selected candidature, the commune) uses factories."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from pacte.grants.enums import ApplicationStatus
from tests import browser
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, AssociationFactory, CallFactory, PrefectureFactory
from tests.sponsorship.factories import siret_with_key
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path


def test_a_company_pledges_and_the_association_accepts(
    chromium_path, live_server, transactional_db, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    region = RegionFactory(code="52", name="Pays de la Loire")
    departement = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    CommuneFactory(code="44109", name="Nantes", parent=departement)
    prefecture = PrefectureFactory(territory=region)
    association = AssociationFactory(name="Entraide nantaise", territory=departement)
    UserFactory(
        username="alice",
        first_name="Alice",
        last_name="Martin",
        commissioner=True,
        territory=region,
        organisation=prefecture,
    )
    UserFactory(
        username="bob",
        first_name="Bob",
        last_name="Durand",
        association=True,
        organisation=association,
        territory=departement,
    )
    ApplicationFactory(
        call=CallFactory(region=region, owner=prefecture),
        organisation=association,
        territory=departement,
        status=ApplicationStatus.SELECTED,
        project_title="Épicerie solidaire",
    )
    siret = siret_with_key("4412345640001")
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            context.set_default_timeout(10_000)
            visitor = context.new_page()
            visitor_watch = browser.PageWatcher(visitor, live_server.url)
            visitor.goto("/mecenat/")
            visitor.get_by_role("link", name="Inscrire une entreprise mécène").click()
            visitor.get_by_label("Raison sociale").fill("Boulangerie Dupont")
            visitor.get_by_label("SIRET").fill(siret)
            visitor.locator("#id_address").fill("2 quai de la Fosse")
            visitor.get_by_label("Code INSEE de la commune").fill("44109")
            visitor.get_by_label("Personne à contacter").fill("Paul Dupont")
            visitor.get_by_label("Adresse électronique de contact").fill("paul@dupont.example.org")
            browser.tick(
                visitor, "L'entreprise accepte que son nom soit publié sur les pages publiques du mécénat"
            )
            visitor.get_by_role("button", name="Envoyer l’inscription").click()
            expect(visitor.locator(".fr-alert--success")).to_contain_text(
                "L'inscription de l'entreprise est enregistrée"
            )
            visitor.wait_for_load_state("networkidle")
            assert visitor_watch.problems == [], visitor_watch.problems

            alice = browser.signed_in_person(chromium, live_server.url, "alice", "Alice Martin")
            # « Mon espace » lists the company to validate and leads to it.
            alice.page.goto("/mon-espace/")
            expect(alice.page.locator("#sponsors_to_validate")).to_contain_text(
                "Entreprises mécènes à valider"
            )
            alice.page.get_by_role("link", name="Valider ou refuser : Boulangerie Dupont – Nantes").click()
            browser.tick(alice.page, "Valider l'entreprise")
            alice.page.get_by_role("button", name="Enregistrer la décision").click()
            alice.expect_success("La décision est enregistrée.")
            alice.expect_status("Validée")

            bob = browser.signed_in_person(chromium, live_server.url, "bob", "Bob Durand")
            bob.page.goto("/mecenat/suivi/")
            bob.page.get_by_role("link", name="ouvrir au mécénat").click()
            bob.page.get_by_label("Montant recherché (€)").fill("3 000")
            bob.page.get_by_label("Date limite").fill(deadline)
            browser.tick(
                bob.page,
                "L'association accepte que le titre du projet, son nom, la commune et les besoins soient publiés "
                "sur la page publique du mécénat",
            )
            bob.page.get_by_role("button", name="Publier le projet").click()
            bob.expect_success("Le projet est publié")
            project_url = bob.page.url

            alice.page.goto(project_url)
            alice.page.get_by_role("link", name="Enregistrer une promesse").click()
            alice.page.get_by_label("Entreprise").select_option(label="Boulangerie Dupont")
            alice.page.get_by_label("Nature du mécénat").select_option(label="Mécénat financier")
            alice.page.get_by_label("Montant (€)").fill("1 500")
            alice.page.get_by_role("button", name="Enregistrer la promesse").click()
            alice.expect_success("La promesse est enregistrée")

            bob.page.goto("/mon-espace/")
            bob.page.get_by_role(
                "link", name="Accepter ou décliner : Épicerie solidaire – Boulangerie Dupont"
            ).click()
            bob.page.get_by_role("button", name="Accepter").click()
            bob.expect_success("La promesse est acceptée.")

            alice.page.goto(project_url)
            alice.page.get_by_label("Ce qui a été donné").fill("1 500 € versés")
            alice.page.get_by_role("button", name="Marquer réalisée").click()
            alice.expect_success("La promesse est marquée réalisée.")
            expect(alice.page.locator("table")).to_contain_text("1 500 € versés")
            alice.page.get_by_role("link", name="Historique du projet et de ses promesses").click()
            expect(alice.page.locator("#content")).to_contain_text("1 500 € versés")

            visitor.goto("/mecenat/?region=52")
            expect(
                visitor.get_by_role("heading", name="Mécénat de proximité – Pays de la Loire")
            ).to_be_visible()
            expect(visitor.locator("#content")).to_contain_text("Épicerie solidaire")

            visitor.goto(project_url)
            expect(visitor.get_by_role("heading", name="Entreprises engagées")).to_be_visible()
            expect(visitor.locator("#content")).to_contain_text("Boulangerie Dupont")
            visitor.wait_for_load_state("networkidle")
            for person in (alice, bob):
                person.page.wait_for_load_state("networkidle")
                person.assert_clean("parcours du mécénat")
            assert visitor_watch.problems == [], visitor_watch.problems
        finally:
            chromium.close()
