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


class NationalScope(models.TextChoices):
    """The geographic field of a national value (an Observation without territory). The INSEE's ERFS, source of the
    national poverty rate, covers metropolitan France only: « Champ géographique : France métropolitaine »
    (INSEE, « Enquête Revenus fiscaux et sociaux / ERFS », https://www.insee.fr/fr/metadonnees/source/s1231);
    such a value is compared with metropolitan territories only (`compares_with`)."""

    FRANCE = "france_entiere", "France entière"
    METROPOLITAN = "france_metropolitaine", "France métropolitaine"

    def compares_with(self, territory) -> bool:
        """True when a value of this field may be set beside `territory` (None: France)."""
        if self == NationalScope.FRANCE or territory is None:
            return True
        return not is_overseas(territory)


# Codes of the five régions d'outre-mer in the COG (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte); their
# départements and communes have codes beginning with 97.
OVERSEAS_REGIONS = frozenset({"01", "02", "03", "04", "06"})


def is_overseas(territory) -> bool:
    """True for a territory outside metropolitan France: a collectivité d'outre-mer, a région or département
    d'outre-mer, or anything inside one (read from the codes of the COG, without a query when the région is
    loaded)."""
    if territory.level == "com":
        return True
    if territory.level == "region":
        return territory.code in OVERSEAS_REGIONS
    if territory.level in ("departement", "commune"):
        return territory.code.startswith("97")
    region = territory.region if territory.region_id else None
    return region is not None and region.code in OVERSEAS_REGIONS


class FileFormat(models.TextChoices):
    INSEE = "insee", "INSEE (CODGEO et une colonne par indicateur)"
    CAF = "caf", "CAF open data"
    XLSX = "xlsx", "Classeur XLSX"
    LONG = "pacte", "Format long Pacte (indicateur, territoire, période, valeur)"


class BatchStatus(models.TextChoices):
    SUCCEEDED = "reussi", "Réussi"
    FAILED = "echoue", "Échoué, rien n'a été écrit"


class FigureNature(models.TextChoices):
    OBSERVATION = "observation", "Dernier niveau publié"
    BASE = "base", "Niveau de départ publié"
    # The source states how far the target got, not a level: « La moitié des 30 000 places d'intermédiation
    # locative promises d'ici à 2027 a été créée » (value 50, unit SHARE_UNIT). It is the progress itself.
    SHARE = "part", "Part de l'objectif atteinte, publiée"


# The unit of a published share of the objective (FigureNature.SHARE), in % of the way to the target.
SHARE_UNIT = "% de l'objectif"


class Reliability(models.TextChoices):
    OFFICIAL = "A", "Source officielle lue de première main"
    REPORTED = (
        "B",
        "Chiffre officiel rapporté par un tiers (presse, média institutionnel, copie d'un jeu officiel)",
    )
    SECONDARY = "C", "Source secondaire"
