"""Who may see and change the national référentiel."""

from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role


def can_view_referentiel(user) -> bool:
    """Everyone, the public included: the référentiel is the published Pacte."""
    return True


def can_change_target(user, target) -> bool:
    """National steering (DIPLP) only: the targets are national commitments."""
    return has_role(user, Role.NATIONAL_STEERING)


def can_change_milestone(user, milestone) -> bool:
    """National steering for every milestone; the regional commissioner for its région's milestones."""
    if has_role(user, Role.NATIONAL_STEERING):
        return True
    return (
        has_role(user, Role.REGIONAL_COMMISSIONER)
        and milestone.territory_id is not None
        and user.territory_id is not None
        and user.territory.contains(milestone.territory)
    )
