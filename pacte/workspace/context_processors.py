"""`workspace_task_count` for the header's « Mon espace » entry: the number of tasks waiting on the signed-in user
(None for an anonymous visitor). A template that never reads it costs nothing: the value is a function, which the
template engine calls on first read, once per request (`queries.task_count` keeps it in the cache)."""

import functools

from pacte.workspace import queries


def workspace(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"workspace_task_count": None}
    return {"workspace_task_count": functools.cache(lambda: queries.task_count(user))}
