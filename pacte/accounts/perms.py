"""Who may see and change organisations, users and API tokens."""

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national

STATE_ROLES = (Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS)


def can_list_organisations(user) -> bool:
    """Any signed-in user with a role (each sees the organisations of its scope); not the public."""
    return has_role(user, *Role.values)


def can_view_organisation(user, organisation) -> bool:
    """Its own members; national steering; the regional commissioner and the DDETS whose territory
    contains the organisation's territory; local authorities for organisations inside their territory."""
    if not has_role(user, *Role.values):
        return False
    if user.organisation_id == organisation.pk or is_national(user):
        return True
    if has_role(user, Role.REGIONAL_COMMISSIONER, Role.DDETS, Role.LOCAL_AUTHORITY):
        return covers(user, organisation.territory)
    return False


def can_view_organisation_members(user, organisation) -> bool:
    """Members of the organisation, national steering, and the State services whose territory contains it."""
    if not has_role(user, *Role.values):
        return False
    if user.organisation_id == organisation.pk or is_national(user):
        return True
    return has_role(user, Role.REGIONAL_COMMISSIONER, Role.DDETS) and covers(user, organisation.territory)


def can_change_organisation(user, organisation) -> bool:
    """National steering for every organisation; the regional commissioner and the DDETS for the
    organisations inside their territory (State services keep the register of partners)."""
    if is_national(user):
        return True
    return has_role(user, Role.REGIONAL_COMMISSIONER, Role.DDETS) and covers(user, organisation.territory)


def can_view_territory_workspace(user, territory) -> bool:
    """The "espace de travail" of a territory page (its organisations and their number of members): users with a
    role whose scope contains the territory; national steering sees every territory's. Not the public, nor users
    outside the scope."""
    return has_role(user, *Role.values) and covers(user, territory)


def can_manage_api_tokens(user) -> bool:
    """Every signed-in, active user manages its own tokens (a token never grants more than its user has)."""
    return bool(user.is_authenticated and user.is_active)
