"""Who may see territories and their working space."""

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role


def can_view_territory(user, territory) -> bool:
    """Everyone, the public included: the official geographic code is open data."""
    return territory.is_active or has_role(user, Role.NATIONAL_STEERING)


def can_view_territory_workspace(user, territory) -> bool:
    """Users with a role whose scope contains the territory see its organisations and their people;
    national steering sees every territory's. The public and users outside the scope do not."""
    return has_role(user, *Role.values) and covers(user, territory)
