"""The simulator: allowed roles, French errors naming the person, results with confidence and claim link,
and nothing kept about the person."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from pacte.screening.models import ScreeningJob

URL = reverse("screening:simulator")


def household(**changes) -> dict:
    data = {
        "mois": "2026-05",
        "commune": "44109",
        "statut_occupation_logement": "locataire_vide",
        "loyer": "520",
        "personnes-TOTAL_FORMS": "6",
        "personnes-INITIAL_FORMS": "0",
        "personnes-MIN_NUM_FORMS": "0",
        "personnes-MAX_NUM_FORMS": "20",
        "personnes-0-role": "demandeur",
        "personnes-0-date_naissance": "1988-03-14",
        "personnes-0-salaire_net": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["worker", "worker35", "association", "ddets44", "national"])
def test_every_role_opens_the_simulator_which_is_never_cached(client, users, who):
    client.force_login(users[who])
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="personnes-0-date_naissance"' in response.content.decode()


def test_the_simulator_asks_an_anonymous_visitor_to_sign_in_and_refuses_a_user_without_role(client, users):
    response = client.post(URL, household())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    client.force_login(users["nobody"])
    assert client.get(URL).status_code == 403


def test_a_household_without_income_gets_its_rights_with_confidence_and_claim_links(
    engine, client, users, cog
):
    client.force_login(users["worker"])
    sessions_before = Session.objects.count()
    response = client.post(URL, household())
    content = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Droits estimés pour mai 2026 – Nantes" in content
    probable = content.split('id="non-recours"')[1].split('id="percues"')[0]
    assert "Revenu de solidarité active (RSA)" in probable and "par mois" in probable
    assert (
        "À vérifier" in probable and "https://www.service-public.fr/particuliers/vosdroits/F19778" in probable
    )
    assert not ScreeningJob.objects.exists() and Session.objects.count() == sessions_before
    assert "1988-03-14" not in str(dict(client.session))


def test_a_benefit_already_received_is_listed_as_such(engine, client, users, cog):
    client.force_login(users["worker"])
    content = client.post(URL, household(prestations_percues=["rsa"])).content.decode()
    received = content.split('id="percues"')[1].split('id="non-eligibles"')[0]
    assert "Revenu de solidarité active (RSA)" in received


def test_the_incapacity_rate_of_a_person_opens_the_aah(engine, client, users, cog):
    client.force_login(users["worker"])
    without = client.post(URL, household()).content.decode()
    assert (
        "Allocation aux adultes handicapés (AAH)"
        not in without.split('id="non-recours"')[1].split('id="percues"')[0]
    )
    content = client.post(URL, household(**{"personnes-0-taux_incapacite": "80"})).content.decode()
    probable = content.split('id="non-recours"')[1].split('id="percues"')[0]
    assert "Allocation aux adultes handicapés (AAH)" in probable


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"personnes-0-taux_incapacite": "120"},
            "Personne 1 — Taux d&#x27;incapacité reconnu par la MDPH (%) : Le taux d’incapacité ne peut pas dépasser 100 %.",
        ),
        ({"personnes-0-date_naissance": "14/13/1988"}, "Personne 1 — Date de naissance : Saisissez une date"),
        ({"personnes-1-role": "enfant"}, "Personne 2 — Date de naissance : Indiquez la date de naissance."),
        (
            {"personnes-1-role": "enfant", "personnes-1-date_naissance": "2090-01-01"},
            "Personne 2 — Date de naissance : Cette date de naissance n&#x27;est pas plausible.",
        ),
        (
            {"personnes-0-salaire_net": "-5"},
            "Personne 1 — Salaire net mensuel (€) : Le montant doit être positif ou nul.",
        ),
        (
            {"personnes-0-role": "", "personnes-0-date_naissance": "", "personnes-0-salaire_net": ""},
            "Personne 1 — Place dans le foyer : Indiquez la place",
        ),
        (
            {"personnes-1-role": "demandeur", "personnes-1-date_naissance": "1990-01-01"},
            "une et une seule personne « demandeur ou demandeuse »",
        ),
        (
            {"commune": "44000"},
            "Commune de résidence (code INSEE) : « 44000 » n&#x27;est pas le code INSEE d&#x27;une commune",
        ),
        ({"mois": "mai"}, "Mois du calcul : « mai » n&#x27;est pas un mois au format AAAA-MM"),
        ({"statut_occupation_logement": "chateau"}, "Situation de logement : "),
        ({"loyer": "abc"}, "Saisissez un montant en euros"),
    ],
)
def test_bad_input_gets_a_french_message_naming_the_field_and_the_person(
    client, users, cog, changes, message
):
    client.force_login(users["worker"])
    response = client.post(URL, household(**changes))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Le calcul n’a pas été lancé" in content and message in content
    assert "Droits estimés" not in content


def test_an_engine_failure_is_a_french_message_not_a_500(client, users, cog, monkeypatch):
    from pacte.rights import engine

    def boom(*args, **kwargs):
        raise RuntimeError("1988-03-14")

    monkeypatch.setattr(engine, "simulate", boom)
    client.force_login(users["worker"])
    response = client.post(URL, household())
    assert response.status_code == 200 and "Le calcul n’a pas abouti" in response.content.decode()


def test_the_estimated_amounts_are_written_the_french_way():
    from decimal import Decimal

    from pacte.rights.catalogue import BENEFITS
    from pacte.screening.simulator import EstimatedBenefit

    def text(code: str, amount: str, eligible: bool = True) -> str:
        return EstimatedBenefit(
            BENEFITS[code], Decimal(amount), eligible, False, eligible, "probable"
        ).amount_text

    assert text("rsa", "1234.5") == "1\u202f234,50\u202f€ par mois"
    assert text("ppa", "639.00") == "639\u202f€ par mois"
    assert text("cheque_energie", "113") == "113\u202f€ par an"
    assert text("css", "0") == "sans participation"
    assert text("css", "32.125") == "participation de 32,13\u202f€ par mois"
    assert text("rsa", "0", eligible=False) == "–"
