"""The steering items of the « Contrats » menu of the site navigation: the steering pages of the contracts a signed-in user
may open, each as its page's own permission says (`pacte.contracts.perms`). Used by core/_header.html:
`{% load contracts_menu %}{% contracts_menu %}` (nothing is shown to someone who may open none)."""

from django import template
from django.urls import reverse

from pacte.contracts import perms

register = template.Library()


def steering_links(user) -> list[tuple[str, str]]:
    """(title, url) of each steering page of the contracts `user` may open, in the order of the menu."""
    if not user.is_authenticated:
        return []
    links = []
    if perms.can_view_allocations(user):
        links.append(("Plafonds notifiés", reverse("contracts:allocations")))
    if perms.can_manage_report_campaigns(user):
        links.append(("Campagnes des rapports d'exécution", reverse("contracts:report_campaigns")))
    if perms.can_view_compliance(user):
        links.append(("À mettre en conformité", reverse("contracts:compliance")))
    if perms.can_view_evaluation_consolidation(user):
        links.append(("Évaluations à mi-parcours", reverse("contracts:evaluations")))
    else:
        region = perms.user_region(user)
        if region is not None and perms.can_view_evaluation_consolidation(user, region):
            links.append(
                ("Évaluations à mi-parcours", reverse("contracts:evaluations_region", args=[region.code]))
            )
    if perms.can_view_pact_envelopes(user):
        links.append(("Enveloppes des pactes locaux", reverse("contracts:pact_envelopes")))
    return links


@register.inclusion_tag("contracts/_steering_menu.html", takes_context=True)
def contracts_menu(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)  # none on an error page rendered before the middleware ran
    if user is None:
        return {"links": [], "current": False}
    links = [(title, url, request.path.startswith(url)) for title, url in steering_links(user)]
    return {"links": links, "current": any(current for _, _, current in links)}
