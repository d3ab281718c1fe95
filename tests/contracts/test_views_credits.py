"""Pages of the State credits of a convention and of the reallocations between conventions of a région."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.contracts import services
from pacte.contracts.models import Credit, CreditReallocation
from tests.accounts.factories import UserFactory
from tests.contracts.factories import TODAY, build_contract, fill_report, notify
from tests.helpers import is_login, keep_menu_count, text
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture
def other_region():
    return RegionFactory(code="84", name="Auvergne-Rhône-Alpes")


@pytest.fixture
def rhone(other_region):
    return DepartementFactory(code="69", name="Rhône", parent=other_region)


@pytest.fixture
def vendee_contract(vendee):
    return build_contract(vendee)


@pytest.fixture
def rhone_contract(rhone):
    return build_contract(rhone)


@pytest.fixture
def commissioner(region):
    return UserFactory(username="claire", commissioner=True, territory=region)


@pytest.fixture
def other_commissioner(other_region):
    return UserFactory(username="eve", commissioner=True, territory=other_region)


def credits_url(contract):
    return reverse("contracts:credits", kwargs={"pk": contract.pk})


def edit_url(contract, year):
    return reverse("contracts:credit_edit", kwargs={"pk": contract.pk, "year": year})


def credit_data(**changes):
    data = {
        "notified": "50000",
        "notified_on": "2024-02-01",
        "committed": "40000",
        "committed_on": "2024-03-01",
        "paid": "0",
        "paid_on": "",
        "lock_version": "",
    }
    data.update(changes)
    return data


# --- The credits table -------------------------------------------------------------------------------------


def test_the_credits_table_shows_each_year_with_ceiling_amounts_dates_and_payment_condition(
    client, contract, council, django_assert_max_num_queries
):
    notify(contract, 2024, amount="50000", paid="50000")
    services.open_report(contract, 2024, today=TODAY)
    client.force_login(council)
    with django_assert_max_num_queries(24):
        response = client.get(credits_url(contract))
    assert response.status_code == 200
    html = text(response)
    for year in (2024, 2025, 2026, 2027):
        assert f'<th scope="row">{year}</th>' in html
    assert "1\u202f000\u202f000" in html
    assert "le 1er avril 2024" in html
    assert "Sans condition (première année)" in html
    assert "Rapport 2024 : brouillon" in html
    assert "Rapport 2025 non ouvert" in html
    assert "Modifier les crédits" not in html  # the collectivité only reads


def test_the_state_side_gets_the_edit_links(client, contract, ddets, commissioner):
    for user in (ddets, commissioner, UserFactory(national=True)):
        client.force_login(user)
        assert "Modifier les crédits 2025" in text(client.get(credits_url(contract)))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_credits_table_exports(client, contract, council, fmt):
    notify(contract, 2024)
    client.force_login(council)
    response = client.get(credits_url(contract), {"format": fmt})
    assert response.status_code == 200
    assert f"credits-etat-44.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Année;Plafond notifié (€);Réalloué vers ce contrat (€)")
        assert lines[1].startswith("2024;1000000;0;0;1000000;50000;2024-02-01;50000;2024-03-01;0;;950000;")
        assert len(lines) == 5


def test_credits_of_a_draft_do_not_exist_for_outsiders(client, vendee, council):
    draft = build_contract(vendee, signed=False)
    client.force_login(council)
    assert client.get(credits_url(draft)).status_code == 404
    assert client.get(edit_url(draft, 2024)).status_code == 404


def test_a_collectivite_of_another_departement_cannot_see_the_credits(client, contract, vendee):
    client.force_login(UserFactory(departement_council=True, territory=vendee))
    response = client.get(credits_url(contract))
    assert response.status_code == 403
    assert "Accès refusé" in text(response)


def test_an_anonymous_visitor_is_asked_to_sign_in_for_credits(client, contract):
    assert is_login(client.get(credits_url(contract)))
    assert is_login(client.get(edit_url(contract, 2024)))
    assert is_login(client.post(edit_url(contract, 2024), credit_data()))
    assert not Credit.objects.exists()


# --- Recording credits -------------------------------------------------------------------------------------


def test_the_ddets_records_the_credits_of_a_year(client, contract, ddets):
    client.force_login(ddets)
    assert client.get(edit_url(contract, 2024)).status_code == 200
    response = client.post(edit_url(contract, 2024), credit_data(notified="50 000,50"))
    assert response.status_code == 302
    assert response.url == credits_url(contract)
    credit = Credit.objects.get(contract=contract, year=2024)
    assert credit.notified == Decimal("50000.50")
    assert credit.committed_on == datetime.date(2024, 3, 1)


def test_the_collectivite_cannot_record_credits(client, contract, council):
    client.force_login(council)
    assert client.get(edit_url(contract, 2024)).status_code == 403
    assert client.post(edit_url(contract, 2024), credit_data()).status_code == 403
    assert not Credit.objects.exists()


def test_the_ddets_of_another_departement_cannot_record_credits(client, contract, other_ddets):
    client.force_login(other_ddets)
    assert client.post(edit_url(contract, 2024), credit_data()).status_code == 403
    assert not Credit.objects.exists()


def test_a_year_outside_the_contract_has_no_credits_page(client, contract, ddets):
    client.force_login(ddets)
    assert client.get(edit_url(contract, 2028)).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"committed": "60000"},
            "committed",
            "Les crédits engagés ne peuvent pas dépasser les crédits notifiés.",
        ),
        ({"notified": "-1"}, "notified", "Un montant ne peut pas être négatif."),
        ({"notified_on": ""}, "notified_on", "Indiquez la date."),
        ({"notified": "2000000"}, "notified", "Les crédits notifiés dépassent le plafond notifié de 2024"),
        ({"notified": "cinquante"}, "notified", "Saisissez un nombre."),
    ],
)
def test_wrong_credits_are_refused_on_their_field(client, contract, ddets, changes, field, message):
    client.force_login(ddets)
    response = client.post(edit_url(contract, 2024), credit_data(**changes))
    assert response.status_code == 200
    html = text(response)
    assert message in html.replace("&#x27;", "'")
    assert f'id="id_{field}-desc-error"' in html
    assert not Credit.objects.exists()


def test_a_payment_needs_the_previous_report_validated_and_says_so(client, contract, ddets):
    client.force_login(ddets)
    html = text(client.get(edit_url(contract, 2025)))
    assert "suppose le rapport d’exécution 2024 validé" in html
    response = client.post(
        edit_url(contract, 2025),
        credit_data(notified_on="2025-02-01", committed_on="2025-03-01", paid="10000", paid_on="2025-04-01"),
    )
    assert response.status_code == 200
    html = text(response)
    assert "Le versement des crédits 2025 suppose le rapport d&#x27;exécution 2024 validé." in html
    assert 'id="id_paid-desc-error"' in html
    assert not Credit.objects.exists()


def test_a_payment_goes_through_once_the_previous_report_is_validated(client, contract, council, ddets):
    notify(contract, 2024)
    report = fill_report(services.open_report(contract, 2024, today=TODAY))
    services.submit_report(report, council)
    services.review_report(report, ddets, validate=True)
    client.force_login(ddets)
    response = client.post(
        edit_url(contract, 2025),
        credit_data(notified_on="2025-02-01", committed_on="2025-03-01", paid="10000", paid_on="2025-04-01"),
    )
    assert response.status_code == 302
    assert Credit.objects.get(year=2025).paid == Decimal("10000")
    assert "versement possible" in text(client.get(credits_url(contract)))


def test_a_concurrent_edit_of_the_same_credits_is_refused_for_the_second_save(client, contract, ddets):
    credit = notify(contract, 2024)
    client.force_login(ddets)
    assert f'name="lock_version" value="{credit.lock_version}"' in text(client.get(edit_url(contract, 2024)))
    first = credit_data(notified="60000", lock_version=str(credit.lock_version))
    second = credit_data(notified="70000", lock_version=str(credit.lock_version))
    assert client.post(edit_url(contract, 2024), first).status_code == 302
    response = client.post(edit_url(contract, 2024), second)
    assert response.status_code == 200
    assert "modifiées par quelqu’un d’autre" in text(response)
    assert Credit.objects.get().notified == Decimal("60000")


def test_credits_recorded_while_the_form_was_open_are_not_overwritten(client, contract, ddets):
    client.force_login(ddets)
    client.get(edit_url(contract, 2024))
    notify(contract, 2024, amount="30000")
    response = client.post(edit_url(contract, 2024), credit_data(lock_version=""))
    assert "modifiées par quelqu’un d’autre" in text(response)
    assert Credit.objects.get().notified == Decimal("30000")


# --- Reallocations -----------------------------------------------------------------------------------------


def reallocation_data(source, target, **changes):
    data = {
        "year": "2025",
        "from_contract": str(source.pk),
        "to_contract": str(target.pk),
        "amount": "200000",
        "reason": "La Loire-Atlantique n'engagera pas tout son plafond 2025.",
    }
    data.update(changes)
    return data


def test_the_commissioner_reallocates_between_two_conventions_of_its_region(
    client, contract, vendee_contract, rhone_contract, commissioner
):
    client.force_login(commissioner)
    form = text(client.get(reverse("contracts:reallocate")))
    assert "Loire-Atlantique – Contrat local des solidarités (44)" in form
    assert "Vendée – Contrat local des solidarités (85)" in form
    assert "Rhône" not in form
    response = client.post(reverse("contracts:reallocate"), reallocation_data(contract, vendee_contract))
    assert response.status_code == 302
    assert response.url == reverse("contracts:reallocations")
    reallocation = CreditReallocation.objects.get()
    assert (reallocation.from_contract, reallocation.to_contract) == (contract, vendee_contract)
    assert reallocation.decided_by == commissioner
    html = text(client.get(credits_url(vendee_contract)))
    assert "1\u202f200\u202f000" in html
    assert "+ 200\u202f000 réalloués vers ce contrat" in html
    assert "− 200\u202f000 réalloués à d’autres contrats" in text(client.get(credits_url(contract)))


def test_the_commissioner_cannot_reallocate_to_another_region(client, contract, rhone_contract, commissioner):
    client.force_login(commissioner)
    response = client.post(reverse("contracts:reallocate"), reallocation_data(contract, rhone_contract))
    assert response.status_code == 200
    html = text(response)
    assert 'id="id_to_contract-desc-error"' in html
    assert "Sélectionnez un choix valide" in html
    assert not CreditReallocation.objects.exists()


def test_national_steering_cannot_reallocate_across_regions_either(client, contract, rhone_contract):
    client.force_login(UserFactory(national=True))
    response = client.post(reverse("contracts:reallocate"), reallocation_data(contract, rhone_contract))
    assert "Les crédits se réallouent entre contrats d&#x27;une même région." in text(response)
    assert not CreditReallocation.objects.exists()


def test_a_reallocation_above_the_uncommitted_credits_is_refused(
    client, contract, vendee_contract, commissioner
):
    services.record_credit(
        contract,
        2025,
        notified=Decimal("900000"),
        committed=Decimal("900000"),
        paid=Decimal("0"),
        notified_on=datetime.date(2025, 2, 1),
        committed_on=datetime.date(2025, 2, 1),
    )
    client.force_login(commissioner)
    response = client.post(
        reverse("contracts:reallocate"), reallocation_data(contract, vendee_contract, amount="150000")
    )
    html = text(response)
    assert response.status_code == 200
    assert (
        "Seuls 100\u202f000\u202f€ de crédits 2025 ne sont pas engagés sur le contrat d&#x27;origine." in html
    )
    assert 'id="id_amount-desc-error"' in html
    assert not CreditReallocation.objects.exists()


def test_a_reallocation_needs_a_reason(client, contract, vendee_contract, commissioner):
    client.force_login(commissioner)
    response = client.post(
        reverse("contracts:reallocate"), reallocation_data(contract, vendee_contract, reason="")
    )
    assert "Indiquez le motif de la réallocation." in text(response)
    assert not CreditReallocation.objects.exists()


def test_only_the_commissioner_and_national_steering_reallocate(
    client, contract, vendee_contract, ddets, council
):
    for user in (ddets, council):
        client.force_login(user)
        assert client.get(reverse("contracts:reallocate")).status_code == 403
        assert (
            client.post(
                reverse("contracts:reallocate"), reallocation_data(contract, vendee_contract)
            ).status_code
            == 403
        )
    client.logout()
    assert is_login(client.get(reverse("contracts:reallocate")))
    assert not CreditReallocation.objects.exists()


def test_a_commissioner_of_another_region_cannot_pick_these_conventions(
    client, contract, vendee_contract, other_commissioner
):
    client.force_login(other_commissioner)
    response = client.post(reverse("contracts:reallocate"), reallocation_data(contract, vendee_contract))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not CreditReallocation.objects.exists()


@pytest.fixture
def reallocations(contract, vendee_contract, rhone, commissioner, other_commissioner):
    services.reallocate_credits(
        contract, vendee_contract, 2025, amount=Decimal("1000"), reason="Ligérien", user=commissioner
    )
    lyon = build_contract(DepartementFactory(code="01", name="Ain", parent=rhone.region))
    rhone_contract = build_contract(rhone)
    services.reallocate_credits(
        rhone_contract, lyon, 2025, amount=Decimal("2000"), reason="Rhodanien", user=other_commissioner
    )


def test_the_reallocations_list_shows_those_of_the_users_region(
    client, reallocations, commissioner, ddets, django_assert_max_num_queries
):
    for user in (commissioner, ddets):
        client.force_login(user)
        keep_menu_count(user)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("contracts:reallocations"))
        html = text(response)
        assert response.status_code == 200
        assert "Ligérien" in html
        assert "Rhodanien" not in html


def test_the_commissioner_of_another_region_sees_its_own_reallocations(
    client, reallocations, other_commissioner
):
    client.force_login(other_commissioner)
    html = text(client.get(reverse("contracts:reallocations")))
    assert "Rhodanien" in html
    assert "Ligérien" not in html


def test_national_steering_sees_every_reallocation(client, reallocations):
    client.force_login(UserFactory(national=True))
    html = text(client.get(reverse("contracts:reallocations")))
    assert "Ligérien" in html
    assert "Rhodanien" in html


def test_a_collectivite_cannot_list_reallocations(client, reallocations, council):
    client.force_login(council)
    assert client.get(reverse("contracts:reallocations")).status_code == 403
    client.logout()
    assert is_login(client.get(reverse("contracts:reallocations")))


def test_the_reallocations_export_as_csv(client, reallocations, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("contracts:reallocations"), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "Année;Contrat d'origine;Contrat bénéficiaire;Région;Montant (€);Motif;Décidé par;Décidé le"
    )
    assert len(lines) == 2
    assert lines[1].startswith("2025;Loire-Atlantique;Vendée;Pays de la Loire;1000;Ligérien;")
