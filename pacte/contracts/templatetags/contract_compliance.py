"""What a fiche-action breaks among the rules added since it was saved, shown on its page to those who follow the
convention: `{% load contract_compliance %}{% action_compliance action %}` (`pacte.contracts.compliance`)."""

from django import template

from pacte.contracts import compliance, perms

register = template.Library()


@register.inclusion_tag("contracts/_action_compliance.html", takes_context=True)
def action_compliance(context, action) -> dict:
    user = context["request"].user
    if not perms.can_see_action_compliance(user, action.contract):
        return {"findings": []}
    return {"findings": compliance.action_findings(action)}
