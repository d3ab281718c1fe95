"""The batch jobs of a territoire zéro non-recours: attaching a job run on its territory as a measure « avant » or
« après », and the NRPE of both on the same communes, under the statistical secrecy.

- **Who attaches or detaches**: a user who follows the experiment (`tznr.perms.can_follow`) and, to attach, may
  see the job (`perms.can_view_job`). Only a finished job whose territory lies within the experiment's territories
  may be attached, once per experiment.
- **Who reads**: the followers of the experiment (the block is part of its follow-up); the figures are the masked
  ones of the job pages, whoever reads them.
- **The NRPE of a moment** (`indicator`'s rule: the share of screened households with a probable non-take-up of a
  core benefit): each commune takes the latest finished job of the moment that screened it; when both moments
  have jobs, only the communes screened by both count (the same scope before and after), and the page says how
  many.
- **Secrecy** (`secrecy`, INSEE's rule of 11 households): a moment's figure is given only when it is computed on
  at least MIN_HOUSEHOLDS households and when, for each job, the communes it adds are either all shown on the
  job's masked summary or all of the job's communes (then the figure is the job's, shown when the job's is):
  otherwise a hidden commune could be recomputed by subtraction from the job's page. The gap is given when both
  figures are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from pacte.core.errors import Errors
from pacte.formatting import share
from pacte.screening import perms, queries, secrecy
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ExperimentMoment, ExperimentScreening, ScreeningAggregate, ScreeningJob
from pacte.territories.enums import Level
from pacte.tznr import perms as tznr_perms

MAX_CHOICES = 200  # jobs offered in the form, the newest first
SECRET_SENTENCE = (
    f"Secret statistique : aucun chiffre n’est donné sur moins de {secrecy.MIN_HOUSEHOLDS} foyers"
)


def within(job: ScreeningJob, experiment) -> bool:
    """The job's territory is one of the experiment's territories or lies inside one."""
    return any(territory.contains(job.territory) for territory in experiment.territories.all())


def attachable_jobs(user, experiment) -> list[ScreeningJob]:
    """The finished jobs `user` may see, run within the experiment's territories and not yet attached to it."""
    if not tznr_perms.can_follow(user, experiment):
        return []
    jobs = perms.visible_jobs(user, ScreeningJob.objects.filter(status=JobStatus.DONE)).select_related(
        "territory"
    )
    attached = ExperimentScreening.objects.filter(experiment=experiment).values("job_id")
    jobs = jobs.filter(_within_q(experiment)).exclude(pk__in=attached).order_by("-month", "-pk")
    return [job for job in jobs[:MAX_CHOICES] if within(job, experiment)]


def _within_q(experiment) -> Q:
    """A filter on ScreeningJob: its territory is one of the experiment's or lies inside one
    (`Territory.contains`, as a query)."""
    condition = Q(pk__in=[])
    for territory in experiment.territories.all():
        condition |= Q(territory=territory)
        if territory.level in (Level.REGION, Level.COM):
            condition |= Q(territory__region=territory) | Q(territory__parent=territory)
        elif territory.level == Level.DEPARTEMENT:
            condition |= Q(territory__departement=territory) | Q(territory__parent=territory)
        elif territory.level == Level.EPCI:
            condition |= Q(territory__epci=territory)
    return condition


@transaction.atomic
def attach_job(user, experiment, job: ScreeningJob, moment: str) -> ExperimentScreening:
    if not (tznr_perms.can_follow(user, experiment) and perms.can_view_job(user, job)):
        raise PermissionDenied
    errors = Errors()
    if moment not in ExperimentMoment.values:
        errors.add("moment", "Choisissez « avant » ou « après » l'expérimentation.")
    if job.status != JobStatus.DONE:
        errors.add("job", f"Le traitement n° {job.pk} n'est pas terminé : rattachez-le une fois terminé.")
    elif not within(job, experiment):
        names = ", ".join(territory.name for territory in experiment.territories.all()) or "aucun territoire"
        errors.add(
            "job",
            f"Le traitement n° {job.pk} porte sur {job.territory.name}, hors des territoires de l'expérimentation "
            f"({names}) : seul un traitement de ces territoires (ou d'une de leurs communes) peut être rattaché.",
        )
    elif ExperimentScreening.objects.filter(experiment=experiment, job=job).exists():
        errors.add("job", f"Le traitement n° {job.pk} est déjà rattaché à cette expérimentation.")
    errors.raise_if_any()
    return ExperimentScreening.objects.create(experiment=experiment, job=job, moment=moment, attached_by=user)


@transaction.atomic
def detach_job(user, link: ExperimentScreening) -> None:
    if not tznr_perms.can_follow(user, link.experiment):
        raise PermissionDenied
    link.delete()


# --- The NRPE before and after ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MomentFigure:
    moment: str
    label: str
    jobs: list[ScreeningJob]
    communes: int  # communes of the common scope this moment's figure is computed on
    households: int | None  # None: secret, or nothing computed
    probable: int | None
    rate: Decimal | None  # %, one decimal
    secret: bool

    @property
    def computed(self) -> bool:
        return self.communes > 0


@dataclass(frozen=True)
class ExperimentNrpe:
    links: list[ExperimentScreening]
    moments: list[MomentFigure] = field(default_factory=list)
    same_scope: bool = False  # both moments have figures, on the communes screened by both
    gap: Decimal | None = None  # after − before, in percentage points
    gap_secret: bool = False

    @property
    def has_secret(self) -> bool:
        return self.gap_secret or any(moment.secret for moment in self.moments)


def links_of(experiment) -> list[ExperimentScreening]:
    return list(
        ExperimentScreening.objects.filter(experiment=experiment)
        .select_related("job__territory", "attached_by")
        .order_by("moment", "job__month", "job_id")
    )


def _latest_lines(jobs: list[ScreeningJob]) -> dict[int, tuple[int, int, int]]:
    """{commune pk: (job pk, households, probable households)}, the latest finished job of `jobs` for each commune
    (jobs before the household file v2, without a probable count, are left out, as by the indicator)."""
    lines = (
        ScreeningAggregate.objects.filter(
            job__in=[job.pk for job in jobs],
            job__status=JobStatus.DONE,
            level=AggregateLevel.COMMUNE,
            benefit="",
            territory__isnull=False,
            probable_households__isnull=False,
        )
        .order_by("job__finished_at", "job_id")
        .values_list("territory_id", "job_id", "households", "probable_households")
    )
    return {commune: (job, screened, probable) for commune, job, screened, probable in lines}


def _safe(job: ScreeningJob, communes: set[int]) -> bool:
    """Whether the sum over `communes` of `job` gives nothing away that its masked summary hides: every one of
    them is shown there, or they are all the job's communes and the job's total is shown."""
    summary = queries.job_summary(job, masked=True)
    lines = dict(
        job.aggregates.filter(level=AggregateLevel.COMMUNE, benefit="").values_list("code", "territory_id")
    )
    codes = {code for code, territory in lines.items() if territory in communes}
    hidden = {
        row.code
        for row in summary.territories
        if row.level == AggregateLevel.COMMUNE and row.hidden & {"households", "probable_households"}
    }
    if not codes & hidden:
        return True
    return codes == set(lines) and not summary.benefits_withheld


def experiment_nrpe(experiment) -> ExperimentNrpe:
    """The jobs attached to the experiment and the NRPE of each moment on the same communes."""
    links = links_of(experiment)
    jobs = defaultdict(list)
    for link in links:
        jobs[link.moment].append(link.job)
    latest = {moment: _latest_lines(jobs[moment]) for moment in ExperimentMoment.values if jobs[moment]}
    scope = None
    if len(latest) == 2:
        scope = set(latest[ExperimentMoment.BEFORE]) & set(latest[ExperimentMoment.AFTER])
    by_pk = {link.job.pk: link.job for link in links}
    moments = []
    for moment, label in ExperimentMoment.choices:
        if moment not in latest:
            continue
        lines = {
            commune: line for commune, line in latest[moment].items() if scope is None or commune in scope
        }
        parts: dict[int, set[int]] = defaultdict(set)
        for commune, (job, _, _) in lines.items():
            parts[job].add(commune)
        screened = sum(line[1] for line in lines.values())
        probable = sum(line[2] for line in lines.values())
        secret = bool(lines) and (
            screened < secrecy.MIN_HOUSEHOLDS
            or not all(_safe(by_pk[job], part) for job, part in parts.items())
        )
        moments.append(
            MomentFigure(
                moment=moment,
                label=label,
                jobs=jobs[moment],
                communes=len(lines),
                households=None if secret or not lines else screened,
                probable=None if secret or not lines else probable,
                rate=None if secret or not lines else share(probable, screened, 1),
                secret=secret,
            )
        )
    gap, gap_secret = None, False
    if len(moments) == 2 and all(moment.computed for moment in moments):
        before, after = moments
        if before.secret or after.secret:
            gap_secret = True
        elif before.rate is not None and after.rate is not None:
            gap = after.rate - before.rate
    return ExperimentNrpe(
        links=links,
        moments=moments,
        same_scope=len(moments) == 2 and scope is not None,
        gap=gap,
        gap_secret=gap_secret,
    )
