"""What the API tests of governance and grants share: a personal token for a user, GET with it, the ids of a
page, and the number of queries a list takes."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacte.accounts.models import ApiToken


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"} if user else {}


def get(client, url, user=None, **params):
    return client.get(url, params, **bearer(user))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def queries(client, url, user) -> int:
    """The queries of one page of 100 rows of `url` read with `user`'s token (anonymous for None)."""
    headers = bearer(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, {"page_size": 100}, **headers).status_code == 200
    return len(context.captured_queries)
