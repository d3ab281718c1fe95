"""The pages that show the financing rules of grants: the list of reports due (allowed user, the same role
outside the scope, an anonymous visitor), the act and the 23 000 € threshold where the decision is taken and on
the grant, the advance and the report due dates in the follow-up, and the CERFA forms and Le Compte Asso on the
application and report pages."""

import datetime
from html import unescape

from django.urls import reverse

from pacte.grants import services
from pacte.grants.models import Application, GrantAgreement
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, select
from tests.helpers import count_queries, is_login, page

R1271 = "https://www.service-public.gouv.fr/associations/vosdroits/R1271"
R46623 = "https://www.service-public.gouv.fr/associations/vosdroits/R46623"
COMPTE_ASSO = "https://lecompteasso.associations.gouv.fr/"


# --- Reports due ---------------------------------------------------------------------------------------------


def test_the_reports_due_are_listed_for_those_who_follow_the_grant(
    client, agreement, member, other_member, commissioner, other_commissioner, loire_atlantique
):
    url = reverse("grants:reports_due")
    assert is_login(client.get(url))
    # The real date is after 30 June 2026: the 2025 report of the agreement is late.
    for allowed in (member, commissioner, UserFactory(ddets=True, territory=loire_atlantique)):
        html = page(client, url, allowed)
        assert agreement.number in html and "En retard" in html and "30 juin 2026" in html
    for outsider in (other_member, other_commissioner):
        html = page(client, url, outsider)
        assert agreement.number not in html and "Aucun compte rendu attendu." in html
    page(client, url, UserFactory(departement_council=True, territory=loire_atlantique), status=403)


def test_a_filed_report_is_listed_as_awaiting_review(client, agreement, member, commissioner):
    report = services.open_report(agreement, 2025)
    indicator = agreement.application.indicators.get()
    services.save_report(report, narrative="Bilan.", amount_spent=100, values={indicator.pk: 3})
    services.submit_report(report, member)
    html = page(client, reverse("grants:reports_due"), commissioner)
    assert "Déposé, à examiner" in html and "En retard" not in html


def test_the_list_of_reports_due_runs_the_same_queries_for_more_grants(
    client, region, prefecture, commissioner, loire_atlantique
):
    call = CallFactory(region=region, owner=prefecture, closed=True, first_year=2024, max_years=1)

    def grant():
        select(
            ApplicationFactory(call=call, territory=loire_atlantique, amounts={2024: "1000"}), commissioner
        )

    grant()
    url = reverse("grants:reports_due")
    before = count_queries(client, url, commissioner)
    for _ in range(4):
        grant()
    assert count_queries(client, url, commissioner) == before
    assert page(client, url, commissioner).count("CAO-") == 5


# --- The act and the threshold ---------------------------------------------------------------------------------


def test_the_decision_page_shows_the_threshold_and_refuses_an_arrete_above_it(
    client, region, prefecture, commissioner, association, loire_atlantique
):
    earlier_call = CallFactory(region=region, owner=prefecture, closed=True, max_years=1)
    select(
        ApplicationFactory(call=earlier_call, organisation=association, amounts={2025: "15000"}), commissioner
    )
    call = CallFactory(region=region, owner=prefecture, closed=True, max_years=1)
    application = ApplicationFactory(
        call=call, organisation=association, territory=loire_atlantique, amounts={2025: "10000"}
    )
    url = reverse("grants:decide", args=[application.pk])
    html = page(client, url, commissioner)
    assert "Seuil de la convention obligatoire : 23\u202f000\u202f€ par an" in html
    assert "15\u202f000\u202f€" in html  # already granted to the association in 2025
    data = {
        "decision": "retenir",
        "motivation": "Bon projet",
        "act": "arrete",
        "granted_2025": "10 000",
        "signed_on": "2025-02-01",
    }
    response = client.post(url, data)
    assert "une convention est obligatoire" in response.content.decode()
    assert not GrantAgreement.objects.filter(application=application).exists()
    data["act"] = "convention"
    assert client.post(url, data).status_code == 302
    assert Application.objects.get(pk=application.pk).agreement.number.startswith("CAO-")


def test_the_grant_page_shows_its_act_its_threshold_and_its_former_number(client, agreement, other_member):
    GrantAgreement.objects.filter(pk=agreement.pk).update(former_number="CPO-52-2024-009")
    html = unescape(page(client, agreement.get_absolute_url()))  # public
    assert f"<h1>Convention pluriannuelle d'objectifs {agreement.number}</h1>" in html
    assert "Ancien numéro" in html and "CPO-52-2024-009" in html
    assert "convention non obligatoire" in html and "Versable maintenant" not in html
    assert "Versable maintenant" not in page(client, agreement.get_absolute_url(), other_member)


def test_the_follow_up_shows_the_advance_and_the_report_due_dates(client, agreement, commissioner):
    html = page(client, agreement.get_absolute_url(), commissioner)
    assert "seule une avance de 50\u202f% de la subvention" in html
    assert "avance : 10\u202f000\u202f€ au plus ; solde après le compte rendu 2025" in html
    assert "30 juin 2026" in html and "en retard" in html
    payment_form = page(client, reverse("grants:payment_create", args=[agreement.pk]), commissioner)
    assert "Ce qui peut être versé maintenant" in payment_form and "10\u202f000\u202f€" in payment_form


def test_the_reminders_sent_are_shown_to_those_who_follow_the_grant(client, agreement, member, other_member):
    services.send_report_reminders(
        now=datetime.datetime(2026, 6, 1, 7, tzinfo=datetime.UTC), base_url="https://pacte.example"
    )
    assert "Relances des comptes rendus" in page(client, agreement.get_absolute_url(), member)
    assert "Relances des comptes rendus" not in page(client, agreement.get_absolute_url(), other_member)


# --- CERFA and Le Compte Asso ----------------------------------------------------------------------------------


def test_the_application_pages_cite_the_cerfa_12156_and_le_compte_asso(client, call, member, other_member):
    form = page(client, reverse("grants:apply", args=[call.pk]), member)
    assert "CERFA n° 12156*06" in form and R1271 in form and COMPTE_ASSO in form
    draft = ApplicationFactory(call=call, organisation=member.organisation, territory=call.region, draft=True)
    detail = page(client, draft.get_absolute_url(), member)
    assert "CERFA n° 12156*06" in detail and COMPTE_ASSO in detail
    page(client, draft.get_absolute_url(), other_member, status=404)
    client.logout()
    assert is_login(client.get(draft.get_absolute_url()))


def test_the_report_page_cites_the_cerfa_15059_its_due_date_and_le_compte_asso(
    client, agreement, member, other_member
):
    url = reverse("grants:report", args=[agreement.pk, 2025])
    html = page(client, url, member)
    assert "CERFA n° 15059*02" in html and R46623 in html and COMPTE_ASSO in html
    assert "au plus tard le <strong>30 juin 2026</strong>" in html
    page(client, url, other_member, status=403)
    client.logout()
    assert is_login(client.get(url))


def test_a_late_report_is_shown_before_a_new_application_is_filed(
    client, agreement, member, region, prefecture
):
    open_call = CallFactory(region=region, owner=prefecture)
    draft = ApplicationFactory(call=open_call, organisation=member.organisation, territory=region, draft=True)
    html = unescape(page(client, draft.get_absolute_url(), member))
    # The real date is after 30 June 2026: the 2025 report of the agreement is late.
    assert f"Le compte rendu financier 2025 de la subvention {agreement.number} était attendu" in html
    assert "déposez-le avant toute nouvelle demande de subvention" in html
