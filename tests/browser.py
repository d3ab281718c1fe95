"""What the real-browser tests share: Debian's Chromium (never a downloaded browser) launched by Playwright,
and a watcher that collects whatever a person would call a broken page.

A test module gets the `chromium_path` fixture by naming it at module level (`chromium_path =
browser.chromium_path`: pytest finds fixtures among the module's names); its tests are marked
`pytest.mark.browser`.
"""

import os
from pathlib import Path

import pytest

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
