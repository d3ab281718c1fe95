"""The home page of the access to rights and the simulator (one household, nothing stored)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from pacte.screening import forms, perms, simulator
from pacte.screening.models import ScreeningJob
from pacte.screening.views.common import breadcrumb

JOBS_PER_PAGE = 25


@login_required
def index(request):
    user = request.user
    if not (perms.can_use_simulator(user) or perms.can_list_jobs(user)):
        raise PermissionDenied
    visible = perms.visible_jobs(user, ScreeningJob.objects.select_related("territory", "uploader"))
    page = Paginator(visible, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/index.html",
        {
            "title": "Accès aux droits",
            "page_obj": page,
            "may_simulate": perms.can_use_simulator(user),
            "may_upload": perms.can_upload_households(user),
            "may_list": perms.can_list_jobs(user),
            "breadcrumb_data": {"current": "Accès aux droits"},
        },
    )


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def simulate(request):
    """Nothing of the person is stored: no model, no session, no log; the page is not cached (`no-store`) and
    its POST data are hidden from error reports."""
    if not perms.can_use_simulator(request.user):
        raise PermissionDenied
    estimate = None
    problems: list[str] = []
    failed = False
    posted = request.method == "POST"
    household_form = forms.HouseholdForm(request.POST if posted else None)
    people = forms.person_formset(request.POST if posted else None)
    valid = posted and household_form.is_valid() and people.is_valid()
    if valid:
        one = simulator.household(household_form, people)
        month = household_form.cleaned_data["mois"]
        problems = simulator.problems(one, month)
        if not problems:
            try:
                estimate = simulator.simulate(one, month)
            except simulator.SimulationError:
                failed = True
    context = {
        "title": "Simulateur de droits",
        "household_form": household_form,
        "people": people,
        "people_errors": people.numbered_errors() if posted else [],
        "problems": problems,
        "has_errors": posted and (not valid or bool(problems)),
        "failed": failed,
        "estimate": estimate,
        "official_sites": simulator.OFFICIAL_SITES,
        "today": timezone.localdate(),
        "commune": household_form.commune_territory,
        "breadcrumb_data": breadcrumb("Simulateur"),
    }
    return render(request, "screening/simulator.html", context)
