"""Batch screening jobs of the access-to-rights engine and the aggregated counts they leave behind.

A job holds no personal data in the database: the uploaded household file, the per-household results and
the rejected lines are files in a private directory (`files.private_dir()`, never served by the web
server). The upload is deleted when the job ends; the results and rejects when `results_expire_at` has
passed (`pacte rights purge`). The aggregates per commune and département are counts and amounts, kept.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from pacte.formatting import number, percent, plural
from pacte.screening.enums import AggregateLevel, JobStatus


class ScreeningJob(models.Model):
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="screening_jobs",
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="screening_jobs",
        help_text="Seuls les foyers des communes de ce territoire sont examinés.",
    )
    month = models.CharField("mois calculé", max_length=7, help_text="AAAA-MM")
    file_name = models.CharField("fichier déposé", max_length=255)
    file_size = models.PositiveBigIntegerField("taille (octets)", default=0)
    status = models.CharField("état", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField("message d'erreur", blank=True)
    total_rows = models.PositiveIntegerField("lignes du fichier", null=True, blank=True)
    rows = models.PositiveIntegerField("lignes lues", default=0)
    households = models.PositiveIntegerField("foyers examinés", default=0)
    rejected = models.PositiveIntegerField("foyers refusés", default=0)
    result_rows = models.PositiveIntegerField("lignes de résultats", default=0)
    # Names inside files.private_dir(); empty once deleted.
    upload_name = models.CharField("fichier déposé (stockage)", max_length=200, blank=True, editable=False)
    results_name = models.CharField("résultats (stockage)", max_length=200, blank=True, editable=False)
    rejects_name = models.CharField("rejets (stockage)", max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    results_expire_at = models.DateTimeField("résultats supprimés après le", null=True, blank=True)
    results_purged_at = models.DateTimeField("résultats supprimés le", null=True, blank=True)

    class Meta:
        verbose_name = "traitement par lot"
        verbose_name_plural = "traitements par lot"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Traitement n° {self.pk} ({self.file_name})"

    def get_absolute_url(self) -> str:
        return reverse("screening:job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        """Progress of the job, 0 to 100."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.rows * 100 // self.total_rows)

    @property
    def progress_text(self) -> str:
        """The progress as the job page writes it: « 25 % – 50 lignes lues sur 200, 20 foyers examinés,
        1 refusé. »"""
        if self.status == JobStatus.QUEUED:
            return "En attente d’un emplacement de calcul."
        total = f" sur {number(self.total_rows)}" if self.total_rows else ""
        return (
            f"{percent(self.percent, 0)} – {plural(self.rows, 'ligne lue', 'lignes lues')}{total}, "
            f"{plural(self.households, 'foyer examiné', 'foyers examinés')}, {plural(self.rejected, 'refusé')}."
        )

    @property
    def year(self) -> int:
        return int(self.month[:4])

    @property
    def has_results(self) -> bool:
        return bool(self.results_name)

    @property
    def has_rejects(self) -> bool:
        return bool(self.rejects_name) and self.rejected > 0


class ScreeningAggregate(models.Model):
    """One line of a job's summary: for a commune or a département, and a benefit (empty: all benefits),
    the households screened, those with a potential non-take-up and those with a probable one, and the amounts
    not claimed (monthly benefits per month, yearly aids per year).

    The probable figures, the yearly amounts and the counts of households adding to each amount came with the
    household file v2 (issue 14): they are empty (None) on the lines of older jobs, whose monthly amount also
    counted the yearly aids for a twelfth.
    """

    # The figures of a line, in the order of the summary CSV's columns (queries.SUMMARY_HEADER), as the engine
    # gives them (pacte.rights.detect.SummaryRow, same names).
    FIGURES = (
        "households",
        "non_take_up_households",
        "non_take_up_amount",
        "probable_households",
        "probable_amount",
        "opened_amount",
        "non_take_up_yearly_amount",
        "probable_yearly_amount",
    )
    # How many households add to each amount (the statistical secrecy needs them; not in the CSV).
    CONTRIBUTORS = (
        "monthly_households",
        "probable_monthly_households",
        "yearly_households",
        "probable_yearly_households",
    )

    job = models.ForeignKey(
        ScreeningJob, verbose_name="traitement", on_delete=models.CASCADE, related_name="aggregates"
    )
    level = models.CharField("niveau", max_length=12, choices=AggregateLevel.choices)
    code = models.CharField("code INSEE", max_length=12, help_text="« inconnue » : commune non renseignée.")
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    benefit = models.CharField("prestation", max_length=20, blank=True, help_text="Vide : toutes.")
    households = models.PositiveIntegerField("foyers examinés")
    non_take_up_households = models.PositiveIntegerField("foyers en non-recours potentiel")
    non_take_up_amount = models.DecimalField(
        "montant mensuel non perçu (€)", max_digits=14, decimal_places=2, default=0
    )
    probable_households = models.PositiveIntegerField(
        "foyers en non-recours probable",
        null=True,
        blank=True,
        help_text="Ligne d'un territoire : foyers ayant au moins un droit probable non perçu du socle (NRPE).",
    )
    probable_amount = models.DecimalField(
        "montant mensuel probable non perçu (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    opened_amount = models.DecimalField(
        "montant mensuel si tous les droits probables sont ouverts (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    non_take_up_yearly_amount = models.DecimalField(
        "montant annuel non perçu (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    probable_yearly_amount = models.DecimalField(
        "montant annuel probable non perçu (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Households adding to each amount (CONTRIBUTORS).
    monthly_households = models.PositiveIntegerField("foyers du montant mensuel", null=True, blank=True)
    probable_monthly_households = models.PositiveIntegerField(
        "foyers du montant mensuel probable", null=True, blank=True
    )
    yearly_households = models.PositiveIntegerField("foyers du montant annuel", null=True, blank=True)
    probable_yearly_households = models.PositiveIntegerField(
        "foyers du montant annuel probable", null=True, blank=True
    )

    class Meta:
        verbose_name = "synthèse d'un traitement"
        verbose_name_plural = "synthèses des traitements"
        ordering = ["job", "level", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "level", "code", "benefit"], name="screening_aggregate_unique_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_id} {self.level} {self.code} {self.benefit or 'toutes'}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of the rights workers (`pacte rights traiter`), one row (pk 1) that every worker
    overwrites at most every `jobs.WORKER_BEAT_EVERY` seconds; `/sante/` reads it (« en retard » past
    `PACTE_WORKER_STALE_SECONDS`). A table rather than a cache file: the web servers and the workers may run on
    different machines. Its writes leave the data version alone (pacte/core/data_version.py)."""

    beat_at = models.DateTimeField("dernier signe de vie")
    host = models.CharField("machine", max_length=255, blank=True)
    pid = models.PositiveIntegerField("processus", null=True, blank=True)

    class Meta:
        verbose_name = "signe de vie du traitement par lot"
        verbose_name_plural = "signes de vie du traitement par lot"

    def __str__(self) -> str:
        return f"{self.host or '?'} ({self.pid or '?'}) : {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ExperimentMoment(models.TextChoices):
    """When a batch job attached to a territoire zéro non-recours screened its households."""

    BEFORE = "avant", "Avant l'expérimentation"
    AFTER = "apres", "Après (pendant ou à la fin de l'expérimentation)"


class ExperimentScreening(models.Model):
    """A batch job run on the territory of a territoire zéro non-recours, attached to it as a measure « avant » or
    « après » (`tznr_link` reads the NRPE of both on the same communes, under the statistical secrecy)."""

    experiment = models.ForeignKey(
        "tznr.Experiment",
        verbose_name="territoire zéro non-recours",
        on_delete=models.CASCADE,
        related_name="screenings",
    )
    job = models.ForeignKey(
        ScreeningJob, verbose_name="traitement", on_delete=models.CASCADE, related_name="experiment_links"
    )
    moment = models.CharField("moment", max_length=8, choices=ExperimentMoment.choices)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rattaché par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attached_at = models.DateTimeField("rattaché le", auto_now_add=True)

    class Meta:
        verbose_name = "traitement rattaché à un territoire zéro non-recours"
        verbose_name_plural = "traitements rattachés aux territoires zéro non-recours"
        ordering = ["experiment", "moment", "job__month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "job"], name="screening_experiment_job_unique")
        ]

    def __str__(self) -> str:
        return f"{self.experiment} : traitement n° {self.job_id} ({self.get_moment_display()})"
