from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from pacte import formatting
from pacte.core.collation import french
from pacte.core.exports import csv_response
from pacte.programme.enums import MeasureKind, MilestoneScope, TargetKind, TargetScope
from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.sources import source_title
from pacte.territories.enums import Level
from pacte.territories.models import Territory

_REFERENTIEL = {"url": "/referentiel/", "title": "Référentiel national"}


def home(request):
    """Presents the Pacte (headline figures, axes and measures, calendar) and the way into the territories."""
    programme = Programme.objects.first()
    axes = (
        Axis.objects.filter(programme=programme)
        .annotate(measure_count=Count("measures"))
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("order", "code")))
    )
    milestones = Milestone.objects.filter(programme=programme, scope=MilestoneScope.NATIONAL).order_by(
        "date_start"
    )
    regions = Territory.objects.active().filter(level=Level.REGION).order_by(french("name"))
    context = {
        "programme": programme,
        "axes": axes,
        "milestones": milestones,
        "regions": regions,
        "measure_total": Measure.objects.filter(axis__programme=programme).count() if programme else 0,
        "budget_billions": formatting.compact_euros(programme.budget_eur) if programme else "",
    }
    return render(request, "programme/home.html", context)


# The filter of the référentiel's index keeping the measures of the overseas plan (`?outre_mer=1`).
OVERSEAS_PARAMETER = "outre_mer"


def index(request):
    programme = Programme.objects.first()
    overseas_only = request.GET.get(OVERSEAS_PARAMETER) == "1"
    measures = Measure.objects.annotate(target_count=Count("targets"))
    axes = Axis.objects.filter(programme=programme)
    if overseas_only:
        measures = measures.filter(overseas=True)
        axes = axes.filter(measures__overseas=True).distinct()
    axes = axes.prefetch_related(Prefetch("measures", queryset=measures))
    context = {
        "title": "Référentiel national – mesures Outre-mer" if overseas_only else "Référentiel national",
        "programme": programme,
        "axes": axes,
        "overseas_only": overseas_only,
        "kinds": MeasureKind,
        "programme_targets": Target.objects.filter(programme=programme, measure__isnull=True).select_related(
            "territory"
        ),
        "breadcrumb_data": {"current": "Référentiel national"},
    }
    return render(request, "programme/index.html", context)


def axis_detail(request, number: int):
    axis = get_object_or_404(Axis, number=number)
    measures = axis.measures.prefetch_related("targets")
    context = {
        "title": str(axis),
        "axis": axis,
        "groups": [(kind.label, [m for m in measures if m.kind == kind]) for kind in MeasureKind],
        "breadcrumb_data": {"links": [_REFERENTIEL], "current": f"Axe {axis.number}"},
    }
    return render(request, "programme/axis.html", context)


def measure_detail(request, code: str):
    measure = get_object_or_404(Measure.objects.select_related("axis"), code=code)
    context = {
        "title": measure.title,
        "measure": measure,
        "targets": measure.targets.select_related("territory"),
        "breadcrumb_data": {
            "links": [
                _REFERENTIEL,
                {"url": measure.axis.get_absolute_url(), "title": f"Axe {measure.axis.number}"},
            ],
            "current": measure.title,
        },
    }
    return render(request, "programme/measure.html", context)


TARGET_CSV_HEADER = [
    "code",
    "type",
    "axe",
    "mesure",
    "indicateur",
    "unite",
    "valeur_depart",
    "annee_depart",
    "valeur_cible",
    "annee_cible",
    "perimetre",
    "territoire",
    "fichier_source",
    "document_source",
    "extrait_source",
    "cible_nationale",
    "lecture_valeur_cible",
    "horizon",
    "source_echeance",
    "source_valeur_depart",
    "en_vigueur_depuis",
    "source_entree_en_vigueur",
    "portee_par_les_contrats",
    "motif_contrats",
    "retiree",
]


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def target_list(request):
    targets = Target.objects.select_related("measure__axis", "territory")
    filters = {
        "kind": (request.GET.get("type", ""), TargetKind.values),
        "scope": (request.GET.get("perimetre", ""), TargetScope.values),
    }
    for field, (value, allowed) in filters.items():
        if value in allowed:
            targets = targets.filter(**{field: value})
    axis = request.GET.get("axe", "")
    if axis.isdigit():
        targets = targets.filter(measure__axis__number=int(axis))
    if request.GET.get("format") == "csv":
        rows = (
            [
                t.code,
                t.get_kind_display(),
                t.measure.axis.number if t.measure else "",
                t.measure.code if t.measure else "",
                t.label,
                t.unit,
                t.baseline_value,
                t.baseline_year,
                t.target_value,
                t.target_year,
                t.get_scope_display(),
                t.territory.name if t.territory else "",
                t.source_file,
                source_title(t.source_file),
                t.source_excerpt,
                _yes_no(t.is_national_target),
                t.get_comparison_display() if t.kind == TargetKind.TARGET else "",
                t.horizon_label if t.kind == TargetKind.TARGET else "",
                t.horizon_source,
                t.baseline_source,
                t.in_force_on.isoformat() if t.in_force_on else "",
                t.in_force_source,
                _yes_no(t.borne_by_contracts),
                t.contracts_reason,
                _yes_no(t.withdrawn),
            ]
            for t in targets
        )
        return csv_response("pacte-cibles.csv", TARGET_CSV_HEADER, rows)
    context = {
        "title": "Cibles et valeurs de référence",
        "targets": targets,
        "axes": Axis.objects.all(),
        "kinds": TargetKind,
        "scopes": TargetScope,
        "selected": {"type": filters["kind"][0], "perimetre": filters["scope"][0], "axe": axis},
        "query_string": request.GET.urlencode(),
        "breadcrumb_data": {"links": [_REFERENTIEL], "current": "Cibles"},
    }
    return render(request, "programme/targets.html", context)


def calendar(request):
    milestones = Milestone.objects.select_related("territory")
    context = {
        "title": "Calendrier du Pacte",
        "groups": [(scope.label, [m for m in milestones if m.scope == scope]) for scope in MilestoneScope],
        "breadcrumb_data": {"links": [_REFERENTIEL], "current": "Calendrier"},
    }
    return render(request, "programme/calendar.html", context)
