"""In Debian's Chromium: the regional commissioner reports a decision of a regional working group into the roadmap
of the région, the decision closes, the report brings the action up to date, the roadmap is published and an
anonymous visitor reads the published version."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from pacte.governance.enums import CommitteeKind, DecisionStatus
from pacte.governance.services import roadmap as services
from pacte.governance.services.decisions import update_decision
from tests import browser
from tests.accounts.factories import UserFactory
from tests.governance.factories import CommitteeFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path


def test_a_working_group_decision_updates_the_roadmap(
    chromium_path, live_server, transactional_db, monkeypatch, region
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    UserFactory(username="alice", first_name="Alice", last_name="Martin", commissioner=True, territory=region)
    roadmap = services.create_roadmap(region, timezone.localdate().year)
    objective = services.save_objective(roadmap, title="Aller vers les publics éloignés des droits")
    committee = CommitteeFactory(
        territory=region, kind=CommitteeKind.REGIONAL_WORKING_GROUP, name="GT droits"
    )
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now().replace(microsecond=0))
    decision = DecisionFactory(meeting=meeting, number=1, text="Ouvrir des permanences d'accès aux droits")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            alice = browser.signed_in_person(chromium, live_server.url, "alice", "Alice Martin")
            page = alice.page
            page.goto(f"/gouvernance/decisions/{decision.pk}/modifier/")
            page.get_by_role("link", name="Reporter dans la feuille de route").click()
            page.get_by_label("Objectif").select_option(label=str(objective))
            page.get_by_role("button", name="Reporter dans la feuille de route").click()
            alice.expect_success("est ajoutée à la feuille de route")
            row = page.locator("tr", has_text="Ouvrir des permanences d'accès aux droits")
            expect(row).to_contain_text("À engager")
            expect(row.get_by_role("link", name="Décision n°1 – GT droits", exact=False)).to_be_visible()

            decision.refresh_from_db()
            update_decision(decision, expected_version=decision.lock_version, status=DecisionStatus.DONE)
            page.goto(f"/gouvernance/decisions/{decision.pk}/feuille-de-route/")
            page.get_by_role("button", name="Reporter dans la feuille de route").click()
            alice.expect_success("est mise à jour dans la feuille de route")
            expect(row).to_contain_text("Réalisée")

            page.get_by_role("button", name="Publier cette version").click()
            alice.expect_success("La feuille de route est publiée")
            page.wait_for_load_state("networkidle")
            alice.assert_clean("feuille de route")

            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            visitor = context.new_page()
            watcher = browser.PageWatcher(visitor, live_server.url)
            visitor.goto("/gouvernance/feuilles-de-route/")
            visitor.get_by_role("link", name=roadmap.title).click()
            expect(visitor.locator("tr", has_text="Ouvrir des permanences")).to_contain_text("Réalisée")
            visitor.wait_for_load_state("networkidle")
            assert watcher.problems == [], "\n".join(watcher.problems)
        finally:
            chromium.close()
