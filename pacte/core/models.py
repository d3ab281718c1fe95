"""Abstract models shared by several apps, and core's one table: the queue of outgoing e-mails."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pacte.core.enums import EDITABLE_REPORT_STATUSES, ReportStatus


class FiledReport(models.Model):
    """A yearly report filed by one side and reviewed by the State: status, who filed it and when, who reviewed it,
    when and with which observations, the demo flag and the optimistic-locking version. The concrete reports add
    what they are about (`year`, the convention) and their content."""

    status = models.CharField(
        "statut", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField("déposé le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField("observations de l'État", blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    # How the messages name the report (« Seul un rapport déposé… ») and what a sending back must explain.
    noun = "rapport"
    missing_review_comment = "Expliquez ce qui doit être corrigé avant de renvoyer le rapport."

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        """A draft, or a report sent back for corrections: its filer may change it."""
        return self.status in EDITABLE_REPORT_STATUSES

    def check_editable(self) -> None:
        if not self.is_editable:
            raise ValidationError({"status": f"Ce {self.noun} est déjà déposé."})

    def file(self, user, *, now=None) -> None:
        """Filed by `user` (the caller has checked the content and holds the row locked)."""
        self.check_editable()
        self.status = ReportStatus.SUBMITTED
        self.submitted_at, self.submitted_by = now or timezone.now(), user
        self.save()

    def review(self, user, *, validate: bool, comment: str = "", now=None) -> None:
        """Validated by the State, or sent back with its observations (which a sending back must give)."""
        if self.status != ReportStatus.SUBMITTED:
            raise ValidationError({"status": f"Seul un {self.noun} déposé peut être validé ou renvoyé."})
        if not validate and not comment.strip():
            raise ValidationError({"review_comment": self.missing_review_comment})
        self.status = ReportStatus.VALIDATED if validate else ReportStatus.SENT_BACK
        self.review_comment = comment.strip()
        self.reviewed_at, self.reviewed_by = now or timezone.now(), user
        self.save()


class MailStatus(models.TextChoices):
    PENDING = "en_attente", "en attente"
    SENT = "envoye", "envoyé"
    FAILED = "echec", "échec définitif"


class OutgoingMail(models.Model):
    """An e-mail written by an action of the platform and sent later by the worker (`pacte.core.mail`): the
    action only writes this row, inside its own transaction, so a slow or stopped mail server never delays or
    breaks a page, and an action rolled back sends nothing. `last_error` names the error class and the SMTP code,
    never an address. Sent mails are deleted after `PACTE_MAIL_RETENTION_DAYS` (they hold addresses)."""

    subject = models.TextField("objet")
    body = models.TextField("texte")
    from_email = models.CharField("expéditeur", max_length=254)
    to = models.JSONField("destinataires", default=list)
    cc = models.JSONField("copie", default=list, blank=True)
    bcc = models.JSONField("copie cachée", default=list, blank=True)
    reply_to = models.JSONField("adresse de réponse", default=list, blank=True)
    headers = models.JSONField("en-têtes", default=dict, blank=True)
    # [{"filename", "content", "mimetype", "base64"}]: text as is, bytes in base64.
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    # [{"content", "mimetype"}]: other versions of the body (an HTML version).
    alternatives = models.JSONField("autres versions", default=list, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now, db_index=True)
    last_error = models.CharField("dernière erreur", max_length=200, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "courriel en file d'envoi"
        verbose_name_plural = "courriels en file d'envoi"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_mail_due")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"
