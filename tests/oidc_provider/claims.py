"""What the provider says about its agents, as ProConnect does
(https://partenaires.proconnect.gouv.fr/docs/fournisseur-service/donnees_fournies): the scopes given_name,
usual_name, email, uid and siret, each giving the claim of the same name; the ID token carries `acr` (the eidas
level of the authentication) and `amr` (its methods). Each agent's level, SIRET and e-mail verification come from
the PROVIDER_PROFILES file (username → {"acr", "siret", "email_verified"}); an agent missing there is eidas1."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from oidc_provider.lib.claims import ScopeClaims

DEFAULT_PROFILE = {"acr": "eidas1", "amr": ["pwd"], "siret": "13002526500013", "email_verified": True}


def profile(user) -> dict:
    path = settings.PROVIDER_PROFILES
    profiles = json.loads(Path(path).read_text()) if path else {}
    return DEFAULT_PROFILE | profiles.get(user.username, {})


def id_token_hook(id_token, user, token, request, **kwargs):
    agent = profile(user)
    id_token["acr"] = agent["acr"]
    id_token["amr"] = agent["amr"]
    id_token["idp_id"] = "fournisseur-de-test"
    return id_token


def userinfo(claims, user):
    claims["email"] = user.email
    claims["email_verified"] = profile(user)["email_verified"]
    return claims


class ProConnectScopeClaims(ScopeClaims):
    def scope_given_name(self):
        return {"given_name": self.user.first_name}

    def scope_usual_name(self):
        return {"usual_name": self.user.last_name}

    def scope_uid(self):
        return {"uid": str(self.user.pk)}

    def scope_siret(self):
        return {"siret": profile(self.user)["siret"]}


def sub(user) -> str:
    """An opaque identifier, as long as ProConnect's (a hex digest), the same for an agent at every sign-in."""
    return hashlib.sha256(f"fournisseur-de-test:{user.pk}".encode()).hexdigest()
