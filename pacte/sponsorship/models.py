"""Mécénat de proximité: companies validated by the regional commissioner, selected grant projects published
for sponsorship by their association, and the pledges of the companies.

A `Company` is registered with its SIRET and its contact (a company has no account on the platform: its contact
is data, and the commissioner records its pledges on its behalf); the commissioner of the région of its commune
validates or refuses it. A `PublishedProject` is a selected candidature (`grants.Application`, status
« Retenue ») that its association publishes with what it needs (money, skills, goods) and its consent to
publication. A `Pledge` is what a validated company offers a published project: the association accepts or
declines it, then it is marked delivered with what was actually given.

Nothing of a company is public without its consent (`Company.publish_name`); a project is public only while
published with the association's consent. Every state change goes through `services`.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from pacte.core.collation import french
from pacte.sponsorship.enums import CompanyStatus, PledgeKind, PledgeStatus, PublicationStatus

AMOUNT = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Company(models.Model):
    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True)
    address = models.CharField("adresse", max_length=250)
    commune = models.ForeignKey(
        "territories.Territory", verbose_name="commune", on_delete=models.PROTECT, related_name="companies"
    )
    contact_name = models.CharField("personne à contacter", max_length=200)
    contact_email = models.EmailField("adresse électronique de contact")
    publish_name = models.BooleanField(
        "accord pour publier le nom de l'entreprise",
        default=False,
        help_text="Sans cet accord, le nom de l'entreprise n'apparaît sur aucune page publique.",
    )
    status = models.CharField(
        "statut", max_length=12, choices=CompanyStatus.choices, default=CompanyStatus.PENDING
    )
    status_reason = models.TextField("motif du refus", blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    created_at = models.DateTimeField("inscrite le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entreprise mécène"
        verbose_name_plural = "entreprises mécènes"
        ordering = [french("name"), "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sponsorship:company", kwargs={"pk": self.pk})

    @property
    def region(self):
        return self.commune.region

    @property
    def is_validated(self) -> bool:
        return self.status == CompanyStatus.VALIDATED


class PublishedProject(models.Model):
    application = models.OneToOneField(
        "grants.Application",
        verbose_name="projet retenu",
        on_delete=models.PROTECT,
        related_name="sponsorship",
    )
    money_wanted = models.DecimalField("montant recherché (€)", null=True, blank=True, **AMOUNT)
    skills_wanted = models.TextField("compétences recherchées", blank=True)
    goods_wanted = models.TextField("biens recherchés (mécénat en nature)", blank=True)
    deadline = models.DateField("date limite")
    association_consent = models.BooleanField(
        "accord de l'association pour publier le projet",
        default=False,
        help_text="Le titre du projet, le nom de l'association, la commune et les besoins seront publics.",
    )
    status = models.CharField(
        "statut", max_length=8, choices=PublicationStatus.choices, default=PublicationStatus.PUBLISHED
    )
    published_at = models.DateTimeField("publié le", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "projet ouvert au mécénat"
        verbose_name_plural = "projets ouverts au mécénat"
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.application.project_title

    def get_absolute_url(self) -> str:
        return reverse("sponsorship:project", kwargs={"pk": self.pk})

    @property
    def region(self):
        return self.application.call.region

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and self.association_consent


class Pledge(models.Model):
    company = models.ForeignKey(
        Company, verbose_name="entreprise", on_delete=models.PROTECT, related_name="pledges"
    )
    project = models.ForeignKey(
        PublishedProject, verbose_name="projet", on_delete=models.PROTECT, related_name="pledges"
    )
    kind = models.CharField("nature du mécénat", max_length=12, choices=PledgeKind.choices)
    amount = models.DecimalField("montant (€)", null=True, blank=True, **AMOUNT)
    description = models.TextField("description", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.PROPOSED
    )
    proposed_at = models.DateTimeField("proposée le", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("réponse de l'association le", null=True, blank=True)
    decision_note = models.TextField("motif de l'association", blank=True)
    delivered_at = models.DateTimeField("réalisée le", null=True, blank=True)
    delivered_note = models.TextField("ce qui a été donné", blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "promesse de mécénat"
        verbose_name_plural = "promesses de mécénat"
        ordering = ["-proposed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.company} → {self.project}"
