"""`workspace_task_count` for the header's « Mon espace » entry: the number of tasks waiting on the signed-in user
(None for an anonymous visitor). A template that never reads it costs nothing: the value is a function, which the
template engine calls on first read, once per request (`queries.task_count` keeps it in the cache)."""

from pacte.workspace import queries


def workspace(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"workspace_task_count": None}
    found = []

    def workspace_task_count() -> int | None:
        if not found:
            found.append(queries.task_count(user))
        return found[0]

    return {"workspace_task_count": workspace_task_count}
