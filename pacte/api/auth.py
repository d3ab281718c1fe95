from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from pacte.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pacte_…` with a personal token created on the "Mon compte" page."""

    openapi_description = "Jeton personnel créé sur la page « Mon compte »."

    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


token_auth = TokenAuth()
# Reads accept a token or the browser session; writes need a token.
read_auth = [token_auth, django_auth]


def _anonymous(request):
    """Last resort of public reads: an anonymous visitor, unless a token was sent and refused."""
    if "Authorization" in request.headers:
        raise AuthenticationError()
    return AnonymousUser()


# Public reads: a token or a session shows the drafts the user may see; without either, signed versions only.
public_auth = [token_auth, django_auth, _anonymous]
