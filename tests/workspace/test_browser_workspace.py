"""In Debian's Chromium: a DDETS agent opens « Mon espace », finds the filed report of its département under
« Rapports d'exécution à examiner » and follows its link to the report."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from pacte.contracts import services
from pacte.contracts.models import ExecutionReport
from pacte.core.enums import ReportStatus
from tests import browser
from tests.accounts.factories import UserFactory
from tests.contracts.factories import build_contract, make_places
from tests.programme.factories import AxisFactory
from tests.workspace.factories import TODAY

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path


def test_a_ddets_agent_finds_the_report_to_review_and_opens_it(
    chromium_path, live_server, transactional_db, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    AxisFactory(number=1, title="Prévenir la pauvreté dès l'enfance")
    places = make_places()
    UserFactory(
        username="denis", first_name="Denis", last_name="Petit", ddets=True, territory=places.loire_atlantique
    )
    report = services.open_report(build_contract(places.loire_atlantique), 2024, today=TODAY)
    ExecutionReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            agent = browser.signed_in_person(chromium, live_server.url, "denis", "Denis Petit")
            page = agent.page
            page.goto("/mon-espace/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
            section = page.locator(
                "section", has=page.get_by_role("heading", name="Rapports d'exécution à examiner (1)")
            )
            expect(section.get_by_role("row")).to_have_count(2)  # the header and the report
            section.get_by_role("link", name="Examiner").click()
            expect(page).to_have_url(live_server.url + report.get_absolute_url())
            agent.assert_clean("« Mon espace » puis le rapport à examiner")
        finally:
            chromium.close()
