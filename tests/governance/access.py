"""The three-visitor check every governance page gets: anonymous, same role outside the scope, allowed."""

from django.urls import reverse


def is_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def assert_access(client, url: str, *, outsider, allowed, refused: int = 404) -> None:
    """An anonymous visitor is asked to sign in, `outsider` gets `refused`, `allowed` gets the page."""
    client.logout()
    assert is_login(client.get(url))
    client.force_login(outsider)
    assert client.get(url).status_code == refused
    client.force_login(allowed)
    assert client.get(url).status_code == 200
