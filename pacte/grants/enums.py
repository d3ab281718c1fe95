from django.db import models

SCORE_SCALE = 20  # weighted scores are shown out of 20, as juries usually do


class CallStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    PUBLISHED = "publie", "Ouvert aux candidatures"
    CLOSED = "clos", "Clos – en instruction"
    DECIDED = "decide", "Décidé"


class ApplicationStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    SUBMITTED = "deposee", "Déposée"
    UNDER_REVIEW = "instruction", "En instruction"
    SELECTED = "retenue", "Retenue"
    REJECTED = "non_retenue", "Non retenue"
    WITHDRAWN = "retiree", "Retirée"


DECIDED_STATUSES = (ApplicationStatus.SELECTED, ApplicationStatus.REJECTED)
PENDING_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


class ReviewStatus(models.TextChoices):
    DRAFT = "brouillon", "En cours"
    SUBMITTED = "soumise", "Soumise"


class FundingStatus(models.TextChoices):
    ACQUIRED = "acquis", "Acquis"
    REQUESTED = "sollicite", "Sollicité"


class PaymentConditions(models.TextChoices):
    """The values of the SCDL « subventions » column `conditionsVersement`."""

    UNIQUE = "unique", "unique"
    STAGGERED = "échelonné", "échelonné"


class AwardAct(models.TextChoices):
    """The act that grants the subsidy: a convention (required above 23 000 € a year for one association, see
    `pacte.grants.rules`), or below it an arrêté attributif."""

    CONVENTION = "convention", "Convention"
    ORDER = "arrete", "Arrêté attributif de subvention"


class ReportState(models.TextChoices):
    """Where a year's financial report stands once the year has ended (the list of reports due)."""

    DUE = "a_deposer", "À déposer"
    LATE = "en_retard", "En retard"
    SENT_BACK = "renvoye", "Renvoyé pour compléments"
    TO_REVIEW = "a_examiner", "Déposé, à examiner"


class ReminderKind(models.TextChoices):
    DUE = "echeance", "Échéance proche"
    LATE = "retard", "Retard"
