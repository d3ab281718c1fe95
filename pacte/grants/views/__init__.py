"""Pages of the appels à projets. Published calls, selected projects, conventions' summaries, the
consolidation and the open data are public; the rest follows `perms`. A page a user may not see does not
exist for them (404; an anonymous visitor is asked to sign in first); an action they may not take is a 403.
State changes go through `services`."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from pacte.core.visibility import Hidden, sign_in_when_hidden  # noqa: F401  (shared behaviour)
from pacte.grants import perms
from pacte.grants.models import Application, CallForProjects, GrantAgreement

CALLS = {"title": "Appels à projets"}


def breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("grants:index"), **CALLS}, *links], "current": current}


def call_link(call) -> dict:
    return {"url": call.get_absolute_url(), "title": call.title}


def application_link(application) -> dict:
    return {"url": application.get_absolute_url(), "title": application.reference}


def call_or_hide(request, pk: int) -> CallForProjects:
    call = (
        CallForProjects.objects.select_related("region", "owner")
        .prefetch_related("assignments", "criteria")
        .filter(pk=pk)
        .first()
    )
    if call is None or not perms.can_view_call(request.user, call):
        raise Hidden
    return call


def application_or_hide(request, pk: int) -> Application:
    application = (
        Application.objects.select_related(
            "call__region", "call__owner", "organisation", "axis", "measure", "territory__departement"
        )
        .prefetch_related("call__assignments", "call__criteria", "amounts", "cofundings", "indicators")
        .filter(pk=pk)
        .first()
    )
    if application is None or not perms.can_view_application(request.user, application):
        raise Hidden
    return application


def agreement_or_404(pk: int) -> GrantAgreement:
    return get_object_or_404(
        GrantAgreement.objects.select_related(
            "application__call__region",
            "application__call__owner",
            "application__organisation",
            "application__territory__departement",
            "application__axis",
        ).prefetch_related("years", "application__call__assignments"),
        pk=pk,
    )
