from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pacte.accounts import perms, queries, services
from pacte.accounts.forms import ApiTokenForm, LoginForm, OrganisationForm
from pacte.accounts.models import ApiToken, Organisation
from pacte.core.forms import errors_on

_ORGANISATIONS = {"url": "/comptes/organisations/", "title": "Organisations"}


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter", "breadcrumb_data": {"current": "Se connecter"}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["DEMO_ACCOUNTS"] = settings.DEMO_MODE
        return context


class LogoutView(auth_views.LogoutView):
    pass


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
        "members": organisation.members.filter(is_active=True).select_related("territory")
        if perms.can_view_organisation_members(request.user, organisation)
        else None,
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
