"""ProConnect, the State's OpenID Connect federation for agents (formerly AgentConnect), through
mozilla-django-oidc.

What this module relies on, from ProConnect's documentation for service providers
(https://partenaires.proconnect.gouv.fr/docs/fournisseur-service/, sources in proconnect-gouv/proconnect-espace-partenaires):

- *implementation_technique*: the authorization code flow; every endpoint lies under
  `https://PROCONNECT_DOMAIN/api/v2/` (`/authorize`, `/token`, `/userinfo`, `/session/end`; `/jwks` for the keys, a
  route of proconnect-gouv/federation, back/libs/oidc-provider/src/enums/oidc-provider-routes.enum.ts); « générer un
  `state` et un `nonce` aléatoires » of at least 32 characters, checked on the way back; the `id_token` is a JWT
  « signé avec l'algorithme spécifié à ProConnect lors de l'enregistrement du FS (RS256, ES256 ou HS256) »; the
  userinfo answer is « un JWT, signé avec [cet] algorithme » (`application/jwt`), or plain JSON when no algorithm
  was registered; the `id_token` is kept in the session for the sign-out, which goes through the browser to the
  `end_session_endpoint` with `id_token_hint`, `state` and `post_logout_redirect_uri`, the `state` checked when the
  browser comes back.
- *niveaux-eidas* and *niveaux-acr*: ProConnect says the assurance level of an authentication in the `acr` claim
  (eidas0, eidas0-mfa, eidas1, eidas1-mfa, eidas2, eidas3); a service asks for a minimum with the `claims`
  parameter, `{"id_token": {"acr": {"essential": true, "values": [...]}}}`, and must check the `acr` of the ID
  token itself (*double_authentification*, « Validation côté serveur (obligatoire) »). `PROCONNECT_ACR_VALUES`
  lists the values accepted (eidas1 at least by default).
- *ressources/claim_amr*: `amr` (the methods used: pwd, mail, otp, pop, mfa…) is sent only when asked for, with
  `{"id_token": {"amr": null}}`; `PROCONNECT_AMR_REQUIRED` names a method it must hold (none by default).
- *donnees_fournies*: scopes `openid given_name usual_name email uid siret`; `sub` identifies the agent for one
  identity provider and « il est recommandé de l'utiliser pour effectuer la réconciliation d'identité ».
- PKCE: not in that page, but ProConnect's server accepts `code_challenge` with the method S256 only
  (proconnect-gouv/federation, back/apps/core-fca-low/src/dto/authorize-params.dto.ts and the `pkce` setting of
  back/libs/oidc-provider/src/services/oidc-provider-config.service.ts): Pacte sends one.

The rules of Pacte: an agent is matched first by `sub` (stored in `User.proconnect_sub` at the first sign-in),
otherwise by e-mail address, case-insensitive, among active accounts — refused when two accounts share the
address, or when the provider says the address is not verified. An agent without account gets one **without role,
organisation nor territory** (never a role from the identity provider): he signs in and is told that an
administrator must give him a role and a territory; the administrators get one e-mail (the agent's name and
address, nothing else). Everything is off unless `PROCONNECT_CLIENT_ID`, `PROCONNECT_CLIENT_SECRET` and
`PROCONNECT_URL` (or `PROCONNECT_DOMAIN`) are set.
"""

import json
import logging
import secrets
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pacte.core import mail

logger = logging.getLogger(__name__)

DEFAULT_ACR_VALUES = ("eidas1", "eidas1-mfa", "eidas2", "eidas3")
# What Pacte needs, nothing more: the address (to find the account) and the names (to show who is signed in).
DEFAULT_SCOPES = "openid email given_name usual_name"
STATE_SIZE = 32  # « string (minimum 32 caractères) » for state and nonce
PENDING_MESSAGE = "Votre compte attend qu'un administrateur lui attribue un rôle et un territoire."
# Where the session keeps the state of a sign-out sent to ProConnect, checked when the browser comes back.
LOGOUT_STATE = "proconnect_logout_state"
LOGOUT_URL = "proconnect_logout_url"  # the end_session address, between the sign-out form and its page
ID_TOKEN = "oidc_id_token"  # mozilla-django-oidc's key (OIDC_STORE_ID_TOKEN)


class ProConnectRefused(Exception):
    """A sign-in refused, with the French sentence shown to the agent (never personal data: it may be logged)."""


# --- Settings ---------------------------------------------------------------------------------------------------


def base_url() -> str:
    """`https://PROCONNECT_DOMAIN/api/v2`, or PROCONNECT_URL when set; empty when ProConnect is off."""
    url = getattr(settings, "PROCONNECT_URL", "") or ""
    if not url and getattr(settings, "PROCONNECT_DOMAIN", ""):
        url = f"https://{settings.PROCONNECT_DOMAIN}/api/v2"
    return url.rstrip("/")


def enabled() -> bool:
    return bool(
        getattr(settings, "PROCONNECT_CLIENT_ID", "")
        and getattr(settings, "PROCONNECT_CLIENT_SECRET", "")
        and base_url()
    )


def acr_values() -> list[str]:
    return list(getattr(settings, "PROCONNECT_ACR_VALUES", None) or DEFAULT_ACR_VALUES)


def claims_request() -> str:
    """The `claims` parameter of the authorization request: the accepted `acr` values (essential) and `amr`."""
    return json.dumps(
        {"id_token": {"acr": {"essential": True, "values": acr_values()}, "amr": None}}, separators=(",", ":")
    )


def oidc_setting(name: str, *default):
    """mozilla-django-oidc's settings (OIDC_*), computed from the PROCONNECT_* ones: the views and the backend
    below read their settings here instead of from django.conf.settings."""
    base = base_url()
    values = {
        "OIDC_RP_CLIENT_ID": getattr(settings, "PROCONNECT_CLIENT_ID", ""),
        "OIDC_RP_CLIENT_SECRET": getattr(settings, "PROCONNECT_CLIENT_SECRET", ""),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{base}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{base}/token",
        "OIDC_OP_USER_ENDPOINT": f"{base}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{base}/jwks",
        "OIDC_RP_SIGN_ALGO": getattr(settings, "PROCONNECT_SIGN_ALGO", "RS256"),
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_RP_SCOPES": getattr(settings, "PROCONNECT_SCOPES", DEFAULT_SCOPES),
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"claims": claims_request()},
        "OIDC_USE_NONCE": True,
        "OIDC_STATE_SIZE": STATE_SIZE,
        "OIDC_NONCE_SIZE": STATE_SIZE,
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_PKCE_CODE_VERIFIER_SIZE": 64,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_TOKEN_USE_BASIC_AUTH": False,  # client_secret_post, as the token endpoint's page says
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:proconnect_callback",
        "OIDC_CREATE_USER": True,
        "OIDC_TIMEOUT": getattr(settings, "PROCONNECT_TIMEOUT", 10),
        "OIDC_VERIFY_SSL": True,
        "OIDC_PROXY": None,
        "OIDC_VERIFY_KID": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_REDIRECT_FIELD_NAME": "next",
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": "accounts:login",
    }
    if name in values:
        return values[name]
    return getattr(settings, name, *default) if default else getattr(settings, name)


def end_session_url(request, id_token: str) -> str:
    """The ProConnect sign-out of the browser (its `end_session_endpoint`); the state is kept in the (new) session
    to be checked when ProConnect sends the browser back."""
    state = secrets.token_urlsafe(STATE_SIZE)
    request.session[LOGOUT_STATE] = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("accounts:proconnect_logout_callback")
            ),
        }
    )
    return f"{base_url()}/session/end?{query}"


# --- The authentication backend ---------------------------------------------------------------------------------

BACKEND = "pacte.accounts.oidc.ProConnectBackend"


def authenticate(request, *, nonce: str, code_verifier: str | None):
    """The agent of ProConnect's answer to this request, or None (the reason left on the request). Straight to the
    backend rather than through `django.contrib.auth.authenticate`: there, django-axes would count each refusal as
    a failed password for an unknown username from the agent's address, and lock ProConnect out for everybody
    behind that address after AXES_FAILURE_LIMIT refusals — a ProConnect answer is no password guess."""
    user = ProConnectBackend().authenticate(request, nonce=nonce, code_verifier=code_verifier)
    if user is not None:
        user.backend = BACKEND
    return user


class ProConnectBackend(OIDCAuthenticationBackend):
    """Signs an agent in from ProConnect's answer (see the module's docstring for the rules), called by the
    callback view through `authenticate` above. Listed in AUTHENTICATION_BACKENDS at all times, so that the
    session of an agent signed in through it is honoured: it reads nothing and answers None while ProConnect is
    off, and for every other kind of sign-in (username and password)."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def authenticate(self, request, **kwargs):
        """The user of a ProConnect answer, or None. A refusal is left on the request (`proconnect_refusal`, a
        French sentence) for the callback view to show."""
        if not self.enabled or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except ProConnectRefused as refusal:
            logger.warning("Connexion ProConnect refusée : %s", refusal)
            request.proconnect_refusal = str(refusal)
        except SuspiciousOperation as error:
            # A signature, a nonce or an issuer that does not match: the answer is not ProConnect's own.
            logger.warning("Réponse de ProConnect refusée : %s", error.__class__.__name__)
            request.proconnect_refusal = (
                "La réponse de ProConnect n'a pas pu être vérifiée (jeton non valable ou rejoué). "
                "Recommencez la connexion depuis la page « Se connecter »."
            )
        except requests.RequestException as error:
            logger.warning("ProConnect n'a pas répondu correctement : %s", error.__class__.__name__)
            request.proconnect_refusal = (
                "ProConnect n'a pas confirmé la connexion (service indisponible ou demande expirée). "
                "Recommencez dans quelques instants."
            )
        return None

    # Tokens ------------------------------------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        """The signature (mozilla-django-oidc: the algorithm registered, the key of ProConnect's JWKS) and the
        nonce, then the issuer and the audience, which the library leaves unchecked."""
        payload = super().verify_token(token, **kwargs)
        self._check_issuer_and_audience(payload, required="nonce" in kwargs)
        return payload

    def _check_issuer_and_audience(self, payload: dict, *, required: bool) -> None:
        issuer, audience = payload.get("iss"), payload.get("aud")
        if (required or issuer is not None) and issuer != base_url():
            raise SuspiciousOperation("Unexpected issuer.")
        if required or audience is not None:
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("Unexpected audience.")

    def get_userinfo(self, access_token, id_token, payload):
        """ProConnect's userinfo: a signed JWT (or JSON when the client registered no algorithm), whose `sub`
        must be the ID token's (OpenID Connect Core 1.0, 5.3.2)."""
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL"),
            timeout=self.get_settings("OIDC_TIMEOUT"),
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            claims = self.verify_token(response.text)
        else:
            claims = response.json()
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo sub is not the ID token's.")
        return claims

    # Accounts ----------------------------------------------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        check_assurance(payload)
        claims = self.get_userinfo(access_token, id_token, payload)
        with transaction.atomic():
            return self._account(payload["sub"], claims)

    def _account(self, sub: str, claims: dict):
        user = self.UserModel.objects.select_for_update().filter(proconnect_sub=sub).first()
        if user is not None:
            if not user.is_active:
                raise ProConnectRefused(
                    "Votre compte Pacte est désactivé. Adressez-vous à un administrateur de la plateforme."
                )
            return self.update_user(user, claims)
        email = verified_email(claims)
        same_address = list(self.UserModel.objects.select_for_update().filter(email__iexact=email))
        active = [account for account in same_address if account.is_active]
        if len(active) > 1:
            raise ProConnectRefused(
                "Plusieurs comptes Pacte portent votre adresse électronique : un administrateur doit d'abord "
                "n'en garder qu'un. Adressez-vous à un administrateur de la plateforme."
            )
        if active:
            user = active[0]
            if user.proconnect_sub:
                raise ProConnectRefused(
                    "Votre compte Pacte est déjà relié à une autre identité ProConnect. "
                    "Adressez-vous à un administrateur de la plateforme."
                )
            user.proconnect_sub = sub
            user.save(update_fields=["proconnect_sub"])
            return self.update_user(user, claims)
        if same_address:
            raise ProConnectRefused(
                "Le compte Pacte qui porte votre adresse électronique est désactivé. "
                "Adressez-vous à un administrateur de la plateforme."
            )
        return self.create_user(claims, sub=sub)

    def create_user(self, claims, sub=None):
        """A new account without role, organisation nor territory, and without password (it signs in through
        ProConnect only); the administrators are told."""
        email = claims["email"].strip()
        user = self.UserModel(
            username=free_username(self.UserModel, email),
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("usual_name") or claims.get("family_name") or "")[:150],
            proconnect_sub=sub,
        )
        user.set_unusable_password()
        user.save()
        notify_administrators(self.request, user)
        return user

    def update_user(self, user, claims):
        """The names given by the agent's identity provider replace Pacte's (the address does not: the account
        is matched by `sub` from now on)."""
        names = {
            "first_name": (claims.get("given_name") or "")[:150],
            "last_name": (claims.get("usual_name") or claims.get("family_name") or "")[:150],
        }
        changed = [field for field, value in names.items() if value and getattr(user, field) != value]
        for field in changed:
            setattr(user, field, names[field])
        if changed:
            user.save(update_fields=changed)
        return user

    def describe_user_by_claims(self, claims):
        return "un agent"  # the library logs this: never the address


def check_assurance(payload: dict) -> None:
    """The `acr` of the ID token among PROCONNECT_ACR_VALUES, and the method PROCONNECT_AMR_REQUIRED in `amr`."""
    acr = payload.get("acr")
    if acr not in acr_values():
        raise ProConnectRefused(
            f"Le niveau d'authentification transmis par ProConnect ({acr or 'aucun'}) ne suffit pas pour Pacte, "
            f"qui demande l'un de ceux-ci : {', '.join(acr_values())}. Connectez-vous avec un compte "
            "professionnel de ce niveau ou adressez-vous à votre fournisseur d'identité."
        )
    required = getattr(settings, "PROCONNECT_AMR_REQUIRED", "")
    if required and required not in (payload.get("amr") or []):
        raise ProConnectRefused(
            "Pacte demande une authentification à deux facteurs, que ProConnect n'a pas confirmée. "
            "Activez-la auprès de votre fournisseur d'identité puis reconnectez-vous."
        )


def verified_email(claims: dict) -> str:
    """The agent's address: required, and refused when the provider says it is not verified. ProConnect has no
    `email_verified` claim: the address comes from the agent's identity provider (its directory), at the eidas1
    level at least."""
    email = (claims.get("email") or "").strip()
    if not email or "@" not in email:
        raise ProConnectRefused(
            "ProConnect n'a pas transmis d'adresse électronique : Pacte ne peut pas vous identifier."
        )
    if claims.get("email_verified") is False:
        raise ProConnectRefused(
            "Votre fournisseur d'identité indique que votre adresse électronique n'est pas vérifiée : "
            "Pacte ne peut pas vous identifier."
        )
    return email


def free_username(model, email: str) -> str:
    """The address as username, or with a number when another account already has it."""
    base = email.lower()[:140]
    username, number = base, 1
    while model.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


def notify_administrators(request, user) -> None:
    """One e-mail to the administrators (ADMINS and the active staff accounts) about an account waiting for a role:
    the agent's name and address, nothing else."""
    recipients = {address.lower(): address for _name, address in settings.ADMINS}
    for address in (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    ):
        recipients.setdefault(address.lower(), address)
    if not recipients:
        logger.warning(
            "Compte ProConnect en attente de rôle, et aucun administrateur à prévenir (PACTE_ADMINS)."
        )
        return
    link = request.build_absolute_uri(reverse("admin:accounts_user_change", args=[user.pk]))
    lines = [
        "Bonjour,",
        "",
        "Un agent s'est connecté pour la première fois à Pacte avec ProConnect. Son compte a été créé sans rôle, "
        "sans organisation et sans territoire : il ne voit que les pages publiques tant qu'un administrateur ne "
        "les lui a pas attribués.",
        "",
        f"Nom : {user.get_full_name() or '(non transmis)'}",
        f"Adresse électronique : {user.email}",
    ]
    lines += [
        "",
        f"Attribuer un rôle, une organisation et un territoire : {link}",
        "",
        "Ce courriel est envoyé automatiquement par Pacte.",
    ]
    mail.queue(
        EmailMessage(
            subject="Pacte : un compte ProConnect attend un rôle et un territoire",
            body="\n".join(lines),
            to=sorted(recipients.values()),
        )
    )
