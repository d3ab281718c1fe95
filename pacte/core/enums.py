"""Choices shared by several apps."""

from django.db import models


class ReportStatus(models.TextChoices):
    """A yearly report filed by one side and reviewed by the State: the execution report of a contrat local
    (the collectivité files, the DDETS reviews) and the yearly report of a grant agreement (the association files,
    the commissioner reviews) follow the same workflow."""

    DRAFT = "brouillon", "Brouillon"
    SUBMITTED = "depose", "Déposé"
    SENT_BACK = "renvoye", "Renvoyé pour corrections"
    VALIDATED = "valide", "Validé"


EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SENT_BACK)
FILED_REPORT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.VALIDATED)
