"""Who may use the access-to-rights pages.

The simulator keeps nothing about the person: every signed-in user with a role may use it. A batch of
households holds personal data: only social workers and collectivités upload one, for a territory of their
scope, and only the uploader downloads the per-household results and the rejected lines. The aggregated
counts per commune are also shown to the steering of the territory: the DDETS, the collectivité, the
regional commissioner and national steering, under the statistical secrecy (`secrecy`); the uploader sees every
figure while it holds the per-household results (`sees_every_figure`).
"""

from django.db.models import Q
from django.utils import timezone

from pacte.accounts.enums import Role
from pacte.accounts.scope import covers, has_role, is_national, territory_q

UPLOADER_ROLES = (Role.SOCIAL_WORKER, Role.LOCAL_AUTHORITY)
STEERING_ROLES = (Role.NATIONAL_STEERING, Role.REGIONAL_COMMISSIONER, Role.DDETS, Role.LOCAL_AUTHORITY)


def can_use_simulator(user) -> bool:
    """Every signed-in user with a role: social workers, associations, collectivités, State services."""
    return has_role(user, *Role.values)


def can_upload_households(user) -> bool:
    """Social workers and collectivités (for a territory of their scope: see can_screen_territory)."""
    return has_role(user, *UPLOADER_ROLES) and bool(user.territory_id)


def can_screen_territory(user, territory) -> bool:
    """A social worker or a collectivité, for its own territory or one inside it."""
    return can_upload_households(user) and covers(user, territory)


def is_uploader(user, job) -> bool:
    return bool(user.is_authenticated and user.is_active and job.uploader_id == user.pk)


def can_view_job(user, job) -> bool:
    """The uploader; the DDETS, collectivité, regional commissioner and national steering whose scope holds
    the job's territory (they see its progress and aggregated counts, never a household)."""
    return is_uploader(user, job) or (has_role(user, *STEERING_ROLES) and covers(user, job.territory))


def can_download_results(user, job) -> bool:
    """The uploader only: the per-household results and the rejected lines name households."""
    return is_uploader(user, job)


def sees_every_figure(user, job) -> bool:
    """The uploader, while the per-household results are kept (it holds them, and the list of its households,
    anyway): every figure of the summary. Everyone else, and the uploader too once the results are purged or
    past their retention (the summary is then all that is kept of the households), sees the summary under the
    statistical secrecy."""
    if not is_uploader(user, job) or job.results_purged_at is not None:
        return False
    return job.results_expire_at is None or job.results_expire_at > timezone.now()


def can_list_jobs(user) -> bool:
    """Whoever may upload or see a job of its territory."""
    return has_role(user, *UPLOADER_ROLES, *STEERING_ROLES)


def visible_jobs(user, jobs):
    """`jobs` (a queryset of ScreeningJob) narrowed to what `user` may see."""
    if not (user.is_authenticated and user.is_active):
        return jobs.none()
    mine = Q(uploader=user)
    if is_national(user):
        return jobs
    if has_role(user, *STEERING_ROLES):
        return jobs.filter(mine | territory_q(user, "territory__"))
    return jobs.filter(mine)
