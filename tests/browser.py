"""What the real-browser tests share: Debian's Chromium (never a downloaded browser) launched by Playwright,
and a watcher that collects whatever a person would call a broken page.

A test module gets the `chromium_path` fixture by naming it at module level (`chromium_path =
browser.chromium_path`: pytest finds fixtures among the module's names); its tests are marked
`pytest.mark.browser`. `sign_in` and `signed_in_person` sign a user in through the login page, `tick` checks a
DSFR box by its label.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

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


PASSWORD = "motdepasse-de-test"  # UserFactory's


@dataclass
class Person:
    """A signed-in user in a browser context of their own, with the watcher of their page."""

    name: str
    page: Page
    watcher: PageWatcher

    def expect_success(self, message: str) -> None:
        expect(self.page.locator(".fr-alert--success")).to_contain_text(message)

    def expect_status(self, label: str) -> None:
        """The status badge of the object shown (the first badge of the page's content, after the menu's)."""
        expect(self.page.locator("#content .fr-badge").first).to_have_text(label)

    def assert_clean(self, step: str) -> None:
        assert self.watcher.problems == [], f"{self.name}, {step}:\n" + "\n".join(self.watcher.problems)


def sign_in(page: Page, username: str, full_name: str, password: str = PASSWORD) -> None:
    """Sign in as a person does: the home page, "Se connecter", the login form (django-axes watching); the
    header then names who is signed in."""
    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_role("textbox", name="Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name=full_name)).to_be_visible()


def signed_in_person(chromium, base_url: str, username: str, full_name: str) -> Person:
    """A fresh browser context (French, no service worker) in which `username` signs in."""
    context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=base_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    person = Person(username, page, PageWatcher(page, base_url))
    sign_in(page, username, full_name)
    return person


def tick(page: Page, label: str) -> None:
    """Check a DSFR checkbox or radio button as a person does, by clicking its label (the DSFR draws its
    box over the real input, which Playwright's `check()` then cannot click)."""
    page.locator("label").get_by_text(label, exact=True).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def open_menu_group(page: Page, group: str) -> Locator:
    """Open a group of the main navigation and return the navigation.

    The DSFR script gives the group's button its behaviour when it starts and marks it then
    (`data-fr-js-collapse-button`). A click that comes before does nothing, and the group stays shut: on a
    loaded machine the script may start after the page's `load` event, so wait for the mark, click, and check
    that the group is open."""
    navigation = page.get_by_role("navigation", name="Menu principal")
    button = navigation.get_by_role("button", name=group, exact=True)
    expect(button).to_have_attribute("data-fr-js-collapse-button", "true")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    return navigation


def follow_menu(page: Page, group: str, link: str) -> None:
    """Follow a link of a group of the main navigation as a person does: the group's button, then the link."""
    open_menu_group(page, group).get_by_role("link", name=link, exact=True).click()
