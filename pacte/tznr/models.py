"""The register of the « territoires zéro non-recours » (TZNR): the experiments, what they do, what they cost and
the rights they open.

An `Experiment` is one territory of the experiment set up by article 133 of the loi n° 2022-217 du 21 février
2022 (« 3DS ») and the décret n° 2023-602 du 13 juillet 2023: the 39 territories selected by the arrêté du 4 août
2023 are loaded from data/territoires.yaml with their source (`article` 1 or 2 of the arrêté), and a porteur or
the State may record one that is not (yet) in a published text (`article` empty). It covers a list of territories
of the COG (communes, EPCI, départements) and is placed in a région and, when it lies in one, a département: the
scope rules read those two. A territory of the arrêté whose name no public copy gives is kept as a row « non
identifié » without territories nor région (`identified` false): the arrêté's count stays true, and only
national steering follows it.

Its `Funding` lines are the budget by funder and year; its `OutreachAction`s the « aller-vers » actions; its
`Contact`s the people to reach. A `FollowUpPeriod` is what the porteur reports for a stretch of time (households met,
rights examined, money spent), transmitted then validated by the State (the décret's yearly « bilan » to the
préfet); its `OpenedRight` lines are the rights opened by benefit, as counted by the porteur or returned by the
paying body. `cost` computes the cost of a right opened from the validated periods only.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from pacte.core.collation import french
from pacte.tznr.enums import (
    ExperimentStatus,
    FunderKind,
    LeadKind,
    OpenedBenefit,
    OutreachKind,
    PeriodStatus,
    RightSource,
)

AMOUNT = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Experiment(models.Model):
    name = models.CharField("nom", max_length=200)
    article = models.PositiveSmallIntegerField(
        "article de l'arrêté du 4 août 2023",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text="1 : première liste ; 2 : « à compter du 1er janvier 2024 » ; vide : hors arrêté",
    )
    decree_number = models.PositiveSmallIntegerField(
        "rang dans l'arrêté", null=True, blank=True, unique=True, editable=False
    )
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name="territoires couverts", related_name="tznr_experiments"
    )
    region = models.ForeignKey(
        "territories.Territory",
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tznr_experiments_in_region",
    )
    departement = models.ForeignKey(
        "territories.Territory",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tznr_experiments_in_departement",
        help_text="Vide quand les territoires couverts s'étendent sur plusieurs départements",
    )
    lead_name = models.CharField(
        "chef de file", max_length=200, help_text="Collectivité ou EPCI chef de file"
    )
    lead_kind = models.CharField("type de porteur", max_length=16, choices=LeadKind.choices)
    porteur = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="porteur sur la plateforme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tznr_experiments",
        help_text="Ses membres tiennent la fiche et déclarent les périodes",
    )
    operational_lead = models.CharField("porteur opérationnel", max_length=200, blank=True)
    partners = models.TextField("partenaires", blank=True, help_text="Un partenaire par ligne")
    description = models.TextField("description", blank=True)
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=ExperimentStatus.choices, default=ExperimentStatus.RUNNING
    )
    source = models.TextField("source", blank=True)
    source_url = models.URLField("adresse de la source", max_length=500, blank=True)
    source_quote = models.TextField("phrase citée", blank=True)
    reliability = models.CharField("fiabilité de la source", max_length=1, blank=True)
    identified = models.BooleanField(
        "identifié",
        default=True,
        help_text="Faux pour un territoire de l'arrêté dont aucune copie publique ne donne le nom",
    )
    research = models.TextField("recherches faites", blank=True)
    published_funding = models.TextField(
        "financement publié", blank=True, help_text="Montant publié par une source, avec la phrase citée"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "territoire zéro non-recours"
        verbose_name_plural = "territoires zéro non-recours"
        ordering = [french("name"), "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tznr:experiment", kwargs={"pk": self.pk})

    @property
    def in_decree(self) -> bool:
        """Selected by the arrêté du 4 août 2023."""
        return self.article is not None

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class Funding(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="fundings")
    funder = models.CharField("financeur", max_length=200)
    funder_kind = models.CharField("type de financeur", max_length=16, choices=FunderKind.choices)
    year = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(2023), MaxValueValidator(2030)]
    )
    amount = models.DecimalField("montant (€)", **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "financement"
        verbose_name_plural = "financements"
        ordering = ["year", "funder_kind", french("funder"), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "funder", "year"], name="tznr_funding_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.funder} ({self.year})"


class OutreachAction(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField("type d'action", max_length=20, choices=OutreachKind.choices)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    place = models.CharField("lieu", max_length=200, blank=True)
    start_date = models.DateField("depuis le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action d'aller-vers"
        verbose_name_plural = "actions d'aller-vers"
        ordering = ["kind", french("title"), "pk"]

    def __str__(self) -> str:
        return self.title


class Contact(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("nom", max_length=200)
    function = models.CharField("fonction", max_length=200, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = [french("name"), "pk"]

    def __str__(self) -> str:
        return self.name


class FollowUpPeriod(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField("du")
    end = models.DateField("au")
    households_met = models.PositiveIntegerField("ménages rencontrés")
    rights_examined = models.PositiveIntegerField("droits examinés")
    spent = models.DecimalField(
        "dépenses de la période (€)",
        help_text="Toutes les dépenses de l'expérimentation sur la période, tous financeurs confondus",
        **AMOUNT,
    )
    spending_note = models.TextField(
        "nature des dépenses",
        blank=True,
        help_text="Ce que couvrent les dépenses (personnel, locaux, outils…)",
    )
    comment = models.TextField("commentaire du porteur", blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    review_comment = models.TextField("observations de l'État", blank=True)
    submitted_at = models.DateTimeField("transmise le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "période de suivi"
        verbose_name_plural = "périodes de suivi"
        ordering = ["experiment", "start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "start"], name="tznr_period_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="tznr_period_end_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experiment} : du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("tznr:period", kwargs={"pk": self.experiment_id, "period": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in (PeriodStatus.DRAFT, PeriodStatus.RETURNED)


class OpenedRight(models.Model):
    period = models.ForeignKey(FollowUpPeriod, on_delete=models.CASCADE, related_name="rights")
    benefit = models.CharField("prestation", max_length=24, choices=OpenedBenefit.choices)
    source = models.CharField(
        "compté par", max_length=20, choices=RightSource.choices, default=RightSource.LEAD
    )
    count = models.PositiveIntegerField("droits ouverts")
    monthly_amount = models.DecimalField(
        "montant mensuel total (€)",
        null=True,
        blank=True,
        help_text="Somme des montants mensuels des droits ouverts ; vide quand il n'est pas connu",
        **AMOUNT,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "droits ouverts"
        verbose_name_plural = "droits ouverts"
        ordering = ["period", "benefit", "source", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "benefit", "source"], name="tznr_right_unique_source")
        ]

    def __str__(self) -> str:
        return f"{self.get_benefit_display()} : {self.count}"
