"""Public pages kept per data version (pacte/core/page_cache.py, pacte/core/data_version.py): an anonymous
visitor gets a kept page until anything is written; nobody else ever gets one; nothing private is kept."""

import pytest
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pacte.accounts.models import ApiToken
from pacte.core import data_version, page_cache
from tests.accounts.factories import UserFactory
from tests.contracts.factories import build_contract, make_world
from tests.helpers import bearer


@pytest.fixture
def world():
    return make_world()


def _get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content.decode()[:1000]
    return response


def test_an_anonymous_visitor_gets_the_kept_page_without_a_query(client, world):
    url = reverse("territories:detail", args=["departement", world.vendee.code])
    first = _get(client, url)
    assert first[page_cache.HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = _get(client, url)
    assert second[page_cache.HEADER] == "hit"
    assert second.content == first.content
    assert len(queries.captured_queries) == 0
    # The headers the middlewares before the cache add are there on a kept page too.
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert second["Content-Type"] == first["Content-Type"]


def test_a_write_anywhere_gives_the_next_visitor_the_new_page(client, world):
    url = reverse("territories:detail", args=["departement", world.vendee.code])
    assert "Vendée" in _get(client, url).content.decode()
    world.vendee.name = "Vendée renommée"
    world.vendee.save()
    response = _get(client, url)
    assert response[page_cache.HEADER] == "miss"
    assert "Vendée renommée" in response.content.decode()


def test_a_bulk_update_changes_the_version_too(client, world):
    from pacte.territories.models import Territory

    url = reverse("territories:detail", args=["departement", world.vendee.code])
    _get(client, url)
    Territory.objects.filter(pk=world.vendee.pk).update(name="Vendée (mise à jour en masse)")
    response = _get(client, url)
    assert response[page_cache.HEADER] == "miss"
    assert "Vendée (mise à jour en masse)" in response.content.decode()


def test_a_signed_in_user_is_never_served_a_kept_page_nor_kept(client, world):
    url = reverse("contracts:list")
    anonymous = _get(client, url)
    assert anonymous[page_cache.HEADER] == "miss"
    client.force_login(world.local_a)
    signed_in = _get(client, url)
    assert page_cache.HEADER not in signed_in
    # The draft of the user's own département is on their page, never on the anonymous one.
    assert world.draft.get_absolute_url() in signed_in.content.decode()
    client.logout()
    again = _get(client, url)
    assert world.draft.get_absolute_url() not in again.content.decode()


def test_a_visitor_with_a_session_cookie_is_not_served_a_kept_page(client, world):
    url = reverse("home")
    _get(client, url)
    client.cookies["sessionid"] = "une-session-quelconque"
    assert page_cache.HEADER not in _get(client, url)


def test_an_api_call_with_a_token_is_never_served_a_kept_answer(client, world):
    url = "/api/v1/contracts/"
    assert _get(client, url)[page_cache.HEADER] == "miss"
    assert _get(client, url)[page_cache.HEADER] == "hit"
    with_token = _get(client, url, **bearer(world.national))
    assert page_cache.HEADER not in with_token
    # A refused token gets its 401, not the anonymous answer kept.
    assert client.get(url, HTTP_AUTHORIZATION="Bearer faux").status_code == 401


def test_an_unknown_page_and_a_private_view_are_not_kept(client, world):
    missing = client.get(reverse("territories:detail", args=["departement", "00"]))
    assert missing.status_code == 404 and page_cache.HEADER not in missing
    login = client.get(reverse("accounts:login"))
    assert login.status_code == 200 and page_cache.HEADER not in login


def test_the_cache_is_off_with_zero_seconds(client, world, settings):
    settings.PACTE_PAGE_CACHE_SECONDS = 0
    assert page_cache.HEADER not in _get(client, reverse("home"))
    assert page_cache.HEADER not in _get(client, reverse("home"))


def test_an_htmx_fragment_and_the_page_are_kept_apart(client, world):
    url = reverse("contracts:list")
    _get(client, url)
    fragment = _get(client, url, HTTP_HX_REQUEST="true")
    assert fragment[page_cache.HEADER] == "miss"


# --- What is never stored -------------------------------------------------------------------------------


def _request(**meta):
    request = RequestFactory().get("/", **meta)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def _response(**headers):
    from django.http import HttpResponse

    response = HttpResponse("page")
    for name, value in headers.items():
        response[name] = value
    return response


def test_a_page_that_carries_a_csrf_token_or_sets_a_cookie_is_not_stored():
    assert page_cache._storable(_request(), _response())
    assert not page_cache._storable(_request(CSRF_COOKIE_NEEDS_UPDATE=True), _response())
    with_cookie = _response()
    with_cookie.set_cookie("choix", "1")
    assert not page_cache._storable(_request(), with_cookie)
    assert not page_cache._storable(_request(), _response(**{"Cache-Control": "private, max-age=0"}))
    assert not page_cache._storable(_request(), _response(**{"Cache-Control": "no-store"}))
    post = RequestFactory().post("/")
    assert not page_cache._storable(post, _response())


def test_the_key_changes_with_the_day(monkeypatch):
    today = page_cache.version_key("page", "/")
    monkeypatch.setattr(timezone, "localdate", lambda: timezone.datetime(2030, 1, 1).date())
    assert page_cache.version_key("page", "/") != today


# --- The data version -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "territories_territory" ("code") VALUES (%s)', "territories_territory"),
        ('UPDATE "contracts_contract" SET "title" = %s', "contracts_contract"),
        ('  delete from "django_session" WHERE 1', "django_session"),
        ("TRUNCATE observation_observation", "observation_observation"),
        ('SELECT "code" FROM "territories_territory"', None),
        ('SAVEPOINT "s1"', None),
    ],
)
def test_the_table_of_a_write_is_recognised(sql, table):
    assert data_version.written_table(sql) == table


def test_sessions_sign_ins_and_token_uses_leave_the_version_alone(client, world):
    before = data_version.current()
    ApiToken.issue(world.national, "essai")
    ApiToken.objects.update(last_used_at=timezone.now())
    assert data_version.current() == before
    # Signing in writes the time of the sign-in only: no page changes.
    client.force_login(world.national)
    assert data_version.current() == before
    UserFactory(national=True)
    assert data_version.current() != before


def test_a_transaction_draws_a_new_version_at_once_and_again_at_commit(
    world, django_capture_on_commit_callbacks
):
    before = data_version.current()
    with django_capture_on_commit_callbacks(execute=False):
        with transaction.atomic():
            world.vendee.name = "Vendée 1"
            world.vendee.save()
            at_once = data_version.current()
            world.vendee.name = "Vendée 2"
            world.vendee.save()
            # One new version at commit, however many writes the transaction holds.
            pending = [
                callback for _, callback, *_ in connection.run_on_commit if callback is data_version.bump
            ]
            assert len(pending) == 1
    assert at_once != before
    after_writes = data_version.current()
    pending[0]()
    assert data_version.current() != after_writes


def test_a_lost_version_is_drawn_again():
    from django.core.cache import cache

    cache.delete(data_version.KEY)
    assert len(data_version.current()) == 16


# --- The consolidation, kept for whoever may see its scope ----------------------------------------------


def test_the_consolidation_is_computed_once_per_version_for_every_reader(client, world):
    url = reverse("contracts:consolidation")
    other = Client()
    client.force_login(world.national)
    other.force_login(UserFactory(national=True))
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = other.get(url)
    assert response.status_code == 200 and page_cache.HEADER not in response
    assert len(second.captured_queries) < len(first.captured_queries) - 10
    # Someone outside the scope is still refused: the permission comes before the kept tables.
    client.force_login(world.ddets_a)
    assert client.get(url).status_code == 403
    # A convention signed since is in the next reading.
    assert "Bouches-du-Rhône" not in response.content.decode()
    signed = build_contract(world.bouches_du_rhone, signed=True)
    client.force_login(world.national)
    assert signed.get_absolute_url() in client.get(url).content.decode()


def test_the_clear_command_forgets_every_kept_page(client, world):
    from django.core.management import call_command

    url = reverse("home")
    _get(client, url)
    assert _get(client, url)[page_cache.HEADER] == "hit"
    before = data_version.current()
    call_command("pages", "vider")
    assert data_version.current() != before
    assert _get(client, url)[page_cache.HEADER] == "miss"


def test_a_cache_that_cannot_be_written_never_breaks_a_save_or_a_page(client, world, monkeypatch, caplog):
    from django.core.cache import caches

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(caches["default"], "set", full)
    monkeypatch.setattr(caches[page_cache.ALIAS], "set", full)
    world.vendee.name = "Vendée sur un disque plein"
    world.vendee.save()
    response = _get(client, reverse("territories:detail", args=["departement", world.vendee.code]))
    assert "Vendée sur un disque plein" in response.content.decode()
    assert page_cache.HEADER not in response
    assert "cannot be written" in caplog.text and "page not kept" in caplog.text


def test_the_worker_heartbeat_and_the_mail_queue_leave_the_data_version_alone():
    for sql in (
        'INSERT INTO "screening_workerheartbeat" ("id", "beat_at") VALUES (%s, %s)',
        'UPDATE "core_outgoingmail" SET "status" = %s WHERE "id" = %s',
    ):
        assert not data_version.changes_pages(sql)
    assert data_version.changes_pages('UPDATE "contracts_contract" SET "title" = %s WHERE "id" = %s')
