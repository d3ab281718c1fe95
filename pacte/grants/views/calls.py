"""The calls: the public list, a call's page (its criteria, budget and deadline; for its commissioner and
reviewers the filed candidatures with their scores; for everyone the selected projects), drafting,
publishing, closing early and assigning reviewers."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from pacte.core.forms import Notices, errors_on
from pacte.grants import perms, queries
from pacte.grants.forms import CallForm, ReviewerForm
from pacte.grants.models import ReviewerAssignment
from pacte.grants.services import calls, evaluations
from pacte.grants.views.common import (
    CALLS,
    breadcrumb,
    call_link,
    call_or_hide,
    sign_in_when_hidden,
)


def call_list(request):
    user = request.user
    page = Paginator(queries.visible_calls(user), settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": CALLS["title"],
        "page": page,
        "may_create": perms.can_create_call(user),
        "may_list_reports": perms.can_list_reports(user),
        "breadcrumb_data": {"current": CALLS["title"]},
    }
    return render(request, "grants/call_list.html", context)


def _filed_rows(user, call, criteria, page) -> list[dict]:
    """The filed candidatures of a page of the call, each with its scores when `user` may see them."""
    own_reviews = queries.own_reviews(user, call)
    rows = []
    for application in page:
        own_review = own_reviews.get(application.pk)
        sees_scores = perms.can_view_all_reviews(user, application, own_review)
        rows.append(
            {
                "application": application,
                "summary": evaluations.review_summary(application, criteria) if sees_scores else None,
                "own_review": own_review,
                "conflict": perms.has_conflict(user, application),
            }
        )
    return rows


@sign_in_when_hidden
def call_detail(request, pk: int):
    call = call_or_hide(request, pk)
    user = request.user
    follows = perms.can_follow_call(user, call)
    criteria = list(call.criteria.all())
    applications = None
    if follows:
        page = Paginator(queries.filed_applications(call), settings.PACTE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        applications = {"page": page, "rows": _filed_rows(user, call, criteria, page)}
    context = {
        "title": call.title,
        "call": call,
        "criteria": criteria,
        "applications": applications,
        "selected": queries.selected_applications(call),
        "own_applications": queries.own_applications(user, call),
        "may_apply": perms.can_apply(user, call),
        "refusal": calls.call_refusal(call),
        "manages": perms.can_manage_call(user, call),
        "may_edit": perms.can_edit_call(user, call),
        "assignments": queries.assignments(call) if follows else None,
        "breadcrumb_data": breadcrumb(call.title),
    }
    return render(request, "grants/call_detail.html", context)


@login_required
def call_create(request):
    if not perms.can_create_call(request.user):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            call = calls.create_call(request.user, form.to_data())
        if outcome.ok:
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
        with errors_on(form) as outcome:
            calls.update_call(call, form.to_data(), expected_version=form.cleaned_data["lock_version"])
        if outcome.ok:
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
    with errors_on(Notices(request)) as outcome:
        operation(call, request.user)
    if outcome.ok:
        messages.success(request, success)
    return redirect(call)


@login_required
@require_POST
def call_publish(request, pk: int):
    return _transition(request, pk, calls.publish_call, "L'appel à projets est publié.")


@login_required
@require_POST
def call_close(request, pk: int):
    return _transition(
        request,
        pk,
        calls.close_call,
        "L'appel à projets est clos : les candidatures déposées sont en instruction.",
    )


@login_required
def call_reviewers(request, pk: int):
    call = call_or_hide(request, pk)
    if not perms.can_manage_call(request.user, call):
        raise PermissionDenied
    form = ReviewerForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            evaluations.assign_reviewer(call, form.cleaned_data["reviewer"], by=request.user)
        if outcome.ok:
            messages.success(request, f"{form.cleaned_data['reviewer']} évaluera les candidatures.")
            return redirect("grants:call_reviewers", pk=call.pk)
    context = {
        "title": f"Évaluateurs – {call.title}",
        "call": call,
        "form": form,
        "assignments": queries.assignments(call),
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
    with errors_on(Notices(request)) as outcome:
        evaluations.remove_reviewer(row)
    if outcome.ok:
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
