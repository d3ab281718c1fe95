"""The tasks of the mécénat de proximité: companies to validate (the commissioner of their région), pledges to
accept or decline (the association), accepted pledges whose delivery is to be recorded (the association or the
commissioner). Who acts is decided by `pacte.sponsorship.perms` through `pacte.sponsorship.queries` (one query
each). No due date: the platform knows none for these steps (the project's « date limite » closes new pledges,
not the answer; it is shown as a detail)."""

from datetime import date

from django.utils import timezone

from pacte import formatting
from pacte.sponsorship import queries
from pacte.workspace.tasks import Task


def sponsorship_tasks(user, today: date) -> list[Task]:
    if not (user.is_authenticated and user.is_active and user.role):
        return []
    tasks = [
        Task(
            kind="sponsors_to_validate",
            title=f"{company.name} – {company.commune.name}",
            url=company.get_absolute_url(),
            action="Valider ou refuser",
            detail=f"inscrite le {formatting.date(timezone.localdate(company.created_at))}",
            is_demo=company.is_demo,
        )
        for company in queries.companies_to_decide(user)
    ]
    for pledge in queries.pledges_to_answer(user):
        tasks.append(
            Task(
                kind="pledges_to_answer",
                title=f"{pledge.project.application.project_title} – {pledge.company.name}",
                url=pledge.project.get_absolute_url(),
                detail=f"{pledge.get_kind_display()} ; date limite du projet : "
                f"{formatting.date(pledge.project.deadline)}",
                action="Accepter ou décliner",
                is_demo=pledge.is_demo,
            )
        )
    for pledge in queries.pledges_to_deliver(user):
        tasks.append(
            Task(
                kind="pledges_to_deliver",
                title=f"{pledge.project.application.project_title} – {pledge.company.name}",
                url=pledge.project.get_absolute_url(),
                detail=f"{pledge.get_kind_display()} acceptée, ce qui a été donné reste à enregistrer",
                action="Enregistrer ce qui a été donné",
                is_demo=pledge.is_demo,
            )
        )
    return tasks
