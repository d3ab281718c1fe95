from django.db import models


class Level(models.TextChoices):
    REGION = "region", "Région"
    COM = "com", "Collectivité d'outre-mer"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "EPCI à fiscalité propre"
    COMMUNE = "commune", "Commune"


class EpciType(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"


METROPOLE_TYPES = (EpciType.METRO, EpciType.MET69)


class Zone(models.TextChoices):
    METRO = "metro", "France métropolitaine"
    DROM = "drom", "Départements et régions d'outre-mer"
    COM = "com", "Collectivités d'outre-mer"


class CollectiviteKind(models.TextChoices):
    """The legal form of a collectivité that signs a convention of the Pacte (« Les
    collectivités signataires » in docs/contrats.md; CGCT articles in data/collectivites.yaml)."""

    DEPARTEMENT = "departement", "Département"
    METROPOLE = "metropole", "Métropole"
    METROPOLE_LYON = "metropole_lyon", "Métropole de Lyon (collectivité à statut particulier)"
    VILLE_PARIS = "ville_paris", "Ville de Paris"
    CORSE = "corse", "Collectivité de Corse"
    CTU = "ctu", "Collectivité territoriale unique"
    ALSACE = "alsace", "Collectivité européenne d'Alsace"


class SignatoryFamily(models.TextChoices):
    """Which instruction a collectivité signs under: the départements' one (« conseils départementaux – ou
    collectivités ayant les compétences sociales d'un département ») or the métropoles' one."""

    DEPARTEMENT = "departement", "Collectivité à compétences départementales"
    METROPOLE = "metropole", "Métropole"


def family_of(kind: str) -> str:
    """Every collectivité but a métropole (EPCI) holds a département's social powers."""
    return SignatoryFamily.METROPOLE if kind == CollectiviteKind.METROPOLE else SignatoryFamily.DEPARTEMENT
