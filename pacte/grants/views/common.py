"""What the appels à projets pages share: finding a row the user may see (or answering as if it did not exist),
breadcrumbs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from pacte.core.visibility import Hidden, sign_in_when_hidden  # noqa: F401  (shared by the views)
from pacte.grants import perms
from pacte.grants.models import Application, CallForProjects, GrantAgreement, GrantReport
from pacte.grants.services import reports

CALLS = {"title": "Appels à projets"}


def call_or_hide(request, pk: int) -> CallForProjects:
    call = (
        CallForProjects.objects.select_related("region", "owner")
        .prefetch_related("assignments", "criteria")
        .filter(pk=pk)
        .first()
    )
    if call is None or not perms.can_view_call(request.user, call):
        raise Hidden("Appel à projets introuvable")
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
        raise Hidden("Candidature introuvable")
    return application


def agreement_or_hide(request, pk: int) -> GrantAgreement:
    agreement = (
        GrantAgreement.objects.select_related(
            "application__call__region",
            "application__call__owner",
            "application__organisation",
            "application__territory__departement",
            "application__axis",
        )
        .prefetch_related("years", "application__call__assignments")
        .filter(pk=pk)
        .first()
    )
    if agreement is None or not perms.can_view_agreement_summary(request.user, agreement):
        raise Hidden("Convention introuvable")
    return agreement


def report_or_hide(
    request, pk: int, year: int, *, open_it: bool = False
) -> tuple[GrantAgreement, GrantReport]:
    """The convention and its report of `year`, for those who follow the convention (403 for others). A
    report not yet opened is a 404, unless `open_it` and the user is the association, which opens it."""
    agreement = agreement_or_hide(request, pk)
    if not perms.can_follow_agreement(request.user, agreement):
        raise PermissionDenied
    report = GrantReport.objects.filter(agreement=agreement, year=year).prefetch_related("values").first()
    if report is None:
        if not (open_it and perms.can_open_report(request.user, agreement)):
            raise Hidden("Pas de compte rendu pour cette année")
        try:
            report = reports.open_report(agreement, year, is_demo=agreement.is_demo)
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
    report.agreement = agreement
    return agreement, report


def breadcrumb(current: str, *links: dict) -> dict:
    return {"links": [{"url": reverse("grants:index"), **CALLS}, *links], "current": current}


def call_link(call: CallForProjects) -> dict:
    return {"url": call.get_absolute_url(), "title": call.title}


def application_link(application: Application) -> dict:
    return {"url": application.get_absolute_url(), "title": application.reference}


def agreement_links(agreement: GrantAgreement) -> list[dict]:
    """The breadcrumb of a convention's pages: its call, its candidature."""
    application = agreement.application
    return [call_link(application.call), application_link(application)]
