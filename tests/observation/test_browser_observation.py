"""In Debian's Chromium: national steering imports an INSEE file and then a national figure through the upload
page, and sees the map, the table alternative, the diagnostic of the département and the barometer change.

Only the setup (territories, two indicators, one national target, the user) uses factories; everything after
signing in is done through the pages, as a person would.
"""

from decimal import Decimal

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from pacte.observation.models import ImportBatch, Observation
from tests import browser
from tests.accounts.factories import UserFactory
from tests.observation.factories import IndicatorFactory
from tests.programme.factories import TargetFactory
from tests.territories.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path

INSEE_FILE = "CODGEO;LIBGEO;TP6021\n44;Loire-Atlantique;10,9\n85;Vendée;s\n"
NATIONAL_FILE = "indicateur;territoire;niveau;periode;valeur\nPLACES;FR;france;2025;60\n"


def upload(page, tmp_path, name: str, content: str) -> None:
    """The "Observation" menu, the import page, the file, "Importer le fichier"."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    page.goto("/observation/import/")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Importer le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import")
    expect(page.locator("main")).not_to_contain_text("Rien n’a été importé")


def test_an_import_changes_the_map_the_diagnostic_and_the_barometer(
    chromium_path, live_server, transactional_db, monkeypatch, tmp_path
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    region = RegionFactory(code="52", name="Pays de la Loire")
    DepartementFactory(code="44", name="Loire-Atlantique", parent=region, population=1_450_000)
    DepartementFactory(code="85", name="Vendée", parent=region, population=690_000)
    IndicatorFactory(code="TP60", label="Taux de pauvreté monétaire à 60 %", short_label="Taux de pauvreté")
    target = TargetFactory(
        code="places-creees",
        label="Places nouvelles créées",
        unit="places",
        baseline_value=Decimal("0"),
        baseline_year=2023,
        target_value=Decimal("100"),
        target_year=2027,
    )
    IndicatorFactory(code="PLACES", label="Places nouvelles créées", count=True, national_target=target)
    UserFactory(username="pilotage", first_name="Claire", last_name="Pilote", national=True)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            context.set_default_timeout(10_000)
            page = context.new_page()
            watcher = browser.PageWatcher(page, live_server.url)
            browser.sign_in(page, "pilotage", "Claire Pilote")

            # Before: no value anywhere, the target has no data.
            page.goto("/observation/barometre/")
            row = page.get_by_role("row").filter(has_text="Places nouvelles créées")
            expect(row).to_contain_text("Pas de donnée")

            # The INSEE file: Loire-Atlantique 10,9 %, Vendée under statistical secrecy.
            upload(page, tmp_path, "filosofi.csv", INSEE_FILE)
            expect(page.locator("main")).to_contain_text("INSEE")

            page.goto("/observation/indicateurs/TP60/?periode=2021")
            table_row = page.get_by_role("row").filter(has_text="Loire-Atlantique")
            expect(table_row.first).to_contain_text("10,9")
            expect(page.get_by_role("row").filter(has_text="Vendée").first).to_contain_text("secret")
            # The map: Loire-Atlantique's shape carries its value in its title.
            assert "Loire-Atlantique (44) : 10,9" in page.locator("svg").first.inner_html()

            page.goto("/observation/diagnostic/departement/44/")
            expect(page.get_by_role("heading", level=1)).to_contain_text("Loire-Atlantique")
            expect(page.get_by_role("row").filter(has_text="Taux de pauvreté").first).to_contain_text("10,9")

            # A national figure in the long format: 60 places in 2025, ahead of the straight line (50).
            upload(page, tmp_path, "places.csv", NATIONAL_FILE)
            page.goto("/observation/barometre/")
            row = page.get_by_role("row").filter(has_text="Places nouvelles créées")
            expect(row).to_contain_text("En bonne voie")
            expect(row).to_contain_text("60")

            assert watcher.problems == [], "\n".join(watcher.problems)
            context.close()
        finally:
            chromium.close()
    connections.close_all()

    assert ImportBatch.objects.filter(status="reussi").count() == 2
    assert Observation.objects.get(
        territory__code="44", indicator__code="TP60", period=2021
    ).value == Decimal("10.9")
    assert Observation.objects.get(territory=None, indicator__code="PLACES", period=2025).value == 60
