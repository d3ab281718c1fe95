"""Who calls the API: a personal token (`Authorization: Bearer pacte_…`), the browser session, or an anonymous
visitor on the public reads.

A token that is sent is checked on EVERY operation, public reads included: an unknown, expired or revoked token,
a token of a deactivated account, or an `Authorization` header that is not a bearer token answers `401` — never
the anonymous answer, nor the session's (a client that sends a token wants to know that it no longer works). The
API's default (`NinjaAPI(auth=public_auth)` in `pacte.api.urls`) covers the operations that name no `auth`.
"""

import functools

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from pacte.accounts.models import ApiToken


def token_sent(request) -> bool:
    """The request carries an `Authorization` header (empty or not)."""
    return "Authorization" in request.headers


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pacte_…` with a personal token created on the "Mon compte" page."""

    openapi_description = "Jeton personnel créé sur la page « Mon compte »."

    def __call__(self, request):
        """None when no header is sent (the next way of calling may apply); a refusal (401) when a header is sent
        and does not carry a usable token."""
        if not token_sent(request):
            return None
        scheme, _, token = request.headers["Authorization"].strip().partition(" ")
        user = self.authenticate(request, token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise AuthenticationError()
        return user

    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token) if token else None
        if user is None:
            return None
        request.user = user
        return user


token_auth = TokenAuth()
# Reads accept a token or the browser session; writes need a token.
read_auth = [token_auth, django_auth]


def _anonymous(request):
    """Last resort of public reads: an anonymous visitor, unless a token was sent (and refused above)."""
    if token_sent(request):
        raise AuthenticationError()
    return AnonymousUser()


# Public reads: a token or a session shows the drafts the user may see; without either, signed versions only.
public_auth = [token_auth, django_auth, _anonymous]


AUTHENTICATION_REQUIRED = "Authentification requise : jeton absent, invalide ou expiré."
TOKEN_REFUSED = (
    "Authentification requise : le jeton envoyé est refusé (inconnu, expiré ou révoqué, ou l'en-tête "
    "Authorization n'est pas de la forme « Bearer pacte_… »). Créez un jeton sur la page « Mon compte », ou "
    "n'envoyez pas d'en-tête Authorization pour lire les données publiques."
)


def unauthorized_body(request) -> dict:
    return {"detail": TOKEN_REFUSED if token_sent(request) else AUTHENTICATION_REQUIRED}


def www_authenticate(request) -> str:
    """RFC 6750, § 3: the `WWW-Authenticate` header of a 401, `error="invalid_token"` when a token was sent."""
    return 'Bearer realm="pacte", error="invalid_token"' if token_sent(request) else 'Bearer realm="pacte"'


def refuse_unusable_token(view):
    """The OpenAPI document and the interactive docs are public, but refuse an unusable token like the
    operations do (401)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if token_sent(request):
            try:
                token_auth(request)
            except AuthenticationError:
                response = JsonResponse(unauthorized_body(request), status=401)
                response["WWW-Authenticate"] = www_authenticate(request)
                return response
        return view(request, *args, **kwargs)

    return wrapper
