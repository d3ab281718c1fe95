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
    """The instances of the Pacte. The two employment-and-solidarity kinds of a département (their rules and
    sources: pacte/governance/rules.py): the joint governance France Travail–solidarités (seed 000, 18 Sept 2023,
    « Une gouvernance locale commune France travail et solidarités » ; instruction n° DGCS/SD1B/2023/169 cited by
    Localtis, Dec 2023: « en préfiguration du comité départemental pour l'emploi ») and the comité départemental
    pour l'emploi itself (loi n° 2023-1196 du 18 décembre 2023, art. 4; décret n° 2024-560 du 18 juin 2024, in force
    on 1 July 2024)."""

    REGIONAL_COPIL = "copil_regional", "COPIL régional des services de l'État"
    AXIS_COMMITTEE = "comite_suivi_axe", "Comité de suivi par axe (département)"
    REGIONAL_CONFERENCE = "conference_regionale", "Conférence régionale des acteurs"
    REGIONAL_WORKING_GROUP = "gt_regional", "Groupe de travail régional"
    POVERTY_WORKING_GROUP = "gt_pauvrete", "GT « Pauvreté » de la plateforme d'observation des solidarités"
    PERMANENT_CONFERENCE = "conference_permanente", "Conférence permanente des solidarités"
    CNLE = "cnle", "Conseil national des politiques de lutte contre la pauvreté et l'exclusion sociale (CNLE)"
    CONCERTATION = "concertation", "Comité de concertation du Pacte"
    JOINT_GOVERNANCE = (
        "gouvernance_commune",
        "Gouvernance commune France Travail et solidarités (département)",
    )
    EMPLOYMENT_COMMITTEE = "comite_departemental_emploi", "Comité départemental pour l'emploi"
    OTHER = "autre", "Autre instance"


class MemberCategory(models.TextChoices):
    """The college of a seat. Trade unions and companies: members of the comités territoriaux pour l'emploi (décret
    n° 2024-560 du 18 juin 2024, notice: « Publics concernés : […] organisations syndicales ; organisations
    patronales ; […] entreprises ») and partners of the Pacte (seed 000: « CNLE, organisation syndicales » ; « Des
    entreprises pleinement intégrées à la démarche »)."""

    STATE_SERVICES = "services_etat", "Services de l'État"
    LOCAL_AUTHORITIES = "collectivites", "Collectivités et associations de collectivités"
    ASSOCIATIONS = "associations", "Associations de lutte contre la pauvreté"
    SOCIAL_SECURITY = "securite_sociale", "Organismes de sécurité sociale"
    STATE_OPERATORS = "operateurs_etat", "Opérateurs de l'État"
    LIVED_EXPERIENCE = "personnes_concernees", "Personnes concernées (expérience vécue de la pauvreté)"
    CNLE = "cnle", "CNLE"
    TRADE_UNIONS = "organisations_syndicales", "Organisations syndicales"
    COMPANIES = "entreprises", "Entreprises et organisations d'employeurs"
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
    """The five families of the seed « Organisation et déroulement de la concertation » (seed 004, late 2022), the
    people with lived experience of poverty (seed 000, 18 Sept 2023: « Un principe réaffirmé « faire avec » les
    personnes directement concernées »), and the three parties the Pacte names besides them (seed 000): the CNLE and
    the trade unions, consulted from January to March 2023 (« associations d'élus, associations de lutte contre la
    pauvreté, CNLE, organisation syndicales... »), and the companies (« Des entreprises pleinement intégrées à la
    démarche : un partenariat avec Les entreprises s'engagent »). The CNLE: « Placé auprès du Premier ministre, le
    Conseil national des politiques de lutte contre la pauvreté et l'exclusion sociale (CNLE) est une instance
    représentative des principaux décideurs et acteurs, institutionnels ou associatifs »
    (https://solidarites.gouv.fr/le-conseil-national-des-politiques-de-lutte-contre-la-pauvrete-et-lexclusion-sociale-cnle).
    """

    LOCAL_AUTHORITY_ASSOCIATIONS = "associations_collectivites", "Associations de collectivités"
    ANTI_POVERTY_ASSOCIATIONS = "associations_lutte", "Associations de lutte contre la pauvreté"
    SOCIAL_SECURITY = "securite_sociale", "Organismes de sécurité sociale"
    STATE_OPERATORS = "operateurs_etat", "Opérateurs de l'État"
    STATE_SERVICES = "services_etat", "Services de l'État"
    LIVED_EXPERIENCE = "personnes_concernees", "Personnes concernées (expérience vécue de la pauvreté)"
    CNLE = "cnle", "CNLE (Conseil national des politiques de lutte contre la pauvreté et l'exclusion sociale)"
    TRADE_UNIONS = "organisations_syndicales", "Organisations syndicales"
    COMPANIES = "entreprises", "Entreprises (dont « Les entreprises s'engagent »)"


class ContributionStatus(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    FILED = "deposee", "Déposée"
    PUBLISHED = "publiee", "Publiée"
    WITHDRAWN = "retiree", "Retirée"
