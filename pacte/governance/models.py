"""Governance and concertation of the Pacte: instances (`Committee`) with their members, meetings with their
agenda, attendance, documents, minutes and decisions (relevé de décisions); the concertation's stakeholders,
themes, written contributions and the synthesis per theme.

Uploaded files are kept in the database (`StoredFile`), never under a served directory: they are written in
the same transaction as the row that refers to them and served through views that check who asks.
Every row a person changes keeps its audit history (django-simple-history); rows edited in forms carry a
`lock_version` (pacte.core.locking) so that two people editing at once never overwrite each other.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.core.collation import french
from pacte.core.validators import SingleLine
from pacte.governance.enums import (
    OPEN_DECISION_STATUSES,
    Attendance,
    CommitteeKind,
    ContributionStatus,
    DecisionStatus,
    DocumentKind,
    MeetingStatus,
    MemberCategory,
    MemberRole,
    MinutesStatus,
    StakeholderCategory,
    ThemeKind,
)


class StoredFile(models.Model):
    """The bytes of an uploaded document, with the name and type it was checked under."""

    name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=120)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    content = models.BinaryField("contenu")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "fichier déposé"
        verbose_name_plural = "fichiers déposés"

    def __str__(self) -> str:
        return self.name


# --- Concertation themes (needed by committees and meetings) -----------------------------------------------


class ConcertationTheme(models.Model):
    """One of the four themes or of the four transverse questions of the concertation (data file
    pacte/governance/data/concertation.yaml)."""

    code = models.SlugField("code", max_length=60, unique=True)
    kind = models.CharField("nature", max_length=12, choices=ThemeKind.choices)
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    summary = models.TextField("enjeux", blank=True)
    source_file = models.CharField("fichier source", max_length=100, blank=True)

    class Meta:
        verbose_name = "thème de la concertation"
        verbose_name_plural = "thèmes de la concertation"
        ordering = ["kind", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="theme_unique_number")]

    def __str__(self) -> str:
        prefix = "Thématique" if self.kind == ThemeKind.THEME else "Question transverse"
        return f"{prefix} {self.number} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:contributions") + f"?theme={self.code}"


# --- Instances and their members -------------------------------------------------------------------------


class Committee(models.Model):
    kind = models.CharField("type d'instance", max_length=32, choices=CommitteeKind.choices)
    # The name and a meeting's title make the convocations' subject: one line (`pacte.core.validators`).
    name = models.CharField("nom", max_length=250, validators=[SingleLine("nom")])
    description = models.TextField("rôle de l'instance", blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        help_text="Vide pour une instance nationale",
    )
    axis = models.ForeignKey(
        "programme.Axis",
        verbose_name="axe du Pacte",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        help_text="Pour un comité de suivi par axe",
    )
    theme = models.CharField(
        "thème", max_length=200, blank=True, help_text="Pour un groupe de travail, son thème"
    )
    concertation_theme = models.ForeignKey(
        ConcertationTheme,
        verbose_name="thème de la concertation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
    )
    meetings_per_year_min = models.PositiveSmallIntegerField(
        "réunions par an (au moins)", null=True, blank=True, validators=[MaxValueValidator(52)]
    )
    meetings_per_year_max = models.PositiveSmallIntegerField(
        "réunions par an (au plus)", null=True, blank=True, validators=[MaxValueValidator(52)]
    )
    secretariat = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="secrétariat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_secretariats",
    )
    is_public = models.BooleanField(
        "instance publique",
        default=False,
        help_text="Ses réunions et ses décisions sont publiques ; les comptes rendus et documents restent "
        "réservés aux membres",
    )
    is_active = models.BooleanField("en activité", default=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "instance"
        verbose_name_plural = "instances"
        ordering = ["territory__code", "kind", french("name")]
        constraints = [
            models.UniqueConstraint(fields=["name", "territory"], name="committee_unique_name_territory"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:committee", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        low, high = self.meetings_per_year_min, self.meetings_per_year_max
        if low is not None and high is not None and high < low:
            raise ValidationError(
                {"meetings_per_year_max": "Le nombre maximal de réunions par an est inférieur au minimum."}
            )
        if self.kind == CommitteeKind.AXIS_COMMITTEE and self.axis_id is None:
            raise ValidationError({"axis": "Un comité de suivi par axe porte sur un axe du Pacte."})

    @property
    def cadence_label(self) -> str:
        low, high = self.meetings_per_year_min, self.meetings_per_year_max
        if low is None and high is None:
            return ""
        if low is not None and high is not None and low != high:
            return f"{low} à {high} réunions par an"
        count = low if low is not None else high
        return f"{formatting.plural(count, 'réunion')} par an"


class Member(models.Model):
    """A seat in an instance: a platform user, an organisation and/or a named person."""

    committee = models.ForeignKey(
        Committee, verbose_name="instance", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte sur la plateforme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    organisation_name = models.CharField(
        "organisation (hors plateforme)",
        max_length=200,
        blank=True,
        help_text="Pour une organisation qui n'a pas de compte sur la plateforme",
    )
    person_name = models.CharField("nom de la personne", max_length=200, blank=True)
    function = models.CharField("fonction", max_length=200, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    category = models.CharField("collège", max_length=24, choices=MemberCategory.choices)
    role = models.CharField(
        "rôle dans l'instance", max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    start_date = models.DateField("membre depuis le", default=date.today)
    end_date = models.DateField("membre jusqu'au", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        ordering = ["committee", "role", "category", french("organisation_name"), french("person_name"), "pk"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        if not (self.user_id or self.organisation_id or self.organisation_name or self.person_name):
            raise ValidationError(
                {"person_name": "Indiquez au moins un compte, une organisation ou le nom d'une personne."}
            )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La fin du mandat précède son début."})

    @property
    def person(self) -> str:
        if self.person_name:
            return self.person_name
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return ""

    @property
    def organisation_label(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.organisation_name:
            return self.organisation_name
        if self.user_id and self.user.organisation_id:
            return self.user.organisation.name
        return ""

    @property
    def display_name(self) -> str:
        parts = [part for part in (self.person, self.organisation_label) if part]
        return " – ".join(parts) or "Membre"

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user_id else "")

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class SteeredContract(models.Model):
    """An instance acting as the comité de pilotage of a contract or convention (its initial version: the avenants
    share it). Rules and sources: pacte/governance/services/steering.py."""

    committee = models.ForeignKey(
        Committee, verbose_name="instance", on_delete=models.CASCADE, related_name="steered_contracts"
    )
    contract = models.ForeignKey(
        "contracts.Contract", verbose_name="contrat ou convention", on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField("rattaché le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contrat piloté"
        verbose_name_plural = "contrats pilotés"
        ordering = ["committee", "contract__territory__code", "contract__period_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "contract"], name="steered_contract_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} – comité de pilotage de {self.contract}"


# --- Meetings --------------------------------------------------------------------------------------------


class Meeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name="instance", on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField("intitulé", max_length=250, validators=[SingleLine("intitulé")])
    concertation_theme = models.ForeignKey(
        ConcertationTheme,
        verbose_name="thème ou question transverse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="Pour une réunion thématique ou transverse de la concertation",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=300, blank=True)
    visio_url = models.URLField("lien de visioconférence", blank=True)
    details = models.TextField("informations pratiques", blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancel_reason = models.CharField("motif d'annulation", max_length=300, blank=True)
    uid = models.UUIDField("identifiant de calendrier", default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        "version pour les agendas",
        default=0,
        help_text="Augmentée à chaque changement de date, lieu ou statut",
    )
    invitations_sent_at = models.DateTimeField("convocations envoyées le", null=True, blank=True)
    invitations_count = models.PositiveIntegerField("convocations envoyées", default=0)
    invitations_sequence = models.PositiveIntegerField(
        "version convoquée", null=True, blank=True, editable=False
    )
    participants_count = models.PositiveIntegerField(
        "participants (hors membres)",
        null=True,
        blank=True,
        help_text="Pour une conférence ouverte : le nombre total de participants",
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["committee", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({formatting.short_date(timezone.localtime(self.starts_at))})"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def changed_since_invitations(self) -> bool:
        return self.invitations_sequence is not None and self.invitations_sequence != self.sequence

    @property
    def meeting_date(self) -> date:
        return timezone.localtime(self.starts_at).date()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("point", max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_unique_order")]

    def __str__(self) -> str:
        return self.title


class MeetingAttendance(models.Model):
    """A member invited to a meeting, and whether the member came."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        "présence", max_length=8, choices=Attendance.choices, default=Attendance.INVITED
    )
    invited_at = models.DateTimeField("convoqué le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_status_display()}"


class Document(models.Model):
    """A document of a meeting: an uploaded file, or an extract of the observation (territorial diagnostic,
    barometer) frozen when attached, with the date the figures refer to."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("nature", max_length=12, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=250)
    file = models.OneToOneField(
        StoredFile, verbose_name="fichier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire du diagnostic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    as_of = models.DateField("données au", null=True, blank=True)
    snapshot_html = models.TextField("extrait figé", blank=True, editable=False)
    is_public = models.BooleanField(
        "document public",
        default=False,
        help_text="Visible de tous lorsque l'instance est publique ; sinon réservé aux membres",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["snapshot_html"])

    class Meta:
        verbose_name = "document de réunion"
        verbose_name_plural = "documents de réunion"
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:document", kwargs={"pk": self.pk})


class Minutes(models.Model):
    """The compte rendu of a meeting, written after it, then validated."""

    meeting = models.OneToOneField(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField("compte rendu")
    status = models.CharField(
        "statut", max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self) -> str:
        return f"Compte rendu – {self.meeting}"

    @property
    def is_validated(self) -> bool:
        return self.status == MinutesStatus.VALIDATED


class Decision(models.Model):
    """A line of the relevé de décisions: what was decided, who carries it, by when, and its follow-up."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveSmallIntegerField("numéro")
    text = models.TextField("décision")
    owner_member = models.ForeignKey(
        Member,
        verbose_name="porteur (membre)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="porteur (organisation)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    due_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.TODO
    )
    follow_up = models.TextField("suivi", blank=True)
    is_confidential = models.BooleanField(
        "réservée aux membres", default=False, help_text="Sinon publique lorsque l'instance est publique"
    )
    closed_on = models.DateField("close le", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["meeting__starts_at", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number")]

    def __str__(self) -> str:
        return f"Décision n°{self.number} – {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + f"#decision-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DECISION_STATUSES

    def is_late_on(self, day: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < day

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())

    @property
    def owner_label(self) -> str:
        if self.owner_member_id:
            return self.owner_member.display_name
        if self.owner_organisation_id:
            return self.owner_organisation.name
        return ""


class CalendarToken(models.Model):
    """The secret address of a person's calendar feeds (calendar apps cannot sign in). Only its SHA-256 is
    kept; the clear value is shown once, when created. Revoking it stops every feed address at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "adresse secrète d'agenda"
        verbose_name_plural = "adresses secrètes d'agenda"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return (
            f"Adresse d'agenda de {self.user} ({formatting.short_date(timezone.localtime(self.created_at))})"
        )


# --- Concertation ----------------------------------------------------------------------------------------


class Stakeholder(models.Model):
    """A party to the concertation: an organisation (with or without an account on the platform) or a named
    group, such as a group of people with lived experience of poverty."""

    name = models.CharField("nom", max_length=250, unique=True)
    category = models.CharField("famille d'acteurs", max_length=30, choices=StakeholderCategory.choices)
    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name="organisation sur la plateforme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stakeholder",
        help_text="Ses membres peuvent déposer des contributions en son nom",
    )
    description = models.TextField("présentation", blank=True)
    contact_name = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("adresse électronique du contact", blank=True)
    website = models.URLField("site internet", blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "partie prenante"
        verbose_name_plural = "parties prenantes"
        ordering = ["category", french("name")]

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name="partie prenante", on_delete=models.PROTECT, related_name="contributions"
    )
    theme = models.ForeignKey(
        ConcertationTheme, verbose_name="thème", on_delete=models.PROTECT, related_name="contributions"
    )
    title = models.CharField("titre", max_length=250)
    text = models.TextField("contribution")
    file = models.OneToOneField(
        StoredFile,
        verbose_name="document PDF",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "statut", max_length=10, choices=ContributionStatus.choices, default=ContributionStatus.DRAFT
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédigée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    filed_at = models.DateTimeField("déposée le", null=True, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contribution écrite"
        verbose_name_plural = "contributions écrites"
        ordering = ["-filed_at", "-created_at", "pk"]
        indexes = [models.Index(fields=["status", "theme"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:contribution", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == ContributionStatus.PUBLISHED


class ThemeSynthesis(models.Model):
    """The synthesis of the contributions on a theme, written by the team preparing the Pacte."""

    theme = models.OneToOneField(
        ConcertationTheme, verbose_name="thème", on_delete=models.CASCADE, related_name="synthesis"
    )
    text = models.TextField("synthèse")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "synthèse par thème"
        verbose_name_plural = "synthèses par thème"

    def __str__(self) -> str:
        return f"Synthèse – {self.theme}"


# The regional roadmap lives in its own module (this one stays under 800 lines); importing it registers its models.
from pacte.governance.roadmap_models import Roadmap, RoadmapAction, RoadmapObjective  # noqa: E402, F401
