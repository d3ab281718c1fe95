from django.db import models


class ValueKind(models.TextChoices):
    """What a value measures, which decides whether territories add up (a count does, a rate does not)."""

    RATE = "taux", "Taux ou part (%)"
    AMOUNT = "montant", "Montant (€)"
    COUNT = "effectif", "Effectif"
    RATIO = "ratio", "Rapport ou indice"

    @property
    def is_additive(self) -> bool:
        return self == ValueKind.COUNT


class ValueStatus(models.TextChoices):
    AVAILABLE = "disponible", "Disponible"
    SECRET = "secret", "Secret statistique"
    MISSING = "non_disponible", "Non disponible"


class FileFormat(models.TextChoices):
    INSEE = "insee", "INSEE (CODGEO et une colonne par indicateur)"
    CAF = "caf", "CAF open data"
    XLSX = "xlsx", "Classeur XLSX"
    LONG = "pacte", "Format long Pacte (indicateur, territoire, période, valeur)"


class BatchStatus(models.TextChoices):
    SUCCEEDED = "reussi", "Réussi"
    FAILED = "echoue", "Échoué, rien n'a été écrit"


class TrackStatus(models.TextChoices):
    """Barometer status of a national target."""

    ON_TRACK = "en_bonne_voie", "En bonne voie"
    AT_RISK = "a_surveiller", "À surveiller"
    LATE = "en_retard", "En retard"
    REACHED = "atteinte", "Cible atteinte"
    NO_DATA = "sans_donnee", "Pas de donnée"


class BarometerSource(models.TextChoices):
    NATIONAL = "nationale", "Statistique nationale"
    CONTRACTS = "contrats", "Rapports des contrats locaux"


class BarometerConfidence(models.TextChoices):
    HIGH = "elevee", "Confiance élevée"
    MEDIUM = "moyenne", "Confiance moyenne"
    LOW = "faible", "Confiance faible"
    NONE = "aucune", "Pas de donnée"


class BaselineRule(models.TextChoices):
    REFERENTIEL = "referentiel", "Valeur de départ du référentiel"
    NEW_THINGS = "nouveautes", "0 en 2023 : la cible compte des réalisations nouvelles ou supplémentaires"
    CONTRACTS = "contrats", "0 en 2023 : la cible est suivie par des indicateurs des contrats locaux"
    UNKNOWN = "inconnue", "Situation de départ inconnue"
