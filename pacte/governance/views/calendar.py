"""The governance calendar: meetings of the instances the user may see, with the Pacte's milestones (linked from
the référentiel, not copied), filtered by territory, kind of instance and month; and the secret address of the
user's calendar feeds."""

import calendar as pycalendar
from datetime import date, datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pacte.core.collation import french
from pacte.governance import perms, queries
from pacte.governance.forms import CalendarFilterForm
from pacte.governance.models import CalendarToken
from pacte.governance.services import calendar_tokens
from pacte.governance.views.common import base_url, breadcrumb, require
from pacte.programme.models import Milestone
from pacte.territories.enums import Level


def _month_bounds(value: str) -> tuple[datetime, datetime, date, date]:
    year, month = (int(part) for part in value.split("-"))
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tz),
        datetime.combine(last, time.max, tz),
        first,
        last,
    )


def calendar_page(request):
    form = CalendarFilterForm(request.GET or None)
    filters = form.filters()
    meetings = (
        queries.visible_meetings(request.user)
        .select_related("committee__territory", "concertation_theme")
        .order_by("starts_at")
    )
    milestones = Milestone.objects.select_related("territory").order_by("date_start", "code")
    territory = filters.get("territoire")
    if territory is not None:
        inside = territory.within_q("committee__territory__")
        meetings = meetings.filter(inside)
        if territory.level == Level.REGION:
            milestones = milestones.filter(Q(territory__isnull=True) | Q(territory=territory))
        else:
            milestones = milestones.filter(Q(territory__isnull=True) | Q(territory_id=territory.region_id))
    if "type" in filters:
        meetings = meetings.filter(committee__kind=filters["type"])
    now = timezone.now()
    if "mois" in filters:
        start, end, first, last = _month_bounds(filters["mois"])
        meetings = meetings.filter(starts_at__gte=start, starts_at__lte=end)
        milestones = milestones.filter(
            Q(date_start__lte=last) & (Q(date_start__gte=first) | Q(date_end__gte=first))
        )
        upcoming = [m for m in meetings if m.ends_at >= now]
        past_qs = [m for m in meetings if m.ends_at < now][::-1]
        past = Paginator(past_qs, settings.PACTE_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        upcoming = list(meetings.filter(ends_at__gte=now))
        past = Paginator(
            meetings.filter(ends_at__lt=now).order_by("-starts_at"), settings.PACTE_PAGE_SIZE
        ).get_page(request.GET.get("page"))
    context = {
        "title": "Calendrier de la gouvernance",
        "form": form,
        "upcoming": upcoming,
        "past": past,
        "milestones": list(milestones),
        "filtered": bool(filters),
        "breadcrumb_data": breadcrumb("Calendrier"),
    }
    return render(request, "governance/calendar.html", context)


@never_cache
@login_required
def calendar_token(request):
    """The secret address of the user's calendar feeds, shown once: the page is never stored by a browser or a
    proxy (`Cache-Control: no-store`, Django's `never_cache`)."""
    user = request.user
    require(perms.can_use_calendar_token(user))
    raw = None
    if request.method == "POST":
        if request.POST.get("action") == "revoquer":
            calendar_tokens.revoke_calendar_tokens(user)
            messages.success(
                request, "Votre adresse secrète est révoquée : les agendas abonnés ne se mettent plus à jour."
            )
            return redirect("governance:calendar_token")
        raw = calendar_tokens.issue_calendar_token(user)
    committees = (
        queries.visible_committees(user)
        .select_related("territory")
        .order_by("territory__code", french("name"))
    )
    root = base_url(request)
    feeds = []
    for committee in committees:
        if committee.is_public:
            url = root + reverse("governance:committee_ics", kwargs={"pk": committee.pk})
        else:
            # The key goes in the path, not in a query string that proxies and analytics record more often.
            url = (
                root + reverse("governance:committee_ics_key", kwargs={"pk": committee.pk, "cle": raw})
                if raw
                else ""
            )
        feeds.append((committee, url))
    context = {
        "title": "Mes agendas",
        "feeds": feeds,
        "raw": raw,
        "token": CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first(),
        "breadcrumb_data": breadcrumb("Mes agendas"),
    }
    return render(request, "governance/calendar_token.html", context)


urlpatterns = [
    path("calendrier/", calendar_page, name="calendar"),
    path("mes-agendas/", calendar_token, name="calendar_token"),
]
