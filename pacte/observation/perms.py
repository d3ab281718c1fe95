"""Who may see and do what in the observation of poverty and the barometer of the Pacte.

Public indicators, their values, maps, diagnostics and the public barometer are open to everyone (open
data). An indicator marked as not public (a figure shared among the Pacte's steering before publication)
is visible to national steering, regional commissioners, the State's departmental services and the
collectivités. Only national steering imports files.
"""

from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role, is_national

STEERING_ROLES = (Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS, Role.LOCAL_AUTHORITY)


def can_view_restricted_indicators(user) -> bool:
    """National steering, the regional commissioners, the DDETS and the collectivités."""
    return has_role(user, *STEERING_ROLES)


def can_view_indicator(user, indicator) -> bool:
    """Everyone for a public indicator; the Pacte's steering for the others."""
    return indicator.is_public or can_view_restricted_indicators(user)


def visible_indicators(user, indicators):
    """`indicators` (a queryset of Indicator) narrowed to what `user` may see."""
    return indicators if can_view_restricted_indicators(user) else indicators.filter(is_public=True)


def can_import_observations(user) -> bool:
    """National steering only: an import changes the figures everyone reads."""
    return is_national(user)


def missing_reports_reader(user):
    """Which contracts' missing execution reports `user` may read, as a test on a contract (the consolidation's
    rule): national steering and regional commissioners all of them, a DDETS those of its région, a
    collectivité its own; None for the others (the barometer does not show the section)."""
    if has_role(user, Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER):
        return lambda contract: True
    if has_role(user, Role.DDETS) and user.territory_id:
        region_id = user.territory.region_id
        return lambda contract: contract.territory.region_id == region_id
    if has_role(user, Role.LOCAL_AUTHORITY) and user.territory_id:
        return lambda contract: contract.territory_id == user.territory_id
    return None
