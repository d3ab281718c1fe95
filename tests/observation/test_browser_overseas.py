"""In Debian's Chromium: an anonymous visitor opens the overseas page from the « Observation » menu and finds the
five DROM with their statistical scope, the signed contract of La Réunion and the measure tagged « Outre-mer »."""

import pytest
from playwright.sync_api import expect, sync_playwright

from pacte.territories.enums import Zone
from tests import browser
from tests.contracts.factories import action_data, build_contract
from tests.programme.factories import AxisFactory, MeasureFactory
from tests.territories.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path

DROM = (("01", "971", "Guadeloupe"), ("02", "972", "Martinique"), ("03", "973", "Guyane"))
DROM += (("04", "974", "La Réunion"), ("06", "976", "Mayotte"))


def test_the_overseas_page_opens_from_the_observation_menu(
    chromium_path, live_server, transactional_db, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    departements = {}
    for region_code, code, name in DROM:
        region = RegionFactory(code=region_code, name=name, zone=Zone.DROM)
        departements[name] = DepartementFactory(code=code, name=name, parent=region, zone=Zone.DROM)
    axis = AxisFactory(number=1)
    MeasureFactory(
        axis=axis,
        code="a1-n4",
        title="Lutter contre la malnutrition infantile",
        overseas=True,
        overseas_note="Petits déjeuners à l'école en Outre-Mer (présentation du 18 septembre 2023).",
    )
    build_contract(departements["La Réunion"], actions=[action_data(axis)])

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            context.set_default_timeout(10_000)
            page = context.new_page()
            watcher = browser.PageWatcher(page, live_server.url)
            page.goto("/observation/")
            browser.follow_menu(page, "Observation", "Outre-mer")
            expect(page.get_by_role("heading", level=1)).to_have_text("Le Pacte des solidarités outre-mer")
            header = page.locator("#drom-indicateurs thead")
            for _region, _code, name in DROM:
                expect(header).to_contain_text(name)
            expect(page.locator("#drom-indicateurs")).to_contain_text("Couvert par Filosofi")
            expect(page.locator("#com-indicateurs")).to_contain_text("non publié (hors champ INSEE)")
            expect(page.locator("#contrats-outre-mer")).to_contain_text("La Réunion")
            page.get_by_role("link", name="Lutter contre la malnutrition infantile").first.click()
            expect(page.locator("#outre-mer")).to_contain_text("Petits déjeuners à l'école en Outre-Mer")
            page.wait_for_load_state("networkidle")
            assert watcher.problems == [], "\n".join(watcher.problems)
        finally:
            chromium.close()
