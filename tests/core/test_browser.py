"""Pages as a browser sees them: Debian's Chromium, driven by Playwright, against a live server.

What the Django test client cannot see is checked here: the Content-Security-Policy blocking a
script or a style, a static file that does not load, a JavaScript error, the DSFR not styling the page.
Never a downloaded browser: only `/usr/bin/chromium` (Debian's `chromium` package).
"""

import os
from pathlib import Path

import pytest

from tests.territories.factories import DepartementFactory, RegionFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium_path():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} est absent : installer le paquet Debian `chromium` (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(f"En CI, le test navigateur doit tourner. {reason}")
        pytest.skip(reason)
    return str(CHROMIUM)


class PageWatcher:
    """Collects what a person would call a broken page: console errors (CSP violations among them),
    uncaught JavaScript exceptions, requests that failed or answered with an error status."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.problems: list[str] = []
        self.responses: dict[str, int] = {}
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type == "error":
            location = message.location or {}
            self.problems.append(f"console error: {message.text} ({location.get('url', '?')})")

    def _on_request_failed(self, request):
        self.problems.append(f"request failed: {request.method} {request.url} — {request.failure}")

    def _on_response(self, response):
        self.responses[response.url] = response.status
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def static_responses(self, prefix: str) -> dict[str, int]:
        return {url: status for url, status in self.responses.items() if url.startswith(self.origin + prefix)}


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
