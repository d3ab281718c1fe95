"""Local pact pages: list, creation, detail, edition with its perimeter, priorities, publics and signatories;
the collected actions; the regional envelopes and their split. Each page: an allowed user, the same role outside
the scope, an anonymous visitor."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.contracts import perms
from pacte.contracts.models.pacts import LocalPact, PactAction, PactAllocation, PactEnvelope
from pacte.contracts.services import pacts as services
from tests.accounts.factories import OrganisationFactory
from tests.contracts.pact_factories import add_signatory, envelope, make_pact, make_pact_cast, pact_post
from tests.helpers import count_queries, is_login, page
from tests.observation.factories import IndicatorFactory, ObservationFactory


@pytest.fixture
def world():
    return make_pact_cast()


# --- List and detail ------------------------------------------------------------------------------------


def test_the_public_sees_signed_pacts_only(client, world):
    make_pact(world.vendee, signed=True)
    make_pact(world.loire_atlantique)
    content = client.get(reverse("contracts:pact_list")).content.decode()
    assert "Vendée" in content
    assert "Loire-Atlantique" not in content
    assert "Enveloppes régionales" not in content


def test_a_party_sees_its_draft_pact_and_a_collectivite_elsewhere_does_not(client, world):
    make_pact(world.loire_atlantique)
    assert "Loire-Atlantique" in page(client, reverse("contracts:pact_list"), world.local_a)
    assert "Loire-Atlantique" in page(client, reverse("contracts:pact_list"), world.ddets_a)
    assert "Loire-Atlantique" in page(client, reverse("contracts:pact_list"), world.national)
    assert "Loire-Atlantique" not in page(client, reverse("contracts:pact_list"), world.local_c)
    assert "Loire-Atlantique" not in page(client, reverse("contracts:pact_list"), world.ddets_c)


def test_the_pact_list_matches_the_view_permission_of_each_pact(world):
    pacts = [make_pact(world.loire_atlantique), make_pact(world.vendee, signed=True), make_pact(world.nantes)]
    users = [world.local_a, world.local_c, world.ddets_a, world.ddets_c, world.commissioner]
    users += [world.commissioner_other, world.national, world.association]
    for user in users:
        listed = set(LocalPact.objects.filter(perms.visible_pacts_q(user)).values_list("pk", flat=True))
        assert listed == {pact.pk for pact in pacts if perms.can_view_local_pact(user, pact)}, user


def test_a_signed_pact_is_public_with_its_perimeter_publics_and_signatories(client, world):
    partner = OrganisationFactory(name="CAF de Vendée", kind="association", territory=world.vendee)
    pact = make_pact(world.vendee, signed=True, priorities=2, publics=["femmes", "enfants"])
    pact.perimeter.add(world.la_roche)
    add_signatory(
        pact, organisation=partner, contribution="Deux travailleurs sociaux", amount=Decimal("15000")
    )
    add_signatory(pact, name="ARS Pays de la Loire", contribution="Une médiatrice santé")
    response = client.get(pact.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Priorité 2 – Priorité 2" in content
    assert "La Roche-sur-Yon" in content and "Tout le territoire" not in content
    assert content.index("Les enfants") < content.index("Les femmes")
    assert (
        "CAF de Vendée" in content
        and "Deux travailleurs sociaux" in content
        and "15\u202f000\u202f€" in content
    )
    assert "ARS Pays de la Loire" in content and "Une médiatrice santé" in content
    assert "Signé le 1er mars 2024" in content
    assert "Modifier" not in content
    # The share of the envelope and the collected actions are for those who follow the pact.
    assert "Crédits des pactes locaux" not in content and "Actions menées" not in content


def test_the_parties_see_the_departements_share_and_the_actions(client, world):
    envelope(world.pays_de_la_loire, year=2025, d44="50000")
    pact = make_pact(world.nantes)
    PactAction.objects.create(
        pact=pact,
        priority=pact.priorities.get(),
        number=1,
        title="Maison des familles",
        description="d",
        carrier="CCAS de Rezé",
        publics=["familles_monoparentales"],
        year=2025,
        state_amount=Decimal("20000"),
    )
    content = page(client, pact.get_absolute_url(), world.local_nantes)
    assert "Tout le territoire" in content
    assert "Maison des familles" in content and "Les familles monoparentales" in content
    assert "50\u202f000\u202f€" in content and "30\u202f000\u202f€" in content  # share, what is left
    assert "non attribuée" in content  # 2024, 2026, 2027
    assert "Ajouter une action" in content
    national = page(client, pact.get_absolute_url(), world.national)
    assert "Maison des familles" in national and "Ajouter une action" not in national


def test_a_draft_pact_is_hidden_outside_its_parties(client, world):
    pact = make_pact(world.loire_atlantique)
    page(client, pact.get_absolute_url(), world.local_a, status=200)
    page(client, pact.get_absolute_url(), world.local_c, status=404)
    client.logout()
    assert is_login(client.get(pact.get_absolute_url()))


def test_the_pact_page_runs_the_same_queries_whatever_its_actions(client, world):
    pact = make_pact(world.loire_atlantique, priorities=2)
    add_signatory(pact, organisation=OrganisationFactory(territory=world.loire_atlantique))

    def add(count):
        for _ in range(count):
            number = pact.actions.count() + 1
            PactAction.objects.create(
                pact=pact,
                priority=pact.priorities.first(),
                number=number,
                title=f"Action {number}",
                description="d",
                carrier="c",
                publics=["enfants"],
                year=2024,
            )

    add(1)
    few = count_queries(client, pact.get_absolute_url(), world.ddets_a)
    add(5)
    assert count_queries(client, pact.get_absolute_url(), world.ddets_a) == few


# --- Creation ---------------------------------------------------------------------------------------------


def test_the_collectivite_creates_its_pact_with_two_priorities_and_its_publics(client, world):
    client.force_login(world.local_a)
    data = pact_post(None, "Enfance", "Emploi", None, initial=0, territory=str(world.loire_atlantique.pk))
    response = client.post(reverse("contracts:pact_create"), data)
    pact = LocalPact.objects.get(territory=world.loire_atlantique)
    assert response.status_code == 302 and response.url == pact.get_absolute_url()
    assert list(pact.priorities.values_list("rank", "title")) == [(1, "Enfance"), (2, "Emploi")]
    assert pact.priority_publics == ["enfants", "familles_monoparentales"]


def test_a_pact_without_priority_public_is_refused_on_its_field(client, world):
    client.force_login(world.local_a)
    data = pact_post(
        None, "Enfance", initial=0, territory=str(world.loire_atlantique.pk), priority_publics=[]
    )
    response = client.post(reverse("contracts:pact_create"), data)
    assert response.status_code == 200
    assert (
        response.context["editor"]
        .form.errors["priority_publics"][0]
        .startswith("Choisissez au moins un des publics prioritaires du pacte")
    )
    assert not LocalPact.objects.exists()


def test_a_signature_date_in_the_future_is_refused_on_its_field_and_nothing_is_created(client, world):
    client.force_login(world.local_a)
    data = pact_post(
        None, "Enfance", initial=0, territory=str(world.loire_atlantique.pk), signed_on="2999-01-01"
    )
    response = client.post(reverse("contracts:pact_create"), data)
    assert response.status_code == 200
    assert response.context["editor"].form.errors["signed_on"] == [
        "La date de signature ne peut pas être dans le futur."
    ]
    assert not LocalPact.objects.exists()


def test_a_pact_cannot_be_created_for_a_territory_outside_the_scope(client, world):
    client.force_login(world.ddets_c)
    data = pact_post(None, "Enfance", initial=0, territory=str(world.loire_atlantique.pk))
    response = client.post(reverse("contracts:pact_create"), data)
    assert response.status_code == 200
    assert response.context["editor"].form.errors["territory"]
    assert not LocalPact.objects.exists()


def test_the_pact_creation_is_refused_to_associations_and_the_public(client, world):
    page(client, reverse("contracts:pact_create"), world.association, status=403)
    client.logout()
    assert is_login(client.get(reverse("contracts:pact_create")))


def test_a_pact_without_priority_is_refused_in_french_and_not_created(client, world):
    client.force_login(world.local_a)
    data = pact_post(None, None, None, None, initial=0, territory=str(world.loire_atlantique.pk))
    response = client.post(reverse("contracts:pact_create"), data)
    assert response.status_code == 200
    summary = response.context["error_summary"]
    assert {
        "label": "Priorité n°1 – Priorité",
        "message": "Ce champ est obligatoire.",
        "anchor": "id_priorites-0-title",
    } in summary
    assert not LocalPact.objects.exists()


# --- Edition ----------------------------------------------------------------------------------------------


def test_the_ddets_edits_the_perimeter_signatories_and_priorities(client, world):
    pact = make_pact(world.loire_atlantique, priorities=2)
    first = pact.priorities.get(rank=1)
    partner = OrganisationFactory(name="France Travail 44", territory=world.loire_atlantique)
    client.force_login(world.ddets_a)
    data = pact_post(
        pact,
        "Enfance",
        "Priorité 2",
        perimeter=[str(world.carene.pk), str(world.saint_nazaire.pk)],
        signatories=[(partner, "", "Un conseiller dédié", "12000"), (None, "MSA", "Des permanences", "")],
    )
    data["priorites-1-DELETE"] = "on"
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), data)
    assert response.status_code == 302, response.context["error_summary"]
    pact.refresh_from_db()
    assert pact.title == "Pacte local de Loire-Atlantique"
    assert set(pact.perimeter.all()) == {world.carene, world.saint_nazaire}
    assert [(s.display_name, s.contribution, s.amount) for s in pact.signatories.all()] == [
        ("France Travail 44", "Un conseiller dédié", Decimal("12000.00")),
        ("MSA", "Des permanences", None),
    ]
    assert list(pact.priorities.values_list("pk", "title")) == [(first.pk, "Enfance")]


def test_a_signatory_without_contribution_is_refused_on_its_field(client, world):
    pact = make_pact(world.loire_atlantique)
    client.force_login(world.local_a)
    data = pact_post(pact, "Priorité 1", signatories=[(None, "MSA", "", "")], title="Nouveau titre")
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), data)
    assert response.status_code == 200
    form = response.context["editor"].signatories.forms[0]
    assert form.errors["contribution"] == [
        "Signataire n°1 : indiquez sa contribution (le pacte mentionne la contribution de chaque institution)."
    ]
    pact.refresh_from_db()
    assert pact.title != "Nouveau titre" and not pact.signatories.exists()


def test_a_perimeter_outside_the_territory_is_not_offered(client, world):
    pact = make_pact(world.loire_atlantique)
    client.force_login(world.local_a)
    data = pact_post(pact, "Priorité 1", perimeter=[str(world.la_roche.pk)])
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), data)
    assert response.status_code == 200
    assert response.context["editor"].form.errors["perimeter"]
    assert not pact.perimeter.exists()


def test_more_than_three_priorities_are_refused_in_french(client, world):
    pact = make_pact(world.loire_atlantique)
    client.force_login(world.local_a)
    data = pact_post(pact, "Un", "Deux", "Trois", "Quatre", initial=1)
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), data)
    assert response.status_code == 200
    assert "Un pacte local compte au plus trois priorités." in response.content.decode()
    assert pact.priorities.count() == 1


def test_removing_every_priority_is_refused(client, world):
    pact = make_pact(world.loire_atlantique)
    client.force_login(world.local_a)
    data = pact_post(pact, "Priorité 1", initial=1, title="Nouveau titre")
    data["priorites-0-DELETE"] = "on"
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), data)
    assert "au moins une priorité" in response.content.decode()
    pact.refresh_from_db()
    assert pact.title != "Nouveau titre" and pact.priorities.count() == 1


def test_a_stale_pact_edit_is_refused_and_nothing_is_saved(client, world):
    pact = make_pact(world.loire_atlantique)
    opened = pact.lock_version
    client.force_login(world.local_a)
    first = pact_post(pact, "Première", initial=1, title="Premier titre")
    assert client.post(reverse("contracts:pact_edit", args=[pact.pk]), first).status_code == 302
    second = pact_post(pact, "Seconde", "Autre", initial=1, title="Second titre", lock_version=str(opened))
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), second)
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    pact.refresh_from_db()
    assert pact.title == "Premier titre"
    assert list(pact.priorities.values_list("title", flat=True)) == ["Première"]


def test_a_signed_pact_is_read_only(client, world):
    pact = make_pact(world.vendee, signed=True)
    client.force_login(world.local_b)
    response = client.post(
        reverse("contracts:pact_edit", args=[pact.pk]), pact_post(pact, "Changé", initial=1)
    )
    assert response.status_code == 302 and response.url == pact.get_absolute_url()
    assert pact.priorities.get().title == "Priorité 1"


def test_the_pact_edit_is_refused_outside_the_parties(client, world):
    pact = make_pact(world.loire_atlantique)
    page(client, reverse("contracts:pact_edit", args=[pact.pk]), world.local_a, status=200)
    page(client, reverse("contracts:pact_edit", args=[pact.pk]), world.local_c, status=404)
    page(client, reverse("contracts:pact_edit", args=[pact.pk]), world.national, status=403)
    client.logout()
    assert is_login(client.get(reverse("contracts:pact_edit", args=[pact.pk])))


# --- Collected actions ---------------------------------------------------------------------------------------


def action_post(pact, **fields) -> dict:
    data = {
        "priority": str(pact.priorities.first().pk),
        "title": "Maison des familles",
        "description": "Un lieu d'accueil.",
        "carrier": "CCAS de Saint-Nazaire",
        "publics": ["familles_monoparentales"],
        "other_publics": "",
        "year": "2025",
        "state_amount": "10 000",
        "other_funding": "",
        "status": "prevue",
        "people_reached": "",
        "follow_up": "",
    }
    data.update(fields)
    return data


def test_the_collectivite_records_an_action_of_its_pact(client, world):
    envelope(world.pays_de_la_loire, year=2025, d44="50000")
    pact = make_pact(world.loire_atlantique)
    url = reverse("contracts:pact_action_create", args=[pact.pk])
    page(client, url, world.local_a)
    response = client.post(url, action_post(pact))
    assert response.status_code == 302 and response.url == f"{pact.get_absolute_url()}#actions"
    action = pact.actions.get()
    assert (action.number, action.state_amount, action.updated_by) == (1, Decimal("10000"), world.local_a)


def test_an_action_beyond_the_share_is_refused_on_its_field(client, world):
    envelope(world.pays_de_la_loire, year=2025, d44="5000")
    pact = make_pact(world.loire_atlantique)
    client.force_login(world.ddets_a)
    response = client.post(reverse("contracts:pact_action_create", args=[pact.pk]), action_post(pact))
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["state_amount"][0]
        .startswith("Les crédits des pactes locaux de Loire-Atlantique en 2025 (5\u202f000\u202f€)")
    )
    assert not PactAction.objects.exists()


def test_the_follow_up_of_an_action_is_updated_after_the_signature(client, world):
    pact = make_pact(world.vendee, signed=True)
    action = services.save_pact_action(
        None,
        pact=pact,
        data=services.PactActionData(
            priority_id=pact.priorities.get().pk,
            title="Épicerie solidaire",
            description="d",
            carrier="CCAS",
            publics=["travailleurs_pauvres"],
            year=2024,
        ),
    )
    url = reverse("contracts:pact_action", args=[pact.pk, action.number])
    client.force_login(world.local_b)
    data = action_post(
        pact,
        title="Épicerie solidaire",
        year="2024",
        state_amount="0",
        status="realisee",
        people_reached="85",
        lock_version=str(action.lock_version),
    )
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.people_reached) == ("realisee", 85)
    response = client.post(url, {**data, "people_reached": "90"})  # the version read is now stale
    assert "modifiées par quelqu’un d’autre" in response.content.decode()


def test_the_action_pages_are_for_the_parties_only(client, world):
    draft, signed = make_pact(world.loire_atlantique), make_pact(world.vendee, signed=True)
    page(client, reverse("contracts:pact_action_create", args=[draft.pk]), world.ddets_a)
    page(client, reverse("contracts:pact_action_create", args=[draft.pk]), world.ddets_c, status=404)
    page(client, reverse("contracts:pact_action_create", args=[signed.pk]), world.local_c, status=403)
    page(client, reverse("contracts:pact_action", args=[draft.pk, 9]), world.local_a, status=404)
    client.logout()
    assert is_login(client.get(reverse("contracts:pact_action_create", args=[draft.pk])))


# --- Regional envelopes ----------------------------------------------------------------------------------------


def test_the_envelope_list_shows_each_user_its_regions(client, world):
    envelope(world.pays_de_la_loire, year=2025, amount="100000", d44="60000")
    envelope(world.paca, year=2025, amount="80000")
    url = reverse("contracts:pact_envelopes")
    national = page(client, url, world.national)
    assert "Pays de la Loire" in national and "Provence" in national and "Saisir une enveloppe" in national
    own = page(client, url, world.commissioner)
    assert "Pays de la Loire" in own and "Provence" not in own and "Saisir une enveloppe" not in own
    assert "60\u202f000\u202f€" in own and "40\u202f000\u202f€" in own  # shared, left
    assert "Pays de la Loire" not in page(client, url, world.commissioner_other)
    assert "Pays de la Loire" in page(client, url, world.ddets_a)
    page(client, url, world.association, status=403)
    client.logout()
    assert is_login(client.get(url))


def test_national_steering_enters_an_envelope(client, world):
    url = reverse("contracts:pact_envelope_create")
    client.force_login(world.national)
    data = {
        "region": str(world.pays_de_la_loire.pk),
        "year": "2025",
        "amount": "450 000",
        "reference": "DIPLP",
    }
    response = client.post(url, data)
    created = PactEnvelope.objects.get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert (created.amount, created.entered_by) == (Decimal("450000"), world.national)
    response = client.post(url, data)
    assert response.context["form"].errors["year"] == [
        "L'enveloppe 2025 de la région Pays de la Loire est déjà saisie : modifiez-la."
    ]


def test_only_national_steering_enters_or_changes_an_envelope(client, world):
    row = envelope(world.pays_de_la_loire)
    page(client, reverse("contracts:pact_envelope_create"), world.commissioner, status=403)
    page(client, reverse("contracts:pact_envelope_edit", args=[row.pk]), world.commissioner, status=403)
    page(client, reverse("contracts:pact_envelope_edit", args=[row.pk]), world.commissioner_other, status=404)
    assert "Modifier l’enveloppe 2025" in page(
        client, reverse("contracts:pact_envelope_edit", args=[row.pk]), world.national
    )
    data = {"amount": "120000", "reference": "", "lock_version": str(row.lock_version)}
    assert client.post(reverse("contracts:pact_envelope_edit", args=[row.pk]), data).status_code == 302
    row.refresh_from_db()
    assert row.amount == Decimal("120000")
    client.logout()
    assert is_login(client.get(reverse("contracts:pact_envelope_create")))


def test_the_commissioner_shares_the_envelope_next_to_the_suggested_split(client, world):
    row = envelope(world.pays_de_la_loire, year=2025, amount="100000")
    headcount = IndicatorFactory(
        code="NBPAUV", label="Personnes vivant sous le seuil de pauvreté", count=True
    )
    headcount.unit = "personnes"
    headcount.save()
    ObservationFactory(
        indicator=headcount, territory=world.loire_atlantique, period=2021, value=Decimal(150000)
    )
    ObservationFactory(
        indicator=headcount, territory=world.vendee, period=2021, value=Decimal(50000), is_demo=True
    )
    url = row.get_absolute_url()
    content = page(client, url, world.commissioner)
    assert "75,0\u202f%" in content and "75\u202f000\u202f€" in content and "25\u202f000\u202f€" in content
    assert "année 2021" in content and "donnée fictive" in content
    data = {"lock_version": str(row.lock_version), "amount_44": "70000", "amount_85": "30 000"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert dict(PactAllocation.objects.values_list("departement__code", "amount")) == {
        "44": Decimal("70000"),
        "85": Decimal("30000"),
    }


def test_a_split_beyond_the_envelope_is_refused_and_the_suggestion_is_unavailable_without_data(client, world):
    row = envelope(world.pays_de_la_loire, year=2025, amount="100000")
    client.force_login(world.commissioner)
    data = {"lock_version": str(row.lock_version), "amount_44": "70000", "amount_85": "40000"}
    response = client.post(row.get_absolute_url(), data)
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "La répartition (110\u202f000\u202f€) dépasse l'enveloppe régionale (100\u202f000\u202f€) de "
        "10\u202f000\u202f€."
    ]
    assert "dépasse l'enveloppe régionale" in content
    assert (
        "non disponible" in content and "l'indicateur NBPAUV (personnes pauvres) n'est pas chargé" in content
    )
    assert not PactAllocation.objects.exists()


def test_the_envelope_page_is_for_the_region_only(client, world):
    row = envelope(world.pays_de_la_loire, year=2025, amount="100000", d44="60000")
    url = row.get_absolute_url()
    ddets = page(client, url, world.ddets_a)
    assert "60\u202f000\u202f€" in ddets and "Enregistrer la répartition" not in ddets
    assert client.post(url, {"amount_44": "1"}).status_code == 403
    page(client, url, world.commissioner_other, status=404)
    page(client, url, world.ddets_c, status=404)
    client.logout()
    assert is_login(client.get(url))
