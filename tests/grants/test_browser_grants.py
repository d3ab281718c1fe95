"""An appel à projets carried from candidature to open data in Debian's Chromium, each person signed in through
the login page in a browser of their own:

1. the association (Loire-Atlantique) opens the published call, fills in its candidature, saves the draft and
   files it;
2. the regional commissioner closes the call early (the candidature goes under instruction);
3. the reviewer (a DDETS agent assigned in the setup) scores each criterion, declares no conflict of interest and
   submits; the average appears on the candidature;
4. the commissioner selects the project with its yearly amounts: the convention is created;
5. an anonymous visitor downloads the SCDL « subventions » CSV: the grant is there.

Only the setup (territories, référentiel, accounts, the published call and its reviewer) uses the ORM; no page
may show a console error, a CSP violation or an HTTP error.
"""

import csv
import io

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from pacte.grants import services
from pacte.grants.enums import ApplicationStatus, CallStatus
from pacte.grants.models import Application, CallForProjects, GrantAgreement
from tests import browser
from tests.accounts.factories import UserFactory
from tests.browser import CHROMIUM_ARGS, signed_in_person, tick
from tests.grants.factories import AssociationFactory, CallFactory, luhn_complete
from tests.programme.factories import AxisFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path  # the fixture

CALL_TITLE = "Appel à projets 2025 – Pacte des solidarités"
PROJECT = "Épicerie solidaire itinérante"
ASSOCIATION = "Entraide Ligérienne"


def apply(person, siret: str) -> None:
    page = person.page
    page.goto("/appels-a-projets/")
    page.get_by_role("link", name=CALL_TITLE).click()
    page.get_by_role("link", name="Candidater").click()
    page.get_by_label("Intitulé du projet").fill(PROJECT)
    page.get_by_label("Résumé du projet").fill("Une épicerie en camion pour les communes rurales.")
    page.get_by_label("Axe du Pacte").select_option(label="Axe 1 – Prévenir la pauvreté dès l’enfance")
    page.get_by_label("Territoire d'action").select_option(label="Loire-Atlantique (département, 44)")
    page.get_by_label("SIRET de l'association").fill(siret)
    page.get_by_label("Coût total du projet sur sa durée (€)").fill("120 000")
    page.get_by_label("Montant demandé pour 2025 (€)").fill("30 000")
    page.get_by_label("Montant demandé pour 2026 (€)").fill("25 000")
    page.get_by_label("Cofinanceur n°1", exact=True).fill("Conseil départemental")
    page.get_by_label("Montant du cofinancement n°1 (€)").fill("20 000")
    page.get_by_label("Indicateur n°1", exact=True).fill("Familles servies")
    page.get_by_label("Unité de l'indicateur n°1").fill("ménages")
    page.get_by_label("Cible de l'indicateur n°1").fill("150")
    page.get_by_role("button", name="Enregistrer la candidature").click()
    person.expect_success("Votre candidature est enregistrée en brouillon.")
    page.get_by_role("button", name="Déposer la candidature").click()
    person.expect_success("Votre candidature est déposée.")
    expect(page.locator("#content .fr-badge").first).to_have_text("Déposée")


def close_call(person) -> None:
    page = person.page
    page.goto("/appels-a-projets/")
    page.get_by_role("link", name=CALL_TITLE).click()
    page.get_by_role("button", name="Clore l’appel à projets").click()
    person.expect_success("L'appel à projets est clos")


def score(person) -> None:
    page = person.page
    page.goto("/appels-a-projets/")
    page.get_by_role("link", name=CALL_TITLE).click()
    page.get_by_role("link", name=f"AAP-52-2025-001 – {PROJECT}").click()
    page.get_by_role("link", name="Évaluer la candidature").click()
    page.get_by_label("Pertinence du projet (note sur 5, pondération 2)").fill("4")
    page.get_by_label("Capacité à faire (note sur 10, pondération 1)").fill("8")
    tick(
        page,
        "Je déclare n'avoir aucun lien personnel, professionnel ou financier avec l'association candidate.",
    )
    page.get_by_role("button", name="Soumettre l’évaluation").click()
    person.expect_success("Votre évaluation est soumise.")
    expect(page.get_by_text("Note moyenne pondérée")).to_contain_text("16 / 20")


def decide(person) -> None:
    page = person.page
    page.goto("/appels-a-projets/candidatures/")
    page.get_by_role("link", name=f"AAP-52-2025-001 – {PROJECT}").click()
    page.get_by_role("link", name="Décider").click()
    tick(page, "Retenir le projet")
    page.get_by_label("Motivation").fill("Projet ancré dans les communes rurales.")
    page.get_by_label("Montant attribué pour 2025 (€)").fill("28 000")
    page.get_by_label("Référence de la décision").fill("ARR-52-2025-004")
    page.get_by_role("button", name="Enregistrer la décision").click()
    person.expect_success("Le projet est retenu : sa convention est créée.")
    expect(page.locator("#content .fr-badge").first).to_have_text("Retenue")


def test_an_association_applies_and_its_grant_reaches_the_open_data(
    chromium_path, live_server, transactional_db, monkeypatch, region, loire_atlantique, prefecture
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    AxisFactory(number=1, title="Prévenir la pauvreté dès l’enfance")
    commissioner = UserFactory(
        username="commissaire",
        first_name="Marc",
        last_name="Lebreton",
        commissioner=True,
        territory=region,
        organisation=prefecture,
    )
    association = AssociationFactory(name=ASSOCIATION, territory=loire_atlantique)
    UserFactory(
        username="asso",
        first_name="Léa",
        last_name="Fontaine",
        association=True,
        organisation=association,
        territory=loire_atlantique,
    )
    reviewer = UserFactory(
        username="ddets44", first_name="Denis", last_name="Détais", ddets=True, territory=loire_atlantique
    )
    call = CallFactory(region=region, owner=prefecture, reference="AAP-52-2025", title=CALL_TITLE)
    services.assign_reviewer(call, reviewer, by=commissioner)
    siret = luhn_complete(association.siren + "0001")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            member = signed_in_person(chromium, live_server.url, "asso", "Léa Fontaine")
            apply(member, siret)
            member.assert_clean("candidature")

            state = signed_in_person(chromium, live_server.url, "commissaire", "Marc Lebreton")
            close_call(state)
            state.assert_clean("clôture")

            ddets = signed_in_person(chromium, live_server.url, "ddets44", "Denis Détais")
            score(ddets)
            ddets.assert_clean("évaluation")

            decide(state)
            state.assert_clean("décision")

            public = chromium.new_context(base_url=live_server.url).request
            response = public.get("/appels-a-projets/donnees/subventions.csv")
            assert response.status == 200
            rows = list(csv.DictReader(io.StringIO(response.text())))
        finally:
            chromium.close()
            connections.close_all()

    assert CallForProjects.objects.get().status == CallStatus.DECIDED
    assert Application.objects.get().status == ApplicationStatus.SELECTED
    agreement = GrantAgreement.objects.get()
    assert [row.amount for row in agreement.years.all()] == [28_000, 25_000]
    [row] = rows
    assert (row["nomBeneficiaire"], row["idBeneficiaire"], row["montant"]) == (ASSOCIATION, siret, "53000.00")
    assert row["referenceDecision"] == "ARR-52-2025-004" and row["conditionsVersement"] == "échelonné"
