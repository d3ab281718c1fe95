"""Local pact pages: list, creation, detail, edition with 1 to 3 priorities and optimistic locking."""

import datetime

from django.urls import reverse

from pacte.contracts.models import LocalPact, PactPriority
from tests.accounts.factories import OrganisationFactory
from tests.helpers import is_login, page


def make_pact(territory, *, signed=False, priorities=1, **fields) -> LocalPact:
    pact = LocalPact.objects.create(
        territory=territory,
        title=fields.pop("title", f"Pacte local des solidarités – {territory.name}"),
        diagnostic_summary="Un taux de pauvreté des familles monoparentales élevé.",
        signed_on=datetime.date(2024, 3, 1) if signed else None,
        **fields,
    )
    for rank in range(1, priorities + 1):
        PactPriority.objects.create(
            pact=pact,
            rank=rank,
            title=f"Priorité {rank}",
            action_plan="Plan",
            pilot="Direction de l'action sociale",
            technical_committee="Mensuel",
        )
    return pact


def priorities_post(*rows, initial=0) -> dict:
    data = {
        "priorites-TOTAL_FORMS": str(len(rows)),
        "priorites-INITIAL_FORMS": str(initial),
        "priorites-MIN_NUM_FORMS": "1",
        "priorites-MAX_NUM_FORMS": "3",
    }
    for index, title in enumerate(rows):
        if title is None:
            continue
        data.update(
            {
                f"priorites-{index}-title": title,
                f"priorites-{index}-action_plan": f"Plan pour {title}",
                f"priorites-{index}-pilot": "CAF",
                f"priorites-{index}-technical_committee": "Trimestriel",
            }
        )
    return data


def pact_post(pact=None, *rows, initial=None, **fields) -> dict:
    data = {
        "title": "Pacte local de Loire-Atlantique",
        "diagnostic_summary": "Diagnostic partagé.",
        "other_signatories": "Union départementale des CCAS",
        "signed_on": "",
    }
    if pact is not None:
        data["lock_version"] = str(pact.lock_version)
    data.update(fields)
    data.update(priorities_post(*rows, initial=len(rows) if initial is None else initial))
    return data


# --- List and detail ------------------------------------------------------------------------------------


def test_the_public_sees_signed_pacts_only(client, world):
    make_pact(world.vendee, signed=True)
    make_pact(world.loire_atlantique)
    content = client.get(reverse("contracts:pact_list")).content.decode()
    assert "Vendée" in content
    assert "Loire-Atlantique" not in content


def test_a_party_sees_its_draft_pact_and_a_collectivite_elsewhere_does_not(client, world):
    make_pact(world.loire_atlantique)
    assert "Loire-Atlantique" in page(client, reverse("contracts:pact_list"), world.local_a)
    assert "Loire-Atlantique" in page(client, reverse("contracts:pact_list"), world.ddets_a)
    assert "Loire-Atlantique" in page(client, reverse("contracts:pact_list"), world.national)
    assert "Loire-Atlantique" not in page(client, reverse("contracts:pact_list"), world.local_c)
    assert "Loire-Atlantique" not in page(client, reverse("contracts:pact_list"), world.ddets_c)


def test_the_pact_list_matches_the_view_permission_of_each_pact(world):
    from pacte.contracts import perms
    from pacte.contracts.perms import visible_pacts_q

    pacts = [make_pact(world.loire_atlantique), make_pact(world.vendee, signed=True), make_pact(world.nantes)]
    users = [world.local_a, world.local_c, world.ddets_a, world.ddets_c, world.commissioner]
    users += [world.commissioner_other, world.national, world.association]
    for user in users:
        listed = set(LocalPact.objects.filter(visible_pacts_q(user)).values_list("pk", flat=True))
        assert listed == {pact.pk for pact in pacts if perms.can_view_local_pact(user, pact)}, user


def test_a_signed_pact_is_public_with_its_priorities_and_signatories(client, world):
    partner = OrganisationFactory(name="CAF de Vendée", kind="association", territory=world.vendee)
    pact = make_pact(world.vendee, signed=True, priorities=2, other_signatories="ARS Pays de la Loire")
    pact.partners.add(partner)
    response = client.get(pact.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Priorité 2 – Priorité 2" in content
    assert "CAF de Vendée" in content and "ARS Pays de la Loire" in content
    assert "Signé le 1er mars 2024" in content
    assert "Modifier" not in content


def test_a_draft_pact_is_hidden_outside_its_parties(client, world):
    pact = make_pact(world.loire_atlantique)
    page(client, pact.get_absolute_url(), world.local_a, status=200)
    page(client, pact.get_absolute_url(), world.local_c, status=404)
    client.logout()
    assert is_login(client.get(pact.get_absolute_url()))


# --- Creation ---------------------------------------------------------------------------------------------


def test_the_collectivite_creates_its_pact_with_two_priorities(client, world):
    client.force_login(world.local_a)
    data = pact_post(None, "Enfance", "Emploi", None, initial=0, territory=str(world.loire_atlantique.pk))
    response = client.post(reverse("contracts:pact_create"), data)
    pact = LocalPact.objects.get(territory=world.loire_atlantique)
    assert response.status_code == 302 and response.url == pact.get_absolute_url()
    assert list(pact.priorities.values_list("rank", "title")) == [(1, "Enfance"), (2, "Emploi")]
    assert pact.other_signatories == "Union départementale des CCAS"


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


def test_the_ddets_edits_the_pact_and_its_priorities_in_place(client, world):
    pact = make_pact(world.loire_atlantique, priorities=2)
    first = pact.priorities.get(rank=1)
    partner = OrganisationFactory(
        name="France Travail 44", kind="association", territory=world.loire_atlantique
    )
    client.force_login(world.ddets_a)
    data = pact_post(pact, "Enfance", initial=2, partners=[str(partner.pk)])
    data.update({"priorites-TOTAL_FORMS": "2", "priorites-1-DELETE": "on"})
    response = client.post(reverse("contracts:pact_edit", args=[pact.pk]), data)
    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.title == "Pacte local de Loire-Atlantique"
    assert list(pact.partners.all()) == [partner]
    assert list(pact.priorities.values_list("pk", "title")) == [(first.pk, "Enfance")]


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
    page(client, reverse("contracts:pact_edit", args=[pact.pk]), world.local_c, status=404)
    page(client, reverse("contracts:pact_edit", args=[pact.pk]), world.national, status=403)
    client.logout()
    assert is_login(client.get(reverse("contracts:pact_edit", args=[pact.pk])))
