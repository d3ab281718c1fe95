"""The pages of the mécénat: each with the allowed user, the same role in another région (or another
association) and an anonymous visitor; what the public sees and what it never sees without consent."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pacte.sponsorship.enums import CompanyStatus, PledgeStatus, PublicationStatus
from pacte.sponsorship.models import Company, Pledge, PublishedProject
from tests.helpers import assert_access, count_queries, is_login, page, text
from tests.sponsorship.factories import CompanyFactory, PledgeFactory, PublishedProjectFactory, siret_with_key

INDEX = reverse("sponsorship:index")


def test_the_public_page_lists_only_consented_projects(client, project, selected):
    hidden = PublishedProjectFactory(association_consent=False)
    withdrawn = PublishedProjectFactory(status=PublicationStatus.WITHDRAWN)
    html = page(client, INDEX)
    assert "Épicerie solidaire" in html
    assert selected.organisation.name in html
    assert hidden.application.project_title not in html
    assert withdrawn.application.project_title not in html
    assert "Les entreprises s&#x27;engagent" in html or "Les entreprises s'engagent" in html
    assert "Contact : non publié." in html


def test_a_company_is_named_in_public_only_with_its_consent(client, project, nantes):
    shy = CompanyFactory(name="Discrète SA", commune=nantes)
    proud = CompanyFactory(name="Fière SARL", commune=nantes, publish_name=True)
    proposed = CompanyFactory(name="Pas encore SAS", commune=nantes, publish_name=True)
    PledgeFactory(project=project, company=shy, status=PledgeStatus.ACCEPTED)
    PledgeFactory(project=project, company=proud, status=PledgeStatus.DELIVERED)
    PledgeFactory(project=project, company=proposed)
    html = page(client, project.get_absolute_url())
    assert "Fière SARL" in html
    assert "Discrète SA" not in html
    assert "Pas encore SAS" not in html  # not accepted by the association
    assert "Promesses et dons" not in html


def test_pledges_are_shown_to_those_who_follow_the_project(
    client, project, company, commissioner, member, national, other_commissioner, other_member
):
    PledgeFactory(project=project, company=company)
    for user in (commissioner, member, national):
        html = page(client, project.get_absolute_url(), user)
        assert "Promesses et dons" in html and "Boulangerie Dupont" in html
    for user in (other_commissioner, other_member):
        html = page(client, project.get_absolute_url(), user)
        assert "Épicerie solidaire" in html  # the public page
        assert "Boulangerie Dupont" not in html


def test_an_unpublished_project_is_hidden(client, project, commissioner, other_commissioner):
    project.status = PublicationStatus.WITHDRAWN
    project.association_consent = False
    project.save()
    assert_access(client, project.get_absolute_url(), outsider=other_commissioner, allowed=commissioner)


def test_registration_by_an_anonymous_company(client, nantes):
    url = reverse("sponsorship:register")
    page(client, url)
    data = {
        "name": "Menuiserie Leroy",
        "siret": "1234567890123",
        "address": "3 rue des Bois",
        "commune": "44109",
        "contact_name": "Léa Leroy",
        "contact_email": "lea@leroy.example.org",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Le SIRET compte 14 chiffres" in text(response)
    assert not Company.objects.exists()
    response = client.post(url, {**data, "siret": siret_with_key("1234567820123"), "commune": "99999"})
    assert "Aucune commune en vigueur n&#x27;a ce code INSEE." in text(response) or "ce code INSEE" in text(
        response
    )
    response = client.post(url, {**data, "siret": siret_with_key("1234567820123")})
    assert response.status_code == 302
    company = Company.objects.get()
    assert company.status == CompanyStatus.PENDING and not company.publish_name
    assert "Menuiserie Leroy" not in page(client, INDEX)


def test_companies_list(client, company, commissioner, other_commissioner, national, member):
    url = reverse("sponsorship:companies")
    assert is_login(client.get(url))
    assert "Boulangerie Dupont" in page(client, url, commissioner)
    assert "Boulangerie Dupont" in page(client, url, national)
    assert "Boulangerie Dupont" not in page(client, url, other_commissioner)
    page(client, url, member, status=403)


def test_company_page_and_validation(client, nantes, commissioner, other_commissioner, national):
    company = CompanyFactory(commune=nantes, pending=True)
    url = company.get_absolute_url()
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner)
    assert company.siret in page(client, url, national)
    client.force_login(national)
    assert client.post(url, {"decision": "valider"}).status_code == 403
    client.force_login(commissioner)
    response = client.post(url, {"decision": "refuser", "reason": ""})
    assert "Indiquez le motif du refus" in text(response)
    response = client.post(url, {"decision": "valider"})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.status == CompanyStatus.VALIDATED


def test_publication_page(client, selected, member, other_member):
    url = reverse("sponsorship:publish", args=[selected.pk])
    assert_access(client, url, outsider=other_member, allowed=member)
    assert "Épicerie solidaire" in page(client, reverse("sponsorship:follow"), member)
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(url, {"deadline": deadline, "skills_wanted": "Comptabilité"})
    assert "Cochez l’accord de l’association" in text(response) or "Cochez l&#x27;accord" in text(response)
    assert not PublishedProject.objects.exists()
    response = client.post(
        url, {"deadline": deadline, "skills_wanted": "Comptabilité", "association_consent": "on"}
    )
    project = PublishedProject.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert "Comptabilité" in page(client, INDEX)


def test_follow_page(client, project, member, other_member, commissioner, other_commissioner):
    url = reverse("sponsorship:follow")
    assert is_login(client.get(url))
    assert "Épicerie solidaire" in page(client, url, member)
    assert "Épicerie solidaire" in page(client, url, commissioner)
    assert "Épicerie solidaire" not in page(client, url, other_member)
    assert "Épicerie solidaire" not in page(client, url, other_commissioner)


def test_recording_a_pledge(client, project, company, commissioner, other_commissioner, member):
    url = reverse("sponsorship:pledge_create", args=[project.pk])
    assert is_login(client.get(url))
    page(client, url, other_commissioner, status=403)
    page(client, url, member, status=403)
    html = page(client, url, commissioner)
    assert "Boulangerie Dupont" in html
    response = client.post(url, {"company": company.pk, "kind": "financier", "amount": ""})
    assert "Indiquez le montant du mécénat financier" in text(response)
    response = client.post(url, {"company": company.pk, "kind": "financier", "amount": "1 500,50"})
    assert response.status_code == 302
    assert str(Pledge.objects.get().amount) == "1500.50"


def test_the_association_accepts_then_it_is_delivered(
    client, project, company, member, other_member, commissioner
):
    pledge = PledgeFactory(project=project, company=company)
    accept = reverse("sponsorship:pledge_accept", args=[pledge.pk])
    assert is_login(client.post(accept))
    client.force_login(other_member)
    assert client.post(accept).status_code == 404
    client.force_login(commissioner)
    assert client.post(accept).status_code == 403
    client.force_login(member)
    assert client.post(accept).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.ACCEPTED

    deliver = reverse("sponsorship:pledge_deliver", args=[pledge.pk])
    client.force_login(other_member)
    assert client.post(deliver, {"note": "x"}).status_code == 404
    client.force_login(commissioner)
    response = client.post(deliver, {"note": ""}, follow=True)
    assert "Indiquez ce qui a été donné" in text(response)
    client.post(deliver, {"note": "1 500 € versés"})
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DELIVERED
    assert "1 500 € versés" in page(client, project.get_absolute_url(), member)


def test_the_association_declines(client, project, company, member):
    pledge = PledgeFactory(project=project, company=company)
    client.force_login(member)
    client.post(reverse("sponsorship:pledge_decline", args=[pledge.pk]), {"note": "Besoin couvert"})
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED and pledge.decision_note == "Besoin couvert"


def test_withdrawing_a_project(client, project, member, other_member):
    url = reverse("sponsorship:project_withdraw", args=[project.pk])
    assert is_login(client.post(url))
    client.force_login(other_member)
    assert client.post(url).status_code == 403
    client.force_login(member)
    assert client.post(url).status_code == 302
    assert "Épicerie solidaire" not in page(client, INDEX)


def test_registrations_are_throttled_per_client(client, nantes, settings):
    url = reverse("sponsorship:register")
    for _ in range(5):
        assert client.post(url, {"name": "x"}).status_code == 200
    response = client.post(url, {"name": "x"})
    assert response.status_code == 429
    assert "Trop d&#x27;inscriptions" in text(response) or "Trop d'inscriptions" in text(response)


def test_the_public_page_leaves_out_projects_past_their_deadline(client, project):
    project.deadline = timezone.localdate() - datetime.timedelta(days=1)
    project.save()
    assert "Épicerie solidaire" not in page(client, INDEX)
    assert "Épicerie solidaire" in page(client, project.get_absolute_url())


def test_pages_run_a_fixed_number_of_queries(client, project, company, member, commissioner):
    PledgeFactory(project=project, company=company)
    counts = {
        "index": count_queries(client, INDEX),
        "follow": count_queries(client, reverse("sponsorship:follow"), member),
        "project": count_queries(client, project.get_absolute_url(), commissioner),
    }
    for _ in range(4):
        more = PublishedProjectFactory(
            application__call=project.application.call, application__organisation=member.organisation
        )
        PledgeFactory(project=more, company=company)
        PledgeFactory(project=project, company=CompanyFactory(commune=company.commune))
    client.logout()
    assert count_queries(client, INDEX) == counts["index"]
    assert count_queries(client, reverse("sponsorship:follow"), member) == counts["follow"]
    assert count_queries(client, project.get_absolute_url(), commissioner) == counts["project"]


def test_the_admin_reads_every_row(client, project, company, admin_user):
    PledgeFactory(project=project, company=company)
    client.force_login(admin_user)
    for model in ("company", "publishedproject", "pledge"):
        assert client.get(reverse(f"admin:sponsorship_{model}_changelist")).status_code == 200
