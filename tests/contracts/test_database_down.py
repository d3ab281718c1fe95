"""PostgreSQL stops during a contract save (issue 15, faults): the user gets a French page, nothing is
half-written, the next save works. The database's failure is simulated here (every statement but the
transaction's own SAVEPOINT / ROLLBACK raises OperationalError, as a stopped server does); the scripted drill
on a real cluster is scripts/drill_database.sh (quoted in docs/deploiement.md)."""

import contextlib

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.urls import reverse

from pacte.contracts.models import Contract
from pacte.contracts.services import workflow
from tests.helpers import is_login

MIDDLEWARE = "pacte.core.unavailable.DatabaseUnavailableMiddleware"
PAGE = "Service momentanément indisponible"
NOT_SAVED = "votre dernière action n’a pas été enregistrée"


def test_the_unavailable_page_is_first_in_the_middleware(settings):
    # First: it also catches what the 500 handler raises when its own page needs the database.
    assert settings.MIDDLEWARE[0] == MIDDLEWARE


class Database:
    """Switch the database off and on: while off, every statement fails as on a stopped server."""

    TRANSACTION = ("SAVEPOINT", "RELEASE", "ROLLBACK")

    def __init__(self, monkeypatch):
        self.down = False
        for name in ("_execute", "_executemany"):
            original = getattr(utils.CursorWrapper, name)
            monkeypatch.setattr(utils.CursorWrapper, name, self._guard(original))

    def _guard(self, original):
        database = self

        def execute(cursor, sql, *args, **kwargs):
            if database.down and not str(sql).lstrip().upper().startswith(database.TRANSACTION):
                raise OperationalError("server closed the connection unexpectedly")
            return original(cursor, sql, *args, **kwargs)

        return execute

    @contextlib.contextmanager
    def stopped(self):
        self.down = True
        try:
            yield
        finally:
            self.down = False


@pytest.fixture
def database(monkeypatch):
    return Database(monkeypatch)


def _save(client, contract, title):
    return client.post(
        reverse("contracts:edit", args=[contract.pk]), {"lock_version": contract.lock_version, "title": title}
    )


def _assert_unavailable_page(response):
    assert response.status_code == 503, response.status_code
    content = response.content.decode()
    assert PAGE in content and NOT_SAVED in content and 'lang="fr"' in content
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"
    assert "Internal Server Error" not in content and "Traceback" not in content


def test_the_database_stopping_mid_save_gives_a_french_page_nothing_half_written_and_the_next_save_works(
    client, world, database, monkeypatch
):
    contract = world.draft
    before = Contract.objects.get(pk=contract.pk)
    history = contract.history.count()
    client.force_login(world.local_a)
    client.raise_request_exception = False

    def server_stops(*args, **kwargs):
        # The contract row and its history line are written: the server stops before the transaction ends.
        database.down = True
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(workflow, "reset_validations", server_stops)
        response = _save(client, contract, "Titre pendant la panne")
    database.down = False
    _assert_unavailable_page(response)

    after = Contract.objects.get(pk=contract.pk)
    assert (after.title, after.lock_version) == (before.title, before.lock_version), "half-written"
    assert contract.history.count() == history

    response = _save(client, after, "Titre après la panne")
    assert response.status_code == 302
    after.refresh_from_db()
    assert after.title == "Titre après la panne" and after.lock_version == before.lock_version + 1


def test_while_the_database_is_down_every_visitor_gets_the_same_french_page(client, world, database):
    client.raise_request_exception = False
    edit = reverse("contracts:edit", args=[world.draft.pk])
    for visitor in (world.local_a, world.local_c):  # a party, the same role elsewhere
        client.force_login(visitor)
        with database.stopped():
            for url in (edit, reverse("contracts:list"), "/"):
                _assert_unavailable_page(client.get(url))
            _assert_unavailable_page(_save(client, world.draft, "Pendant la panne"))
        client.logout()
    with database.stopped():  # an anonymous visitor: the public pages fail in French, the login wall holds
        for url in (reverse("contracts:list"), "/"):
            _assert_unavailable_page(client.get(url))
        assert is_login(client.get(edit)) and is_login(_save(client, world.draft, "Pendant la panne"))
    world.draft.refresh_from_db()
    assert world.draft.title != "Pendant la panne"


def test_the_api_answers_a_french_503_in_json_while_the_database_is_down(client, world, database):
    client.raise_request_exception = False
    with database.stopped():
        response = client.get("/api/v1/territories/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert NOT_SAVED in response.json()["detail"]
