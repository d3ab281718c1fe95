"""`{% roadmap_report_button decision %}`: the « Reporter dans la feuille de route » button of a decision, shown to
those who may report it (`perms.can_report_decision`)."""

from django import template
from django.urls import reverse

from pacte.governance import perms
from pacte.governance.roadmap_models import RoadmapAction

register = template.Library()


@register.inclusion_tag("governance/_roadmap_report_button.html", takes_context=True)
def roadmap_report_button(context, decision) -> dict:
    request = context.get("request")
    if decision is None or request is None or not perms.can_report_decision(request.user, decision):
        return {"url": "", "action": None}
    action = (
        RoadmapAction.objects.select_related("objective__roadmap").filter(source_decision=decision).first()
    )
    return {"url": reverse("governance:decision_roadmap", kwargs={"pk": decision.pk}), "action": action}
