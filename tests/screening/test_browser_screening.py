"""In Debian's Chromium: a social worker estimates the rights of one household with the simulator (its total and
the summary to print for the person), then
uploads the example household file, the worker runs (in-process), the job page's progress bar reaches the end
by itself and the per-household results download.

Only the setup (territories, the user) uses factories; everything after signing in is done through the pages.
"""

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from pacte.screening import jobs
from pacte.screening.enums import JobStatus
from pacte.screening.models import ScreeningJob
from tests import browser
from tests.accounts.factories import UserFactory
from tests.screening.factories import EXAMPLE
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path


def test_a_social_worker_simulates_then_screens_a_file(
    engine, chromium_path, live_server, transactional_db, monkeypatch, tmp_path
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique)
    UserFactory(
        username="travailleur-social",
        first_name="Nora",
        last_name="Petit",
        social_worker=True,
        territory=loire_atlantique,
    )

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            context = chromium.new_context(
                locale="fr-FR", service_workers="block", base_url=live_server.url, accept_downloads=True
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            watcher = browser.PageWatcher(page, live_server.url)
            browser.sign_in(page, "travailleur-social", "Nora Petit")

            # The simulator, from the menu: one adult without income, renting in Nantes.
            browser.follow_menu(page, "Accès aux droits", "Simulateur et repérage")
            page.get_by_role("link", name="Simulateur de droits").click()
            page.get_by_label("Commune de résidence (code INSEE)").fill("44109")
            page.get_by_label("Situation de logement").select_option("locataire_vide")
            page.get_by_label("Loyer mensuel").fill("520")
            first = page.get_by_role("group", name="Personne 1")
            first.get_by_label("Date de naissance").fill("1988-03-14")
            page.get_by_role("button", name="Estimer les droits").click()
            expect(page.get_by_role("heading", level=2, name="Droits estimés")).to_contain_text("Nantes")
            not_claimed = page.get_by_role("table").filter(has_text="Revenu de solidarité active").first
            expect(not_claimed).to_contain_text("À vérifier")
            expect(not_claimed.get_by_role("link", name="Comment la demander").first).to_be_visible()
            expect(page.locator("#total")).to_contain_text("par mois")
            # The summary handed to the person, with its print button (shown by the script).
            summary = page.locator("#recapitulatif")
            expect(summary.get_by_role("heading", name="Vos droits probables pour")).to_be_visible()
            expect(summary.get_by_role("link", name="https://www.mesdroitssociaux.gouv.fr/")).to_be_visible()
            expect(summary.get_by_role("button", name="Imprimer le récapitulatif")).to_be_visible()

            # The batch: the example file, for Loire-Atlantique.
            browser.follow_menu(page, "Accès aux droits", "Simulateur et repérage")
            page.get_by_role("link", name="Déposer un fichier de ménages").click()
            page.get_by_label("Fichier des ménages").set_input_files(str(EXAMPLE))
            page.get_by_role("button", name="Déposer et lancer le traitement").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Traitement n°")
            expect(page.locator("main")).to_contain_text("En attente")

            assert jobs.work(once=True) == 1  # the worker, in this process
            connections.close_all()  # opened inside Playwright's loop: closed there, or PostgreSQL keeps the test database
            expect(page.locator("#job-progress-text")).to_contain_text("Terminé", timeout=20_000)
            expect(page.locator("#job-progress")).to_have_attribute("value", "100")
            expect(page.get_by_role("row").filter(has_text="Nantes").first).to_contain_text("2")

            with page.expect_download() as download_info:
                page.get_by_role("link", name="Droits probables par foyer").click()
            path = tmp_path / "resultats.csv"
            download_info.value.save_as(path)
            content = path.read_text(encoding="utf-8-sig")
            assert content.startswith("foyer_id;prestation;periode;montant;percue;non_recours;confiance")
            assert "F001;" in content and "F003;" not in content

            assert watcher.problems == [], "\n".join(watcher.problems)
            context.close()
        finally:
            chromium.close()
    connections.close_all()

    job = ScreeningJob.objects.get()
    assert (job.status, job.households, job.upload_name) == (JobStatus.DONE, 2, "")
