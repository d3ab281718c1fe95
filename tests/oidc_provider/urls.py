"""ProConnect's paths (https://PROCONNECT_DOMAIN/api/v2/authorize, /token, /userinfo, /jwks, /session/end: the
routes of proconnect-gouv/federation, back/libs/oidc-provider/src/enums/oidc-provider-routes.enum.ts) on
django-oidc-provider's views, and a sign-in page for the provider's own agents."""

from django.contrib.auth.views import LoginView
from django.urls import include, path
from oidc_provider.views import EndSessionView

from tests.oidc_provider.views import signed_userinfo

urlpatterns = [
    path("api/v2/userinfo", signed_userinfo),
    path("api/v2/session/end", EndSessionView.as_view()),
    path("api/v2/", include("oidc_provider.urls")),
    path("connexion/", LoginView.as_view(template_name="connexion.html"), name="login"),
]
