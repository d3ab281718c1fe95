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
