"""The calls: the public list, a call's page (its criteria, budget and deadline; for its commissioner and
reviewers the filed candidatures with their scores; for everyone the selected projects), drafting,
publishing, closing early and assigning reviewers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from pacte.accounts.scope import is_national
from pacte.core.locking import StaleEditError
from pacte.grants import perms, services
from pacte.grants.enums import ApplicationStatus, CallStatus, ReviewStatus
from pacte.grants.forms import CallForm, ReviewerForm
from pacte.grants.models import CallForProjects, Review, ReviewerAssignment
from pacte.grants.views import CALLS, breadcrumb, call_link, call_or_hide, sign_in_when_hidden


def call_list(request):
    user = request.user
    visible = ~Q(status=CallStatus.DRAFT)
    if is_national(user):
        visible = Q()
    elif perms.can_create_call(user):
        visible |= Q(region=user.territory)
    calls = (
        CallForProjects.objects.filter(visible)
        .select_related("region")
        .annotate(selected=Count("applications", filter=Q(applications__status=ApplicationStatus.SELECTED)))
        .order_by("-deadline", "pk")
    )
    page = Paginator(calls, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": CALLS["title"],
        "page": page,
        "may_create": perms.can_create_call(user),
        "breadcrumb_data": {"current": CALLS["title"]},
    }
    return render(request, "grants/call_list.html", context)


@sign_in_when_hidden
def call_detail(request, pk: int):
    call = call_or_hide(request, pk)
    user = request.user
    follows = perms.can_follow_call(user, call)
    criteria = list(call.criteria.all())
    applications = None
    if follows:
        filed = (
            call.applications.exclude(status=ApplicationStatus.DRAFT)
            .select_related("organisation", "territory", "axis")
            .prefetch_related(
                "amounts",
                Prefetch(
                    "reviews",
                    queryset=Review.objects.filter(status=ReviewStatus.SUBMITTED).prefetch_related(
                        "scores__criterion"
                    ),
                ),
            )
            .order_by("number")
        )
        page = Paginator(filed, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
        applications = page
        rows = []
        own_reviews = {}
        if perms.is_reviewer_of(user, call):
            own_reviews = {
                review.application_id: review
                for review in Review.objects.filter(reviewer=user, application__call=call)
            }
        for application in page:
            sees_scores = perms.can_view_all_reviews(user, application, own_reviews.get(application.pk))
            rows.append(
                {
                    "application": application,
                    "summary": services.review_summary(application, criteria) if sees_scores else None,
                    "own_review": own_reviews.get(application.pk),
                    "conflict": perms.has_conflict(user, application),
                }
            )
        applications = {"page": page, "rows": rows}
    selected = (
        call.applications.filter(status=ApplicationStatus.SELECTED)
        .select_related("organisation", "territory", "agreement")
        .prefetch_related("agreement__years")
        .order_by("number")
    )
    own = None
    if user.is_authenticated and user.organisation_id:
        own = call.applications.filter(organisation_id=user.organisation_id).order_by("-pk")
    context = {
        "title": call.title,
        "call": call,
        "criteria": criteria,
        "applications": applications,
        "selected": selected,
        "own_applications": own,
        "may_apply": perms.can_apply(user, call),
        "refusal": services.call_refusal(call),
        "manages": perms.can_manage_call(user, call),
        "may_edit": perms.can_edit_call(user, call),
        "assignments": call.assignments.select_related("reviewer__organisation") if follows else None,
        "breadcrumb_data": breadcrumb(call.title),
    }
    return render(request, "grants/call_detail.html", context)


@login_required
def call_create(request):
    if not perms.can_create_call(request.user):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(request.user, form.to_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "L'appel à projets est enregistré en brouillon.")
            return redirect(call)
    context = {"title": "Nouvel appel à projets", "form": form, "breadcrumb_data": breadcrumb("Nouvel appel")}
    return render(request, "grants/call_form.html", context)


@login_required
def call_edit(request, pk: int):
    call = call_or_hide(request, pk)
    if not perms.can_edit_call(request.user, call):
        raise PermissionDenied
    form = CallForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(call, form.to_data(), expected_version=form.cleaned_data["lock_version"])
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "L'appel à projets est enregistré.")
            return redirect(call)
    context = {
        "title": f"Modifier – {call.title}",
        "call": call,
        "form": form,
        "breadcrumb_data": breadcrumb("Modifier", call_link(call)),
    }
    return render(request, "grants/call_form.html", context)


def _transition(request, pk: int, operation, success: str):
    call = call_or_hide(request, pk)
    if not perms.can_manage_call(request.user, call):
        raise PermissionDenied
    try:
        operation(call, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(call)


@login_required
@require_POST
def call_publish(request, pk: int):
    return _transition(request, pk, services.publish_call, "L'appel à projets est publié.")


@login_required
@require_POST
def call_close(request, pk: int):
    return _transition(
        request,
        pk,
        services.close_call,
        "L'appel à projets est clos : les candidatures déposées sont en instruction.",
    )


@login_required
def call_reviewers(request, pk: int):
    call = call_or_hide(request, pk)
    if not perms.can_manage_call(request.user, call):
        raise PermissionDenied
    form = ReviewerForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_reviewer(call, form.cleaned_data["reviewer"], by=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reviewer", message)
        else:
            messages.success(request, f"{form.cleaned_data['reviewer']} évaluera les candidatures.")
            return redirect("grants:call_reviewers", pk=call.pk)
    context = {
        "title": f"Évaluateurs – {call.title}",
        "call": call,
        "form": form,
        "assignments": call.assignments.select_related("reviewer__organisation"),
        "breadcrumb_data": breadcrumb("Évaluateurs", call_link(call)),
    }
    return render(request, "grants/call_reviewers.html", context)


@login_required
@require_POST
def call_reviewer_remove(request, pk: int, assignment: int):
    call = call_or_hide(request, pk)
    if not perms.can_manage_call(request.user, call):
        raise PermissionDenied
    row = get_object_or_404(ReviewerAssignment, pk=assignment, call=call)
    try:
        services.remove_reviewer(row)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "La désignation est retirée.")
    return redirect("grants:call_reviewers", pk=call.pk)


urlpatterns = [
    path("", call_list, name="index"),
    path("nouveau/", call_create, name="call_create"),
    path("<int:pk>/", call_detail, name="call"),
    path("<int:pk>/modifier/", call_edit, name="call_edit"),
    path("<int:pk>/publier/", call_publish, name="call_publish"),
    path("<int:pk>/clore/", call_close, name="call_close"),
    path("<int:pk>/evaluateurs/", call_reviewers, name="call_reviewers"),
    path("<int:pk>/evaluateurs/<int:assignment>/retirer/", call_reviewer_remove, name="call_reviewer_remove"),
]
