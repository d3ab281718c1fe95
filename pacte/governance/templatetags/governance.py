"""Governance's parts of other apps' pages: `{% load governance %}`."""

from django import template

from pacte.contracts import perms as contract_perms
from pacte.governance import queries, rules

register = template.Library()


@register.inclusion_tag("governance/_contract_committees.html", takes_context=True)
def contract_committees(context, contract) -> dict:
    """The comités de pilotage of a contract page: the instances steering the contract (its initial version) that
    the reader sees; for the contract's parties and followers, a word on where to link one when there is none."""
    user = context["request"].user
    committees = list(queries.contract_committees(user, contract))
    return {
        "committees": committees,
        "follows": contract_perms.can_follow_contract(user, contract),
        "note": rules.STEERING_NOTE,
    }
