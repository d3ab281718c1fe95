"""The audit history of a contract version: who changed what, old → new, for the people who follow it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacte.contracts import services
from tests.contracts.factories import action_post
from tests.helpers import is_login, keep_menu_count, page


def history_url(contract) -> str:
    return reverse("contracts:history", args=[contract.pk])


def _edit_budget(client, world, **budget):
    action = world.draft.actions.get()
    client.force_login(world.local_a)
    data = action_post(
        axis=action.axis,
        title=action.title,
        lock_version=action.lock_version,
        indicators_initial=1,
        **budget,
    )
    response = client.post(reverse("contracts:action_edit", args=[world.draft.pk, 1]), data)
    assert response.status_code == 302


def test_the_history_shows_an_amount_change_with_the_user_s_name(client, world):
    _edit_budget(client, world, local=("60000", "50000", "50000", "50000"), state=("50000",) * 4)
    response = client.get(history_url(world.draft))
    assert response.status_code == 200
    entries = response.context["entries"]
    change = next(entry for entry in entries if entry.what == "Budget 2024 – Collectivité (fiche-action n°1)")
    assert change.who == "Alice Martin"
    assert change.kind == "Modification"
    assert ("montant (€)", "50\u202f000", "60\u202f000") in change.changes
    content = response.content.decode()
    assert "montant (€) : 50\u202f000 → 60\u202f000" in content
    assert "Alice Martin" in content
    # Newest first.
    assert entries[0].when >= entries[-1].when


def test_the_history_keeps_deleted_rows(client, world):
    _edit_budget(client, world, other_name="CAF", other=("1000", "", "", ""))
    _edit_budget(client, world)  # the CAF line is removed
    client.force_login(world.local_a)
    entries = client.get(history_url(world.draft)).context["entries"]
    caf = [entry.kind for entry in entries if entry.what == "Budget 2024 – CAF (fiche-action n°1)"]
    assert caf == ["Suppression", "Création"]


def test_the_history_names_changed_measures_and_targets(client, world):
    from tests.programme.factories import MeasureFactory

    action = world.draft.actions.get()
    measure = MeasureFactory(axis=action.axis, title="Petits déjeuners à l'école")
    client.force_login(world.local_a)
    data = action_post(
        axis=action.axis,
        title=action.title,
        lock_version=action.lock_version,
        indicators_initial=1,
        measures=[str(measure.pk)],
        targets=("100", "100", "100", "150"),
    )
    client.post(reverse("contracts:action_edit", args=[world.draft.pk, 1]), data)
    entries = client.get(history_url(world.draft)).context["entries"]
    changes = [change for entry in entries for change in entry.changes]
    assert ("mesures du Pacte", "–", "Petits déjeuners à l'école") in changes
    target = next(entry for entry in entries if entry.what.startswith("Cible 2027 de l'indicateur"))
    assert ("valeur cible", "100", "150") in target.changes


def test_the_history_is_hidden_outside_the_parties(client, world):
    for user in (world.local_a, world.ddets_a, world.commissioner, world.national):
        page(client, history_url(world.draft), user, status=200)
    page(client, history_url(world.draft), world.ddets_c, status=404)
    page(client, history_url(world.draft), world.local_c, status=404)
    client.logout()
    assert is_login(client.get(history_url(world.draft)))


def test_the_history_of_a_signed_contract_is_refused_to_who_does_not_follow_it(client, world):
    assert "Accès refusé" in page(client, history_url(world.signed), world.local_c, status=403)
    page(client, history_url(world.signed), world.local_b, status=200)
    client.logout()
    assert is_login(client.get(history_url(world.signed)))


def _history_queries(client, contract) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(history_url(contract)).status_code == 200
    return len(queries)


def test_the_history_page_query_count_does_not_grow_with_its_entries(client, world):
    client.force_login(world.local_a)
    keep_menu_count(world.local_a)
    few = _history_queries(client, world.draft)
    for year in (2024, 2025, 2026):
        services.update_contract(world.draft, expected_version=None, title=f"Titre {year}")
        _edit_budget(client, world, local=(str(60000 + year),) * 4)
    assert _history_queries(client, world.draft) == few
