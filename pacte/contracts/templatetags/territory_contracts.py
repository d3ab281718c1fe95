"""The contracts of a territory, listed on its page (issue 17, way-finding):
`{% load territory_contracts %}{% territory_contracts territory %}`.

A template tag rather than the territory view, because the territories app does not import the contracts app
(docs/dev/architecture.md), as the « espace de travail » is the accounts app's `territory_workspace` tag. The
signed versions are shown to everyone, the drafts to those who follow them (`perms.visible_contracts_q`)."""

from django import template

from pacte.contracts import perms
from pacte.contracts.models import Contract

register = template.Library()


@register.inclusion_tag("contracts/_territory_contracts.html", takes_context=True)
def territory_contracts(context, territory) -> dict:
    contracts = list(
        Contract.objects.filter(perms.visible_contracts_q(context["request"].user), territory=territory)
        .select_related("territory", "collectivite")
        .order_by("-period_start", "kind", "-amendment_number")
    )
    return {"territory": territory, "contracts": contracts}
