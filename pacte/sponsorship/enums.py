from django.db import models


class CompanyStatus(models.TextChoices):
    PENDING = "en_attente", "En attente de validation"
    VALIDATED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"


class PublicationStatus(models.TextChoices):
    PUBLISHED = "publie", "Publié"
    WITHDRAWN = "retire", "Retiré"


class PledgeKind(models.TextChoices):
    MONEY = "financier", "Mécénat financier"
    SKILLS = "competences", "Mécénat de compétences"
    GOODS = "nature", "Mécénat en nature"


class PledgeStatus(models.TextChoices):
    PROPOSED = "proposee", "Proposée"
    ACCEPTED = "acceptee", "Acceptée"
    DECLINED = "declinee", "Déclinée"
    DELIVERED = "realisee", "Réalisée"
