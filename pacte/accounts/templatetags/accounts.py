"""Accounts' parts of other apps' pages: `{% load accounts %}`."""

from django import template
from django.db.models import Count

from pacte.accounts import perms
from pacte.accounts.models import Organisation
from pacte.core.collation import french

register = template.Library()


@register.inclusion_tag("accounts/_territory_workspace.html", takes_context=True)
def territory_workspace(context, territory) -> dict:
    """The "espace de travail" of a territory page: the organisations attached to the territory or inside it,
    with their number of members, for the users whose scope contains it (nothing for the others)."""
    user = context["request"].user
    if not perms.can_view_territory_workspace(user, territory):
        return {"shown": False}
    organisations = (
        Organisation.objects.filter(territory.within_q("territory__"))
        .select_related("territory")
        .annotate(member_count=Count("members"))
        .order_by("kind", french("name"))
    )
    return {"shown": True, "territory": territory, "organisations": organisations}
