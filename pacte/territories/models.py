from django.db import models
from django.urls import reverse

from pacte.territories.enums import (
    METROPOLE_TYPES,
    CollectiviteKind,
    EpciType,
    Level,
    SignatoryFamily,
    Zone,
    family_of,
)


class TerritoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def metropoles(self):
        return self.filter(level=Level.EPCI, epci_type__in=METROPOLE_TYPES)

    def of_level(self, level: str):
        """`level` is a Level value or "metropole" (the EPCI that are métropoles)."""
        if level == "metropole":
            return self.metropoles()
        return self.filter(level=level)


class Territory(models.Model):
    """One unit of the official geographic code (COG): région, COM, département, EPCI or commune.

    `parent` is the direct parent in the administrative tree (commune → département or COM,
    département → région, EPCI → its main département). `region`, `departement` and `epci` are
    denormalised shortcuts so that scoping and consolidation need no recursive query.
    """

    level = models.CharField("niveau", max_length=12, choices=Level.choices)
    code = models.CharField("code INSEE ou SIREN", max_length=9)
    name = models.CharField("nom", max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name="parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "self", verbose_name="région", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departement = models.ForeignKey(
        "self", verbose_name="département", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    epci = models.ForeignKey(
        "self", verbose_name="EPCI", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    epci_type = models.CharField("nature de l'EPCI", max_length=5, choices=EpciType.choices, blank=True)
    zone = models.CharField("zone", max_length=5, choices=Zone.choices, blank=True)
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    chef_lieu = models.CharField("chef-lieu (code commune)", max_length=5, blank=True)
    is_active = models.BooleanField("en vigueur", default=True)
    cog_year = models.PositiveSmallIntegerField("millésime du COG", null=True, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="territory_unique_level_code")]
        indexes = [
            models.Index(fields=["level", "parent"]),
            models.Index(fields=["level", "departement"]),
            models.Index(fields=["level", "region"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", kwargs={"level": self.level, "code": self.code})

    @property
    def is_metropole(self) -> bool:
        return self.level == Level.EPCI and self.epci_type in METROPOLE_TYPES

    @property
    def level_label(self) -> str:
        if self.is_metropole:
            return "Métropole"
        return self.get_level_display()

    def within_q(self, prefix: str = "") -> models.Q:
        """A filter keeping this territory and every territory inside it; `prefix` reaches a Territory
        from another model (e.g. "territory__" on Organisation)."""
        inside = {
            Level.REGION: "region",
            Level.COM: "region",
            Level.DEPARTEMENT: "departement",
            Level.EPCI: "epci",
        }.get(self.level)
        own = models.Q(**{f"{prefix}pk": self.pk})
        return own | models.Q(**{f"{prefix}{inside}": self.pk}) if inside else own

    def contains(self, other: "Territory") -> bool:
        """True when `other` is this territory or lies inside it."""
        if other.pk == self.pk:
            return True
        if self.level in (Level.REGION, Level.COM):
            return self.pk in (other.region_id, other.parent_id)
        if self.level == Level.DEPARTEMENT:
            return other.departement_id == self.pk or other.parent_id == self.pk
        if self.level == Level.EPCI:
            return other.epci_id == self.pk
        return False


class Collectivite(models.Model):
    """A collectivité that signs a convention of the Pacte, apart from the COG territories it covers: a
    département covers its département, a métropole its EPCI, the Collectivité de Corse covers 2A and 2B, the
    Métropole de Lyon its EPCI but holds a département's social powers (`family`). Each is counted once.

    The collectivités of a special status come from data/collectivites.yaml (their CGCT article quoted); the
    others are made from the COG on first use (`services.collectivite_for`)."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=20, choices=CollectiviteKind.choices)
    main_territory = models.ForeignKey(
        Territory,
        verbose_name="territoire principal",
        on_delete=models.PROTECT,
        related_name="main_collectivites",
        help_text="Le territoire du COG qui la représente dans les listes et les périmètres",
    )
    territories = models.ManyToManyField(
        Territory, verbose_name="territoires couverts", related_name="collectivites"
    )
    legal_basis = models.TextField("fondement juridique", blank=True)
    source_url = models.URLField("adresse de la source", max_length=500, blank=True)

    class Meta:
        verbose_name = "collectivité signataire"
        verbose_name_plural = "collectivités signataires"
        ordering = ["main_territory__code", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def family(self) -> str:
        """`SignatoryFamily`: which instruction it signs under (départements' or métropoles')."""
        return family_of(self.kind)

    @property
    def family_label(self) -> str:
        return SignatoryFamily(self.family).label

    @property
    def has_departement_powers(self) -> bool:
        return self.family == SignatoryFamily.DEPARTEMENT
