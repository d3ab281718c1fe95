"""Collecting the French messages of a service, per field path, to raise them all at once."""

from collections import defaultdict

from django.core.exceptions import ValidationError


class Errors:
    """Collects French messages per field path, then raises them all at once."""

    def __init__(self):
        self.messages: dict[str, list[str]] = defaultdict(list)

    def add(self, path: str, message: str) -> None:
        self.messages[path].append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(dict(self.messages))
