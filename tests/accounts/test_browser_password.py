"""In Debian's Chromium: a user who forgot the password asks for a link from the login page, the worker sends the
queued mail, the link leads to the new password form (the rules shown), and the new password signs in.

Only the setup (the user) uses a factory; the mail is read from Django's test outbox once the queue is sent."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect, sync_playwright

from pacte.core.mail import send_pending
from tests import browser
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path

NEW_PASSWORD = "Une-phrase-de-passe-solide-2026"


def test_a_user_resets_a_forgotten_password(chromium_path, live_server, transactional_db, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    UserFactory(
        username="alice", first_name="Alice", last_name="Martin", ddets=True, email="alice@example.org"
    )

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            context.set_default_timeout(10_000)
            page = context.new_page()
            watcher = browser.PageWatcher(page, live_server.url)

            page.goto("/")
            page.get_by_role("link", name="Se connecter").click()
            page.get_by_role("link", name="Mot de passe oublié ?").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
            page.get_by_label("Adresse électronique").fill("alice@example.org")
            page.get_by_role("button", name="Recevoir le lien").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Courriel envoyé")
            page.wait_for_load_state("networkidle")

            assert mail.outbox == []  # queued by the request, sent by the worker
            assert send_pending().sent == 1
            link = re.search(r"https?://\S+/comptes/reinitialiser/\S+/", mail.outbox[0].body).group(0)
            assert link.startswith(live_server.url)

            page.goto(link)
            expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
            expect(page.locator("#password-rules")).to_contain_text("au minimum 12 caractères")
            page.get_by_label(re.compile(r"^\s*Nouveau mot de passe")).fill(NEW_PASSWORD)
            page.get_by_label(re.compile(r"^\s*Confirmation du nouveau mot de passe")).fill(NEW_PASSWORD)
            page.get_by_role("button", name="Enregistrer le mot de passe").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe modifié")
            # The page's icons are still loading: leaving it now would abort them (net::ERR_ABORTED).
            page.wait_for_load_state("networkidle")

            browser.sign_in(page, "alice", "Alice Martin", password=NEW_PASSWORD)
            page.wait_for_load_state("networkidle")

            page.goto(link)  # the link served once
            expect(page.get_by_role("heading", level=1)).to_have_text("Lien non valable")
            assert watcher.problems == [], "\n".join(watcher.problems)
        finally:
            chromium.close()
