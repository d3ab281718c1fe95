from django.db import models

MAX_YEARS = 3  # a convention pluriannuelle d'objectifs runs for at most three years
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
