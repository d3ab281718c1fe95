"""The conventions of a département carried through their life in Debian's Chromium by national steering and the
two parties, each signed in through the login page in a browser of their own and clicking their way as people do
(the "Done when" of issue 12):

0. national steering notifies the Loire-Atlantique's annual ceilings (« Plafonds notifiés », « Notifier un
   plafond »): 50 000 € on the solidarités envelope, 40 000 € on the France Travail (insertion) one;
1. the collectivité (the conseil départemental of Loire-Atlantique) creates its solidarités contract (the kind
   of convention chosen, no ceiling typed), has a reinforced fiche-action refused because the State would put in
   more than the collectivité in 2025 (the French refusal shown next to the État – 2025 cell of the budget
   grid), corrects that cell and submits the contract, whose State credits exceed the ceiling;
2. it drafts its France Travail convention too: an axis-2 action of the RSA volet financed by the State alone
   (no parity in that part), and submits it;
3. national steering raises the solidarités ceiling to 80 000 €; the DDETS of Loire-Atlantique sees nothing left
   in the way, comments and validates both conventions; the collectivité validates its side; the DDETS records
   the signatures, after which nothing is editable any more;
4. the collectivité fills in its 2024 execution report, which it can file only once the DDETS has notified
   the 2024 credits its State spending draws on; the DDETS validates it;
5. the DDETS notifies, commits, then pays the 2025 credits: the payment is refused until the 2024 report is
   validated, accepted afterwards;
6. the convention PDF and the credits CSV export download as such;
7. the national consolidation shows both envelopes apart: the solidarités one (State, collectivité and CAF, the
   notified ceiling) and the France Travail one.

Only the setup (territories, référentiel, accounts) is written with the ORM; every change after it goes
through the pages. No page may show a console error, a CSP violation or answer an HTTP error (the refusals
along the way answer 200 with their message, as a person sees them).
"""

import re
from datetime import date, timedelta
from urllib.parse import urljoin

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from pacte import formatting
from pacte.contracts.enums import ContractKind, ContractStatus
from pacte.contracts.models import Action, Contract
from pacte.core.enums import ReportStatus
from tests import browser
from tests.accounts.factories import UserFactory
from tests.browser import CHROMIUM_ARGS, Person, signed_in_person, tick
from tests.programme.factories import AxisFactory, MeasureFactory
from tests.territories.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path  # the fixture

CONTRACT_TITLE = "Contrat local des solidarités 2024-2027 – Loire-Atlantique"
FT_TITLE = "Convention France Travail 2024-2025 – Loire-Atlantique"
SOLIDARITES = "Contrat local des solidarités (département)"
FRANCE_TRAVAIL = "Convention France Travail (insertion)"
AXIS_TITLE = "Prévenir la pauvreté dès l’enfance"
MEASURE_TITLE = "Accompagner les familles monoparentales vers l’emploi"
FT_AXIS_TITLE = "Amplifier la politique d’accès à l’emploi pour tous"
FT_MEASURE_TITLE = "Accompagner les allocataires du RSA vers l’emploi"
FT_ACTION_TITLE = "Référents de parcours des allocataires du RSA"
FT_STATE = 30_000  # each year, 2024 and 2025, the State alone (volet 3)
SIGNED_ON = date(2024, 2, 15)
ACTION_TITLE = "Accompagnement global des familles monoparentales"
COMMENT = "Le cofinancement de la CAF est-il acquis pour 2027 ?"
YEARS = (2024, 2025, 2026, 2027)
# The budget of the fiche-action each year: the State pays 60 000 € of 140 000 € (42,9 %).
BUDGET = {"État": 60_000, "Collectivité": 70_000, "CAF": 10_000}


# --- Helpers: finding the contract, filling the forms --------------------------------------------


def open_contract(person: Person, kind: str = SOLIDARITES, title: str = CONTRACT_TITLE) -> None:
    """From any page: the "Contrats locaux" menu, then Loire-Atlantique's convention of `kind` in the list."""
    page = person.page
    browser.follow_menu(page, "Contrats", "Contrats locaux")
    row = page.get_by_role("table").get_by_role("row").filter(has_text=kind)
    row.get_by_role("link", name="Loire-Atlantique").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def create_convention(local: Person, kind: str, title: str) -> None:
    """« Nouvelle convention »: the collectivité and the kind of convention (no ceiling to type)."""
    page = local.page
    browser.follow_menu(page, "Contrats", "Contrats locaux")
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_label("Collectivité signataire").select_option(label="Loire-Atlantique (département, 44)")
    page.get_by_label("Sorte de convention").select_option(label=kind)
    page.get_by_role("button", name="Créer la convention").click()
    local.expect_success("La convention est créée. Ajoutez maintenant ses fiches-actions.")
    expect(page.locator("#sorte")).to_contain_text(kind)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    local.expect_status("Brouillon")


def fill_action_form(page: Page, budget_by_year: dict[int, dict[str, int]]) -> None:
    """The three parts of the fiche-action page: the fiche (axis, measure, reinforced action), one indicator
    with its baseline and a target per year, and the budget grid (a row per funder, a column per year; the
    CAF as "other" co-funder)."""
    page.get_by_label("Intitulé").fill(ACTION_TITLE)
    page.get_by_label("Axe du Pacte").select_option(label=f"Axe 1 – {AXIS_TITLE}")
    tick(page, f"Axe 1 – {MEASURE_TITLE}")
    tick(page, "Action renforcée")
    page.get_by_label("Type de renforcement").select_option(label="Nouveaux publics")
    page.get_by_label("Publics cibles").fill("Familles monoparentales allocataires du RSA")
    page.get_by_label("Pilote").fill("Direction de l’insertion et de l’emploi")
    page.get_by_label("Partenaires").fill("CAF de Loire-Atlantique, France Travail")
    page.get_by_label("Description").fill("Un référent unique accompagne chaque famille vers l’emploi.")

    indicator = page.get_by_role("group", name="Indicateur n°1")
    indicator.get_by_role("textbox", name="Indicateur", exact=True).fill("Familles accompagnées")
    indicator.get_by_role("combobox", name=re.compile(r"^Unité")).select_option(label="ménages")
    indicator.get_by_role("textbox", name="Valeur de départ", exact=True).fill("80")
    indicator.get_by_label("Année de départ", exact=True).fill("2023")
    # The indicator that shows the reinforcement (the new publics reached: 80 before, more each year); its
    # label holds a hint, so it is clicked by its beginning.
    indicator.locator("label").filter(has_text="Mesure le renforcement").click()
    expect(indicator.get_by_role("checkbox", name=re.compile(r"^Mesure le renforcement"))).to_be_checked()
    for year, target in zip(YEARS, (120, 150, 180, 200), strict=True):
        indicator.get_by_label(f"Cible {year}").fill(str(target))

    page.get_by_label("Autre cofinanceur n°1", exact=True).fill("CAF")
    for year, amounts in budget_by_year.items():
        page.get_by_label(f"État – {year}").fill(formatting.number(amounts["État"]))
        page.get_by_label(f"Collectivité – {year}").fill(formatting.number(amounts["Collectivité"]))
        page.get_by_label(f"Autre cofinanceur n°1 – {year}").fill(formatting.number(amounts["CAF"]))


CREDIT_LABELS = {
    "notified": "Crédits notifiés (€)",
    "notified_on": "Notifiés le",
    "committed": "Crédits engagés (€)",
    "committed_on": "Engagés le",
    "paid": "Crédits versés (€)",
    "paid_on": "Versés le",
}


def edit_credits(person: Person, year: int, **fields: str) -> None:
    """From the credits page: "Modifier les crédits <year>", type the given amounts and dates, save."""
    page = person.page
    page.get_by_role("link", name=f"Modifier les crédits {year}").click()
    for name, value in fields.items():
        page.get_by_label(CREDIT_LABELS[name]).fill(value)
    page.get_by_role("button", name=f"Enregistrer les crédits {year}").click()


def credit_row(page: Page, year: int):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=str(year), exact=True))


# --- The walk, step by step ----------------------------------------------------------------------------------


def notify_ceiling(national: Person, envelope: str, amount: int) -> None:
    """0. and 3. National steering, from the contracts list: « Plafonds notifiés », « Notifier un plafond », the
    Loire-Atlantique's `envelope` for the four years (all ticked by default)."""
    page = national.page
    browser.follow_menu(page, "Contrats", "Contrats locaux")
    page.get_by_role("main").get_by_role("link", name="Plafonds notifiés").click()
    page.get_by_role("link", name="Notifier un plafond").click()
    page.get_by_label("Collectivité").select_option(label="Loire-Atlantique (département, 44)")
    page.get_by_label("Enveloppe").select_option(label=envelope)
    page.get_by_label("Montant annuel notifié (€)").fill(formatting.number(amount))
    page.get_by_label("Notifié le").fill("2024-01-10")
    page.get_by_role("button", name="Notifier").click()
    national.expect_success("Le plafond de Loire-Atlantique est notifié pour 2024, 2025, 2026, 2027.")
    expect(page.locator("#collectivites ~ div table")).to_contain_text(formatting.number(amount))


def draft_and_submit(local: Person) -> None:
    """1. The collectivité creates its solidarités contract (no ceiling to type: the notified one, too low here,
    shows on its page), has its fiche-action refused for a State amount above the collectivité's in 2025 with
    nothing saved (the refusal next to the État – 2025 cell), corrects the one cell and submits the contract to
    the State."""
    page = local.page
    create_convention(local, SOLIDARITES, CONTRACT_TITLE)
    page.get_by_role("link", name="Ajouter une fiche-action").click()
    too_much = {year: dict(BUDGET) for year in YEARS}
    too_much[2025]["Collectivité"] = 30_000  # the State's 60 000 € would be more than the collectivité's
    fill_action_form(page, too_much)
    page.get_by_role("button", name="Enregistrer la fiche-action").click()
    summary = page.locator("#resume-erreurs")
    expect(summary).to_contain_text("Rien n’a été enregistré : 1 erreur à corriger")
    refusal = (
        f"En 2025, l'État apporterait {formatting.euros(60_000)} et la collectivité {formatting.euros(30_000)} : "
        "la part de l'État ne peut pas dépasser celle de la collectivité (cofinancement à parité). Les "
        f"{formatting.euros(10_000)} des autres cofinanceurs viennent en plus et ne comptent pas dans la part de "
        "la collectivité."
    )
    expect(summary.get_by_role("listitem")).to_contain_text(refusal)
    cell = page.get_by_label("État – 2025")
    expect(summary.get_by_role("link")).to_have_attribute("href", f"#{cell.get_attribute('id')}")
    # The refusal is on the cell that breaks the rule: the State's amount of 2025, and on no other cell.
    expect(page.locator("td").filter(has=cell).locator(".fr-error-text")).to_have_text(refusal)
    expect(page.locator("#budget ~ div .fr-error-text")).to_have_count(1)
    assert not Action.objects.exists(), "la fiche-action refusée a été enregistrée"
    # Inside Playwright's event loop this read opened a connection of its own (Django keeps one per async
    # context): close it, or PostgreSQL refuses to drop the test database at the end of the run.
    connections.close_all()
    expect(page.get_by_label("Intitulé")).to_have_value(ACTION_TITLE)  # what was typed is kept
    page.get_by_label("Collectivité – 2025").fill(formatting.number(70_000))
    page.get_by_role("button", name="Enregistrer la fiche-action").click()
    local.expect_success("La fiche-action n°1 est enregistrée.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Fiche-action n°1 – {ACTION_TITLE}")

    page.get_by_role("link", name="Retour au contrat").click()
    expect(page.locator("#preparation")).to_contain_text(
        f"En 2024, les crédits de l'État demandés sur l'enveloppe « Solidarités (départements) » "
        f"({formatting.euros(60_000)}) dépassent le plafond notifié ({formatting.euros(50_000)})."
    )
    page.get_by_role("button", name="Soumettre à l’État").click()
    local.expect_success("Le contrat est soumis à l'État : la négociation est ouverte.")
    local.expect_status("En négociation")


def draft_france_travail(local: Person) -> None:
    """2. The collectivité creates its France Travail convention (2024-2025) and its axis-2 action of the RSA
    volet, financed by the State alone (no parity in the France Travail part), then submits it."""
    page = local.page
    create_convention(local, FRANCE_TRAVAIL, FT_TITLE)
    page.get_by_role("link", name="Ajouter une fiche-action").click()
    page.get_by_label("Intitulé").fill(FT_ACTION_TITLE)
    page.get_by_label("Axe du Pacte").select_option(label=f"Axe 2 – {FT_AXIS_TITLE}")
    tick(page, f"Axe 2 – {FT_MEASURE_TITLE}")
    tick(page, "Action nouvelle")
    page.get_by_label("Volet de la convention France Travail").select_option(
        label="Volet 3 – Accompagnement rénové des allocataires du RSA"
    )
    page.get_by_label("Publics cibles").fill("Allocataires du RSA soumis aux droits et devoirs")
    page.get_by_label("Pilote").fill("Direction de l’insertion et de l’emploi")
    page.get_by_label("Description").fill("Un référent de parcours pour chaque allocataire orienté.")
    indicator = page.get_by_role("group", name="Indicateur n°1")
    indicator.get_by_role("textbox", name="Indicateur", exact=True).fill("Allocataires accompagnés")
    indicator.get_by_role("combobox", name=re.compile(r"^Unité")).select_option(label="personnes")
    for year, target in ((2024, 300), (2025, 450)):
        indicator.get_by_label(f"Cible {year}").fill(str(target))
        page.get_by_label(f"État – {year}").fill(formatting.number(FT_STATE))
    page.get_by_role("button", name="Enregistrer la fiche-action").click()
    local.expect_success("La fiche-action n°1 est enregistrée.")
    page.get_by_role("link", name="Retour au contrat").click()
    page.get_by_role("button", name="Soumettre à l’État").click()
    local.expect_success("Le contrat est soumis à l'État : la négociation est ouverte.")


def validate_both_and_sign(state: Person, local: Person) -> date:
    """The DDETS validates the convention open on its page, the collectivité validates it on its own page, then
    the DDETS records the signature: the form proposes today, the DDETS types the day it was signed. Returns
    that date."""
    spage, page = state.page, local.page
    spage.get_by_role("button", name="Valider pour l’État").click()
    state.expect_success("La validation de l'État est enregistrée.")
    expect(spage.locator("#validations")).to_contain_text("État : validé par Denis Détais")
    expect(spage.get_by_role("button", name="Valider pour l’État")).to_have_count(0)

    page.reload()
    page.get_by_role("button", name="Valider pour la collectivité").click()
    local.expect_success("La validation de la collectivité est enregistrée.")
    local.expect_status("Validé par les deux parties")

    spage.reload()
    before = timezone.localdate()
    spage.get_by_role("link", name="Enregistrer la signature").click()
    proposed = date.fromisoformat(spage.get_by_label("Date de signature").input_value())
    assert proposed in (before, before + timedelta(days=1)), proposed  # today, even at midnight
    # The conventions were signed early in 2024 and are recorded afterwards: they report from 2024 on.
    spage.get_by_label("Date de signature").fill(SIGNED_ON.isoformat())
    spage.get_by_label("Signataire pour l'État").fill("Mme Anne Exemple, préfète de région")
    spage.get_by_label("Signataire pour la collectivité").fill("M. Paul Modèle, président du département")
    spage.get_by_role("button", name="Enregistrer la signature").click()
    state.expect_success("La signature est enregistrée : cette version du contrat est désormais publique.")
    return SIGNED_ON


def negotiate_and_sign(state: Person, local: Person) -> date:
    """3. (Once national steering raised the ceiling) the DDETS finds nothing in the way of validation, comments
    on the fiche-action and validates; the collectivité reads the comment and validates; the DDETS records the
    signature. Then the same for the France Travail convention. Returns the signature date of the contract."""
    spage, page = state.page, local.page
    open_contract(state)
    expect(spage.get_by_role("link", name="Modifier l’intitulé")).to_have_count(0)  # the collectivité's
    ceilings = spage.get_by_role("table", name="Crédits de l’État demandés et plafonds notifiés")
    expect(ceilings).to_contain_text(formatting.euros(80_000))
    expect(spage.locator("#preparation")).to_have_count(0)  # nothing stands in the way of validation

    spage.get_by_label("Votre commentaire").fill(COMMENT)
    spage.get_by_label("Fiche-action concernée").select_option(label=f"Fiche-action n°1 – {ACTION_TITLE}")
    spage.get_by_role("button", name="Publier le commentaire").click()
    state.expect_success("Votre commentaire est publié.")
    open_contract(local)
    expect(page.locator("#commentaires").locator("~ .fr-card").filter(has_text=COMMENT)).to_contain_text(
        "fiche-action n°1"
    )
    signed_on = validate_both_and_sign(state, local)

    open_contract(state, FRANCE_TRAVAIL, FT_TITLE)
    expect(spage.locator("#preparation")).to_have_count(0)
    open_contract(local, FRANCE_TRAVAIL, FT_TITLE)
    validate_both_and_sign(state, local)
    open_contract(local)
    open_contract(state)
    return signed_on


def check_signed(person: Person, signed_on: date) -> None:
    """The signed version, as either party sees it: signed, with its signatories, nothing left to edit or
    validate; only an avenant may change it now."""
    page = person.page
    page.reload()
    person.expect_status("Signé")
    signature = page.locator("#signature")
    expect(signature).to_contain_text(f"Signé le {formatting.date(signed_on)}")
    expect(signature).to_contain_text("Pour l’État : Mme Anne Exemple, préfète de région")
    expect(signature).to_contain_text("Pour la collectivité : M. Paul Modèle, président du département")
    for gone in ("Ajouter une fiche-action", "Modifier l’intitulé", "Enregistrer la signature"):
        expect(page.get_by_role("link", name=gone)).to_have_count(0)
    for gone in ("Soumettre à l’État", "Valider", "Rouvrir la négociation"):
        expect(page.get_by_role("button", name=gone)).to_have_count(0)
    expect(page.get_by_role("link", name="Rédiger un avenant")).to_be_visible()
    page.get_by_role("link", name=ACTION_TITLE).click()
    expect(page.get_by_text("Version signée : la fiche-action ne peut plus être modifiée")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Supprimer")).to_have_count(0)
    page.get_by_role("link", name="Retour au contrat").click()


def report_2024(local: Person, state: Person) -> None:
    """4. The collectivité opens and fills in the 2024 report; filing is refused while no 2024 credits are
    notified (its State spending would exceed them); the DDETS notifies and commits them; the collectivité
    files the report."""
    page, spage = local.page, state.page
    page.get_by_role("link", name="Rapports d’exécution").click()
    page.get_by_role("button", name="Ouvrir le rapport 2024").click()
    local.expect_success("Le rapport d'exécution 2024 est ouvert : renseignez les réalisations de l'année.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport d’exécution 2024")
    page.get_by_label("« Familles accompagnées » : valeur réalisée en 2024").fill("131")
    page.get_by_label("dépensé par État en 2024").fill(formatting.number(55_000))
    page.get_by_label("dépensé par Collectivité en 2024").fill(formatting.number(68_000))
    page.get_by_label("dépensé par CAF en 2024").fill(formatting.number(9_500))
    page.get_by_label("Bilan qualitatif").fill("131 familles accompagnées ; 42 reprises d’emploi.")
    page.get_by_role("button", name="Enregistrer le rapport").click()
    local.expect_success("Le rapport d'exécution 2024 est enregistré.")

    checklist = page.locator("#a-completer")
    expect(checklist).to_contain_text("Avant de déposer : 1 point à compléter")
    expect(checklist).to_contain_text(
        f"Les dépenses sur crédits de l'État ({formatting.euros(55_000)}) dépassent les crédits notifiés pour "
        f"2024 ({formatting.euros(0)})."
    )
    expect(page.get_by_role("button", name="Déposer le rapport 2024")).to_be_disabled()
    expect(page.locator("#depot-impossible")).to_contain_text("une fois les points ci-dessus complétés")
    local.expect_status("Brouillon")

    spage.get_by_role("link", name="Crédits de l’État").click()
    edit_credits(
        state,
        2024,
        notified=formatting.number(60_000),
        notified_on="2024-03-01",
        committed=formatting.number(60_000),
        committed_on="2024-04-02",
    )
    state.expect_success("Les crédits 2024 sont enregistrés.")

    page.reload()
    expect(checklist).to_contain_text("Le rapport est complet")
    page.get_by_role("button", name="Déposer le rapport 2024").click()
    local.expect_success("Le rapport d'exécution 2024 est déposé : l'État va l'examiner.")
    local.expect_status("Déposé")
    expect(page.get_by_role("link", name="Compléter le rapport")).to_have_count(0)


def credits_2025_and_review(state: Person) -> None:
    """5. On the credits page, the DDETS notifies the 2025 credits, then commits them; paying them now is
    refused (the 2024 report is filed, not validated). It validates the 2024 report, then pays."""
    page = state.page
    edit_credits(state, 2025, notified=formatting.number(60_000), notified_on="2025-02-03")
    state.expect_success("Les crédits 2025 sont enregistrés.")
    expect(credit_row(page, 2025)).to_contain_text("versement bloqué")

    edit_credits(
        state,
        2025,
        committed=formatting.number(60_000),
        committed_on="2025-03-03",
        paid=formatting.number(60_000),
        paid_on="2025-06-02",
    )
    expect(page.locator("#erreurs")).to_contain_text(
        "Crédits versés (€) : Le versement des crédits 2025 suppose le rapport d'exécution 2024 validé."
    )
    page.get_by_label("Crédits versés (€)").fill("0")
    page.get_by_label("Versés le").fill("")
    page.get_by_role("button", name="Enregistrer les crédits 2025").click()
    state.expect_success("Les crédits 2025 sont enregistrés.")

    page.get_by_role("link", name="Rapports d’exécution").click()
    page.get_by_role("link", name="Rapport 2024").click()
    page.get_by_role("link", name="Examiner le rapport").click()
    tick(page, "Valider le rapport")
    page.get_by_label("Observations de l'État").fill("Rapport complet, merci.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    state.expect_success("Le rapport d'exécution 2024 est validé.")
    state.expect_status("Validé")

    page.get_by_role("link", name="Crédits de l’État").click()
    expect(credit_row(page, 2025)).to_contain_text("versement possible")
    edit_credits(state, 2025, paid=formatting.number(60_000), paid_on="2025-06-02")
    state.expect_success("Les crédits 2025 sont enregistrés.")
    cells = credit_row(page, 2025).get_by_role("cell")
    for index, day in (
        (1, "3 février 2025"),
        (2, "3 mars 2025"),
        (3, "2 juin 2025"),
    ):  # notified, committed, paid
        expect(cells.nth(index)).to_have_text(re.compile(rf"^\s*{formatting.number(60_000)}\s*le {day}\s*$"))


def check_documents(local: Person, state: Person) -> None:
    """6. The credits CSV (UTF-8 with BOM, semicolons) has the 2025 row as recorded; the convention PDF
    linked from the contract page is a PDF. Both fetched with the signed-in person's cookies."""
    spage, page = state.page, local.page
    csv = spage.request.get(
        urljoin(spage.url, spage.get_by_role("link", name="Exporter (CSV)").get_attribute("href"))
    )
    assert csv.status == 200 and csv.headers["content-type"] == "text/csv; charset=utf-8"
    text = csv.body().decode("utf-8")
    assert text.startswith("\ufeffAnnée;Plafond notifié (€);"), text[:80]
    row_2025 = next(line for line in text.splitlines() if line.startswith("2025;")).split(";")
    assert row_2025[1:3] == ["80000", "0"]
    assert row_2025[5:11] == ["60000", "2025-02-03", "60000", "2025-03-03", "60000", "2025-06-02"]

    open_contract(local)
    pdf = page.request.get(
        urljoin(page.url, page.get_by_role("link", name="Convention (PDF)").get_attribute("href"))
    )
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")


def check_consolidation(national: Person) -> None:
    """7. The national consolidation keeps the envelopes apart: the solidarités one holds the contract's budget
    (State, collectivité and CAF in their own columns) and its notified ceiling, the France Travail one the
    convention's State credits."""
    page = national.page
    browser.follow_menu(page, "Contrats", "Consolidation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consolidation nationale")
    year_row = "tbody tr:has(th:text-is('{}'))"
    solidarites = page.locator("#enveloppe-solidarites")
    expect(solidarites.locator("caption")).to_contain_text("Solidarités (départements)")
    for amount in (60_000, 70_000, 10_000, 80_000):  # State, collectivité, CAF, the ceiling (2024)
        expect(solidarites.locator(year_row.format(2024))).to_contain_text(formatting.number(amount))
    france_travail = page.locator("#enveloppe-france_travail")
    expect(france_travail.locator("caption")).to_contain_text("Insertion (réforme France Travail)")
    expect(france_travail.locator(year_row.format(2025))).to_contain_text(formatting.number(FT_STATE))
    expect(france_travail.locator(year_row.format(2026)).get_by_role("cell").first).to_have_text("0")


def test_a_departements_two_conventions_go_from_notified_ceilings_to_the_consolidation(
    chromium_path, live_server, transactional_db, monkeypatch
):
    # Playwright's sync API runs an asyncio loop in this thread: Django would then refuse the ORM reads
    # made here while the browser is open (the live server answers from its own threads).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    axis = AxisFactory(number=1, title=AXIS_TITLE)
    MeasureFactory(axis=axis, title=MEASURE_TITLE)
    MeasureFactory(axis=AxisFactory(number=2, title=FT_AXIS_TITLE), title=FT_MEASURE_TITLE)
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
    UserFactory(username="dipl", first_name="Nadia", last_name="National", national=True)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            national = signed_in_person(chromium, live_server.url, "dipl", "Nadia National")
            notify_ceiling(national, "Solidarités (départements)", 50_000)
            notify_ceiling(national, "Insertion (réforme France Travail)", 40_000)
            local = signed_in_person(chromium, live_server.url, "cd44", "Claire Collectivité")
            draft_and_submit(local)
            draft_france_travail(local)
            local.assert_clean("brouillon et soumission")
            notify_ceiling(national, "Solidarités (départements)", 80_000)
            national.assert_clean("plafonds notifiés")

            state = signed_in_person(chromium, live_server.url, "ddets44", "Denis Détais")
            signed_on = negotiate_and_sign(state, local)
            check_signed(state, signed_on)
            check_signed(local, signed_on)
            state.assert_clean("négociation et signature")
            local.assert_clean("négociation et signature")

            report_2024(local, state)
            local.assert_clean("rapport 2024")
            credits_2025_and_review(state)
            state.assert_clean("crédits et examen du rapport")

            check_documents(local, state)
            local.assert_clean("documents")
            state.assert_clean("documents")
            check_consolidation(national)
            national.assert_clean("consolidation")
        finally:
            chromium.close()

    assert set(Contract.objects.values_list("kind", "status")) == {
        (ContractKind.DEPARTEMENT, ContractStatus.SIGNED),
        (ContractKind.FRANCE_TRAVAIL, ContractStatus.SIGNED),
    }
    contract = Contract.objects.get(kind=ContractKind.DEPARTEMENT)
    assert contract.signed_on == signed_on
    assert contract.reports.get(year=2024).status == ReportStatus.VALIDATED
    credit = contract.credits.get(year=2025)
    assert (credit.notified, credit.committed, credit.paid) == (60_000, 60_000, 60_000)
