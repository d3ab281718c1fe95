"""The public page filtered by région, the history of a company and of a project (with their pledges), and the
export of the pledges for the commissioner: each with the allowed user, the same role outside the scope and an
anonymous visitor."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from pacte.sponsorship import services
from pacte.sponsorship.enums import PledgeStatus
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory
from tests.helpers import assert_access, is_login, page
from tests.sponsorship.factories import CompanyFactory, PledgeFactory, PublishedProjectFactory

INDEX = reverse("sponsorship:index")


def test_the_public_page_filters_by_region(client, project, bretagne, finistere):
    breton = PublishedProjectFactory(
        application=ApplicationFactory(
            call=CallFactory(region=bretagne),
            territory=finistere,
            status="retenue",
            project_title="Projet breton",
        )
    )
    assert breton.is_public
    everything = page(client, INDEX)
    assert "Épicerie solidaire" in everything and "Projet breton" in everything
    pdl = page(client, INDEX, region="52")
    assert "Épicerie solidaire" in pdl and "Projet breton" not in pdl
    assert "Mécénat de proximité – Pays de la Loire" in pdl
    bzh = page(client, INDEX, region="53")
    assert "Projet breton" in bzh and "Épicerie solidaire" not in bzh
    unknown = page(client, INDEX, region="99")
    assert "code inconnu" in unknown and "Projet breton" in unknown


def test_the_company_history_tells_its_validation_and_pledges(
    client, project, commissioner, other_commissioner, national, nantes
):
    company = CompanyFactory(name="Boulangerie Dupont", commune=nantes, pending=True)
    company = services.decide_company(company, commissioner, validate=True)
    services.record_pledge(project, commissioner, company=company, kind="competences", description="Conseil")
    url = reverse("sponsorship:company_history", args=[company.pk])
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner)
    body = page(client, url, national)
    assert "Historique – Boulangerie Dupont" in body
    assert "Validée" in body and "Promesse n°" in body


def test_the_project_history_is_for_those_who_follow_it(
    client, project, company, member, other_member, commissioner, other_commissioner
):
    pledge = PledgeFactory(project=project, company=company)
    services.answer_pledge(pledge, member, accept=True)
    url = reverse("sponsorship:project_history", args=[project.pk])
    assert_access(client, url, outsider=other_member, allowed=member)
    client.force_login(other_commissioner)
    assert client.get(url).status_code == 404
    body = page(client, url, commissioner)
    assert "Projet ouvert au mécénat" in body and "Acceptée" in body


def _export(client, user, fmt="csv"):
    client.force_login(user)
    return client.get(reverse("sponsorship:pledges_export", args=[fmt]))


def test_the_commissioner_exports_the_pledges_of_its_region(
    client, project, company, commissioner, other_commissioner, member, national
):
    PledgeFactory(
        project=project, company=company, status=PledgeStatus.DELIVERED, delivered_note="=1+1 versés"
    )
    client.logout()
    assert is_login(client.get(reverse("sponsorship:pledges_export", args=["csv"])))
    assert _export(client, member).status_code == 403
    outside = _export(client, other_commissioner).content.decode("utf-8-sig")
    assert outside.count("\r\n") == 1  # the header only
    csv_text = _export(client, commissioner).content.decode("utf-8-sig")
    header, row = csv_text.strip().split("\r\n")
    assert header.startswith("Région;Appel à projets;Projet;Association;Entreprise")
    assert "Épicerie solidaire" in row and "Boulangerie Dupont" in row and "Réalisée" in row
    assert "'=1+1 versés" in row  # a formula is neutralised
    assert company.contact_email not in csv_text
    assert "Épicerie solidaire" in _export(client, national).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(_export(client, commissioner, "xlsx").content))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Région" and rows[1][2] == "Épicerie solidaire" and rows[1][7] == 2000
    assert _export(client, commissioner, "pdf").status_code == 404


def test_the_index_offers_the_export_to_the_commissioner_only(client, project, commissioner, member):
    assert "Exporter les promesses" in page(client, INDEX, commissioner)
    assert "Exporter les promesses" not in page(client, INDEX, member)
    assert "Exporter les promesses" not in page(client, INDEX, UserFactory(username="zoe", national=False))
