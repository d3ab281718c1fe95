"""Views of the joint mid-term evaluation of a convention (it belongs to its root contract): the overview, one
fiche-action's evaluation (each side's part, the common conclusion), filing, reopening and closing, the PDF, and
the consolidation of the conclusions for France and per région with its CSV / XLSX export.

Who may not see the version gets a 404, who sees it without following its execution a 403 (`followed_convention`);
an anonymous visitor is asked to sign in. Rules: `services.evaluation`; reads: `evaluation_queries`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from pacte.contracts import evaluation_queries, perms
from pacte.contracts.enums import MID_TERM_EVALUATION_DUE
from pacte.contracts.evaluation_forms import ConclusionForm, EvaluationPartForm
from pacte.contracts.models import Contract
from pacte.contracts.models.evaluation import EvaluationConclusion, EvaluationSide, MidTermStatus
from pacte.contracts.services import evaluation as evaluation_services
from pacte.contracts.views.common import contract_title, convention_breadcrumb, followed_convention
from pacte.core.exports import FORMATS, export_response
from pacte.core.forms import Notices, errors_on
from pacte.core.pdf import html_to_pdf
from pacte.territories.enums import Level
from pacte.territories.models import Territory

TITLE = "Évaluation à mi-parcours"


def _problem_list(problems: dict[str, list[str]]) -> list[str]:
    return [message for messages_ in problems.values() for message in messages_]


def _evaluation_link(root: Contract) -> dict:
    return {"url": reverse("contracts:evaluation", kwargs={"pk": root.pk}), "title": TITLE}


# --- One convention ---------------------------------------------------------------------------------------------


@login_required
def evaluation(request, pk: int):
    root = followed_convention(request, pk)
    sheet = evaluation_queries.evaluation_sheet(root)
    record = sheet.evaluation
    editable = record is None or record.is_editable
    may_write = perms.can_write_evaluation(request.user, root)
    context = {
        "title": f"{TITLE} – {contract_title(root)}",
        "root": root,
        "sheet": sheet,
        "record": record,
        "due_on": record.due_on if record else MID_TERM_EVALUATION_DUE,
        "is_late": record.is_late if record else timezone.localdate() > MID_TERM_EVALUATION_DUE,
        "may_write": may_write and editable and sheet.version is not None,
        "may_file": may_write and record is not None and record.is_editable,
        "may_reopen": may_write and record is not None and record.status == MidTermStatus.FILED,
        "may_close": perms.can_close_evaluation(request.user, root)
        and record is not None
        and record.status == MidTermStatus.FILED,
        "problems": _problem_list(evaluation_services.evaluation_problems(record))
        if record is not None and record.status != MidTermStatus.CLOSED
        else [],
        "newer_version": sheet.version is not None
        and record is not None
        and evaluation_queries.evaluated_version(root, None) != sheet.version,
        "breadcrumb_data": convention_breadcrumb(root, TITLE),
    }
    return render(request, "contracts/evaluation_detail.html", context)


def _action_context(request, root: Contract, number: int, part_form=None, conclusion_form=None) -> dict:
    sheet = evaluation_queries.evaluation_sheet(root)
    item = evaluation_queries.action_sheet(sheet, number)
    if item is None:
        raise Http404("Fiche-action introuvable dans la version évaluée")
    editable = sheet.evaluation is None or sheet.evaluation.is_editable
    side = perms.evaluation_side(request.user, root) if editable else None
    if side is not None:
        own = item.local if side == EvaluationSide.LOCAL else item.state
        part_form = part_form or EvaluationPartForm(part=own, prefix="part")
        conclusion_form = conclusion_form or ConclusionForm(
            action_evaluation=item.evaluation, prefix="conclusion"
        )
    return {
        "title": f"{TITLE} – fiche-action n°{number} – {contract_title(root)}",
        "root": root,
        "sheet": sheet,
        "item": item,
        "side": side,
        "side_label": EvaluationSide(side).label if side else "",
        "part_form": part_form if side else None,
        "conclusion_form": conclusion_form if side else None,
        "breadcrumb_data": convention_breadcrumb(root, f"Fiche-action n°{number}", _evaluation_link(root)),
    }


@login_required
def evaluation_action(request, pk: int, number: int):
    root = followed_convention(request, pk)
    if request.method != "POST":
        return render(request, "contracts/evaluation_action.html", _action_context(request, root, number))
    side = perms.evaluation_side(request.user, root)
    if side is None:
        raise PermissionDenied
    url = reverse("contracts:evaluation_action", kwargs={"pk": root.pk, "number": number})
    part_form = conclusion_form = None
    if request.POST.get("intent") == "conclusion":
        conclusion_form = ConclusionForm(request.POST, action_evaluation=None, prefix="conclusion")
        if conclusion_form.is_valid():
            data = conclusion_form.cleaned_data
            with errors_on(conclusion_form) as outcome:
                evaluation_services.save_conclusion(
                    root,
                    request.user,
                    number=number,
                    conclusion=data["conclusion"],
                    note=data["conclusion_note"],
                    expected_version=data["lock_version"],
                )
            if outcome.ok:
                messages.success(request, f"La conclusion de la fiche-action n°{number} est enregistrée.")
                return redirect(url)
    else:
        part_form = EvaluationPartForm(request.POST, part=None, prefix="part")
        if part_form.is_valid():
            data = part_form.cleaned_data
            with errors_on(part_form) as outcome:
                evaluation_services.save_evaluation_part(
                    root,
                    request.user,
                    side=side,
                    number=number,
                    assessment=data["assessment"],
                    methods=data["methods"],
                    method_detail=data["method_detail"],
                    expected_version=data["lock_version"],
                )
            if outcome.ok:
                label = EvaluationSide(side).label.lower()
                messages.success(request, f"La part ({label}) de la fiche-action n°{number} est enregistrée.")
                return redirect(url)
    context = _action_context(request, root, number, part_form, conclusion_form)
    return render(request, "contracts/evaluation_action.html", context)


STEPS = {
    "deposer": (
        evaluation_services.file_evaluation,
        perms.can_write_evaluation,
        "L'évaluation à mi-parcours est déposée.",
    ),
    "rouvrir": (
        evaluation_services.reopen_evaluation,
        perms.can_write_evaluation,
        "L'évaluation à mi-parcours est rouverte : elle redevient modifiable.",
    ),
    "cloturer": (
        evaluation_services.close_evaluation,
        perms.can_close_evaluation,
        "L'évaluation à mi-parcours est clôturée.",
    ),
}


@login_required
@require_POST
def evaluation_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404("Étape inconnue")
    root = followed_convention(request, pk)
    change, allowed, done = STEPS[step]
    if not allowed(request.user, root):
        raise PermissionDenied
    with errors_on(Notices(request)) as outcome:
        change(root, request.user)
    if outcome.ok:
        messages.success(request, done)
    return redirect("contracts:evaluation", pk=root.pk)


@login_required
def evaluation_pdf(request, pk: int):
    root = followed_convention(request, pk)
    sheet = evaluation_queries.evaluation_sheet(root)
    with translation.override("fr"):
        html = render_to_string(
            "contracts/evaluation_pdf.html",
            {"root": root, "sheet": sheet, "record": sheet.evaluation, "due_on": MID_TERM_EVALUATION_DUE},
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    draft = "" if sheet.evaluation and not sheet.evaluation.is_editable else "-projet"
    response["Content-Disposition"] = (
        f'inline; filename="evaluation-mi-parcours-{root.territory.code}{draft}.pdf"'
    )
    return response


# --- Consolidation of the conclusions ---------------------------------------------------------------------------

NATIONAL_SCOPE = "france"


def _scope(user, code: str) -> Territory | None:
    """The région of `code` ("france": None) once `user` may see its conclusions; 404 for an unknown région."""
    region = None
    if code != NATIONAL_SCOPE:
        region = get_object_or_404(Territory, level__in=(Level.REGION, Level.COM), code=code)
    if not perms.can_view_evaluation_consolidation(user, region):
        raise PermissionDenied
    return region


@login_required
def consolidation(request, code: str = NATIONAL_SCOPE):
    region = _scope(request.user, code)
    data = evaluation_queries.consolidate_conclusions(region)
    scope_code = region.code if region else NATIONAL_SCOPE
    if region is None:
        breadcrumb = {"current": "Évaluations à mi-parcours"}
    else:
        national = {"url": reverse("contracts:evaluations"), "title": "Évaluations à mi-parcours"}
        breadcrumb = {
            "links": [national] if perms.can_view_evaluation_consolidation(request.user) else [],
            "current": region.name,
        }
    context = {
        "title": f"Évaluations à mi-parcours – {region.name if region else 'France'}",
        "data": data,
        "region": region,
        "conclusions": EvaluationConclusion.labels,
        "exports": {fmt: reverse("contracts:evaluations_export", args=[scope_code, fmt]) for fmt in FORMATS},
        "breadcrumb_data": breadcrumb,
    }
    return render(request, "contracts/evaluation_consolidation.html", context)


CONSOLIDATION_HEADER = [
    "Regroupement",
    "Libellé",
    *EvaluationConclusion.labels,
    "Fiches-actions évaluées",
    "Donnée fictive",
]


@login_required
def consolidation_export(request, scope: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Format d'export inconnu")
    region = _scope(request.user, scope)
    data = evaluation_queries.consolidate_conclusions(region)
    rows = [
        ["Ensemble", region.name if region else "France", *data.total.cells, data.total.total, data.has_demo]
    ]
    rows += [["Axe", row.label, *row.counts.cells, row.counts.total, data.has_demo] for row in data.by_axis]
    if region is None:
        rows += [
            ["Région", row.label, *row.counts.cells, row.counts.total, data.has_demo]
            for row in data.by_region
        ]
    else:
        rows += [
            [
                "Convention",
                f"{row.label} ({row.convention.territory.code})",
                *row.counts.cells,
                row.counts.total,
                row.convention.is_demo,
            ]
            for row in data.by_convention
        ]
    return export_response(fmt, f"evaluations-mi-parcours-{scope}-conclusions", CONSOLIDATION_HEADER, rows)


urlpatterns = [
    path("<int:pk>/evaluation/", evaluation, name="evaluation"),
    path("<int:pk>/evaluation/fiches/<int:number>/", evaluation_action, name="evaluation_action"),
    path("<int:pk>/evaluation/<str:step>/", evaluation_step, name="evaluation_step"),
    path("<int:pk>/evaluation.pdf", evaluation_pdf, name="evaluation_pdf"),
    path("evaluations/", consolidation, name="evaluations"),
    path("evaluations/<str:code>/", consolidation, name="evaluations_region"),
    path("evaluations/<str:scope>/conclusions.<str:fmt>", consolidation_export, name="evaluations_export"),
]
