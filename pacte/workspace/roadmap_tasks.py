"""The tasks of the regional roadmap: its open actions (« À engager », « En cours ») that are late or due within
`DUE_SOON_DAYS` days, for the members of the action's pilot organisation and for the regional commissioner of
the roadmap's région (who keeps the roadmap: `governance.perms.can_edit_roadmap`). National steering edits every
roadmap but « Mon espace » does not list the régions' actions to it (a région's roadmap is its commissioner's
task). One query; the due date is the action's « échéance ».

The link: the commissioner edits the action; a pilot's member reads the roadmap's working version when its rules
allow it (`perms.can_read_roadmap_draft`), else its published version; an action of a roadmap never published is
not listed to a member who may read neither."""

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from pacte import formatting
from pacte.accounts.enums import Role
from pacte.accounts.scope import has_role
from pacte.governance import perms
from pacte.governance.roadmap_models import OPEN_ACTION_STATUSES, RoadmapAction
from pacte.workspace.tasks import Task

DUE_SOON_DAYS = 30


def _actions(user, today: date) -> list[RoadmapAction]:
    mine = Q(pk__in=[])
    if user.organisation_id:
        mine |= Q(owner_organisation_id=user.organisation_id)
    if has_role(user, Role.REGIONAL_COMMISSIONER) and user.territory_id:
        mine |= Q(objective__roadmap__region_id=user.territory_id)
    return list(
        RoadmapAction.objects.filter(
            mine, status__in=OPEN_ACTION_STATUSES, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
        .select_related("objective__roadmap__region")
        .order_by("due_date", "pk")
    )


def roadmap_tasks(user, today: date) -> list[Task]:
    if not (user.is_authenticated and user.is_active and user.role):
        return []
    tasks = []
    for action in _actions(user, today):
        roadmap = action.objective.roadmap
        region = roadmap.region
        if has_role(user, Role.REGIONAL_COMMISSIONER) and perms.can_edit_roadmap(user, region):
            url = reverse("governance:roadmap_action_edit", kwargs={"pk": roadmap.pk, "action_pk": action.pk})
            verb = "Mettre à jour l'action"
        elif perms.can_read_roadmap_draft(user, region):
            url, verb = roadmap.get_absolute_url(), "Voir la feuille de route"
        elif roadmap.is_published:
            url, verb = roadmap.get_public_url(), "Voir la feuille de route publiée"
        else:
            continue
        late = action.due_date < today
        tasks.append(
            Task(
                kind="roadmap_actions",
                title=f"Action {action.objective.number}.{action.number} – {action.title}",
                url=url,
                due_on=action.due_date,
                detail=f"{roadmap} ; {action.get_status_display().lower()}"
                + (" ; en retard" if late else f" ; échéance le {formatting.date(action.due_date)}"),
                action=verb,
                is_demo=roadmap.is_demo,
            )
        )
    return tasks
