"""Who may see territories. The territories app lies below accounts (docs/dev/architecture.md): it asks the user
object (`sees_inactive_territories`, defined by accounts' User; an anonymous visitor has no such attribute)
rather than importing the roles. The territory page's "espace de travail" is accounts' (`accounts.perms`)."""


def can_view_territory(user, territory) -> bool:
    """Everyone, the public included: the official geographic code is open data. Territories that left the COG
    stay visible to national steering only."""
    return territory.is_active or bool(getattr(user, "sees_inactive_territories", False))
