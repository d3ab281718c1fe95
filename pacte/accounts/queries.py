"""Reads of organisations shared by the pages and the API."""

from django.db.models import Q, QuerySet

from pacte.accounts.models import Organisation
from pacte.accounts.scope import is_national, territory_q
from pacte.core.collation import french


def listed_organisations(user) -> QuerySet[Organisation]:
    """The organisations `user` finds in its list (perms.can_list_organisations says who has one): those of
    its scope, and its own organisation, by name."""
    scope = territory_q(user, "territory__")
    if not is_national(user) and user.organisation_id:
        scope |= Q(pk=user.organisation_id)
    return Organisation.objects.filter(scope).select_related("territory").order_by(french("name"))
