from datetime import date

from django.db import models

PERIOD_START = 2024
PERIOD_END = 2027
YEARS = tuple(range(PERIOD_START, PERIOD_END + 1))
MID_TERM_EVALUATION_DUE = date(2026, 6, 30)


class ContractStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    NEGOTIATION = "negociation", "En négociation"
    VALIDATED = "valide", "Validé par les deux parties"
    SIGNED = "signe", "Signé"
    SUPERSEDED = "remplace", "Remplacé par un avenant"


EDITABLE_STATUSES = (ContractStatus.DRAFT, ContractStatus.NEGOTIATION)
SIGNED_STATUSES = (ContractStatus.SIGNED, ContractStatus.SUPERSEDED)


class ActionNature(models.TextChoices):
    NEW = "nouvelle", "Action nouvelle"
    REINFORCED = "renforcee", "Action renforcée"


class Reinforcement(models.TextChoices):
    CASELOAD = "file_active", "Augmentation de la file active"
    PUBLICS = "nouveaux_publics", "Nouveaux publics"
    AREAS = "nouvelles_zones", "Nouvelles zones géographiques"


class Funder(models.TextChoices):
    STATE = "etat", "État"
    LOCAL = "collectivite", "Collectivité"
    OTHER = "autre", "Autre cofinanceur"


class IndicatorUnit(models.TextChoices):
    PERSONS = "personnes", "personnes"
    HOUSEHOLDS = "menages", "ménages"
    CHILDREN = "enfants", "enfants"
    YOUNG_PEOPLE = "jeunes", "jeunes"
    STRUCTURES = "structures", "structures"
    PLACES = "places", "places"
    MEALS = "repas", "repas"
    ACTIONS = "actions", "actions"
    HOURS = "heures", "heures"
    COUNT = "nombre", "nombre"
    PERCENT = "pourcentage", "%"
    EUROS = "euros", "€"


# Units whose values are whole counts (an indicator value of 12.5 people is refused).
COUNT_UNITS = tuple(
    unit
    for unit in IndicatorUnit
    if unit not in (IndicatorUnit.PERCENT, IndicatorUnit.EUROS, IndicatorUnit.HOURS)
)


class MidTermStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    FILED = "deposee", "Déposée"
    CLOSED = "cloturee", "Clôturée"


class EvaluationSide(models.TextChoices):
    """Who writes a part: the collectivité, or the State's services of the convention (DDETS, commissioner)."""

    LOCAL = "collectivite", "Collectivité"
    STATE = "etat", "Services de l'État"


class EvaluationMethod(models.TextChoices):
    """The guide's examples of methods (« collecte et analyse documentaire, enquête par questionnaire, etc. »,
    Le Media social, 2025), the « etc. » being any other method, described."""

    DOCUMENTS = "documentaire", "Collecte et analyse documentaire"
    SURVEY = "questionnaire", "Enquête par questionnaire"
    OTHER = "autre", "Autre méthode (à préciser)"


class EvaluationConclusion(models.TextChoices):
    """The future of the action (« anticiper et préparer le devenir des actions », the guide as quoted by Le Media
    social, 2025): the three words are the platform's."""

    CONTINUE = "poursuivre", "Poursuivre l'action"
    ADJUST = "ajuster", "Ajuster l'action"
    STOP = "arreter", "Arrêter l'action"


class ContractKind(models.TextChoices):
    """What a convention is, hence which axes, measures, envelope, period and parity rule apply
    (`pacte.contracts.kinds`). Sources in docs/contrats.md, « Les sortes de conventions »."""

    DEPARTEMENT = "departement", "Contrat local des solidarités (département)"
    FRANCE_TRAVAIL = "france_travail", "Convention France Travail (insertion)"
    GLOBALE = "globale", "Convention globale unique (solidarités et insertion)"
    METROPOLE = "metropole", "Contrat local des solidarités (métropole)"


class Envelope(models.TextChoices):
    """The national envelopes the State credits of the conventions come from (amounts: `data/envelopes.yaml`)."""

    SOLIDARITES = "solidarites", "Solidarités (départements)"
    FRANCE_TRAVAIL = "france_travail", "Insertion (réforme France Travail)"
    METROPOLES = "metropoles", "Métropoles"


class FranceTravailVolet(models.TextChoices):
    """The three volets of the France Travail convention, « chacun avec ses modalités de financement (sans
    possibilité de fongibilité) » (instruction DGEFP/DPE/2023/192 du 27 décembre 2023, cité par Directions,
    janvier 2024)."""

    GOVERNANCE = "gouvernance", "Volet 1 – Loi pour le plein emploi et nouvelle gouvernance"
    LOCAL_SOLUTIONS = "solutions_locales", "Volet 2 – Intensification de l'offre de solutions locales"
    RSA = "accompagnement_rsa", "Volet 3 – Accompagnement rénové des allocataires du RSA"


class PriorityPublic(models.TextChoices):
    """The publics the measures of a pacte local target first (instruction of 12 June 2024, cited by ASH):
    « Les mesures doivent cibler en priorité les enfants, les femmes, les familles monoparentales, ainsi que les
    travailleurs pauvres »."""

    CHILDREN = "enfants", "Les enfants"
    WOMEN = "femmes", "Les femmes"
    SINGLE_PARENT_FAMILIES = "familles_monoparentales", "Les familles monoparentales"
    WORKING_POOR = "travailleurs_pauvres", "Les travailleurs pauvres"


class PactActionStatus(models.TextChoices):
    """Where a collected action stands (the platform's own list: the DIPLP collection form is not
    published)."""

    PLANNED = "prevue", "Prévue"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "realisee", "Réalisée"
    ABANDONED = "abandonnee", "Abandonnée"
