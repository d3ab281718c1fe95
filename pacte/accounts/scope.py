"""Territorial scope of a user: which territories its role covers.

A regional commissioner covers its région and everything in it; DDETS and a département council cover
their département (its EPCI and communes); a métropole covers itself and its communes; an association or a
social worker covers the territory it is attached to and what lies inside. National steering covers all.
"""

from django.db.models import Q

from pacte.accounts.enums import Role


def has_role(user, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def is_national(user) -> bool:
    return has_role(user, Role.NATIONAL_STEERING)


def territory_q(user, prefix: str = "") -> Q:
    """A filter on Territory (or on a model reaching it through `prefix`, e.g. "territory__")
    that keeps what `user` covers. Matches nothing for anonymous or role-less users."""
    if not (user.is_authenticated and user.is_active and user.role):
        return Q(pk__in=[])
    if user.role == Role.NATIONAL_STEERING:
        return Q()
    if not user.territory_id:
        return Q(pk__in=[])
    return user.territory.within_q(prefix)


def covers(user, territory) -> bool:
    """True when `territory` lies inside the scope of `user`."""
    if territory is None or not (user.is_authenticated and user.is_active and user.role):
        return False
    if user.role == Role.NATIONAL_STEERING:
        return True
    return bool(user.territory_id) and user.territory.contains(territory)
