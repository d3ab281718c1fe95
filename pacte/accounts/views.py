import hashlib
import math
import re
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc import views as oidc_views

from pacte.accounts import notifications, oidc, perms, queries, services
from pacte.accounts.forms import (
    ApiTokenForm,
    LoginForm,
    NotificationFrequencyForm,
    OrganisationForm,
    PasswordResetRequestForm,
    PasswordSetForm,
    PasswordUpdateForm,
)
from pacte.accounts.models import ApiToken, Organisation
from pacte.accounts.throttling import client_ip
from pacte.core import throttle
from pacte.core.collation import french
from pacte.core.forms import errors_on
from pacte.formatting import plural

_ORGANISATIONS = {"url": "/comptes/organisations/", "title": "Organisations"}


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter", "breadcrumb_data": {"current": "Se connecter"}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["DEMO_ACCOUNTS"] = settings.DEMO_MODE
        # The ProConnect button: a link when a client is configured; greyed out with a word in the demo.
        context["proconnect"] = "actif" if oidc.enabled() else ("demo" if settings.DEMO_MODE else "")
        return context


class LogoutView(auth_views.LogoutView):
    """Ends the Pacte session; after a ProConnect sign-in, goes on to ProConnect's sign-out (`proconnect_logout`)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(oidc.ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if id_token and oidc.enabled():
            request.session[oidc.LOGOUT_URL] = oidc.end_session_url(request, id_token)
            return redirect("accounts:proconnect_logout")
        return response


# --- ProConnect (pacte/accounts/oidc.py) ------------------------------------------------------------------


class ProConnectLoginView(oidc_views.OIDCAuthenticationRequestView):
    """The ProConnect button: state, nonce and PKCE verifier kept in the session, the browser sent to ProConnect's
    authorization endpoint (with the `claims` asking for the accepted `acr`). 404 while ProConnect is off."""

    get_settings = staticmethod(oidc.oidc_setting)

    def dispatch(self, request, *args, **kwargs):
        if not oidc.enabled():
            raise Http404("ProConnect n'est pas configuré.")
        return super().dispatch(request, *args, **kwargs)


_ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")


class ProConnectCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """ProConnect's `redirect_uri`: the state checked against the session, the code exchanged (with the PKCE
    verifier), the ID token and the userinfo checked, the agent signed in (pacte/accounts/oidc.py). A refusal is
    a French page (403, or 400 for an answer that matches no sign-in in progress); an account waiting for its
    role is told so on arrival."""

    get_settings = staticmethod(oidc.oidc_setting)

    def get(self, request):
        if not oidc.enabled():
            raise Http404("ProConnect n'est pas configuré.")
        error = request.GET.get("error")
        if error:
            code = error if _ERROR_CODE.match(error) else "inconnue"
            request.proconnect_refusal = f"ProConnect a interrompu la connexion (erreur « {code} »)."
            return super().get(request)
        state = request.GET.get("state")
        if not (state and request.GET.get("code")):
            return self.refused("La réponse de ProConnect est incomplète : recommencez la connexion.", 400)
        states = request.session.get("oidc_states") or {}
        if state not in states:
            return self.refused(
                "Cette réponse de ProConnect ne correspond à aucune connexion en cours dans ce navigateur (elle a "
                "déjà servi, ou vient d'un autre navigateur). Recommencez la connexion.",
                400,
            )
        # As mozilla-django-oidc's view does, but without django.contrib.auth.authenticate (see oidc.authenticate):
        # the state used up at once, the session reloaded after the calls to ProConnect.
        entry = states.pop(state)
        request.session["oidc_states"] = states
        request.session.save()
        request.session = request.session.__class__(request.session.session_key)
        self.user = oidc.authenticate(request, nonce=entry["nonce"], code_verifier=entry.get("code_verifier"))
        if self.user is not None and self.user.is_active:
            return self.login_success()
        return self.login_failure()

    def login_failure(self):
        refusal = getattr(self.request, "proconnect_refusal", None) or (
            "ProConnect n'a pas permis de vous identifier. Recommencez la connexion depuis la page « Se connecter »."
        )
        return self.refused(refusal, 403)

    def login_success(self):
        response = super().login_success()
        if not self.user.role:
            messages.warning(self.request, oidc.PENDING_MESSAGE)
        return response

    def refused(self, message: str, status: int):
        context = {
            "title": "Connexion avec ProConnect impossible",
            "message": message,
            "breadcrumb_data": {"links": [_LOGIN], "current": "Connexion avec ProConnect"},
        }
        return render(self.request, "accounts/proconnect_error.html", context, status=status)


@never_cache
@require_GET
def proconnect_logout(request):
    """The way to ProConnect's sign-out (its `end_session_endpoint`, with the ID token as `id_token_hint` and a
    `state`), which ends the ProConnect and identity provider sessions and comes back to
    `proconnect_logout_callback`. A page of Pacte that moves on at once (meta refresh, and a link): the sign-out
    form cannot redirect to ProConnect itself, the Content-Security-Policy (`form-action 'self'`) forbids a form's
    redirects to another site. Pacte's own session is already over."""
    url = request.session.pop(oidc.LOGOUT_URL, None)
    if not url:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    context = {"title": "Déconnexion de ProConnect", "end_session_url": url}
    return render(request, "accounts/proconnect_logout.html", context)


@require_GET
def proconnect_logout_callback(request):
    """ProConnect's `post_logout_redirect_uri`: the state sent with the sign-out checked, then the home page."""
    if not oidc.enabled():
        raise Http404("ProConnect n'est pas configuré.")
    expected = request.session.pop(oidc.LOGOUT_STATE, None)
    received = request.GET.get("state", "")
    if expected and secrets.compare_digest(expected, received):
        messages.success(request, "Vous êtes déconnecté de Pacte et de ProConnect.")
    elif expected or received:
        messages.warning(
            request,
            "Vous êtes déconnecté de Pacte, mais ProConnect n'a pas confirmé la fin de votre session : sur un "
            "poste partagé, fermez le navigateur.",
        )
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Passwords ----------------------------------------------------------------------------------------------

_LOGIN = {"url": reverse_lazy("accounts:login"), "title": "Se connecter"}
_FORGOTTEN = "Mot de passe oublié"
# Reset requests allowed per address and per client IP in an hour, unless PACTE_PASSWORD_RESETS_PER_HOUR says.
PASSWORD_RESETS_PER_HOUR = 5
_RESET_WINDOW = 3600  # seconds


def _count_reset(key: str, now: float) -> tuple[int, int]:
    """One more reset request under `key` in the current hour: (requests in the hour, seconds left). The key is
    a digest: the cache never holds an address in clear."""
    return throttle.count("reinitialisations", hashlib.sha256(key.encode()).hexdigest(), _RESET_WINDOW, now)


def reset_refused(request, email: str) -> int | None:
    """None when one more reset mail may be asked for `email` from this client now; else the seconds to wait.
    Both counters move on every request, so that asking for many addresses from one client, or for one address
    from many clients, is held back alike."""
    limit = int(getattr(settings, "PACTE_PASSWORD_RESETS_PER_HOUR", PASSWORD_RESETS_PER_HOUR))
    now = time.time()
    by_address, wait = _count_reset(f"adresse:{email.strip().lower()}", now)
    by_client, _ = _count_reset(f"client:{client_ip(request) or 'inconnu'}", now)
    return wait if by_address > limit or by_client > limit else None


def _password_rules() -> list[str]:
    return password_validators_help_texts()


def link_lifetime() -> str:
    """How long the link of a reset mail is valid (Django's PASSWORD_RESET_TIMEOUT), in French words."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    if seconds % 86400 == 0:
        return plural(seconds // 86400, "jour")
    if seconds % 3600 == 0:
        return plural(seconds // 3600, "heure")
    return plural(max(1, seconds // 60), "minute")


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the address of the account and queues the mail with the link; the same answer whether an account
    has that address or not. At most PACTE_PASSWORD_RESETS_PER_HOUR requests per address and per client IP in an
    hour: beyond, the form is shown again with a French message and the status 429."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": _FORGOTTEN, "breadcrumb_data": {"links": [_LOGIN], "current": _FORGOTTEN}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(link_lifetime=link_lifetime(), **kwargs)

    def form_valid(self, form):
        wait = reset_refused(self.request, form.cleaned_data["email"])
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            form.add_error(
                None,
                "Trop de demandes de réinitialisation en une heure pour cette adresse ou depuis cet accès. "
                f"Réessayez dans {plural(minutes, 'minute')}.",
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        self.extra_email_context = {
            "login_url": self.request.build_absolute_uri(reverse("accounts:login")),
            "link_lifetime": link_lifetime(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {
        "title": "Courriel envoyé",
        "breadcrumb_data": {"links": [_LOGIN], "current": _FORGOTTEN},
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of the mail: a new password, or a French page when the link is expired, used or wrong."""

    form_class = PasswordSetForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title = "Choisir un nouveau mot de passe" if context["validlink"] else "Lien non valable"
        context.update(
            title=title,
            password_rules=_password_rules(),
            breadcrumb_data={"links": [_LOGIN], "current": title},
        )
        return context


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {
        "title": "Mot de passe modifié",
        "breadcrumb_data": {"links": [_LOGIN], "current": "Mot de passe modifié"},
    }


class PasswordChangeView(auth_views.PasswordChangeView):
    """« Mon compte » : changes the password; Django's view keeps the session (`update_session_auth_hash`)."""

    form_class = PasswordUpdateForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Changer de mot de passe",
            password_rules=_password_rules(),
            breadcrumb_data={
                "links": [{"url": reverse("accounts:profile"), "title": "Mon compte"}],
                "current": "Changer de mot de passe",
            },
        )
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est changé. Vous restez connecté.")
        return response


@never_cache
@login_required
def profile(request):
    """The user's account and API tokens; a new token is shown once, so the page is never stored by a browser or
    a proxy (`Cache-Control: no-store`, Django's `never_cache`)."""
    if not perms.can_manage_api_tokens(request.user):
        raise PermissionDenied
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"], form.expires_at())
        messages.success(request, "Jeton créé. Copiez-le maintenant : il ne sera plus affiché.")
        form = ApiTokenForm()
    context = {
        "title": "Mon compte",
        "form": form,
        "new_token": new_token,
        "tokens": request.user.api_tokens.all(),
        "notification_form": NotificationFrequencyForm(
            initial={"notification_frequency": request.user.notification_frequency}
        ),
        "breadcrumb_data": {"current": "Mon compte"},
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:profile")


@login_required
@require_POST
def notification_settings(request):
    """« Mon compte » : when the user receives the e-mails of the workflow events (`pacte.accounts.notifications`);
    back to the profile with a French message, the error naming the field for a value not offered."""
    form = NotificationFrequencyForm(request.POST)
    if form.is_valid():
        notifications.set_frequency(request.user, form.cleaned_data["notification_frequency"])
        messages.success(
            request,
            f"Courriels de notification : « {request.user.get_notification_frequency_display()} » enregistré.",
        )
    else:
        for message in form.errors.get("notification_frequency", []):
            messages.error(request, message)
    return redirect(reverse("accounts:profile") + "#notifications")


@login_required
def organisation_list(request):
    if not perms.can_list_organisations(request.user):
        raise PermissionDenied
    organisations = queries.listed_organisations(request.user).annotate(member_count=Count("members"))
    page = Paginator(organisations, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": "Organisations", "page": page, "breadcrumb_data": {"current": "Organisations"}}
    return render(request, "accounts/organisation_list.html", context)


def _get_visible_organisation(request, pk: int) -> Organisation:
    """The organisation, 404 when it does not exist, 403 outside the user's reach (docs/roles.md)."""
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), pk=pk)
    if not perms.can_view_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
def organisation_detail(request, pk: int):
    organisation = _get_visible_organisation(request, pk)
    context = {
        "title": organisation.name,
        "organisation": organisation,
        "members": (
            organisation.members.filter(is_active=True)
            .select_related("territory")
            .order_by(french("last_name"), french("first_name"), "username")
            if perms.can_view_organisation_members(request.user, organisation)
            else None
        ),
        "can_edit": perms.can_change_organisation(request.user, organisation),
        "breadcrumb_data": {"links": [_ORGANISATIONS], "current": organisation.name},
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_edit(request, pk: int):
    organisation = _get_visible_organisation(request, pk)
    if not perms.can_change_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.update_organisation(
                organisation, expected_version=form.cleaned_data["lock_version"], **form.changes()
            )
        if outcome.ok:
            messages.success(request, "Les informations de l’organisation sont enregistrées.")
            return redirect(organisation)
    context = {
        "title": f"Modifier {organisation.name}",
        "organisation": organisation,
        "form": form,
        "breadcrumb_data": {
            "links": [_ORGANISATIONS, {"url": organisation.get_absolute_url(), "title": organisation.name}],
            "current": "Modifier",
        },
    }
    return render(request, "accounts/organisation_form.html", context)
