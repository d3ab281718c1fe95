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
