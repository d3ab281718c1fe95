from datetime import date
from decimal import Decimal

from django.db import models

PERIOD_START = 2024
PERIOD_END = 2027
YEARS = tuple(range(PERIOD_START, PERIOD_END + 1))
STATE_MAX_SHARE = Decimal("0.5")  # the State funds at most 50 % of each action
MID_TERM_EVALUATION_DUE = date(2026, 6, 30)


def report_due_date(year: int) -> date:
    """The execution report of `year` is due by 31 March of the following year (platform convention,
    so that the State can validate it before paying the next year's credits)."""
    return date(year + 1, 3, 31)


class ContractStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    NEGOTIATION = "negociation", "En négociation"
    VALIDATED = "valide", "Validé par les deux parties"
    SIGNED = "signe", "Signé"
    SUPERSEDED = "remplace", "Remplacé par un avenant"


EDITABLE_STATUSES = (ContractStatus.DRAFT, ContractStatus.NEGOTIATION)
SIGNED_STATUSES = (ContractStatus.SIGNED, ContractStatus.SUPERSEDED)


class ActionNature(models.TextChoices):
    NEW = "nouvelle", "Action nouvelle"
    REINFORCED = "renforcee", "Action renforcée"


class Reinforcement(models.TextChoices):
    CASELOAD = "file_active", "Augmentation de la file active"
    PUBLICS = "nouveaux_publics", "Nouveaux publics"
    AREAS = "nouvelles_zones", "Nouvelles zones géographiques"


class Funder(models.TextChoices):
    STATE = "etat", "État"
    LOCAL = "collectivite", "Collectivité"
    OTHER = "autre", "Autre cofinanceur"


class IndicatorUnit(models.TextChoices):
    PERSONS = "personnes", "personnes"
    HOUSEHOLDS = "menages", "ménages"
    CHILDREN = "enfants", "enfants"
    YOUNG_PEOPLE = "jeunes", "jeunes"
    STRUCTURES = "structures", "structures"
    PLACES = "places", "places"
    MEALS = "repas", "repas"
    ACTIONS = "actions", "actions"
    HOURS = "heures", "heures"
    COUNT = "nombre", "nombre"
    PERCENT = "pourcentage", "%"
    EUROS = "euros", "€"


# Units whose values are whole counts (an indicator value of 12.5 people is refused).
COUNT_UNITS = tuple(
    unit
    for unit in IndicatorUnit
    if unit not in (IndicatorUnit.PERCENT, IndicatorUnit.EUROS, IndicatorUnit.HOURS)
)


class EvaluationStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    SUBMITTED = "deposee", "Déposée"
