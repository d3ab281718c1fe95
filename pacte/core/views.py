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


ERRORS = {
    403: (
        "Accès refusé",
        "Vous n’avez pas accès à cette page avec votre compte. Si vous pensez que c’est une erreur, contactez le "
        "pilotage de votre territoire.",
    ),
    404: (
        "Page introuvable",
        "La page que vous cherchez n’existe pas ou a été déplacée. Vérifiez l’adresse ou revenez à l’accueil.",
    ),
    500: (
        "Erreur inattendue",
        "Le service a rencontré un problème. L’équipe en est informée ; réessayez dans quelques instants.",
    ),
}


def _error(request, status: int):
    title, message = ERRORS[status]
    return render(
        request, "core/error.html", {"title": title, "message": message, "status": status}, status=status
    )


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return _error(request, 500)


def permission_denied(request, exception=None):
    return _error(request, 403)
