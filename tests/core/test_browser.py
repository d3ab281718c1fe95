"""Pages as a browser sees them: Debian's Chromium, driven by Playwright, against a live server.

What the Django test client cannot see is checked here: the Content-Security-Policy blocking a
script or a style, a static file that does not load, a JavaScript error, the DSFR not styling the page.
Never a downloaded browser: only `/usr/bin/chromium` (Debian's `chromium` package).
"""

import pytest

from tests import browser
from tests.browser import CHROMIUM_ARGS, PageWatcher
from tests.territories.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path  # the fixture


def _check_page(page, watcher, url: str, *, title: str, h1: str | None = None) -> None:
    watcher.problems.clear()
    watcher.responses.clear()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")

    assert title in page.title()
    heading = page.locator("h1").first.inner_text()
    assert heading.strip(), f"{url}: pas de titre <h1>"
    if h1 is not None:
        assert h1 in heading

    dsfr_css = {
        address: status
        for address, status in watcher.static_responses("/static/dsfr/").items()
        if ".css" in address
    }
    assert dsfr_css, f"{url}: aucune feuille de style du DSFR demandée"
    assert set(dsfr_css.values()) == {200}, dsfr_css
    # The DSFR really styles the page: its font and its header layout, not the browser's defaults.
    assert "Marianne" in page.evaluate("getComputedStyle(document.body).fontFamily")
    header_style = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.fr-header')); "
        "return {position: s.position, zIndex: s.zIndex}; })()"
    )
    assert header_style != {"position": "static", "zIndex": "auto"}, header_style
    # The DSFR JavaScript ran (it marks the root element once started), so the CSP let it through.
    assert page.evaluate("document.documentElement.hasAttribute('data-fr-js')"), (
        "le JavaScript du DSFR n'a pas démarré"
    )

    assert watcher.problems == [], f"{url}:\n" + "\n".join(watcher.problems)


def test_home_and_region_pages_load_cleanly_in_chromium(
    chromium_path, live_server, transactional_db, monkeypatch
):
    # Playwright's sync API runs an asyncio loop in this thread: Django would then refuse ORM calls
    # made here while the browser is open (the live server answers from its own threads).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    region = RegionFactory(code="52", name="Pays de la Loire")
    DepartementFactory(code="44", name="Loire-Atlantique", parent=region)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", service_workers="block")
            page = context.new_page()
            watcher = PageWatcher(page, live_server.url)
            _check_page(
                page,
                watcher,
                live_server.url + "/",
                title="Pacte des solidarités",
                h1="Pacte des solidarités",
            )
            _check_page(
                page,
                watcher,
                live_server.url + "/territoires/region/52/",
                title="Pays de la Loire",
                h1="Pays de la Loire",
            )
            context.close()
        finally:
            browser.close()
