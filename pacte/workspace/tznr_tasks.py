"""The tasks of the territoires zéro non-recours: periods transmitted that the State validates or sends back (the
DDETS of the département, the commissioner of the région), and, for the porteur's members, the periods sent back
for correction and those still in draft.

Who acts is decided by `pacte.tznr.perms`; no due date is known (the décret n° 2023-602 asks for a yearly bilan
but sets no date for the State's review), so none is shown. Two queries whatever the number of periods.
"""

from datetime import date

from django.db.models import Prefetch

from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role
from pacte.territories.models import Territory
from pacte.tznr import perms
from pacte.tznr.enums import PeriodStatus
from pacte.tznr.models import Experiment, FollowUpPeriod
from pacte.workspace.tasks import Task

REVIEWING_ROLES = (Role.REGIONAL_COMMISSIONER, Role.DDETS)


def tznr_tasks(user, today: date) -> list[Task]:
    if not (user.is_authenticated and user.is_active and user.role):
        return []
    if has_role(user, *REVIEWING_ROLES):
        statuses, check = (PeriodStatus.SUBMITTED,), perms.can_review_period
    elif has_role(user, *perms.PORTEUR_ROLES) and user.organisation_id:
        statuses, check = (PeriodStatus.RETURNED, PeriodStatus.DRAFT), perms.can_edit_period
    else:
        return []
    followed = Experiment.objects.filter(perms.visible_experiments_q(user)).values("pk")
    periods = (
        FollowUpPeriod.objects.filter(experiment__in=followed, status__in=statuses)
        .select_related("experiment")
        .prefetch_related(
            Prefetch(
                "experiment__territories", queryset=Territory.objects.only("pk", "departement", "parent")
            )
        )
        .order_by("start", "pk")
    )
    tasks = []
    for period in periods:
        if not check(user, period):
            continue
        title = f"{period.experiment.name} – du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}"
        if period.status == PeriodStatus.SUBMITTED:
            kind, action, detail = "tznr_periods_to_review", "Examiner", "transmise"
        else:
            kind, action = "tznr_periods_to_file", "Compléter et transmettre"
            detail = "renvoyée pour correction" if period.status == PeriodStatus.RETURNED else "brouillon"
        tasks.append(
            Task(
                kind=kind,
                title=title,
                url=period.get_absolute_url(),
                detail=detail,
                action=action,
                is_demo=period.is_demo,
                today=today,
            )
        )
    return tasks
