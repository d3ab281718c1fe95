"""What the tests of every app share: reading a page, recognising the sign-in redirect, the three-visitor check
(anonymous, same role outside the scope, allowed), counting the queries of a page, and calling the API with a
personal token. Test modules import from here (and from factories), never from one another."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pacte.accounts.models import ApiToken


def page(client, url: str, user=None, *, status: int = 200, **params) -> str:
    """The HTML of `url` read by `user` (anonymous for None), after checking the answer's status."""
    if user is not None:
        client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def text(response) -> str:
    return response.content.decode()


def is_login(response) -> bool:
    """The answer sends the visitor to the sign-in page."""
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def assert_access(client, url: str, *, outsider, allowed, refused: int = 404) -> None:
    """An anonymous visitor is asked to sign in, `outsider` gets `refused`, `allowed` gets the page."""
    client.logout()
    assert is_login(client.get(url))
    client.force_login(outsider)
    assert client.get(url).status_code == refused
    client.force_login(allowed)
    assert client.get(url).status_code == 200


def keep_menu_count(user) -> None:
    """List the tasks of `user` once, as its first page of the day does: the count of the menu's « Mon espace »
    is then kept (`pacte.workspace.queries.task_count`, whose queries tests/workspace counts), and a test that
    counts the queries of a page counts that page's own."""
    from pacte.workspace import queries

    queries.task_count(user)


def count_queries(client, url: str, user=None, **params) -> int:
    """The number of queries one GET of `url` runs (signed in as `user` when given; the sign-in and the count of
    the menu's « Mon espace » are not counted). The answer must be a 200."""
    if user is not None:
        client.force_login(user)
        keep_menu_count(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return len(context.captured_queries)


# --- API ------------------------------------------------------------------------------------------------


def bearer(user) -> dict:
    """The header of a fresh personal API token of `user` (none for an anonymous caller)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"} if user else {}


def api_get(client, url: str, user=None, **params):
    return client.get(url, params, **bearer(user))


def ids(response) -> list[int]:
    """The ids of the items of a paginated API answer (which must be a 200)."""
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def api_queries(client, url: str, user) -> int:
    """The queries of one page of 100 rows of `url` read with `user`'s token (anonymous for None)."""
    headers = bearer(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, {"page_size": 100}, **headers).status_code == 200
    return len(context.captured_queries)


def get_whole(client, url: str, **kwargs):
    """GET `url`, read the whole body into `response.body` and close the response (a stored file is streamed and
    holds its file open). Closing fires `request_finished`, whose `close_old_connections` would close the test's
    database connection on PostgreSQL: it is held off while closing, as Django's test client does."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    response = client.get(url, **kwargs)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response
