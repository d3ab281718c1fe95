"""The benefits the rights engine looks at: code (the `prestations_percues` code of the household file and of
the output), label, the organisation that pays it, where to claim it, and how far the household file can
settle eligibility.

Pure data, no Django and no OpenFisca: the web app, the command line and the engine all read it.
"""

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    """How far the inputs of the household file settle eligibility."""

    LIKELY = "probable"  # the file gives what the rules need, up to the engine's conventions
    TO_CHECK = "a_verifier"  # a condition the file cannot know decides: say so, never claim certainty


class Period(StrEnum):
    MONTH = "mois"
    YEAR = "annee"


@dataclass(frozen=True)
class Benefit:
    code: str
    label: str
    payer: str
    claim_url: str
    period: Period = Period.MONTH
    confidence: Confidence = Confidence.LIKELY
    confidence_note: str = ""


CATALOGUE: tuple[Benefit, ...] = (
    Benefit(
        "rsa",
        "Revenu de solidarité active (RSA)",
        "CAF ou MSA, pour le compte du département",
        "https://www.service-public.fr/particuliers/vosdroits/F19778",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Dépend aussi de l'épargne, des biens et du titre de séjour, que le fichier ne donne pas ; les "
            "moins de 25 ans n'y ont droit que sous conditions (parent, activité passée)."
        ),
    ),
    Benefit(
        "ppa",
        "Prime d'activité",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F2882",
    ),
    Benefit(
        "aide_logement",
        "Aides personnelles au logement (APL, ALF, ALS)",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F12006",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Suppose un logement décent, loué avec un bail à une personne qui n'est pas un proche parent ; le "
            "patrimoine important réduit ou supprime l'aide."
        ),
    ),
    Benefit(
        "af",
        "Allocations familiales",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F13213",
    ),
    Benefit(
        "asf",
        "Allocation de soutien familial (ASF)",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F815",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Dépend de la pension alimentaire versée par l'autre parent (absente, partielle ou non payée), que "
            "le fichier ne donne pas."
        ),
    ),
    Benefit(
        "css",
        "Complémentaire santé solidaire (sans ou avec participation)",
        "Assurance maladie",
        "https://www.service-public.fr/particuliers/vosdroits/F10027",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Les ressources retenues sont celles des douze derniers mois, y compris certaines aides et un "
            "forfait logement ; le fichier ne donne que les revenus mensuels."
        ),
    ),
    Benefit(
        "aah",
        "Allocation aux adultes handicapés (AAH)",
        "CAF ou MSA, sur décision de la MDPH",
        "https://www.service-public.fr/particuliers/vosdroits/F12242",
        confidence=Confidence.TO_CHECK,
        confidence_note="Suppose un taux d'incapacité reconnu par la MDPH, que le fichier ne donne pas.",
    ),
    Benefit(
        "cheque_energie",
        "Chèque énergie",
        "État (Agence de services et de paiement)",
        "https://chequeenergie.gouv.fr/",
        period=Period.YEAR,
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Calculé sur le revenu fiscal de référence et la taxe d'habitation, estimés ici à partir des "
            "revenus mensuels."
        ),
    ),
    Benefit(
        "bourse_college",
        "Bourse de collège",
        "Éducation nationale (établissement)",
        "https://www.service-public.fr/particuliers/vosdroits/F984",
        period=Period.YEAR,
        confidence=Confidence.TO_CHECK,
        confidence_note="Suppose un enfant scolarisé au collège, ce que l'âge seul ne garantit pas.",
    ),
    Benefit(
        "bourse_lycee",
        "Bourse de lycée",
        "Éducation nationale (établissement)",
        "https://www.service-public.fr/particuliers/vosdroits/F616",
        period=Period.YEAR,
        confidence=Confidence.TO_CHECK,
        confidence_note="Suppose un enfant scolarisé au lycée, ce que l'âge seul ne garantit pas.",
    ),
    Benefit(
        "pass_colo",
        "Pass colo (séjour en colonie de vacances)",
        "État, par la CAF",
        "https://www.caf.fr/",
        period=Period.YEAR,
        confidence_note="Un enfant dans l'année de ses 11 ans ; l'aide finance un séjour à réserver.",
    ),
)

BENEFITS: dict[str, Benefit] = {benefit.code: benefit for benefit in CATALOGUE}
