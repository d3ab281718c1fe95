"""Views of the mid-term evaluation of a convention (it belongs to its root contract)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from pacte.contracts import perms
from pacte.contracts.enums import MID_TERM_EVALUATION_DUE, EvaluationStatus
from pacte.contracts.evaluation_forms import (
    EvaluationForm,
)
from pacte.contracts.models import MidTermEvaluation
from pacte.contracts.services import evaluation as evaluation_services
from pacte.contracts.views.common import (
    convention_breadcrumb,
    followed_convention,
)
from pacte.core.forms import errors_on

# --- Mid-term evaluation ----------------------------------------------------------------------------------


def _evaluation_is_late(evaluation: MidTermEvaluation | None, due_on: date) -> bool:
    if evaluation is not None and evaluation.submitted_at is not None:
        return timezone.localdate(evaluation.submitted_at) > due_on
    return timezone.localdate() > due_on


@login_required
def evaluation(request, pk: int):
    root = followed_convention(request, pk)
    evaluation = MidTermEvaluation.objects.filter(contract=root).select_related("submitted_by").first()
    submitted = evaluation is not None and evaluation.status == EvaluationStatus.SUBMITTED
    may_write = perms.can_submit_evaluation(request.user, root)
    form = None
    if may_write and not submitted:
        form = EvaluationForm(request.POST if request.method == "POST" else None, evaluation=evaluation)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form is None:
            messages.error(
                request, "L'évaluation à mi-parcours est déjà remise : elle ne peut plus être modifiée."
            )
            return redirect("contracts:evaluation", pk=root.pk)
        if form.is_valid():
            submit = request.POST.get("intent") == "remettre"
            with errors_on(form) as outcome:
                evaluation_services.save_evaluation(
                    root,
                    request.user,
                    findings=form.cleaned_data["findings"],
                    recommendations=form.cleaned_data["recommendations"],
                    submit=submit,
                )
            if outcome.ok:
                messages.success(
                    request,
                    "L'évaluation à mi-parcours est remise."
                    if submit
                    else "Le brouillon de l'évaluation à mi-parcours est enregistré.",
                )
                return redirect("contracts:evaluation", pk=root.pk)
    due_on = evaluation.due_on if evaluation else MID_TERM_EVALUATION_DUE
    context = {
        "title": f"Évaluation à mi-parcours – {root.territory.name}",
        "root": root,
        "evaluation": evaluation,
        "submitted": submitted,
        "due_on": due_on,
        "is_late": _evaluation_is_late(evaluation, due_on),
        "form": form,
        "breadcrumb_data": convention_breadcrumb(root, "Évaluation à mi-parcours"),
    }
    return render(request, "contracts/evaluation_detail.html", context)


urlpatterns = [
    path("<int:pk>/evaluation/", evaluation, name="evaluation"),
]
