"""The layout at 1 280 × 800 in Debian's Chromium (issue 17): the main navigation holds on one line for the national
steering (the role with the most entries), a DDETS and an anonymous visitor; a table wider than the page scrolls
inside its container, its first column staying in view, and the keyboard scrolls it too
(pacte/core/static/core/pacte.css and tables.js). The data are the demo's (tests/core/browser_demo.py), loaded
once for both checks."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from pacte.contracts.enums import ContractKind
from pacte.contracts.models import Contract
from tests import browser
from tests.core.browser_demo import PASSWORD, full_name, load_demo_world

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path

VIEWPORT = {"width": 1280, "height": 800}
NAV_ITEMS = """() => [...document.querySelectorAll('#fr-navigation .fr-nav__list > .fr-nav__item')].map(item => {
  const box = item.getBoundingClientRect();
  return {label: item.innerText.replace(/\\s+/g, ' ').trim(), top: box.top, bottom: box.bottom, right: box.right};
})"""
NAV_RIGHT = "() => document.querySelector('#fr-navigation').getBoundingClientRect().right"

CONTAINER = "section[aria-labelledby='contrats'] .fr-table__container"  # the consolidation by contract
GEOMETRY = """(container) => {
  const row = container.querySelector('tbody tr');
  const first = row.firstElementChild.getBoundingClientRect();
  const last = row.lastElementChild.getBoundingClientRect();
  const box = container.getBoundingClientRect();
  return {scrollWidth: container.scrollWidth, clientWidth: container.clientWidth, scrollLeft: container.scrollLeft,
          firstLeft: first.left, firstRight: first.right, lastLeft: last.left, boxLeft: box.left, boxRight: box.right};
}"""
# Whether the fixed column covers what scrolls under it: the point at the middle of the first cell is that cell.
FIRST_CELL_ON_TOP = """(container) => {
  const cell = container.querySelector('tbody tr').firstElementChild;
  window.scrollBy(0, cell.getBoundingClientRect().top - 200);
  const box = cell.getBoundingClientRect();
  return cell.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
}"""


def new_page(chromium, base_url: str, username: str | None = None):
    context = chromium.new_context(
        locale="fr-FR", service_workers="block", base_url=base_url, viewport=VIEWPORT
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    if username:
        browser.sign_in(page, username, full_name(username), password=PASSWORD)
    return page


def assert_navigation_on_one_line(page, who: str, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    items = page.evaluate(NAV_ITEMS)
    assert len(items) >= 8, items
    tops = {round(item["top"]) for item in items}
    heights = {round(item["bottom"] - item["top"]) for item in items}
    assert len(tops) == 1 and len(heights) == 1, f"{who}, {url} : le menu passe à la ligne\n{items}"
    assert max(item["right"] for item in items) <= page.evaluate(NAV_RIGHT) + 0.5, items


def assert_wide_table_scrolls_with_its_first_column_in_view(page) -> None:
    page.goto(reverse("contracts:consolidation"))
    page.wait_for_load_state("networkidle")
    container = page.locator(CONTAINER)
    before = container.evaluate(GEOMETRY)
    assert before["scrollWidth"] > before["clientWidth"], (
        before
    )  # the table by contract is wider than the page
    assert before["boxRight"] <= VIEWPORT["width"], before
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    )  # the page does not scroll

    # A keyboard user reaches the table's container and scrolls it with the arrow keys.
    expect(container).to_have_attribute("tabindex", "0")
    expect(container).to_have_attribute("role", "region")
    expect(container).to_have_attribute(
        "aria-label", "Conventions en vigueur, une ligne par convention (défilement horizontal)"
    )
    container.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("(c) => c.scrollLeft > 0", arg=container.element_handle())

    container.evaluate("(c) => { c.scrollLeft = c.scrollWidth; }")
    after = container.evaluate(GEOMETRY)
    assert after["scrollLeft"] > 0, after
    assert after["lastLeft"] < before["lastLeft"], (before, after)  # the other columns moved
    assert abs(after["firstLeft"] - before["firstLeft"]) < 1, (before, after)  # the first one stayed
    assert after["firstLeft"] >= after["boxLeft"] - 1 and after["firstRight"] <= after["boxRight"], after
    assert container.evaluate(FIRST_CELL_ON_TOP)


def test_at_1280_pixels_the_navigation_holds_on_one_line_and_wide_tables_scroll_in_place(
    chromium_path, live_server, transactional_db, monkeypatch, settings
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo_world(settings)
    contract = Contract.objects.filter(territory__code="44", kind=ContractKind.DEPARTEMENT).latest("pk")
    urls = [reverse("home"), reverse("contracts:consolidation"), contract.get_absolute_url()]

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:
            assert_navigation_on_one_line(new_page(chromium, live_server.url), "visiteur", urls[0])
            assert_navigation_on_one_line(new_page(chromium, live_server.url, "ddets44"), "ddets44", urls[0])
            national = new_page(chromium, live_server.url, "pilotage")
            watcher = browser.PageWatcher(national, live_server.url)
            for url in urls:
                assert_navigation_on_one_line(national, "pilotage", url)
            assert_wide_table_scrolls_with_its_first_column_in_view(national)
            assert watcher.problems == [], "\n".join(watcher.problems)
        finally:
            chromium.close()
