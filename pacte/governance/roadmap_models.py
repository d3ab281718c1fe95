"""The regional roadmap (feuille de route régionale): one per région and year, its objectives and their actions,
each with an owner, partners, a due date and a status, fed by the regional working groups (a decision of a
meeting can create or update an action: `pacte.governance.services.roadmap.action_from_decision`).

Seed 003 (« Alimenter la feuille de route régionale », « construire la feuille de route des GT »): the regional
commissioner leads the roadmap of its région with the working groups. The working version is read by the State
services of the région; the version frozen at publication (`published_content`) is what everyone reads.

Kept in this module (imported at the end of `models.py`) so that `models.py` stays under the 800-line limit of
the architecture test.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte.core.validators import SingleLine

# The years of the Pacte des solidarités 2023-2027 (seed 000) and a margin after it for its follow-up.
FIRST_YEAR, LAST_YEAR = 2023, 2030


class RoadmapStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publiee", "Publiée"


class RoadmapActionStatus(models.TextChoices):
    TO_START = "a_engager", "À engager"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "realisee", "Réalisée"
    DROPPED = "abandonnee", "Abandonnée"
    POSTPONED = "reportee", "Reportée"


OPEN_ACTION_STATUSES = (RoadmapActionStatus.TO_START, RoadmapActionStatus.IN_PROGRESS)


class Roadmap(models.Model):
    region = models.ForeignKey(
        "territories.Territory",
        verbose_name="région",
        on_delete=models.PROTECT,
        related_name="roadmaps",
        limit_choices_to={"level": "region"},
    )
    year = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    title = models.CharField("intitulé", max_length=250, validators=[SingleLine("intitulé")])
    status = models.CharField(
        "statut", max_length=10, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT
    )
    published_content = models.JSONField("version publiée", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("publiée le", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publication_number = models.PositiveIntegerField("version publiée n°", default=0, editable=False)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["published_content"])

    class Meta:
        verbose_name = "feuille de route régionale"
        verbose_name_plural = "feuilles de route régionales"
        ordering = ["region__code", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="roadmap_unique_region_year")]

    def __str__(self) -> str:
        return f"Feuille de route {self.year} – {self.region.name}"

    def get_absolute_url(self) -> str:
        return reverse("governance:roadmap", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("governance:roadmap_public", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_content is not None


class RoadmapObjective(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, verbose_name="feuille de route", on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300, validators=[SingleLine("intitulé")])
    axis = models.ForeignKey(
        "programme.Axis",
        verbose_name="axe du Pacte",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif de la feuille de route"
        verbose_name_plural = "objectifs de la feuille de route"
        ordering = ["roadmap", "number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_objective_unique_number")
        ]

    def __str__(self) -> str:
        return f"Objectif {self.number} – {self.title}"


class RoadmapAction(models.Model):
    objective = models.ForeignKey(
        RoadmapObjective, verbose_name="objectif", on_delete=models.CASCADE, related_name="actions"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300, validators=[SingleLine("intitulé")])
    description = models.TextField("description", blank=True)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="pilote (organisation)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_text = models.CharField(
        "pilote (hors plateforme)",
        max_length=250,
        blank=True,
        validators=[SingleLine("pilote (hors plateforme)")],
        help_text="Un service ou une organisation sans compte sur la plateforme",
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", verbose_name="partenaires", blank=True, related_name="+"
    )
    partners_text = models.CharField(
        "autres partenaires",
        max_length=500,
        blank=True,
        validators=[SingleLine("autres partenaires")],
        help_text="Les partenaires sans compte sur la plateforme, séparés par des virgules",
    )
    due_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=RoadmapActionStatus.choices, default=RoadmapActionStatus.TO_START
    )
    source_decision = models.OneToOneField(
        "governance.Decision",
        verbose_name="décision d'origine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadmap_action",
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = "action de la feuille de route"
        verbose_name_plural = "actions de la feuille de route"
        ordering = ["objective", "number"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="roadmap_action_unique_number")
        ]

    def __str__(self) -> str:
        return f"Action {self.objective.number}.{self.number} – {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue_on(self, day) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def owner_label(self) -> str:
        parts = [self.owner_organisation.name if self.owner_organisation_id else "", self.owner_text]
        return " – ".join(part for part in parts if part)
