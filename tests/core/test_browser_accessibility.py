"""Accessibility checked by axe-core in Debian's Chromium (issue 17, RGAA basics): the pages a user of the demo
opens every day carry no serious or critical violation of the WCAG 2.x A and AA rules that axe-core tests.

axe-core is the npm package committed under tests/vendor/axe-core/ (version, source, sha256 and licence in its
README; `scripts/update_axe.sh` regenerates it): nothing is downloaded at run time. Playwright injects it into each
page (`add_script_tag`); the browser context bypasses the Content-Security-Policy for that script only because
the CSP of Pacte (script-src 'self') rightly refuses an inline script — tests/core/test_browser.py checks the CSP
itself. The data are the demo's (tests/core/browser_demo.py).
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from pacte.contracts.enums import ContractKind
from pacte.contracts.models import Contract
from tests import browser
from tests.core.browser_demo import PASSWORD, full_name, load_demo_world

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
  })))"""


def violations(page) -> list[dict]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE, WCAG_TAGS) if v["impact"] in BLOCKING]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {node['target']}")
            lines.append("      " + " ".join(node["summary"].split())[:300])
    return "\n".join(lines)


def check(page, url: str, found: dict[str, str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} : {response and response.status}"
    problems = violations(page)
    if problems:
        found[url] = describe(problems)


def check_open_menu(page, url: str, group: str, found: dict[str, str]) -> None:
    """The page with a group of the main navigation opened (its links then count)."""
    page.goto(url)
    browser.open_menu_group(page, group)
    problems = violations(page)
    if problems:
        found[f"{url} (menu « {group} » ouvert)"] = describe(problems)


def check_simulation(page, url: str, found: dict[str, str]) -> None:
    """The simulator's answer (tables of the benefits, the summary to hand over): one adult renting in Nantes."""
    page.goto(url)
    page.get_by_label("Commune de résidence (code INSEE)").fill("44109")
    page.get_by_label("Situation de logement").select_option("locataire_vide")
    page.get_by_label("Loyer mensuel").fill("520")
    page.get_by_role("group", name="Personne 1").get_by_label("Date de naissance").fill("1988-03-14")
    page.get_by_role("button", name="Estimer les droits").click()
    expect(page.get_by_role("heading", level=2, name="Droits estimés")).to_be_visible(timeout=60_000)
    problems = violations(page)
    if problems:
        found[f"{url} (résultat d'une simulation)"] = describe(problems)


def test_the_daily_pages_have_no_serious_or_critical_accessibility_violation(
    chromium_path, live_server, transactional_db, monkeypatch, settings
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo_world(settings)
    contract = Contract.objects.filter(territory__code="44", kind=ContractKind.DEPARTEMENT).latest("pk")
    pages = {
        "accueil": reverse("home"),
        "territoire": reverse("territories:detail", args=["departement", "44"]),
        "contrat": contract.get_absolute_url(),
        "consolidation": reverse("contracts:consolidation"),
        "carte": reverse("observation:indicator", args=["TP60"]) + "?niveau=departement",
        "baromètre": reverse("observation:barometer"),
        "outre-mer": reverse("observation:overseas"),
        "simulateur": reverse("screening:simulator"),
        "mon espace": reverse("workspace:home"),
    }
    found: dict[str, str] = {}

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=browser.CHROMIUM_ARGS)
        try:

            def context():
                opened = chromium.new_context(
                    locale="fr-FR",
                    service_workers="block",
                    base_url=live_server.url,
                    viewport={"width": 1280, "height": 800},
                    bypass_csp=True,  # for the injected axe-core only (see the module's docstring)
                )
                opened.set_default_timeout(15_000)
                return opened.new_page()

            anonymous = context()
            for name in ("accueil", "territoire", "carte", "baromètre", "outre-mer"):
                check(anonymous, pages[name], found)

            national = context()
            browser.sign_in(national, "pilotage", full_name("pilotage"), password=PASSWORD)
            for name in (
                "accueil",
                "territoire",
                "contrat",
                "consolidation",
                "carte",
                "baromètre",
                "simulateur",
            ):
                check(national, pages[name], found)
            check_open_menu(national, pages["consolidation"], "Contrats", found)
            check_simulation(national, pages["simulateur"], found)

            ddets = context()
            browser.sign_in(ddets, "ddets44", full_name("ddets44"), password=PASSWORD)
            for name in ("mon espace", "contrat"):
                check(ddets, pages[name], found)
        finally:
            chromium.close()

    assert not found, "axe-core : violations graves ou critiques (WCAG 2.x A et AA)\n" + "\n".join(
        f"{url}\n{report}" for url, report in found.items()
    )
