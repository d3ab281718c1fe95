"""In Debian's Chromium: an agent clicks the ProConnect button of the login page, signs in at the tests' OpenID
provider (tests/oidc_provider/, started in its own process) and lands on « Mon espace »; signing out of Pacte
signs out of the provider too."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests import browser
from tests.accounts.factories import UserFactory
from tests.oidc_provider import process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
chromium_path = browser.chromium_path
proconnect_provider = process.proconnect_provider
proconnect = process.proconnect


def test_an_agent_signs_in_with_proconnect_and_lands_on_mon_espace(
    chromium_path, live_server, proconnect, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    UserFactory(
        username="alice",
        first_name="Alice",
        last_name="Martin",
        ddets=True,
        email="alice.martin@interieur.gouv.fr",
    )

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            context.set_default_timeout(15_000)
            page = context.new_page()
            watcher = browser.PageWatcher(page, live_server.url)

            page.goto("/")
            page.get_by_role("link", name="Se connecter").click()
            button = page.get_by_role("link", name="S’identifier avec ProConnect")
            expect(button).to_be_visible()
            expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_be_visible()
            button.click()

            # The provider's own sign-in page.
            expect(page.get_by_role("heading", level=1)).to_have_text("Fournisseur d'identité de test")
            assert page.url.startswith(proconnect.url)
            page.get_by_label("Identifiant").fill("agent")
            page.get_by_label("Mot de passe").fill(process.PASSWORD)
            page.get_by_role("button", name="Se connecter au fournisseur").click()

            expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
            assert page.url == live_server.url + "/mon-espace/"
            expect(page.get_by_role("link", name="Alice Martin")).to_be_visible()
            page.wait_for_load_state("networkidle")

            page.get_by_role("button", name="Se déconnecter").click()
            expect(page.locator(".fr-alert--success")).to_contain_text(
                "Vous êtes déconnecté de Pacte et de ProConnect."
            )
            assert page.url == live_server.url + "/"
            page.wait_for_load_state("networkidle")

            # Pacte's pages only: the provider is a bare test tool (no favicon).
            problems = [problem for problem in watcher.problems if proconnect.url not in problem]
            assert problems == [], "\n".join(problems)
        finally:
            chromium.close()
