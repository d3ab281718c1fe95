"""The userinfo endpoint as ProConnect answers it when the client registered a signing algorithm: a JWT signed
with the provider's key (`Content-Type: application/jwt`), carrying `iss` and `aud`
(https://partenaires.proconnect.gouv.fr/docs/fournisseur-service/implementation_technique, 2.3.6)."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from oidc_provider import settings as provider_settings
from oidc_provider.lib.claims import StandardScopeClaims
from oidc_provider.lib.utils.common import get_issuer
from oidc_provider.lib.utils.oauth2 import protected_resource_view
from oidc_provider.lib.utils.token import encode_id_token


@csrf_exempt
@require_http_methods(["GET", "POST"])
@protected_resource_view(["openid"])
def signed_userinfo(request, *args, **kwargs):
    token = kwargs["token"]
    claims = {"sub": token.id_token.get("sub")}
    claims.update(StandardScopeClaims(token).create_response_dic())
    claims.update(
        provider_settings.get("OIDC_EXTRA_SCOPE_CLAIMS", import_str=True)(token).create_response_dic()
    )
    claims.update(iss=get_issuer(request=request), aud=token.client.client_id)
    response = HttpResponse(encode_id_token(claims, token.client), content_type="application/jwt")
    response["Cache-Control"] = "no-store"
    return response
