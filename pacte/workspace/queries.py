"""The tasks that wait on a user, by kind (`tasks.KINDS`), for « Mon espace » and the count of its menu entry.

Each part of the platform lists its own kind of tasks with that app's rules (`*_tasks.py`); this module puts them
together, groups and orders them (`tasks.group`), and keeps the count in the default cache (`task_count`), so
that a page of a signed-in user does not run every task query.
"""

import time
from datetime import date

from django.core.cache import cache
from django.utils import timezone

from pacte.core import data_version
from pacte.workspace.contract_tasks import campaign_tasks, contract_tasks
from pacte.workspace.governance_tasks import governance_tasks
from pacte.workspace.grant_tasks import grant_tasks
from pacte.workspace.roadmap_tasks import roadmap_tasks
from pacte.workspace.screening_tasks import screening_tasks
from pacte.workspace.sponsorship_tasks import sponsorship_tasks
from pacte.workspace.tasks import Group, Task, group
from pacte.workspace.tznr_tasks import tznr_tasks

COUNT_SECONDS = 600  # the count also depends on the clock (a job finished, a campaign's year over)
STALE_SECONDS = 60  # how long a kept count may lag behind the writes of others


def has_assignment(user) -> bool:
    """A signed-in user with a role: an account created by ProConnect waits for an administrator to give it a role
    and a territory, and has no task until then."""
    return bool(user.is_authenticated and user.is_active and user.role)


def all_tasks(user, today: date | None = None) -> list[Task]:
    today = today or timezone.localdate()
    if not has_assignment(user):
        return []
    return (
        contract_tasks(user, today)
        + campaign_tasks(user, today)
        + grant_tasks(user, today)
        + governance_tasks(user, today)
        + roadmap_tasks(user, today)
        + sponsorship_tasks(user, today)
        + screening_tasks(user, today)
        + tznr_tasks(user, today)
    )


def task_groups(user, today: date | None = None) -> list[Group]:
    today = today or timezone.localdate()
    return group(all_tasks(user, today), today)


def _count_key(user, today: date) -> str:
    return f"pacte:workspace:count:{user.pk}:{today.isoformat()}"


def _now() -> float:
    return time.time()


def remember_count(user, today: date, count: int) -> None:
    """Keep the count of the tasks just listed (« Mon espace » itself), so that its header does not list them again."""
    cache.set(_count_key(user, today), (count, data_version.current(), _now()), COUNT_SECONDS)


def task_count(user) -> int | None:
    """The number of tasks of `user` (None for an anonymous visitor), kept per user and day. A kept count is used
    while the data have not changed since (the global data version, `core.data_version`), or, when they have, for
    `STALE_SECONDS` more: on a platform in use the version changes with every write of anyone, and the menu's
    badge of every signed-in page would list all the tasks again. « Mon espace » itself always lists them afresh
    and keeps its count. The batch jobs' table is not watched by the data version
    (`core.data_version.UNWATCHED_TABLES`): a count is never kept longer than `COUNT_SECONDS`."""
    if not user.is_authenticated:
        return None
    if not has_assignment(user):
        return 0
    today = timezone.localdate()
    key = _count_key(user, today)
    kept = cache.get(key)
    if kept is not None:
        count, version, stored_at = kept
        if version == data_version.current() or _now() - stored_at < STALE_SECONDS:
            return count
    count = len(all_tasks(user, today))
    remember_count(user, today, count)
    return count
