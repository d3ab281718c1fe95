from django.db import models

# Uploaded documents (meeting documents, PDF of a written contribution).
MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # bytes
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
# A meeting kept in the calendar whose minutes are still missing after this many days is flagged.
MINUTES_DUE_DAYS = 30


class CommitteeKind(models.TextChoices):
    REGIONAL_COPIL = "copil_regional", "COPIL régional des services de l'État"
    AXIS_COMMITTEE = "comite_suivi_axe", "Comité de suivi par axe (département)"
    REGIONAL_CONFERENCE = "conference_regionale", "Conférence régionale des acteurs"
    REGIONAL_WORKING_GROUP = "gt_regional", "Groupe de travail régional"
    POVERTY_WORKING_GROUP = "gt_pauvrete", "GT « Pauvreté » de la plateforme d'observation des solidarités"
    PERMANENT_CONFERENCE = "conference_permanente", "Conférence permanente des solidarités"
    CNLE = "cnle", "Conseil national des politiques de lutte contre la pauvreté et l'exclusion sociale (CNLE)"
    CONCERTATION = "concertation", "Comité de concertation du Pacte"
    OTHER = "autre", "Autre instance"


class MemberCategory(models.TextChoices):
    STATE_SERVICES = "services_etat", "Services de l'État"
    LOCAL_AUTHORITIES = "collectivites", "Collectivités et associations de collectivités"
    ASSOCIATIONS = "associations", "Associations de lutte contre la pauvreté"
    SOCIAL_SECURITY = "securite_sociale", "Organismes de sécurité sociale"
    STATE_OPERATORS = "operateurs_etat", "Opérateurs de l'État"
    LIVED_EXPERIENCE = "personnes_concernees", "Personnes concernées (expérience vécue de la pauvreté)"
    CNLE = "cnle", "CNLE"
    EXPERTS = "experts", "Experts et chercheurs"
    OTHER = "autres", "Autres"


class MemberRole(models.TextChoices):
    CHAIR = "president", "Présidence"
    SECRETARIAT = "secretariat", "Secrétariat"
    MEMBER = "membre", "Membre"


class MeetingStatus(models.TextChoices):
    PLANNED = "planifiee", "Planifiée"
    CONVENED = "convoquee", "Convoquée"
    HELD = "tenue", "Tenue"
    CANCELLED = "annulee", "Annulée"


class Attendance(models.TextChoices):
    INVITED = "invite", "Invité"
    PRESENT = "present", "Présent"
    EXCUSED = "excuse", "Excusé"
    ABSENT = "absent", "Absent"


class MinutesStatus(models.TextChoices):
    DRAFT = "brouillon", "Projet"
    VALIDATED = "valide", "Validé"


class DecisionStatus(models.TextChoices):
    TODO = "a_faire", "À faire"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "faite", "Faite"
    DROPPED = "abandonnee", "Abandonnée"


OPEN_DECISION_STATUSES = (DecisionStatus.TODO, DecisionStatus.IN_PROGRESS)


class DocumentKind(models.TextChoices):
    FILE = "fichier", "Fichier déposé"
    DIAGNOSTIC = "diagnostic", "Extrait du diagnostic territorial"
    BAROMETER = "barometre", "Extrait du baromètre du Pacte"


class ThemeKind(models.TextChoices):
    THEME = "theme", "Thématique"
    TRANSVERSE = "transverse", "Question transverse"


class StakeholderCategory(models.TextChoices):
    """The five families of the seed « Organisation et déroulement de la concertation », plus the people
    with lived experience of poverty ("faire avec les personnes concernées")."""

    LOCAL_AUTHORITY_ASSOCIATIONS = "associations_collectivites", "Associations de collectivités"
    ANTI_POVERTY_ASSOCIATIONS = "associations_lutte", "Associations de lutte contre la pauvreté"
    SOCIAL_SECURITY = "securite_sociale", "Organismes de sécurité sociale"
    STATE_OPERATORS = "operateurs_etat", "Opérateurs de l'État"
    STATE_SERVICES = "services_etat", "Services de l'État"
    LIVED_EXPERIENCE = "personnes_concernees", "Personnes concernées (expérience vécue de la pauvreté)"


class ContributionStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    FILED = "deposee", "Déposée"
    PUBLISHED = "publiee", "Publiée"
    WITHDRAWN = "retiree", "Retirée"
