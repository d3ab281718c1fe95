"""Candidatures: filing one (draft, then submission before the deadline), withdrawing it, its page (the
project; for the association and the instruction side its amounts, co-financing, evaluations and history),
the evaluation form of a reviewer and the commissioner's decision."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from pacte.core.forms import Notices, errors_on
from pacte.core.history import history_page
from pacte.grants import perms, queries, rules
from pacte.grants.enums import AwardAct, ReviewStatus
from pacte.grants.forms import ApplicationDecisionForm, ApplicationForm, ApplicationReviewForm
from pacte.grants.history import INTRO, application_sources
from pacte.grants.services import applications, calls, decisions, evaluations
from pacte.grants.views.common import (
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
    page = Paginator(queries.visible_applications(request.user), settings.PACTE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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
        "cerfa": rules.APPLICATION_FORM,
        "compte_asso": rules.COMPTE_ASSO_URL,
        "call": call,
        "form": form,
        "application": application,
        "breadcrumb_data": breadcrumb(current, *links),
    }
    return render(request, "grants/application_form.html", context)


@login_required
def application_create(request, pk: int):
    call = call_or_hide(request, pk)
    refusal = calls.call_refusal(call)
    if refusal:
        messages.error(request, refusal)
        return redirect(call)
    if not perms.can_apply(request.user, call):
        raise PermissionDenied
    problem = applications.organisation_problem(request.user.organisation)
    if problem:
        messages.error(request, problem)
        return redirect(call)
    form = ApplicationForm(
        request.POST or None,
        call=call,
        initial={"contact_name": request.user.get_full_name(), "contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            application = applications.save_application(call, request.user, form.to_data())
        if outcome.ok:
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
            request, calls.call_refusal(call) or "Cette candidature est déposée : elle ne se modifie plus."
        )
        return redirect(application)
    form = ApplicationForm(request.POST or None, call=call, application=application)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            applications.save_application(
                call,
                request.user,
                form.to_data(),
                application=application,
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(request, "Votre candidature est enregistrée.")
            return redirect(application)
    return _form_page(request, call, form, application)


@login_required
@require_POST
def application_submit(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.is_member_of(request.user, application):
        raise PermissionDenied
    with errors_on(Notices(request)) as outcome:
        applications.submit_application(application, request.user)
    if outcome.ok:
        messages.success(request, "Votre candidature est déposée. Vous serez informé(e) de la décision.")
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.can_withdraw_application(request.user, application):
        raise PermissionDenied
    with errors_on(Notices(request)) as outcome:
        applications.withdraw_application(application, request.user)
    if outcome.ok:
        messages.success(request, "Votre candidature est retirée.")
    return redirect(application)


@sign_in_when_hidden
def application_detail(request, pk: int):
    application = application_or_hide(request, pk)
    user = request.user
    call = application.call
    own_review = None
    reviews = None
    summary = None
    if perms.can_follow_application(user, application):
        own_review = queries.own_review(user, application)
        if perms.can_view_all_reviews(user, application, own_review):
            reviews = queries.submitted_reviews(application)
            summary = evaluations.review_summary(queries.with_reviews(application), list(call.criteria.all()))
    may_submit = perms.can_submit_application(user, application)
    context = {
        "cerfa": rules.APPLICATION_FORM,
        "compte_asso": rules.COMPTE_ASSO_URL,
        "title": application.project_title,
        "application": application,
        "call": call,
        "details": perms.can_see_details(user, application),
        "is_member": perms.is_member_of(user, application),
        "summary": summary,
        "reviews": reviews,
        "own_review": own_review,
        "pending_reviews": call.assignments.count() if summary else None,
        "may_edit": perms.can_edit_application(user, application),
        "may_submit": may_submit,
        "submission_problems": applications.submission_problems(application) if may_submit else {},
        "refusal": calls.call_refusal(call) if application.is_editable else None,
        "may_withdraw": perms.can_withdraw_application(user, application),
        "may_review": perms.can_review_application(user, application),
        "conflict": perms.is_reviewer_of(user, call) and perms.has_conflict(user, application),
        "may_decide": perms.can_decide_application(user, application),
        "show_motivation": perms.can_see_motivation(user, application),
        "agreement": getattr(application, "agreement", None) if application.is_selected else None,
        "breadcrumb_data": breadcrumb(application.reference, call_link(call)),
    }
    return render(request, "grants/application_detail.html", context)


@login_required
def application_history_view(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.can_see_details(request.user, application):
        raise PermissionDenied
    return history_page(
        request,
        application_sources(application),
        subject=application,
        intro=INTRO,
        breadcrumb=breadcrumb("Historique", call_link(application.call), application_link(application)),
    )


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
    existing = queries.own_review(user, application)
    if existing is not None and existing.status == ReviewStatus.SUBMITTED:
        messages.info(request, "Votre évaluation est soumise : elle ne se modifie plus.")
        return redirect(application)
    if not perms.can_review_application(user, application):
        raise PermissionDenied
    criteria = list(application.call.criteria.all())
    form = ApplicationReviewForm(request.POST or None, criteria=criteria, review=existing)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "soumettre"
        with errors_on(form) as outcome:
            evaluations.save_review(
                application,
                user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                no_conflict_declared=form.cleaned_data["no_conflict_declared"],
                submit=submit,
                expected_version=form.cleaned_data.get("lock_version"),
            )
        if outcome.ok:
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


def _decision_message(application) -> str:
    if not application.is_selected:
        return "Le projet n'est pas retenu."
    agreement = application.agreement
    if agreement.is_order:
        return f"Le projet est retenu : son arrêté attributif est créé. Numéro : {agreement.number}."
    return f"Le projet est retenu : sa convention est créée. Numéro : {agreement.number}."


@login_required
def decide(request, pk: int):
    application = application_or_hide(request, pk)
    if not perms.can_decide_application(request.user, application):
        raise PermissionDenied
    form = ApplicationDecisionForm(
        request.POST or None, application=application, initial={"signed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        selected = form.cleaned_data["decision"] == "retenir"
        with errors_on(form) as outcome:
            decided = decisions.decide_application(
                application,
                request.user,
                selected=selected,
                motivation=form.cleaned_data["motivation"],
                granted=form.granted() if selected else None,
                signed_on=form.cleaned_data["signed_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                conditions=form.cleaned_data["conditions"],
                act=form.cleaned_data["act"] or AwardAct.CONVENTION,
            )
        if outcome.ok:
            messages.success(request, _decision_message(decided))
            return redirect(application)
    already = queries.already_granted(application)
    context = {
        "title": f"Décision – {application.reference}",
        "application": application,
        "form": form,
        "summary": evaluations.review_summary(queries.with_reviews(application)),
        "granted_in_call": decisions.granted_in_call(application.call),
        "threshold": rules.CONVENTION_THRESHOLD,
        "beneficiary_years": [
            {"year": row.year, "requested": row.requested, "already": already[row.year]}
            for row in application.amounts.all()
        ],
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
