"""The concertation: themes and transverse questions, the stakeholder registry, written contributions (public
once published, filterable by theme and family of actors), filing by the stakeholders' own members, publication
by national steering, and the synthesis per theme for the team preparing the Pacte (CSV of contributions,
printable page)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from pacte.core.collation import french
from pacte.core.exports import csv_response
from pacte.core.forms import Notices, errors_on
from pacte.governance import exports, perms, queries
from pacte.governance.enums import CommitteeKind, ContributionStatus, StakeholderCategory, ThemeKind
from pacte.governance.forms import (
    ContributionFilterForm,
    ContributionForm,
    StakeholderForm,
    SynthesisForm,
)
from pacte.governance.models import (
    ConcertationTheme,
    Contribution,
    Stakeholder,
    ThemeSynthesis,
)
from pacte.governance.services import concertation as services
from pacte.governance.services.common import NEW
from pacte.governance.views.common import (
    CONCERTATION,
    Hidden,
    concertation_breadcrumb,
    contribution_or_hide,
    require,
    sign_in_when_hidden,
)


def concertation_index(request):
    published = Q(contributions__status=ContributionStatus.PUBLISHED)
    themes = ConcertationTheme.objects.annotate(published=Count("contributions", filter=published)).order_by(
        "kind", "number"
    )
    meetings = (
        queries.visible_meetings(request.user)
        .filter(committee__kind=CommitteeKind.CONCERTATION, concertation_theme__isnull=False)
        .select_related("concertation_theme", "committee")
        .order_by("starts_at")
    )
    categories = dict(Stakeholder.objects.values_list("category").annotate(count=Count("pk")).order_by())
    context = {
        "title": "Concertation du Pacte des solidarités",
        "themes": [theme for theme in themes if theme.kind == ThemeKind.THEME],
        "questions": [theme for theme in themes if theme.kind == ThemeKind.TRANSVERSE],
        "meetings": meetings,
        "categories": [
            (category.label, categories.get(category.value, 0)) for category in StakeholderCategory
        ],
        "own_stakeholder": queries.own_stakeholder(request.user),
        "sees_synthesis": perms.can_view_synthesis(request.user),
        "may_review": perms.can_manage_concertation(request.user),
        "breadcrumb_data": {"current": CONCERTATION["title"]},
    }
    return render(request, "governance/concertation.html", context)


def contribution_list(request):
    form = ContributionFilterForm(request.GET or None)
    filters = form.filters()
    contributions = Contribution.objects.filter(status=ContributionStatus.PUBLISHED).select_related(
        "stakeholder", "theme", "file"
    )
    if "theme" in filters:
        contributions = contributions.filter(theme=filters["theme"])
    if "famille" in filters:
        contributions = contributions.filter(stakeholder__category=filters["famille"])
    contributions = contributions.order_by("-published_at", "pk")
    page = Paginator(contributions, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "title": "Contributions écrites",
        "form": form,
        "page": page,
        "own_stakeholder": queries.own_stakeholder(request.user),
        "breadcrumb_data": concertation_breadcrumb("Contributions écrites"),
    }
    return render(request, "governance/contribution_list.html", context)


@sign_in_when_hidden
def contribution_detail(request, pk: int):
    contribution = contribution_or_hide(request, pk)
    user = request.user
    context = {
        "title": contribution.title,
        "contribution": contribution,
        "may_edit": perms.can_edit_contribution(user, contribution),
        "may_publish": perms.can_publish_contribution(user, contribution),
        "may_withdraw": perms.can_withdraw_contribution(user, contribution),
        "breadcrumb_data": concertation_breadcrumb(
            contribution.title, {"url": reverse("governance:contributions"), "title": "Contributions écrites"}
        ),
    }
    return render(request, "governance/contribution_detail.html", context)


@sign_in_when_hidden
def contribution_file(request, pk: int):
    contribution = contribution_or_hide(request, pk)
    if contribution.file is None:
        raise Hidden("Document introuvable")
    stored = contribution.file
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    safe_name = stored.name.replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def contribution_create(request):
    stakeholder = queries.own_stakeholder(request.user)
    require(stakeholder is not None)
    initial = {}
    theme_code = request.GET.get("theme", "")
    if theme_code:
        initial["theme"] = (
            ConcertationTheme.objects.filter(code=theme_code).values_list("pk", flat=True).first()
        )
    form = ContributionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            contribution = services.save_contribution(
                stakeholder,
                by=request.user,
                theme=form.cleaned_data["theme"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
            )
        if outcome.ok:
            messages.success(
                request,
                "Votre contribution est enregistrée comme brouillon. Déposez-la quand elle est prête.",
            )
            return redirect(contribution)
    context = {
        "title": "Nouvelle contribution",
        "stakeholder": stakeholder,
        "form": form,
        "breadcrumb_data": concertation_breadcrumb("Nouvelle contribution"),
    }
    return render(request, "governance/contribution_form.html", context)


@login_required
def contribution_edit(request, pk: int):
    contribution = contribution_or_hide(request, pk)
    require(perms.can_edit_contribution(request.user, contribution))
    form = ContributionForm(request.POST or None, request.FILES or None, contribution=contribution)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.save_contribution(
                contribution.stakeholder,
                by=request.user,
                theme=form.cleaned_data["theme"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
                remove_file=form.cleaned_data.get("remove_file", False),
                contribution=Contribution.objects.get(pk=contribution.pk),
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(request, "La contribution est enregistrée.")
            return redirect(contribution)
    context = {
        "title": f"Modifier – {contribution.title}",
        "stakeholder": contribution.stakeholder,
        "contribution": contribution,
        "form": form,
        "breadcrumb_data": concertation_breadcrumb("Modifier la contribution"),
    }
    return render(request, "governance/contribution_form.html", context)


def _transition(request, pk: int, allowed, operation, success: str):
    contribution = contribution_or_hide(request, pk)
    require(allowed(request.user, contribution))
    with errors_on(Notices(request)) as outcome:
        operation(Contribution.objects.get(pk=contribution.pk), by=request.user)
    if outcome.ok:
        messages.success(request, success)
    return redirect(contribution)


@login_required
@require_POST
def contribution_file_action(request, pk: int):
    return _transition(
        request,
        pk,
        perms.can_edit_contribution,
        services.file_contribution,
        "Votre contribution est déposée : l'équipe du Pacte la publiera après relecture.",
    )


@login_required
@require_POST
def contribution_publish(request, pk: int):
    return _transition(
        request,
        pk,
        perms.can_publish_contribution,
        services.publish_contribution,
        "La contribution est publiée.",
    )


@login_required
@require_POST
def contribution_withdraw(request, pk: int):
    return _transition(
        request,
        pk,
        perms.can_withdraw_contribution,
        services.withdraw_contribution,
        "La contribution est retirée.",
    )


@login_required
def my_contributions(request):
    stakeholder = queries.own_stakeholder(request.user)
    require(stakeholder is not None)
    contributions = stakeholder.contributions.select_related("theme").order_by("-created_at")
    context = {
        "title": f"Contributions – {stakeholder.name}",
        "stakeholder": stakeholder,
        "contributions": contributions,
        "breadcrumb_data": concertation_breadcrumb("Mes contributions"),
    }
    return render(request, "governance/my_contributions.html", context)


@login_required
def review_list(request):
    """Contributions filed and waiting for publication (national steering)."""
    require(perms.can_manage_concertation(request.user))
    contributions = (
        Contribution.objects.filter(status=ContributionStatus.FILED)
        .select_related("stakeholder", "theme")
        .order_by("filed_at")
    )
    context = {
        "title": "Contributions à publier",
        "contributions": contributions,
        "breadcrumb_data": concertation_breadcrumb("Contributions à publier"),
    }
    return render(request, "governance/review_list.html", context)


def stakeholder_list(request):
    stakeholders = Stakeholder.objects.select_related("organisation").annotate(
        published=Count("contributions", filter=Q(contributions__status=ContributionStatus.PUBLISHED))
    )
    category = request.GET.get("famille", "")
    if category in StakeholderCategory.values:
        stakeholders = stakeholders.filter(category=category)
    page = Paginator(stakeholders.order_by("category", french("name")), settings.PACTE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "title": "Parties prenantes de la concertation",
        "page": page,
        "categories": StakeholderCategory.choices,
        "category": category,
        "sees_contacts": perms.can_view_stakeholder_contacts(request.user),
        "may_manage": perms.can_manage_concertation(request.user),
        "breadcrumb_data": concertation_breadcrumb("Parties prenantes"),
    }
    return render(request, "governance/stakeholder_list.html", context)


@login_required
def stakeholder_form(request, pk: int | None = None):
    require(perms.can_manage_concertation(request.user))
    stakeholder = get_object_or_404(Stakeholder, pk=pk) if pk else None
    form = StakeholderForm(request.POST or None, instance=stakeholder)
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.save_stakeholder(
                stakeholder=Stakeholder.objects.get(pk=pk) if pk else None,
                expected_version=form.cleaned_data.get("lock_version"),
                **form.changes(),
            )
        if outcome.ok:
            messages.success(request, "La partie prenante est enregistrée.")
            return redirect("governance:stakeholders")
    current = "Modifier une partie prenante" if stakeholder else "Nouvelle partie prenante"
    context = {
        "title": current,
        "form": form,
        "stakeholder": stakeholder,
        "breadcrumb_data": concertation_breadcrumb(
            current, {"url": reverse("governance:stakeholders"), "title": "Parties prenantes"}
        ),
    }
    return render(request, "governance/stakeholder_form.html", context)


@login_required
def synthesis(request, code: str):
    require(perms.can_view_synthesis(request.user))
    theme = get_object_or_404(ConcertationTheme, code=code)
    contributions = list(queries.synthesis_contributions(theme))
    if request.GET.get("format") == "csv":
        return csv_response(
            f"contributions-{theme.code}.csv",
            exports.CONTRIBUTIONS_HEADER,
            exports.contribution_rows(theme, contributions),
        )
    counts = {category: 0 for category in StakeholderCategory.values}
    for contribution in contributions:
        counts[contribution.stakeholder.category] += 1
    context = {
        "title": f"Synthèse – {theme}",
        "theme": theme,
        "contributions": contributions,
        "counts": [(StakeholderCategory(category).label, count) for category, count in counts.items()],
        "synthesis": ThemeSynthesis.objects.filter(theme=theme).select_related("author").first(),
        "may_edit": perms.can_edit_synthesis(request.user),
        "themes": ConcertationTheme.objects.order_by("kind", "number"),
        "breadcrumb_data": concertation_breadcrumb(f"Synthèse – {theme.title}"),
    }
    return render(request, "governance/synthesis.html", context)


@login_required
def synthesis_edit(request, code: str):
    require(perms.can_edit_synthesis(request.user))
    theme = get_object_or_404(ConcertationTheme, code=code)
    current = ThemeSynthesis.objects.filter(theme=theme).first()
    form = SynthesisForm(
        request.POST or None,
        version=current.lock_version if current else NEW,
        initial={"text": current.text if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            services.save_synthesis(
                theme,
                text=form.cleaned_data["text"],
                by=request.user,
                expected_version=form.cleaned_data["lock_version"],
            )
        if outcome.ok:
            messages.success(request, "La synthèse est enregistrée.")
            return redirect("governance:synthesis", code=theme.code)
    context = {
        "title": f"Rédiger la synthèse – {theme}",
        "theme": theme,
        "form": form,
        "breadcrumb_data": concertation_breadcrumb(
            "Rédiger la synthèse",
            {"url": reverse("governance:synthesis", args=[theme.code]), "title": f"Synthèse – {theme.title}"},
        ),
    }
    return render(request, "governance/synthesis_form.html", context)


urlpatterns = [
    path("concertation/", concertation_index, name="concertation"),
    path("concertation/contributions/", contribution_list, name="contributions"),
    path("concertation/contributions/nouvelle/", contribution_create, name="contribution_create"),
    path("concertation/contributions/a-publier/", review_list, name="contribution_review"),
    path("concertation/contributions/<int:pk>/", contribution_detail, name="contribution"),
    path("concertation/contributions/<int:pk>/document.pdf", contribution_file, name="contribution_file"),
    path("concertation/contributions/<int:pk>/modifier/", contribution_edit, name="contribution_edit"),
    path(
        "concertation/contributions/<int:pk>/deposer/", contribution_file_action, name="contribution_submit"
    ),
    path("concertation/contributions/<int:pk>/publier/", contribution_publish, name="contribution_publish"),
    path("concertation/contributions/<int:pk>/retirer/", contribution_withdraw, name="contribution_withdraw"),
    path("concertation/mes-contributions/", my_contributions, name="my_contributions"),
    path("concertation/parties-prenantes/", stakeholder_list, name="stakeholders"),
    path("concertation/parties-prenantes/nouvelle/", stakeholder_form, name="stakeholder_create"),
    path("concertation/parties-prenantes/<int:pk>/modifier/", stakeholder_form, name="stakeholder_edit"),
    path("concertation/syntheses/<slug:code>/", synthesis, name="synthesis"),
    path("concertation/syntheses/<slug:code>/modifier/", synthesis_edit, name="synthesis_edit"),
]
