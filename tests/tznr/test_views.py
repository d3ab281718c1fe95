"""The pages of the territoires zéro non-recours: each with an allowed user, the same role outside the scope and an
anonymous visitor; what the public sees, what only the follow-up sees, and the forms."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.tznr.enums import OpenedBenefit, PeriodStatus, RightSource
from pacte.tznr.models import Experiment, FollowUpPeriod, Funding, OpenedRight
from tests.accounts.factories import UserFactory
from tests.helpers import assert_access, count_queries, is_login, page, text
from tests.tznr.factories import ExperimentFactory, FundingFactory, OpenedRightFactory, PeriodFactory

REGISTER = reverse("tznr:register")
COSTS = reverse("tznr:costs")


def _validated(experiment, spent, count, amount=None, start=datetime.date(2024, 1, 1)):
    period = PeriodFactory(experiment=experiment, spent=Decimal(spent), validated=True, start=start)
    OpenedRightFactory(period=period, count=count, monthly_amount=amount)
    return period


@pytest.fixture
def decree_rows(experiment, other_experiment):
    experiment.article, experiment.decree_number = 1, 1
    experiment.source, experiment.source_url, experiment.reliability = (
        "Arrêté du 4 août 2023, art. 1",
        "https://juriblio.fr/arretes/arrete-du-4-aout-2023/182186702",
        "A",
    )
    experiment.save()
    unknown = Experiment.objects.create(
        name="Territoire n° 39 (non identifié)",
        article=2,
        decree_number=39,
        lead_name="",
        lead_kind="autre",
        identified=False,
        research="Article 2 non lu dans les copies conservées du JORF.",
    )
    return experiment, unknown


# --- The register ----------------------------------------------------------------------------------------------


def test_the_register_is_public_with_its_count_sources_and_sections(client, decree_rows, other_experiment):
    experiment, unknown = decree_rows
    html = page(client, REGISTER)
    assert (
        "2 territoires sélectionnés par l’arrêté du 4 août 2023 (JORF n° 0188 du 15 août 2023), dont 1 identifiés"
        in html
    )
    assert "article 133 de la loi n° 2022-217" in html and "décret n° 2023-602" in html
    assert "Ville de Nantes" in html and "fiabilité A" in html
    assert "Nom non publié" in html  # the « non identifié » row
    declared = html.split("Expérimentations déclarées sur la plateforme")[-1]
    assert "Ville de Brest" in declared and "Ville de Nantes" not in declared
    assert "Suivi (périodes validées" not in html
    detail = page(client, unknown.get_absolute_url())
    assert "Territoire non identifié" in detail and "Article 2 non lu" in detail
    national = UserFactory(username="nina", national=True)
    assert "Référence publiée" in page(client, unknown.get_absolute_url(), national)


def test_the_register_reads_in_a_fixed_number_of_queries(client, experiment, porteur):
    _validated(experiment, "60000", 40)
    few = count_queries(client, REGISTER, porteur)
    for _ in range(4):
        _validated(ExperimentFactory(porteur=experiment.porteur), "1000", 1)
    assert count_queries(client, REGISTER, porteur) == few


def test_the_register_filters_by_region_and_article(client, decree_rows, other_experiment):
    html = page(client, REGISTER, region="53")
    assert "Ville de Brest" in html and "Ville de Nantes" not in html
    html = page(client, REGISTER, article="1")
    assert "Ville de Nantes" in html and "Ville de Brest" not in html
    html = page(client, REGISTER, article="hors")
    assert "Ville de Brest" in html and "Ville de Nantes" not in html


def test_followers_see_the_cost_of_the_experiments_they_follow(client, experiment, other_experiment, porteur):
    _validated(experiment, "60000", 40)
    _validated(other_experiment, "10000", 10)
    html = page(client, REGISTER, porteur)
    assert "Suivi (périodes validées" in html
    assert "1\u202f500,00" in html  # 60 000 € / 40 rights
    assert "1\u202f000,00" not in html  # Brest is not followed by the CCAS of Nantes
    assert "1\u202f500,00" not in page(client, REGISTER, UserFactory(username="public"))


def test_the_register_exports_in_csv_and_xlsx(client, decree_rows):
    response = client.get(reverse("tznr:register_export", args=["csv"]))
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert content.startswith("Rang dans l'arrêté;Nom;Article de l'arrêté;Région")
    assert "Ville de Nantes" in content and "44109" in content
    response = client.get(reverse("tznr:register_export", args=["xlsx"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("tznr:register_export", args=["pdf"])).status_code == 404


# --- An experiment ---------------------------------------------------------------------------------------------


def test_the_public_part_is_for_everyone_the_follow_up_for_the_scope(
    client, experiment, porteur, other_porteur, commissioner, other_commissioner, ddets, other_ddets, national
):
    FundingFactory(experiment=experiment, funder="Fonds public", amount=Decimal("80000"))
    experiment.contacts.create(name="Camille Martin", email="camille@example.org")
    url = experiment.get_absolute_url()
    html = page(client, url)
    assert "Ville de Nantes" in html and "Actions d’aller-vers" in html
    assert "Camille Martin" not in html and "Fonds public" not in html
    for user in (porteur, commissioner, ddets, national):
        html = page(client, url, user)
        assert "Camille Martin" in html and "Fonds public" in html and "Total 2024" in html
        assert "Référence publiée" in html and "Méthode" in html
    for user in (other_porteur, other_commissioner, other_ddets):
        html = page(client, url, user)
        assert "Ville de Nantes" in html and "Camille Martin" not in html
    assert client.get(reverse("tznr:experiment", args=[999999])).status_code == 404


def test_the_cost_block_compares_with_the_region_and_france(client, experiment, commissioner, nantes, brest):
    _validated(experiment, "60000", 40, Decimal("20000"))
    neighbour = ExperimentFactory(commune=nantes, covers=[nantes])  # same région
    _validated(neighbour, "20000", 40)
    far = ExperimentFactory(commune=brest, covers=[brest])
    _validated(far, "100000", 20)
    PeriodFactory(experiment=experiment, start=datetime.date(2024, 7, 1), end=datetime.date(2024, 12, 31))
    html = page(client, experiment.get_absolute_url(), commissioner)
    cost_part = html.split('id="cout"')[1]
    assert "1\u202f500,00" in cost_part  # 60 000 / 40
    assert "1\u202f000,00" in cost_part  # région: 80 000 / 80
    assert "+50,0" in cost_part  # 1 500 against 1 000
    assert "1\u202f800,00" in cost_part  # France: 180 000 / 100
    assert "non publié" in cost_part


def test_history_is_for_the_follow_up(client, experiment, commissioner, other_commissioner):
    FundingFactory(experiment=experiment)
    url = reverse("tznr:experiment_history", args=[experiment.pk])
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner)
    assert "Financement" in page(client, url, commissioner)


# --- Forms -----------------------------------------------------------------------------------------------------


def _experiment_data(**changes) -> dict:
    return {
        "name": "Nantes Nord",
        "territories": "44109",
        "lead_name": "Ville de Nantes",
        "lead_kind": "ccas",
        "status": "en_cours",
        "start_date": "2025-01-01",
        **changes,
    }


def test_a_porteur_records_an_experiment_for_its_organisation(client, nantes, porteur, ccas_nantes):
    url = reverse("tznr:experiment_create")
    client.logout()
    assert is_login(client.get(url))
    client.force_login(porteur)
    html = page(client, url)
    assert "Porteur sur la plateforme" not in html
    response = client.post(url, _experiment_data())
    print(
        response.status_code,
        response.context and response.context["form"].errors.as_data(),
        Experiment.objects.values_list("name", flat=True),
    )
    created = Experiment.objects.get(name="Nantes Nord")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.porteur == ccas_nantes and created.region.code == "52"


def test_the_record_form_names_the_problem(client, nantes, brest, porteur):
    client.force_login(porteur)
    response = client.post(reverse("tznr:experiment_create"), _experiment_data(territories="29019 99999"))
    assert response.status_code == 200
    html = text(response)
    assert "Aucun territoire en vigueur n&#x27;a le code « 99999 »" in html
    response = client.post(reverse("tznr:experiment_create"), _experiment_data(territories="29019"))
    assert "Hors de votre territoire de compétence : Brest" in text(response)
    assert not Experiment.objects.filter(name="Nantes Nord").exists()


def test_a_user_without_a_role_may_not_record(client):
    client.force_login(UserFactory())
    assert client.get(reverse("tznr:experiment_create")).status_code == 403


def test_the_sheet_is_edited_with_optimistic_locking(
    client, experiment, porteur, other_porteur, commissioner
):
    url = reverse("tznr:experiment_edit", args=[experiment.pk])
    assert_access(client, url, outsider=other_porteur, allowed=porteur)
    assert "Porteur sur la plateforme" not in page(client, url, porteur)
    assert "Porteur sur la plateforme" in page(client, url, commissioner)
    client.force_login(porteur)
    data = _experiment_data(name="Ville de Nantes – quartiers", lock_version=experiment.lock_version)
    assert client.post(url, data).status_code == 302
    experiment.refresh_from_db()
    assert experiment.name == "Ville de Nantes – quartiers"
    response = client.post(url, data | {"name": "Trop tard"})  # the version it was opened with is gone
    assert response.status_code == 200
    experiment.refresh_from_db()
    assert experiment.name == "Ville de Nantes – quartiers"


def test_budget_actions_and_contacts_are_added_and_removed(client, experiment, porteur, ddets, other_porteur):
    url = reverse("tznr:line_add", args=[experiment.pk, "financement"])
    assert_access(client, url, outsider=other_porteur, allowed=porteur)
    client.force_login(ddets)
    assert client.get(url).status_code == 403  # follows it, does not keep the sheet
    client.force_login(porteur)
    response = client.post(
        url,
        {
            "funder": "CAF de Loire-Atlantique",
            "funder_kind": "caf",
            "year": "2025",
            "amount": "12 500,50",
            "lock_version": experiment.lock_version,
        },
    )
    assert response.status_code == 302
    funding = Funding.objects.get(experiment=experiment)
    assert funding.amount == Decimal("12500.50")
    response = client.post(
        reverse("tznr:line_add", args=[experiment.pk, "contact"]),
        {"name": "Léa", "lock_version": Experiment.objects.get(pk=experiment.pk).lock_version},
    )
    assert "Indiquez une adresse électronique ou un téléphone." in text(response)
    remove = reverse("tznr:line_remove", args=[experiment.pk, "financement", funding.pk])
    version = Experiment.objects.get(pk=experiment.pk).lock_version
    client.force_login(other_porteur)
    assert client.post(remove, {"lock_version": version}).status_code == 404
    client.force_login(porteur)
    assert client.post(remove, {"lock_version": version}).status_code == 302
    assert not Funding.objects.filter(pk=funding.pk).exists()


# --- Periods ---------------------------------------------------------------------------------------------------


def test_a_porteur_opens_a_period(client, experiment, porteur, commissioner):
    url = reverse("tznr:period_create", args=[experiment.pk])
    client.force_login(commissioner)
    assert client.get(url).status_code == 403
    client.force_login(porteur)
    response = client.post(
        url,
        {
            "start": "2024-01-01",
            "end": "2024-06-30",
            "households_met": "120",
            "rights_examined": "80",
            "spent": "30 000",
        },
    )
    period = FollowUpPeriod.objects.get(experiment=experiment)
    assert response.status_code == 302 and response["Location"] == period.get_absolute_url()
    response = client.post(
        url,
        {
            "start": "2024-03-01",
            "end": "2024-04-30",
            "households_met": "1",
            "rights_examined": "1",
            "spent": "1",
        },
    )
    assert "Cette période chevauche celle du 01/01/2024 au 30/06/2024." in text(response)


def test_the_period_page_is_for_the_follow_up(client, experiment, porteur, other_porteur, ddets, other_ddets):
    period = PeriodFactory(experiment=experiment)
    url = period.get_absolute_url()
    assert_access(client, url, outsider=other_porteur, allowed=porteur)
    assert_access(client, url, outsider=other_ddets, allowed=ddets)
    assert "Enregistrer les droits ouverts" in page(client, url, porteur)
    assert "Enregistrer les droits ouverts" not in page(client, url, ddets)


def _rights_post(period, rows):
    data = {
        "lock_version": period.lock_version,
        "droits-TOTAL_FORMS": str(len(rows)),
        "droits-INITIAL_FORMS": "0",
        "droits-MIN_NUM_FORMS": "0",
        "droits-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"droits-{index}-{name}": value for name, value in row.items()}
    return data


def test_the_rights_opened_are_entered_as_a_formset(client, experiment, porteur, ddets):
    period = PeriodFactory(experiment=experiment)
    url = reverse("tznr:period_rights", args=[experiment.pk, period.pk])
    client.force_login(ddets)
    assert client.post(url, _rights_post(period, [])).status_code == 403
    client.force_login(porteur)
    rows = [
        {"benefit": "rsa", "source": "porteur", "count": "30", "monthly_amount": "15 810"},
        {"benefit": "css", "source": "porteur", "count": "12", "monthly_amount": ""},
        {"benefit": "", "source": "porteur", "count": "", "monthly_amount": ""},  # an empty line is left out
    ]
    response = client.post(url, _rights_post(period, rows))
    assert response.status_code == 302
    assert {(r.benefit, r.count) for r in OpenedRight.objects.filter(period=period)} == {
        (OpenedBenefit.RSA, 30),
        (OpenedBenefit.CSS, 12),
    }
    period.refresh_from_db()
    duplicate = [rows[0], rows[0]]
    response = client.post(url, _rights_post(period, duplicate))
    assert response.status_code == 400
    assert "Ligne 2, prestation : Cette prestation est déjà déclarée pour ce même compteur." in text(response)
    assert OpenedRight.objects.filter(period=period).count() == 2


def test_transmit_then_validate_or_send_back(client, experiment, porteur, ddets, other_ddets, commissioner):
    period = PeriodFactory(experiment=experiment)
    OpenedRightFactory(period=period, source=RightSource.LEAD)
    client.force_login(porteur)
    response = client.post(
        reverse("tznr:period_submit", args=[experiment.pk, period.pk]), {"lock_version": period.lock_version}
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.SUBMITTED
    review = reverse("tznr:period_review", args=[experiment.pk, period.pk])
    assert "Examen par l’État" in page(client, period.get_absolute_url(), ddets)
    client.force_login(other_ddets)
    assert (
        client.post(review, {"decision": "valider", "lock_version": period.lock_version}).status_code == 404
    )
    client.force_login(porteur)
    assert (
        client.post(review, {"decision": "valider", "lock_version": period.lock_version}).status_code == 403
    )
    client.force_login(ddets)
    response = client.post(review, {"decision": "renvoyer", "lock_version": period.lock_version})
    assert response.status_code == 400
    assert "Indiquez ce que le porteur doit corriger." in text(response)
    response = client.post(
        review,
        {
            "decision": "renvoyer",
            "review_comment": "Dépenses à détailler",
            "lock_version": period.lock_version,
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.RETURNED
    assert "Dépenses à détailler" in page(client, period.get_absolute_url(), porteur)


def test_the_file_import_shows_every_line_error(client, experiment, porteur, other_porteur):
    period = PeriodFactory(experiment=experiment)
    url = reverse("tznr:period_import", args=[experiment.pk, period.pk])
    content = (
        "prestation;compte_par;droits_ouverts;montant_mensuel_total\nrsa;porteur;abc;\ninconnue;porteur;3;\n"
    )
    client.force_login(other_porteur)
    upload = _upload("droits.csv", content.encode())
    assert client.post(url, {"lock_version": period.lock_version, "file": upload}).status_code == 404
    client.force_login(porteur)
    upload = _upload("droits.csv", content.encode())
    response = client.post(url, {"lock_version": period.lock_version, "file": upload})
    assert response.status_code == 400
    html = text(response)
    assert "Le fichier n’a pas été importé" in html
    assert "Ligne 2" in html and "Ligne 3" in html
    assert not OpenedRight.objects.filter(period=period).exists()
    good = "prestation;compte_par;droits_ouverts;montant_mensuel_total\nrsa;porteur;12;6 324\n"
    upload = _upload("droits.csv", good.encode())
    response = client.post(url, {"lock_version": period.lock_version, "file": upload}, follow=True)
    assert "Fichier CSV importé" in text(response)
    assert OpenedRight.objects.get(period=period).count == 12


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- Costs -----------------------------------------------------------------------------------------------------


def test_the_costs_page(client, experiment, other_experiment, porteur, other_porteur, commissioner):
    _validated(experiment, "60000", 40)
    _validated(other_experiment, "10000", 10)
    client.logout()
    assert is_login(client.get(COSTS))
    client.force_login(UserFactory())
    assert client.get(COSTS).status_code == 403
    html = page(client, COSTS, porteur)
    assert "Ville de Nantes" in html and "Ville de Brest" not in html
    assert "Ensemble de la région (chiffres cumulés)" in html and "Pays de la Loire" in html
    assert "France entière (chiffres cumulés)" in html and "1\u202f400,00" in html  # 70 000 / 50
    html = page(client, COSTS, other_porteur)
    assert "Ville de Nantes" not in html and "Ville de Brest" in html
    html = page(client, COSTS, commissioner)
    assert "Ville de Nantes" in html and "Ville de Brest" not in html


def test_the_costs_export(client, experiment, commissioner):
    _validated(experiment, "60000", 40)
    client.force_login(commissioner)
    response = client.get(reverse("tznr:costs_export", args=["csv"]))
    content = response.content.decode("utf-8-sig")
    assert content.splitlines()[0].startswith("Ligne;Région;Expérimentations")
    assert "Ville de Nantes;Pays de la Loire;1;1;2024-01-01;2024-06-30;60000;40;1500;" in content
    assert "France entière (chiffres cumulés)" in content
    client.logout()
    assert is_login(client.get(reverse("tznr:costs_export", args=["csv"])))


def test_a_period_is_changed_while_in_draft(client, experiment, porteur, other_porteur, commissioner):
    period = PeriodFactory(experiment=experiment)
    url = reverse("tznr:period_edit", args=[experiment.pk, period.pk])
    assert_access(client, url, outsider=other_porteur, allowed=porteur)
    client.force_login(commissioner)
    assert client.get(url).status_code == 403
    client.force_login(porteur)
    data = {
        "start": "2024-01-01",
        "end": "2024-06-30",
        "households_met": "410",
        "rights_examined": "260",
        "spent": "61 000",
        "lock_version": period.lock_version,
    }
    assert client.post(url, data).status_code == 302
    period.refresh_from_db()
    assert period.households_met == 410 and period.spent == Decimal("61000")
    period.status = PeriodStatus.VALIDATED
    period.save()
    assert client.get(url).status_code == 403


def test_an_outreach_action_is_public_once_added(client, experiment, porteur):
    client.force_login(porteur)
    response = client.post(
        reverse("tznr:line_add", args=[experiment.pk, "action"]),
        {
            "kind": "rendez_vous_droits",
            "title": "Rendez-vous des droits au centre social",
            "lock_version": "0",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert "Rendez-vous des droits au centre social" in page(client, experiment.get_absolute_url())
