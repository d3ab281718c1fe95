"""What the « Mon espace » tests share: `TODAY`, the day the task lists are read on (the page itself reads the
real day, and its tests do not depend on it), and the tasks of a user by kind."""

import datetime

from pacte.workspace import queries

TODAY = datetime.date(2026, 12, 5)


def tasks_of(user, kind: str | None = None, today=TODAY) -> list:
    found = queries.all_tasks(user, today)
    return [task for task in found if kind is None or task.kind == kind]


def titles(user, kind: str, today=TODAY) -> list[str]:
    return [task.title for task in tasks_of(user, kind, today)]
