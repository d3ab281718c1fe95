"""The simulator: allowed roles, French errors naming the person, months in French, optional persons, the v2
inputs (child support received, RSDAE, student), results with confidence and claim link, the total of the
probable rights, the printable summary, and nothing kept about the person."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from pacte.formatting import month
from pacte.screening.forms import current_month, next_month
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
        ({"mois": "mai"}, "Mois du calcul : « mai » n&#x27;est pas un mois : choisissez-en un dans la liste"),
        ({"mois": "2023-12"}, "Mois du calcul : Le calcul commence en janvier 2024"),
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


def section(content: str, start: str, end: str | None = None) -> str:
    part = content.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def test_the_months_are_written_in_french_from_january_2024_to_next_month(client, users):
    client.force_login(users["worker"])
    content = client.get(URL).content.decode()
    months = section(content, 'name="mois"', "</select>")
    assert months.rstrip().endswith('<option value="2024-01">janvier 2024</option>')
    assert f'<option value="{current_month()}" selected>{month(current_month())}</option>' in months
    assert f'<option value="{next_month()}">{month(next_month())}</option>' in months
    assert "AAAA-MM" not in section(content, 'id="id_mois_helptext"', "</span>")


def test_only_the_first_person_carries_required_marks(client, users):
    client.force_login(users["worker"])
    content = client.get(URL).content.decode()
    first = section(content, 'id="personne-1"', 'id="personne-2"')
    others = section(content, 'id="personne-2"', "Prestations déjà perçues")
    assert first.count("fr-required-marker") == 2  # place in the household, birth date
    assert "fr-required-marker" not in others and "(facultatif)" in others


def test_an_optional_person_left_empty_is_ignored_and_one_started_is_completed(engine, client, users, cog):
    client.force_login(users["worker"])
    assert "Droits estimés pour mai 2026" in client.post(URL, household()).content.decode()
    content = client.post(URL, household(**{"personnes-2-salaire_net": "100"})).content.decode()
    assert "Personne 3 — Place dans le foyer : Indiquez la place de cette personne dans le foyer." in content
    assert "Personne 3 — Date de naissance : Indiquez la date de naissance." in content


def single_parent(**changes) -> dict:
    return household(
        **{
            "personnes-1-role": "enfant",
            "personnes-1-date_naissance": "2018-01-01",
            "loyer": "600",
            **changes,
        }
    )


def test_child_support_received_settles_the_asf(engine, client, users, cog):
    client.force_login(users["worker"])
    asf = "Allocation de soutien familial (ASF)"
    unknown = section(client.post(URL, single_parent()).content.decode(), 'id="non-recours"', 'id="percues"')
    assert asf in unknown and "Pension alimentaire reçue non renseignée." in section(unknown, asf, "</tr>")
    none = single_parent(**{"personnes-0-pension_alimentaire_recue": "0"})
    line = section(section(client.post(URL, none).content.decode(), 'id="non-recours"', 'id="percues"'), asf)
    assert "Probable" in line.split("</tr>")[0]
    paid = single_parent(**{"personnes-0-pension_alimentaire_recue": "250"})
    assert asf not in section(client.post(URL, paid).content.decode(), 'id="non-recours"', 'id="percues"')


def test_a_recognised_rsdae_opens_the_aah_at_a_rate_of_60(engine, client, users, cog):
    client.force_login(users["worker"])
    aah = "Allocation aux adultes handicapés (AAH)"
    rate = {"personnes-0-taux_incapacite": "60"}
    without = client.post(URL, household(**rate)).content.decode()
    assert aah not in section(without, 'id="non-recours"', 'id="percues"')
    content = client.post(URL, household(**rate, **{"personnes-0-rsdae": "oui"})).content.decode()
    assert aah in section(content, 'id="non-recours"', 'id="percues"')


def test_a_child_born_after_the_month_is_refused_with_its_reason(engine, client, users, cog):
    client.force_login(users["worker"])
    data = household(
        mois="2025-06", **{"personnes-1-role": "enfant", "personnes-1-date_naissance": "2025-09-01"}
    )
    content = client.post(URL, data).content.decode()
    assert "Le calcul n’a pas été lancé" in content and "après le mois calculé" in content
    assert "Droits estimés" not in content


def test_the_total_of_the_probable_rights_adds_the_amounts_once_they_are_all_opened(
    engine, client, users, cog
):
    client.force_login(users["worker"])
    content = client.post(URL, household(**{"personnes-0-taux_incapacite": "80"})).content.decode()
    total = section(content, 'id="total"', "</div>")
    assert "Total des droits probables non perçus" in total and "par mois" in total
    aah = section(
        section(content, 'id="non-recours"', 'id="percues"'), "Allocation aux adultes handicapés (AAH)"
    )
    amount = section(aah, "<td>", "</td>").split(" par mois")[0]
    assert amount in total  # the AAH is the only probable right of this household


def test_the_printable_summary_says_what_to_claim_where_and_keeps_nothing_typed(engine, client, users, cog):
    client.force_login(users["worker"])
    data = household(**{"personnes-0-taux_incapacite": "80", "personnes-0-salaire_net": "123.45"})
    response = client.post(URL, data)
    content = response.content.decode()
    recap = section(content, 'id="recapitulatif"', "</section>")
    assert "Vos droits probables pour mai 2026" in recap
    claim = section(recap, "À demander", "À vérifier")
    assert "Allocation aux adultes handicapés (AAH)" in claim
    assert ">https://www.service-public.fr/particuliers/vosdroits/F12242</a>" in claim  # the address, printed
    assert "Revenu de solidarité active (RSA)" in section(
        recap, "À vérifier avec l’organisme", "Sites officiels"
    )
    for site in (
        "https://www.caf.fr/",
        "https://www.msa.fr/",
        "https://www.ameli.fr/",
        "https://www.info-retraite.fr/",
        "https://www.mesdroitssociaux.gouv.fr/",
    ):
        assert f">{site}</a>" in recap
    assert "1988" not in recap and "123" not in recap and "44109" not in recap
    assert "data-print hidden" in recap and "screening/print.js" in content
    assert "screening/simulator.css" in content and 'class="pacte-noprint"' in content
    assert "no-store" in response["Cache-Control"]
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_a_pensioner_of_72_with_500_euros_gets_the_aspa(engine, client, users, cog):
    client.force_login(users["worker"])
    data = household(
        mois="2025-06",
        statut_occupation_logement="proprietaire",
        loyer="",
        **{
            "personnes-0-date_naissance": "1953-01-01",
            "personnes-0-salaire_net": "",
            "personnes-0-retraite_nette": "500",
        },
    )
    content = client.post(URL, data).content.decode()
    aspa = section(
        section(content, 'id="non-recours"', 'id="percues"'), "Allocation de solidarité aux personnes âgées"
    )
    assert "534,29\u202f€ par mois" in aspa.split("</tr>")[0]
