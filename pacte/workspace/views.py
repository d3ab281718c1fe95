from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from pacte.workspace import queries


@login_required
def home(request):
    """« Mon espace »: where every signed-in user lands, the tasks that wait on it, by kind."""
    user = request.user
    today = timezone.localdate()
    assigned = queries.has_assignment(user)
    groups = queries.task_groups(user, today) if assigned else []
    task_total = sum(len(found.tasks) for found in groups)
    if assigned:
        queries.remember_count(user, today, task_total)
    context = {
        "title": "Mon espace",
        "assigned": assigned,
        "groups": groups,
        "task_total": task_total,
        "overdue_total": sum(found.overdue_count for found in groups),
        "today": today,
    }
    return render(request, "workspace/home.html", context)
