"""What the audit histories (django-simple-history) of every app share: the French name of a change and of
its author."""

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}


def person_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""
