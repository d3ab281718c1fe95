"""The pactes locaux des solidarités: the pact, its perimeter, priorities, priority publics and signatories;
the regional envelopes of credits for the pacts and their split among départements; the actions collected
under a pact and their follow-up.

"Pacte local" has two meanings in the texts, and one model holds both:

- the 2023 strategic document next to the contrat local (instruction n° DGCS/SD1B/2023/169 of 23 November
  2023, as summarised by La Gazette des communes, December 2023,
  https://www.lagazettedescommunes.com/901107/la-mise-en-oeuvre-territoriale-du-pacte-national-des-solidarites):
  « document stratégique signé par toutes les institutions volontaires ayant participé au diagnostic en plus des
  deux cocontractants […] en mentionnant la contribution de chaque institution » → `PactSignatory` with its
  `contribution`;
- the pacts of the instruction of 12 June 2024 (its number is not published in what could be read; summarised
  by ASH, https://ash.tm.fr/juridique/pactes-locaux-de-solidarite-quels-enjeux-pour-2024-914195.php):
  « une à trois priorités identifiées, sur un périmètre géographique précis » (`perimeter`, `PactPriority`),
  « un plan d'action, avec un pilote à sa tête, chargé d'organiser un comité technique », publics « en priorité
  les enfants, les femmes, les familles monoparentales, ainsi que les travailleurs pauvres » (`PriorityPublic`),
  « Chaque région se voit attribuer une enveloppe » (`PactEnvelope`) shared by the commissioners, « garants de
  leur bonne répartition » (`PactAllocation`), and « Un formulaire de recueil des actions menées est produit par
  la Délégation interministérielle » (`PactAction`: that form is not published, so its fields are the
  platform's own).

The rules live in `pacte.contracts.services.pacts`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from pacte.contracts.enums import PERIOD_END, PERIOD_START, PactActionStatus, PriorityPublic
from pacte.contracts.models.common import AMOUNT, YEAR_VALIDATORS
from pacte.territories.enums import Level


def publics_display(codes: list[str]) -> list[str]:
    """The French labels of a list of PriorityPublic codes, in the order of the instruction."""
    return [public.label for public in PriorityPublic if public.value in codes]


class LocalPact(models.Model):
    """The pacte local des solidarités of a département or a métropole (see the module docstring)."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="local_pacts",
    )
    period_start = models.PositiveSmallIntegerField("première année", default=PERIOD_START)
    period_end = models.PositiveSmallIntegerField("dernière année", default=PERIOD_END)
    title = models.CharField("intitulé", max_length=250)
    diagnostic_summary = models.TextField("synthèse du diagnostic territorial")
    perimeter = models.ManyToManyField(
        "territories.Territory",
        verbose_name="périmètre",
        blank=True,
        related_name="+",
        help_text="EPCI ou communes du territoire sur lesquels porte le pacte ; vide : tout le territoire.",
    )
    priority_publics = models.JSONField(
        "publics prioritaires",
        default=list,
        blank=True,
        help_text="Codes de PriorityPublic : enfants, femmes, familles monoparentales, travailleurs pauvres.",
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(m2m_fields=[perimeter])

    class Meta:
        verbose_name = "pacte local des solidarités"
        verbose_name_plural = "pactes locaux des solidarités"
        constraints = [
            models.UniqueConstraint(fields=["territory", "period_start"], name="local_pact_unique")
        ]

    def __str__(self) -> str:
        return f"Pacte local des solidarités {self.period_start}-{self.period_end} – {self.territory.name}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:pact", kwargs={"pk": self.pk})

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)

    @property
    def departement(self):
        """The département whose share of the regional envelope funds the pact (a métropole's: the
        département it lies in)."""
        return self.territory if self.territory.level == Level.DEPARTEMENT else self.territory.departement

    def priority_public_labels(self) -> list[str]:
        return publics_display(self.priority_publics)


class PactPriority(models.Model):
    MAX_PER_PACT = 3

    pact = models.ForeignKey(LocalPact, on_delete=models.CASCADE, related_name="priorities")
    rank = models.PositiveSmallIntegerField(
        "rang", validators=[MinValueValidator(1), MaxValueValidator(MAX_PER_PACT)]
    )
    title = models.CharField("priorité", max_length=250)
    action_plan = models.TextField("plan d'action")
    pilot = models.CharField("pilote", max_length=200)
    technical_committee = models.TextField("comité technique", help_text="Membres et rythme de réunion")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "priorité du pacte local"
        verbose_name_plural = "priorités du pacte local"
        ordering = ["pact", "rank"]
        constraints = [models.UniqueConstraint(fields=["pact", "rank"], name="pact_priority_unique_rank")]

    def __str__(self) -> str:
        return f"Priorité {self.rank} – {self.title}"


class PactSignatory(models.Model):
    """An institution that signs the pact besides the State and the collectivité, with its contribution: an
    organisation of the platform, or a name."""

    pact = models.ForeignKey(LocalPact, on_delete=models.CASCADE, related_name="signatories")
    rank = models.PositiveSmallIntegerField("rang")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pact_signatures",
    )
    name = models.CharField(
        "nom", max_length=250, blank=True, help_text="Pour un signataire sans compte sur la plateforme."
    )
    contribution = models.TextField("contribution", blank=True)
    amount = models.DecimalField(
        "contribution financière (€)", null=True, blank=True, max_digits=14, decimal_places=2
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire du pacte local"
        verbose_name_plural = "signataires du pacte local"
        ordering = ["pact", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["pact", "rank"], name="pact_signatory_unique_rank"),
            models.UniqueConstraint(
                fields=["pact", "organisation"],
                condition=Q(organisation__isnull=False),
                name="pact_signatory_unique_organisation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""), name="pact_signatory_named"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name


class PactEnvelope(models.Model):
    """The credits of a région for the pactes locaux in one year, entered by national steering. The amounts are
    not published: only what national steering enters is shown, never an estimate."""

    region = models.ForeignKey(
        "territories.Territory",
        verbose_name="région",
        on_delete=models.PROTECT,
        related_name="pact_envelopes",
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    amount = models.DecimalField("enveloppe régionale (€)", **AMOUNT)
    reference = models.CharField(
        "référence", max_length=250, blank=True, help_text="Notification ou délégation de crédits, si connue."
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField("répartie le", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "enveloppe régionale des pactes locaux"
        verbose_name_plural = "enveloppes régionales des pactes locaux"
        ordering = ["year", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="pact_envelope_unique_year")]

    def __str__(self) -> str:
        return f"Enveloppe {self.year} des pactes locaux – {self.region.name}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:pact_envelope", kwargs={"pk": self.pk})


class PactAllocation(models.Model):
    """The share of a regional envelope the commissioner gives a département, for its pactes locaux (its own
    and those of the métropoles inside it)."""

    envelope = models.ForeignKey(PactEnvelope, on_delete=models.CASCADE, related_name="allocations")
    departement = models.ForeignKey(
        "territories.Territory",
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="pact_allocations",
    )
    amount = models.DecimalField("part attribuée (€)", **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "part d'une enveloppe des pactes locaux"
        verbose_name_plural = "parts des enveloppes des pactes locaux"
        ordering = ["envelope", "departement__code"]
        constraints = [
            models.UniqueConstraint(fields=["envelope", "departement"], name="pact_allocation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.envelope} – {self.departement.name}"


class PactAction(models.Model):
    """An action carried out under a priority of a pacte local, with its credits from the regional envelope
    and its follow-up. The DIPLP's collection form is not published: these fields are the platform's own."""

    pact = models.ForeignKey(LocalPact, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(
        PactPriority, verbose_name="priorité", on_delete=models.PROTECT, related_name="actions"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=250)
    description = models.TextField("description")
    carrier = models.CharField("porteur", max_length=250)
    publics = models.JSONField("publics prioritaires visés", default=list, blank=True)
    other_publics = models.CharField("autres publics", max_length=250, blank=True)
    year = models.PositiveSmallIntegerField("année des crédits", validators=YEAR_VALIDATORS)
    state_amount = models.DecimalField("crédits des pactes locaux (€)", default=0, **AMOUNT)
    other_funding = models.DecimalField("autres financements (€)", default=0, **AMOUNT)
    status = models.CharField(
        "état", max_length=12, choices=PactActionStatus.choices, default=PactActionStatus.PLANNED
    )
    people_reached = models.PositiveIntegerField("personnes touchées", null=True, blank=True)
    follow_up = models.TextField("suivi", blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action d'un pacte local"
        verbose_name_plural = "actions des pactes locaux"
        ordering = ["pact", "number"]
        constraints = [models.UniqueConstraint(fields=["pact", "number"], name="pact_action_unique_number")]

    def __str__(self) -> str:
        return f"Action n°{self.number} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:pact_action", kwargs={"pk": self.pact_id, "number": self.number})

    def public_labels(self) -> list[str]:
        return publics_display(self.publics)
