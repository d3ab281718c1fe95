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
