"""Candidatures: filing one (draft, then submission before the deadline), withdrawing it, its page (the
project; for the association and the instruction side its amounts, co-financing, evaluations and history),
the evaluation form of a reviewer and the commissioner's decision."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.core.locking import StaleEditError
from pacte.grants import perms, services
from pacte.grants.enums import ReviewStatus
from pacte.grants.forms import ApplicationForm, DecisionForm, ReviewForm
from pacte.grants.history import application_history
from pacte.grants.models import Application, Review
from pacte.grants.views import (
    Hidden,
    application_link,
    application_or_hide,
    breadcrumb,
    call_link,
    call_or_hide,
    sign_in_when_hidden,
)


@login_required
def application_list(request):
    applications = (
        Application.objects.filter(perms.visible_applications_q(request.user))
        .distinct()
        .select_related("call", "organisation", "territory")
        .order_by("-call__deadline", "call_id", "number")
    )
    page = Paginator(applications, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Candidatures",
        "page": page,
        "breadcrumb_data": breadcrumb("Candidatures"),
    }
    return render(request, "grants/application_list.html", context)


def _form_page(request, call, form, application=None):
    current = "Nouvelle candidature" if application is None else "Modifier la candidature"
    links = [call_link(call)] + ([application_link(application)] if application else [])
    context = {
        "title": f"{current} – {call.title}",
        "call": call,
        "form": form,
        "application": application,
        "breadcrumb_data": breadcrumb(current, *links),
    }
    return render(request, "grants/application_form.html", context)


@login_required
def application_create(request, pk: int):
    call = call_or_hide(request, pk)
    refusal = services.call_refusal(call)
    if refusal:
        messages.error(request, refusal)
        return redirect(call)
    if not perms.can_apply(request.user, call):
        raise PermissionDenied
    problem = services.organisation_problem(request.user.organisation)
    if problem:
        messages.error(request, problem)
        return redirect(call)
    form = ApplicationForm(
        request.POST or None,
        call=call,
        initial={"contact_name": request.user.get_full_name(), "contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.save_application(call, request.user, form.to_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, "Votre candidature est enregistrée en brouillon. Vérifiez-la puis déposez-la."
            )
            return redirect(application)
    return _form_page(request, call, form)


@login_required
def application_edit(request, pk: int):
    application = application_or_hide(request, pk)
    call = application.call
    if not perms.is_member_of(request.user, application):
        raise PermissionDenied
    if not perms.can_edit_application(request.user, application):
        messages.warning(
            request, services.call_refusal(call) or "Cette candidature est déposée : elle ne se modifie plus."
        )
        return redirect(application)
    form = ApplicationForm(request.POST or None, call=call, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_application(
                call,
                request.user,
                form.to_data(),
                application=application,
                expected_version=form.cleaned_data["lock_version"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Votre candidature est enregistrée.")
            return redirect(application)
    return _form_page(request, call, form, application)


@login_required
@require_POST
def application_submit(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.is_member_of(request.user, application):
        raise PermissionDenied
    try:
        services.submit_application(application, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Votre candidature est déposée. Vous serez informé(e) de la décision.")
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.can_withdraw_application(request.user, application):
        raise PermissionDenied
    try:
        services.withdraw_application(application, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Votre candidature est retirée.")
    return redirect(application)


@sign_in_when_hidden
def application_detail(request, pk: int):
    application = application_or_hide(request, pk)
    user = request.user
    call = application.call
    details = perms.can_see_details(user, application)
    criteria = list(call.criteria.all())
    own_review = None
    reviews = None
    summary = None
    if perms.can_follow_application(user, application):
        own_review = Review.objects.filter(application=application, reviewer=user).first()
        if perms.can_view_all_reviews(user, application, own_review):
            submitted = list(
                application.reviews.filter(status=ReviewStatus.SUBMITTED)
                .select_related("reviewer")
                .prefetch_related("scores__criterion")
            )
            summary = services.review_summary(
                Application.objects.prefetch_related(
                    Prefetch("reviews", queryset=Review.objects.prefetch_related("scores__criterion"))
                ).get(pk=application.pk),
                criteria,
            )
            reviews = submitted
    agreement = getattr(application, "agreement", None) if application.is_selected else None
    context = {
        "title": application.project_title,
        "application": application,
        "call": call,
        "details": details,
        "is_member": perms.is_member_of(user, application),
        "summary": summary,
        "reviews": reviews,
        "own_review": own_review,
        "pending_reviews": call.assignments.count() if summary else None,
        "may_edit": perms.can_edit_application(user, application),
        "may_submit": perms.is_member_of(user, application) and application.is_editable,
        "submission_problems": services.submission_problems(application)
        if perms.is_member_of(user, application) and application.is_editable
        else {},
        "refusal": services.call_refusal(call) if application.is_editable else None,
        "may_withdraw": perms.can_withdraw_application(user, application),
        "may_review": perms.can_review_application(user, application),
        "conflict": perms.is_reviewer_of(user, call) and perms.has_conflict(user, application),
        "may_decide": perms.can_decide_application(user, application),
        "show_motivation": application.is_decided and (application.is_selected or details),
        "agreement": agreement,
        "breadcrumb_data": breadcrumb(application.reference, call_link(call)),
    }
    return render(request, "grants/application_detail.html", context)


@login_required
def application_history_view(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.can_see_details(request.user, application):
        raise PermissionDenied
    entries = application_history(application)
    page = Paginator(entries, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": f"Historique – {application.reference}",
        "application": application,
        "page": page,
        "entries": page.object_list,
        "breadcrumb_data": breadcrumb(
            "Historique", call_link(application.call), application_link(application)
        ),
    }
    return render(request, "grants/history.html", context)


@login_required
def review(request, pk: int):
    try:
        application = application_or_hide(request, pk)
    except Hidden:
        raise PermissionDenied from None
    user = request.user
    if not perms.is_reviewer_of(user, application.call):
        raise PermissionDenied
    if perms.has_conflict(user, application):
        messages.error(
            request,
            "Conflit d'intérêts : vous ne pouvez pas évaluer une candidature de votre propre organisation.",
        )
        return redirect(application)
    existing = (
        Review.objects.filter(application=application, reviewer=user).prefetch_related("scores").first()
    )
    if existing is not None and existing.status == ReviewStatus.SUBMITTED:
        messages.info(request, "Votre évaluation est soumise : elle ne se modifie plus.")
        return redirect(application)
    if not perms.can_review_application(user, application):
        raise PermissionDenied
    criteria = list(application.call.criteria.all())
    form = ReviewForm(request.POST or None, criteria=criteria, review=existing)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "soumettre"
        try:
            services.save_review(
                application,
                user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                no_conflict_declared=form.cleaned_data["no_conflict_declared"],
                submit=submit,
                expected_version=form.cleaned_data["lock_version"],
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "Votre évaluation est soumise."
                if submit
                else "Votre évaluation est enregistrée (brouillon).",
            )
            return redirect(application)
    context = {
        "title": f"Évaluer – {application.reference}",
        "application": application,
        "form": form,
        "breadcrumb_data": breadcrumb("Évaluer", call_link(application.call), application_link(application)),
    }
    return render(request, "grants/review_form.html", context)


@login_required
def decide(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.can_decide_application(request.user, application):
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None, application=application, initial={"signed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        selected = form.cleaned_data["decision"] == "retenir"
        try:
            services.decide_application(
                application,
                request.user,
                selected=selected,
                motivation=form.cleaned_data["motivation"],
                granted=form.granted() if selected else None,
                signed_on=form.cleaned_data["signed_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                conditions=form.cleaned_data["conditions"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "Le projet est retenu : sa convention est créée."
                if selected
                else "Le projet n'est pas retenu.",
            )
            return redirect(application)
    summary = services.review_summary(
        Application.objects.prefetch_related("reviews__scores__criterion").get(pk=application.pk)
    )
    context = {
        "title": f"Décision – {application.reference}",
        "application": application,
        "form": form,
        "summary": summary,
        "granted_in_call": services.granted_in_call(application.call),
        "breadcrumb_data": breadcrumb("Décision", call_link(application.call), application_link(application)),
    }
    return render(request, "grants/decision_form.html", context)


urlpatterns = [
    path("candidatures/", application_list, name="applications"),
    path("<int:pk>/candidater/", application_create, name="apply"),
    path("candidatures/<int:pk>/", application_detail, name="application"),
    path("candidatures/<int:pk>/modifier/", application_edit, name="application_edit"),
    path("candidatures/<int:pk>/deposer/", application_submit, name="application_submit"),
    path("candidatures/<int:pk>/retirer/", application_withdraw, name="application_withdraw"),
    path("candidatures/<int:pk>/historique/", application_history_view, name="application_history"),
    path("candidatures/<int:pk>/evaluer/", review, name="review"),
    path("candidatures/<int:pk>/decider/", decide, name="decide"),
]
