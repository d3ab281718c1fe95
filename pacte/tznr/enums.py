from django.db import models


class ExperimentStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    RUNNING = "en_cours", "En cours"
    ENDED = "terminee", "Terminée"
    STOPPED = "abandonnee", "Abandonnée"


class LeadKind(models.TextChoices):
    """Who carries the experiment on the ground (the issue's « porteur »); the chef de file of the décret is a
    collectivité or an EPCI, the operational porteur may be its CCAS, the CAF or an association."""

    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI (communauté, métropole)"
    DEPARTEMENT = "departement", "Département"
    CCAS = "ccas", "CCAS / CIAS"
    CAF = "caf", "Caisse d'allocations familiales"
    ASSOCIATION = "association", "Association"
    OTHER = "autre", "Autre"


class FunderKind(models.TextChoices):
    STATE = "etat", "État (Pacte des solidarités)"
    LOCAL = "collectivite", "Collectivité ou EPCI"
    CAF = "caf", "CAF ou MSA"
    OTHER = "autre", "Autre financeur"


class OutreachKind(models.TextChoices):
    """The « aller-vers » actions named by the issue and the territories' own descriptions."""

    RIGHTS_MEETING = "rendez_vous_droits", "Rendez-vous des droits"
    DROP_IN = "permanence", "Permanence"
    FILE_OUTREACH = "fichier", "Aller-vers à partir de fichiers (repérage)"
    DOOR_TO_DOOR = "porte_a_porte", "Porte-à-porte, visites à domicile"
    EVENT = "evenement", "Événement, caravane des droits"
    TRAINING = "formation", "Formation des professionnels"
    OTHER = "autre", "Autre action"


class PeriodStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    SUBMITTED = "transmise", "Transmise"
    VALIDATED = "validee", "Validée"
    RETURNED = "a_corriger", "À corriger"


class OpenedBenefit(models.TextChoices):
    """The rights whose opening a porteur reports; the first ones are those the access-to-rights engine screens."""

    RSA = "rsa", "RSA"
    PPA = "ppa", "Prime d'activité"
    CSS = "css", "Complémentaire santé solidaire"
    AL = "aides_logement", "Aides au logement (APL, ALF, ALS)"
    AAH = "aah", "Allocation aux adultes handicapés"
    ASPA = "aspa", "Minimum vieillesse (ASPA)"
    FAMILY = "prestations_familiales", "Prestations familiales"
    ENERGY = "cheque_energie", "Chèque énergie"
    OTHER = "autre", "Autre droit"


class RightSource(models.TextChoices):
    """Who counted the rights opened: the porteur, or the paying body that returned the figures."""

    LEAD = "porteur", "Déclaré par le porteur"
    PAYER = "organisme_payeur", "Retourné par l'organisme payeur"
