"""The barometer's own choices (never stored: computed at each reading)."""

from django.db import models


class TrackStatus(models.TextChoices):
    """Barometer status of a national target."""

    ON_TRACK = "en_bonne_voie", "En bonne voie"
    AT_RISK = "a_surveiller", "À surveiller"
    LATE = "en_retard", "En retard"
    REACHED = "atteinte", "Cible atteinte"
    UNDATED = "horizon_non_date", "Horizon non daté"
    NO_DATA = "sans_donnee", "Pas de donnée"


class BarometerSource(models.TextChoices):
    NATIONAL = "nationale", "Statistique nationale"
    CONTRACTS = "contrats", "Rapports des contrats locaux (cible portée par les contrats)"
    REGISTER = "registre", "Registre des territoires zéro non-recours (cible portée par le registre)"


class BarometerConfidence(models.TextChoices):
    HIGH = "elevee", "Confiance élevée"
    MEDIUM = "moyenne", "Confiance moyenne"
    LOW = "faible", "Confiance faible"
    NONE = "aucune", "Pas de donnée"


class BaselineRule(models.TextChoices):
    REFERENTIEL = "referentiel", "Valeur de départ du référentiel"
    PUBLISHED = "publiee", "Niveau de départ publié (chiffres nationaux sourcés)"
    NEW_THINGS = "nouveautes", "0 en 2023 : la cible compte des réalisations nouvelles ou supplémentaires"
    UNKNOWN = "inconnue", "Situation de départ inconnue"
