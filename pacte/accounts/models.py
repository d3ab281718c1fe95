import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from pacte.accounts.enums import NotificationFrequency, OrganisationKind, Role
from pacte.core.collation import french
from pacte.core.errors import Errors
from pacte.territories.enums import Level

# Which territory levels each role's scope may be, and which organisation kinds its members belong to.
ROLE_SCOPE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.NATIONAL_STEERING: (),
    Role.REGIONAL_COMMISSIONER: (Level.REGION, Level.COM),
    Role.DDETS: (Level.DEPARTEMENT,),
    Role.LOCAL_AUTHORITY: (Level.DEPARTEMENT, Level.EPCI),
    Role.ASSOCIATION: (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE),
    Role.SOCIAL_WORKER: (Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE),
}
ROLE_ORGANISATION_KINDS: dict[str, tuple[str, ...]] = {
    Role.NATIONAL_STEERING: (OrganisationKind.DIPLP,),
    Role.REGIONAL_COMMISSIONER: (OrganisationKind.REGIONAL_PREFECTURE,),
    Role.DDETS: (OrganisationKind.DDETS,),
    Role.LOCAL_AUTHORITY: (OrganisationKind.DEPARTEMENT_COUNCIL, OrganisationKind.METROPOLE),
    Role.ASSOCIATION: (OrganisationKind.ASSOCIATION,),
    Role.SOCIAL_WORKER: (
        OrganisationKind.CCAS,
        OrganisationKind.FRANCE_SERVICES,
        OrganisationKind.DEPARTEMENT_SOCIAL_SERVICES,
    ),
}
ORGANISATION_KIND_LEVELS: dict[str, tuple[str, ...]] = {
    OrganisationKind.DIPLP: (),
    OrganisationKind.REGIONAL_PREFECTURE: (Level.REGION, Level.COM),
    OrganisationKind.DDETS: (Level.DEPARTEMENT,),
    OrganisationKind.DEPARTEMENT_COUNCIL: (Level.DEPARTEMENT,),
    OrganisationKind.METROPOLE: (Level.EPCI,),
    OrganisationKind.ASSOCIATION: (Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE),
    OrganisationKind.CCAS: (Level.EPCI, Level.COMMUNE),
    OrganisationKind.FRANCE_SERVICES: (Level.EPCI, Level.COMMUNE),
    OrganisationKind.DEPARTEMENT_SOCIAL_SERVICES: (Level.DEPARTEMENT,),
}


def _level_problem(territory, levels, what: str) -> str | None:
    """Why `territory` does not fit `levels` (no territory at all for a national scope), or None."""
    if not levels:
        if territory is not None:
            return f"{what} a une compétence nationale : ne renseignez pas de territoire."
        return None
    if territory is None:
        return f"{what} doit être rattaché(e) à un territoire."
    if territory.level not in levels:
        allowed = ", ".join(Level(level).label.lower() for level in levels)
        return f"{what} doit être rattaché(e) à un territoire de niveau : {allowed}."
    return None


class Organisation(models.Model):
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=24, choices=OrganisationKind.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    siren = models.CharField("SIREN", max_length=9, blank=True)
    rna = models.CharField("numéro RNA", max_length=10, blank=True)
    email = models.EmailField("adresse électronique de contact", blank=True)
    website = models.URLField("site internet", blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    # Optimistic locking (pacte.core.locking): every change goes through accounts.services.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = [french("name")]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Every problem at once, each on its field."""
        super().clean()
        errors = Errors()
        if self.siren and not (self.siren.isdigit() and len(self.siren) == 9):
            errors.add("siren", "Le SIREN compte 9 chiffres.")
        if self.rna and not (self.rna[:1] == "W" and self.rna[1:].isdigit() and len(self.rna) == 10):
            errors.add("rna", "Le numéro RNA commence par W suivi de 9 chiffres.")
        if self.kind == OrganisationKind.METROPOLE and self.territory and not self.territory.is_metropole:
            errors.add("territory", "Une métropole est rattachée à un EPCI de nature métropole.")
        else:
            levels = ORGANISATION_KIND_LEVELS.get(self.kind, ())
            problem = _level_problem(self.territory, levels, "Cette organisation")
            if problem:
                errors.add("territory", problem)
        errors.raise_if_any()


class User(AbstractUser):
    """A person using the platform. Its role and territory decide what it may see and do (see perms.py)."""

    role = models.CharField("rôle", max_length=24, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire de compétence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    is_demo = models.BooleanField("compte de démonstration", default=False)
    # The `sub` claim of the agent's ProConnect identity, set at its first ProConnect sign-in (pacte/accounts/oidc.py).
    proconnect_sub = models.CharField(
        "identifiant ProConnect", max_length=255, null=True, blank=True, unique=True, editable=False
    )
    notification_frequency = models.CharField(
        "courriels de notification",
        max_length=12,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
        help_text="Quand recevoir les courriels des événements qui vous attendent.",
    )

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    @property
    def sees_inactive_territories(self) -> bool:
        """National steering also sees the territories that left the COG (the territories app asks the user
        object, as it cannot import the roles that lie above it)."""
        return self.is_active and self.role == Role.NATIONAL_STEERING

    def clean(self) -> None:
        super().clean()
        if not self.role:
            return
        if self.organisation_id and self.organisation.kind not in ROLE_ORGANISATION_KINDS[self.role]:
            raise ValidationError(
                {
                    "organisation": f"Une organisation de ce type ne convient pas au rôle « {self.get_role_display()} »."
                }
            )
        problem = _level_problem(self.territory, ROLE_SCOPE_LEVELS[self.role], "Ce rôle")
        if problem:
            raise ValidationError({"territory": problem})
        if self.role == Role.LOCAL_AUTHORITY and self.territory and self.territory.level == Level.EPCI:
            if not self.territory.is_metropole:
                raise ValidationError(
                    {"territory": "Une collectivité signataire est un département ou une métropole."}
                )


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the API. Only its SHA-256 is stored; the clear value is shown once."""

    PREFIX = "pacte_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField("début du jeton", max_length=12, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def issue(cls, user: User, name: str, expires_at=None) -> tuple["ApiToken", str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=_hash_token(raw), key_hint=raw[:12], expires_at=expires_at
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = cls.objects.usable().select_related("user").filter(key_hash=_hash_token(raw)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class Notification(models.Model):
    """An event of the workflow kept for the daily digest of a user who chose « Un résumé par jour »
    (`pacte.accounts.notifications`): its one-line subject and the page where the user acts, never a body (no
    household data, no free text typed by someone else). `sent_at` is set when the digest that carries it is
    queued; rows sent more than PACTE_MAIL_RETENTION_DAYS ago are deleted by `pacte notifications resume`."""

    user = models.ForeignKey(
        User, verbose_name="destinataire", on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField("événement", max_length=40)
    subject = models.CharField("objet", max_length=250)
    url = models.CharField("lien", max_length=500)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    sent_at = models.DateTimeField("envoyée dans le résumé du", null=True, blank=True)

    class Meta:
        verbose_name = "notification en attente du résumé"
        verbose_name_plural = "notifications en attente du résumé"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "user"], name="notification_pending")]

    def __str__(self) -> str:
        return self.subject
