"""The notifications of an execution report in Debian's Chromium (the "Done when" of issue 17): the département
files its report; the DDETS of Loire-Atlantique gets the e-mail (in the queue of outgoing mails), finds the report
among the tasks of « Mon espace », follows the link of the e-mail and validates it; the département gets the
e-mail of the validation. The commissioner of another région and the DDETS of Vendée get nothing; no e-mail holds an
amount or the State's observations.

Only the setup (territories, accounts, a signed convention, its 2024 credits and the filled report) is written
through the services; filing and validating go through the pages."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from pacte.contracts import services
from pacte.core.enums import ReportStatus
from pacte.core.models import OutgoingMail
from tests import browser
from tests.accounts.factories import UserFactory
from tests.browser import CHROMIUM_ARGS, signed_in_person, tick
from tests.contracts.factories import TODAY, build_contract, fill_report, notify
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path  # the fixture

OBSERVATIONS = "Rapport complet, merci à Mme Durand."


def mails_to(username: str) -> list[OutgoingMail]:
    return [row for row in OutgoingMail.objects.order_by("pk") if f"{username}@example.org" in row.to]


def test_a_filed_report_mails_the_ddets_who_validates_it_and_the_departement_is_told(
    chromium_path, live_server, transactional_db, monkeypatch, settings
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM reads here while Playwright's loop runs
    settings.PACTE_SITE_URL = live_server.url
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    vendee = DepartementFactory(code="85", name="Vendée", parent=region)
    AxisFactory(number=1, title="Prévenir la pauvreté dès l'enfance")
    UserFactory(
        username="cd44",
        first_name="Claire",
        last_name="Collectivité",
        departement_council=True,
        territory=loire_atlantique,
    )
    UserFactory(
        username="ddets44", first_name="Denis", last_name="Détais", ddets=True, territory=loire_atlantique
    )
    UserFactory(username="ddets85", ddets=True, territory=vendee)
    UserFactory(username="commissaire93", commissioner=True, territory=RegionFactory(code="93"))
    contract = build_contract(loire_atlantique)
    notify(contract, 2024)
    report = fill_report(services.open_report(contract, 2024, today=TODAY))
    OutgoingMail.objects.all().delete()  # the setup's own events (signature, credits)
    path = report.get_absolute_url()

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            local = signed_in_person(chromium, live_server.url, "cd44", "Claire Collectivité")
            local.page.goto(path)
            local.page.get_by_role("button", name="Déposer le rapport 2024").click()
            local.expect_success("Le rapport d'exécution 2024 est déposé : l'État va l'examiner.")
            local.assert_clean("dépôt du rapport")

            [filed] = mails_to("ddets44")
            assert filed.subject == "Pacte – Rapport d'exécution 2024 déposé – Loire-Atlantique"
            link = re.search(r"Examiner le rapport : (\S+)", filed.body).group(1)
            assert link == live_server.url + path
            assert mails_to("ddets85") == [] and mails_to("commissaire93") == [] and mails_to("cd44") == []

            state = signed_in_person(chromium, live_server.url, "ddets44", "Denis Détais")
            state.page.goto("/mon-espace/")
            expect(state.page.locator(f'a[href="{path}"]').first).to_be_visible()
            state.page.goto(link)
            state.page.get_by_role("link", name="Examiner le rapport").click()
            tick(state.page, "Valider le rapport")
            state.page.get_by_label("Observations de l'État").fill(OBSERVATIONS)
            state.page.get_by_role("button", name="Enregistrer la décision").click()
            state.expect_success("Le rapport d'exécution 2024 est validé.")
            state.assert_clean("examen du rapport")
        finally:
            chromium.close()

    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    [validated] = mails_to("cd44")
    assert validated.subject == "Pacte – Rapport d'exécution 2024 validé par l'État – Loire-Atlantique"
    assert f"Voir le rapport : {live_server.url}{path}" in validated.body
    for row in OutgoingMail.objects.all():
        assert "€" not in row.body and "Durand" not in row.body
