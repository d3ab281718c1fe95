from django.db import models


class MeasureKind(models.TextChoices):
    NEW_ACTION = "action_nouvelle", "Action nouvelle"
    LOCAL_CONTRACT = (
        "contrat_local",
        "Action dans le cadre des contrats avec les départements et les métropoles",
    )
    REFORM = "reforme_associee", "Réforme associée du quinquennat"


class TargetKind(models.TextChoices):
    """What a figure of the référentiel is. Only a « cible » is a national target (a value to reach, judged by the
    barometer and linked from contract indicators); the three others frame it (docs/referentiel.md, « Nature »)."""

    TARGET = "cible", "Cible"
    REFERENCE = "reference", "Valeur de référence"
    REFORM = "reforme", "Réforme en vigueur"
    PARAMETER = "parametre", "Paramètre"


class TargetComparison(models.TextChoices):
    """How a target's value reads: a level to reach, or a change from its base year (`rules.objective_value`)."""

    LEVEL = "niveau", "Niveau à atteindre"
    CHANGE = "variation", "Variation (en %) par rapport à l'année de base"
    MULTIPLIER = "multiplicateur", "Multiplication par rapport à l'année de base"


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
