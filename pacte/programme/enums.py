from django.db import models


class MeasureKind(models.TextChoices):
    NEW_ACTION = "action_nouvelle", "Action nouvelle"
    LOCAL_CONTRACT = (
        "contrat_local",
        "Action dans le cadre des contrats avec les départements et les métropoles",
    )
    REFORM = "reforme_associee", "Réforme associée du quinquennat"


class TargetKind(models.TextChoices):
    TARGET = "cible", "Cible"
    REFERENCE = "reference", "Valeur de référence"


class TargetScope(models.TextChoices):
    NATIONAL = "national", "National"
    DEPARTEMENT = "departement", "Par département"
    TERRITORY = "territoire", "Par territoire"


class MilestoneStatus(models.TextChoices):
    DONE = "realise", "Réalisé"
    IN_PROGRESS = "en_cours", "En cours"
    PLANNED = "a_venir", "À venir"


class MilestoneScope(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Régional"
    CONCERTATION = "concertation", "Concertation"


class DatePrecision(models.TextChoices):
    DAY = "jour", "Jour"
    MONTH = "mois", "Mois"
    PERIOD = "periode", "Période"
    YEAR = "annee", "Année"


class ContractScope(models.TextChoices):
    """The parts of the local contracts a measure of the référentiel may be contracted in (`Measure.contractable_*`;
    the contracts app maps each kind of convention to one of them)."""

    DEPARTEMENT = "departement", "Contrat local des solidarités d'un département (axes 1, 3 et 4)"
    FRANCE_TRAVAIL = "france_travail", "Convention France Travail d'un département (axe 2)"
    METROPOLE = "metropole", "Contrat local des solidarités d'une métropole"
