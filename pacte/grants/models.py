"""Appels à projets of the regional commissioner and the grants to associations they lead to.

A `CallForProjects` is published by the commissioner of a région with its criteria, its budget and its
deadline; associations file `Application`s; reviewers assigned to the call score them (`Review`,
`ReviewScore`); the commissioner decides, and a selected application becomes a `GrantAgreement` (a convention
pluriannuelle d'objectifs over several years; over one year a convention annuelle or an arrêté attributif) with
its yearly amounts (`GrantYear`), `Payment`s, yearly `GrantReport`s and the `ReportReminder`s sent for them.
`DeclaredFigure` keeps the aggregate figures published before the platform (never turned into fake grants).
The rules and their sources: `pacte.grants.rules`.

Every state change goes through `services`; simple-history records each version of the rows that change.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.core.collation import french
from pacte.core.models import FiledReport
from pacte.grants import rules
from pacte.grants.enums import (
    DECIDED_STATUSES,
    SCORE_SCALE,
    ApplicationStatus,
    AwardAct,
    CallStatus,
    FundingStatus,
    PaymentConditions,
    ReminderKind,
    ReviewStatus,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}
ZERO = Decimal("0")


class CallForProjects(models.Model):
    """An appel à projets of a regional commissioner. Its effective status (`effective_status`) closes it
    as soon as the deadline passes, whatever the stored status says; `services.close_expired_calls` then
    records it."""

    region = models.ForeignKey(
        "territories.Territory", verbose_name="région", on_delete=models.PROTECT, related_name="calls"
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="service porteur",
        on_delete=models.PROTECT,
        related_name="calls",
    )
    reference = models.SlugField("référence", max_length=40, unique=True)
    title = models.CharField("intitulé", max_length=250)
    description = models.TextField("présentation")
    eligibility = models.TextField("conditions d'éligibilité")
    axes = models.ManyToManyField(
        "programme.Axis", verbose_name="axes du Pacte visés", blank=True, related_name="calls"
    )
    measures = models.ManyToManyField(
        "programme.Measure", verbose_name="mesures du Pacte visées", blank=True, related_name="calls"
    )
    total_budget = models.DecimalField("enveloppe totale (€)", **AMOUNT)
    max_amount_per_year = models.DecimalField("montant maximal par projet et par an (€)", **AMOUNT)
    first_year = models.PositiveSmallIntegerField(
        "première année financée", validators=[MinValueValidator(2019), MaxValueValidator(2035)]
    )
    max_years = models.PositiveSmallIntegerField(
        "durée maximale (années)",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(rules.MAX_YEARS)],
        help_text="De 1 à 4 ans : au-delà d'un an, les projets retenus font l'objet d'une convention pluriannuelle.",
    )
    opens_at = models.DateTimeField("ouverture des candidatures")
    deadline = models.DateTimeField("date limite de dépôt")
    funder_siret = models.CharField(
        "SIRET de l'attribuant",
        max_length=14,
        blank=True,
        help_text="SIRET du service qui attribue les subventions (colonne idAttribuant des données ouvertes).",
    )
    status = models.CharField("statut", max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords(m2m_fields=[axes, measures])

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["-deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:call", kwargs={"pk": self.pk})

    @property
    def years(self) -> range:
        return range(self.first_year, self.first_year + self.max_years)

    def deadline_passed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.deadline

    def effective_status(self, now=None) -> str:
        """The status everyone should see: a published call whose deadline passed is closed."""
        if self.status == CallStatus.PUBLISHED and self.deadline_passed(now):
            return CallStatus.CLOSED
        return self.status

    @property
    def current_status(self) -> str:
        return self.effective_status()

    def get_current_status_display(self) -> str:
        return CallStatus(self.current_status).label

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.deadline

    @property
    def accepting(self) -> bool:
        return self.is_open()

    @property
    def not_yet_open(self) -> bool:
        return self.status == CallStatus.PUBLISHED and timezone.now() < self.opens_at

    @property
    def is_public(self) -> bool:
        return self.status != CallStatus.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.current_status in (CallStatus.CLOSED, CallStatus.DECIDED)


class Criterion(models.Model):
    call = models.ForeignKey(
        CallForProjects, verbose_name="appel à projets", on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField("ordre")
    label = models.CharField("critère", max_length=200)
    description = models.TextField("précisions", blank=True)
    weight = models.PositiveSmallIntegerField(
        "pondération", default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        "note maximale", default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "critère de sélection"
        verbose_name_plural = "critères de sélection"
        ordering = ["call", "order"]
        constraints = [models.UniqueConstraint(fields=["call", "order"], name="criterion_unique_order")]

    def __str__(self) -> str:
        return self.label


class ReviewerAssignment(models.Model):
    """A person asked by the commissioner to score the applications of a call."""

    call = models.ForeignKey(
        CallForProjects, verbose_name="appel à projets", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="évaluateur",
        on_delete=models.PROTECT,
        related_name="grant_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField("désigné le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "désignation d'évaluateur"
        verbose_name_plural = "désignations d'évaluateurs"
        ordering = ["call", french("reviewer__last_name"), "reviewer__username"]
        constraints = [
            models.UniqueConstraint(fields=["call", "reviewer"], name="assignment_unique_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.call}"


class Application(models.Model):
    """A candidature of an association to a call: its project, the amounts it asks for each year, its
    co-financing plan and its indicators."""

    call = models.ForeignKey(
        CallForProjects, verbose_name="appel à projets", on_delete=models.PROTECT, related_name="applications"
    )
    number = models.PositiveSmallIntegerField("numéro")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="association",
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    siret = models.CharField(
        "SIRET de l'association",
        max_length=14,
        blank=True,
        help_text="14 chiffres : le SIREN suivi du numéro d'établissement (NIC) qui recevra la subvention.",
    )
    project_title = models.CharField("intitulé du projet", max_length=250)
    summary = models.TextField("résumé du projet")
    axis = models.ForeignKey(
        "programme.Axis",
        verbose_name="axe du Pacte",
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    measure = models.ForeignKey(
        "programme.Measure",
        verbose_name="mesure du Pacte",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire d'action",
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    total_cost = models.DecimalField("coût total du projet sur sa durée (€)", **AMOUNT)
    contact_name = models.CharField("personne à contacter", max_length=200)
    contact_email = models.EmailField("adresse électronique de contact")
    contact_phone = models.CharField("téléphone", max_length=30, blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivation = models.TextField(
        "motivation de la décision",
        blank=True,
        help_text="Publique pour un projet retenu ; communiquée à l'association seule pour un projet non retenu.",
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "candidature"
        verbose_name_plural = "candidatures"
        ordering = ["call", "number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="application_unique_number")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.reference} – {self.project_title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:application", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"{self.call.reference}-{self.number:03d}"

    @property
    def is_editable(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def is_selected(self) -> bool:
        return self.status == ApplicationStatus.SELECTED

    @property
    def requested_total(self) -> Decimal:
        return sum((row.requested for row in self.amounts.all()), ZERO)


class RequestedAmount(models.Model):
    application = models.ForeignKey(
        Application, verbose_name="candidature", on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField("année")
    requested = models.DecimalField("montant demandé (€)", **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "montant demandé"
        verbose_name_plural = "montants demandés"
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="requested_amount_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} : {formatting.euros(self.requested)}"


class CoFunding(models.Model):
    """A line of the co-financing plan: another funder of the project."""

    application = models.ForeignKey(
        Application, verbose_name="candidature", on_delete=models.CASCADE, related_name="cofundings"
    )
    funder = models.CharField("cofinanceur", max_length=200)
    amount = models.DecimalField("montant (€)", **AMOUNT)
    status = models.CharField("état", max_length=10, choices=FundingStatus.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cofinancement"
        verbose_name_plural = "cofinancements"
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return f"{self.funder} : {formatting.euros(self.amount)}"


class ProjectIndicator(models.Model):
    application = models.ForeignKey(
        Application, verbose_name="candidature", on_delete=models.CASCADE, related_name="indicators"
    )
    label = models.CharField("indicateur", max_length=200)
    unit = models.CharField("unité", max_length=40)
    target = models.DecimalField("cible", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur du projet"
        verbose_name_plural = "indicateurs du projet"
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.label


class Review(models.Model):
    """One reviewer's scoring of one application, criterion by criterion."""

    application = models.ForeignKey(
        Application, verbose_name="candidature", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="évaluateur",
        on_delete=models.PROTECT,
        related_name="grant_reviews",
    )
    status = models.CharField("état", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    comment = models.TextField("avis général", blank=True)
    no_conflict_declared = models.BooleanField(
        "absence de conflit d'intérêts déclarée",
        default=False,
        help_text="L'évaluateur déclare n'avoir aucun lien avec l'association candidate.",
    )
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["application", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique_reviewer")
        ]

    def __str__(self) -> str:
        return f"Évaluation de {self.reviewer} – {self.application.reference}"


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name="évaluation", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="critère", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField("note")
    comment = models.TextField("commentaire", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        ordering = ["review", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion} : {self.score}/{self.criterion.max_score}"


def weighted_score(scores) -> Decimal | None:
    """The score of one review out of SCORE_SCALE: each criterion's score over its maximum, weighted."""
    weights = ZERO
    total = ZERO
    for score in scores:
        weight = Decimal(score.criterion.weight)
        weights += weight
        total += weight * Decimal(score.score) / Decimal(score.criterion.max_score)
    if not weights:
        return None
    return formatting.round_half_up(total / weights * SCORE_SCALE, 2)


class GrantAgreement(models.Model):
    """The subsidy granted to a selected application: over several years a convention pluriannuelle d'objectifs
    (« CPO-… »); over one year a convention annuelle d'objectifs (« CAO-… ») or an arrêté attributif
    (« AAS-… »), the convention being required above 23 000 € a year for the association (`pacte.grants.rules`).
    One-year grants numbered « CPO-… » before 2026 keep that number in `former_number`."""

    application = models.OneToOneField(
        Application, verbose_name="candidature", on_delete=models.PROTECT, related_name="agreement"
    )
    number = models.CharField("numéro", max_length=40, unique=True)
    former_number = models.CharField(
        "ancien numéro",
        max_length=40,
        blank=True,
        help_text="Numéro « CPO-… » d'une subvention d'un an, renumérotée en 2026 (« CPO » est réservé aux "
        "conventions pluriannuelles).",
    )
    act = models.CharField(
        "acte attributif",
        max_length=10,
        choices=AwardAct.choices,
        default=AwardAct.CONVENTION,
        help_text="Une convention au-delà de 23 000 € par an pour l'association (loi n° 2000-321, art. 10 ; "
        "décret n° 2001-495) ; en dessous, un arrêté attributif suffit.",
    )
    decision_reference = models.CharField(
        "référence de la décision",
        max_length=60,
        blank=True,
        help_text="Référence de l'arrêté ou de la décision d'attribution (colonne referenceDecision).",
    )
    signed_on = models.DateField("date de la convention ou de l'arrêté")
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    conditions = models.TextField("conditions particulières", blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "subvention attribuée"
        verbose_name_plural = "subventions attribuées"
        ordering = ["-signed_on", "number"]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("grants:agreement", kwargs={"pk": self.pk})

    @property
    def is_multi_year(self) -> bool:
        return self.start_date.year != self.end_date.year

    @property
    def is_order(self) -> bool:
        return self.act == AwardAct.ORDER

    @property
    def kind_label(self) -> str:
        """« Convention pluriannuelle d'objectifs », « Convention annuelle d'objectifs » or « Arrêté attributif
        de subvention »."""
        if self.is_order:
            return AwardAct.ORDER.label
        return (
            "Convention pluriannuelle d'objectifs"
            if self.is_multi_year
            else "Convention annuelle d'objectifs"
        )

    @property
    def payment_conditions(self) -> str:
        return PaymentConditions.STAGGERED if self.is_multi_year else PaymentConditions.UNIQUE


class GrantYear(models.Model):
    agreement = models.ForeignKey(
        GrantAgreement, verbose_name="convention", on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField("année")
    amount = models.DecimalField("montant attribué (€)", **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "montant annuel attribué"
        verbose_name_plural = "montants annuels attribués"
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="grant_year_unique_year")]

    def __str__(self) -> str:
        return f"{self.year} : {formatting.euros(self.amount)}"

    @property
    def report_due_on(self):
        return rules.report_due_on(self.year)


class Payment(models.Model):
    agreement = models.ForeignKey(
        GrantAgreement, verbose_name="convention", on_delete=models.PROTECT, related_name="payments"
    )
    year = models.PositiveSmallIntegerField("année de la subvention")
    paid_on = models.DateField("versé le")
    amount = models.DecimalField(
        "montant versé (€)", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reference = models.CharField("référence du paiement", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["agreement", "year", "paid_on", "pk"]

    def __str__(self) -> str:
        return f"Versement {self.year} du {formatting.short_date(self.paid_on)} : {formatting.euros(self.amount)}"


class GrantReport(FiledReport):
    """The yearly report of a convention: filed by the association, validated or sent back by the State."""

    noun = "compte rendu"
    missing_review_comment = "Expliquez ce qui doit être complété avant de renvoyer le compte rendu."

    agreement = models.ForeignKey(
        GrantAgreement, verbose_name="convention", on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField("année")
    narrative = models.TextField("compte rendu de l'action", blank=True)
    amount_spent = models.DecimalField("dépenses réalisées (€)", null=True, blank=True, **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "compte rendu annuel"
        verbose_name_plural = "comptes rendus annuels"
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="grant_report_unique_year")]

    def __str__(self) -> str:
        return f"Compte rendu {self.year} – {self.agreement.number}"

    def get_absolute_url(self) -> str:
        return reverse("grants:report", kwargs={"pk": self.agreement_id, "year": self.year})

    @property
    def due_on(self):
        """Six months after the end of the year (loi n° 2000-321, art. 10; `pacte.grants.rules`)."""
        return rules.report_due_on(self.year)


class GrantReportValue(models.Model):
    report = models.ForeignKey(
        GrantReport, verbose_name="compte rendu", on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        ProjectIndicator, verbose_name="indicateur", on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(
        "valeur atteinte", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "valeur atteinte"
        verbose_name_plural = "valeurs atteintes"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="grant_report_value_unique_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} : {self.value}"


class ReportReminder(models.Model):
    """A reminder sent by e-mail to an association whose yearly report is due soon or late (`pacte grants
    relancer`), kept so that the next one waits a month and the follow-up shows it."""

    agreement = models.ForeignKey(
        GrantAgreement, verbose_name="subvention", on_delete=models.CASCADE, related_name="reminders"
    )
    year = models.PositiveSmallIntegerField("année du compte rendu")
    kind = models.CharField("motif", max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField("envoyée le")
    recipient_count = models.PositiveSmallIntegerField(
        "nombre de destinataires", help_text="Les adresses ne sont pas conservées."
    )

    class Meta:
        verbose_name = "relance de compte rendu"
        verbose_name_plural = "relances de comptes rendus"
        ordering = ["agreement", "year", "-sent_at"]
        indexes = [models.Index(fields=["agreement", "year", "sent_at"])]

    def __str__(self) -> str:
        return f"Relance du compte rendu {self.year} – {self.agreement.number}"


class DeclaredFigure(models.Model):
    """A consolidated figure published before the platform (State credits to associations and number of
    projects over a period), kept as declared with its source: it is never spread into individual grants."""

    region = models.ForeignKey(
        "territories.Territory",
        verbose_name="région",
        on_delete=models.PROTECT,
        related_name="declared_grants",
    )
    period_start = models.PositiveSmallIntegerField("de")
    period_end = models.PositiveSmallIntegerField("à")
    amount = models.DecimalField("crédits de l'État (€)", **AMOUNT)
    project_count = models.PositiveIntegerField("nombre de projets")
    label = models.CharField("libellé", max_length=250)
    source_file = models.CharField("fichier source", max_length=100)
    source_excerpt = models.TextField("extrait de la source")

    class Meta:
        verbose_name = "chiffre déclaré"
        verbose_name_plural = "chiffres déclarés"
        ordering = ["region", "period_start", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period_start", "period_end"], name="declared_figure_unique_period"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}-{self.period_end}"
