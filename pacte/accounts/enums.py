from django.db import models


class Role(models.TextChoices):
    NATIONAL_STEERING = "national_steering", "Pilotage national (DIPLP)"
    REGIONAL_COMMISSIONER = "regional_commissioner", "Commissaire à la lutte contre la pauvreté"
    DDETS = "ddets", "Services départementaux de l'État (DDETS)"
    LOCAL_AUTHORITY = "local_authority", "Collectivité (département ou métropole)"
    ASSOCIATION = "association", "Association"
    SOCIAL_WORKER = "social_worker", "Travailleur social"


class OrganisationKind(models.TextChoices):
    DIPLP = "diplp", "Délégation interministérielle à la prévention et à la lutte contre la pauvreté"
    REGIONAL_PREFECTURE = (
        "prefecture_region",
        "Préfecture de région (commissaire à la lutte contre la pauvreté)",
    )
    DDETS = "ddets", "Direction départementale de l'emploi, du travail et des solidarités"
    DEPARTEMENT_COUNCIL = "conseil_departemental", "Conseil départemental"
    METROPOLE = "metropole", "Métropole"
    ASSOCIATION = "association", "Association"
    CCAS = "ccas", "CCAS / CIAS"
    FRANCE_SERVICES = "france_services", "France Services"
    DEPARTEMENT_SOCIAL_SERVICES = "services_sociaux", "Services sociaux départementaux"


class NotificationFrequency(models.TextChoices):
    """When a user receives the e-mails of the workflow events that wait on them (issue 17)."""

    IMMEDIATE = "immediat", "À chaque événement"
    DAILY = "quotidien", "Un résumé par jour"
    NONE = "aucun", "Aucun courriel"
