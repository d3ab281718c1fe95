from django.db.models import Count, Prefetch
from django.shortcuts import render

from pacte.programme.enums import MilestoneScope
from pacte.programme.models import Axis, Measure, Milestone, Programme
from pacte.territories.enums import Level
from pacte.territories.models import Territory


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
    regions = Territory.objects.active().filter(level=Level.REGION).order_by("name")
    context = {
        "programme": programme,
        "axes": axes,
        "milestones": milestones,
        "regions": regions,
        "measure_total": Measure.objects.filter(axis__programme=programme).count() if programme else 0,
    }
    return render(request, "core/home.html", context)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", {"title": "Page introuvable"}, status=404)


def server_error(request):
    return render(request, "core/500.html", {"title": "Erreur du serveur"}, status=500)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", {"title": "Accès refusé"}, status=403)
