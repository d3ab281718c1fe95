from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from pacte.core.collation import french
from pacte.core.visibility import Hidden
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from pacte.territories.perms import can_view_territory


def index(request):
    regions = Territory.objects.active().filter(level=Level.REGION).order_by(french("name"), "code")
    coms = Territory.objects.active().filter(level=Level.COM).order_by(french("name"), "code")
    context = {
        "title": "Territoires",
        "regions": regions,
        "coms": coms,
        "breadcrumb_data": {"current": "Territoires"},
    }
    return render(request, "territories/index.html", context)


def _breadcrumb(territory: Territory) -> dict:
    links = [{"url": "/territoires/", "title": "Territoires"}]
    for ancestor in (
        territory.region,
        territory.departement if territory.level != Level.DEPARTEMENT else None,
    ):
        if ancestor is not None and ancestor.pk != territory.pk:
            links.append({"url": ancestor.get_absolute_url(), "title": ancestor.name})
    if territory.level == Level.COMMUNE and territory.epci_id:
        links.append({"url": territory.epci.get_absolute_url(), "title": territory.epci.name})
    if territory.level == Level.COMMUNE and territory.parent and territory.parent.level == Level.COM:
        links.append({"url": territory.parent.get_absolute_url(), "title": territory.parent.name})
    return {"links": links, "current": territory.name}


def _communes_page(request, communes):
    query = request.GET.get("q", "").strip()
    if query:
        communes = communes.filter(Q(name__icontains=query) | Q(code__startswith=query))
    paginator = Paginator(communes.order_by(french("name"), "code"), settings.PACTE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page")), query


def _visible_territory(request, level: str, code: str) -> Territory:
    """The territory, or the same 404 whether it does not exist or is out of the visitor's sight."""
    territory = (
        Territory.objects.select_related("parent", "region", "departement", "epci")
        .filter(level=level, code=code)
        .first()
    )
    if territory is None or not can_view_territory(request.user, territory):
        raise Hidden("Territoire introuvable")
    return territory


def detail(request, level: str, code: str):
    if level not in Level.values:
        raise Hidden("Niveau de territoire inconnu")
    territory = _visible_territory(request, level, code)
    context = {
        "title": f"{territory.level_label} : {territory.name}",
        "territory": territory,
        "breadcrumb_data": _breadcrumb(territory),
    }
    active = Territory.objects.active()
    if territory.level == Level.REGION:
        context["departements"] = active.filter(level=Level.DEPARTEMENT, region=territory).order_by("code")
        context["metropoles"] = active.metropoles().filter(region=territory).order_by(french("name"))
    elif territory.level == Level.DEPARTEMENT:
        context["epcis"] = (
            active.filter(level=Level.EPCI, departement=territory)
            .annotate(commune_count=Count("members", filter=Q(members__is_active=True)))
            .order_by(french("name"))
        )
        context["page"], context["query"] = _communes_page(
            request, active.filter(level=Level.COMMUNE, departement=territory).select_related("epci")
        )
    elif territory.level == Level.COM:
        context["page"], context["query"] = _communes_page(
            request, active.filter(level=Level.COMMUNE, parent=territory).select_related("epci")
        )
    elif territory.level == Level.EPCI:
        context["departements"] = active.filter(
            level=Level.DEPARTEMENT, pk__in=territory.members.values("departement")
        ).order_by("code")
        context["page"], context["query"] = _communes_page(
            request, active.filter(level=Level.COMMUNE, epci=territory).select_related("epci")
        )
    return render(request, "territories/detail.html", context)
