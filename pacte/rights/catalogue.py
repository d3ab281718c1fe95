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


class NrpeScope(StrEnum):
    """How a benefit counts in the non-take-up indicator (NRPE, pacte.rights.results): a core right whose
    probable non-take-up makes a household count, an optional aid reported apart, or an aid paid without a claim
    (its "non-take-up" is a delay or a missed automatic payment, reported apart too)."""

    CORE = "socle"
    OPTIONAL = "hors_socle"
    AUTOMATIC = "automatique"

    @property
    def label(self) -> str:
        return NRPE_LABELS[self]


NRPE_LABELS = {
    NrpeScope.CORE: "droit du socle (compté dans l'indicateur de non-recours)",
    NrpeScope.OPTIONAL: "aide hors socle (comptée à part)",
    NrpeScope.AUTOMATIC: "aide versée sans demande (comptée à part)",
}


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
    confidence: Confidence = Confidence.LIKELY  # the default; the engine may lower it for one household
    confidence_note: str = ""
    nrpe: NrpeScope = NrpeScope.CORE


CATALOGUE: tuple[Benefit, ...] = (
    Benefit(
        "rsa",
        "Revenu de solidarité active (RSA)",
        "CAF ou MSA, pour le compte du département",
        "https://www.service-public.fr/particuliers/vosdroits/F19778",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Dépend aussi de l'épargne, des biens et, pour les personnes étrangères hors Union européenne, d'un "
            "titre de séjour autorisant à travailler depuis au moins 5 ans, que les informations du foyer ne disent "
            "pas ; les "
            "moins de 25 ans n'y ont droit que sous conditions (parent, activité passée)."
        ),
    ),
    Benefit(
        "ppa",
        "Prime d'activité",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F2882",
        confidence_note=(
            "Suppose, pour les personnes étrangères hors Union européenne, un titre de séjour autorisant à "
            "travailler depuis au moins 5 ans (comme le RSA), que les informations du foyer ne disent pas ; à "
            "vérifier pour un jeune adulte dont on ne sait pas s'il est étudiant."
        ),
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
        "cf",
        "Complément familial",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F13214",
        confidence_note="Au moins trois enfants à charge de 3 à 21 ans, sous plafond de ressources.",
    ),
    Benefit(
        "asf",
        "Allocation de soutien familial (ASF)",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F815",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Dépend de la pension alimentaire versée par l'autre parent (absente, partielle ou non payée) : "
            "probable seulement si la pension alimentaire reçue est connue (0 si aucune)."
        ),
    ),
    Benefit(
        "ars",
        "Allocation de rentrée scolaire (ARS)",
        "CAF ou MSA",
        "https://www.service-public.fr/particuliers/vosdroits/F1878",
        period=Period.YEAR,
        confidence_note=(
            "Calculée pour le mois d'août, où elle est versée ; sans demande pour les familles qui perçoivent "
            "déjà une prestation de la CAF et pour les enfants de 6 à 15 ans, sur attestation de scolarité de "
            "16 à 18 ans."
        ),
        nrpe=NrpeScope.AUTOMATIC,
    ),
    Benefit(
        "aeeh",
        "Allocation d'éducation de l'enfant handicapé (AEEH, montant de base)",
        "CAF ou MSA, sur décision de la MDPH",
        "https://www.service-public.fr/particuliers/vosdroits/F14809",
        confidence_note=(
            "Un enfant de moins de 20 ans dont le taux d'incapacité reconnu par la MDPH est d'au moins 80 % ; "
            "de 50 à 79 %, seulement s'il fréquente un établissement spécialisé ou reçoit des soins prescrits "
            "par la MDPH (à vérifier). Les compléments ne sont pas estimés."
        ),
        nrpe=NrpeScope.OPTIONAL,
    ),
    Benefit(
        "css",
        "Complémentaire santé solidaire (sans ou avec participation)",
        "Assurance maladie",
        "https://www.service-public.fr/particuliers/vosdroits/F10027",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Les ressources retenues sont celles des douze derniers mois, y compris certaines aides et un "
            "forfait logement ; seuls les revenus mensuels sont connus."
        ),
    ),
    Benefit(
        "aah",
        "Allocation aux adultes handicapés (AAH)",
        "CAF ou MSA, sur décision de la MDPH",
        "https://www.service-public.fr/particuliers/vosdroits/F12242",
        confidence_note=(
            "Estimée avec le taux d'incapacité reconnu par la MDPH : au moins 80 %, ou de 50 à 79 % avec une "
            "restriction substantielle et durable d'accès à l'emploi (RSDAE) reconnue. Jamais estimée "
            "sans taux."
        ),
    ),
    Benefit(
        "aspa",
        "Allocation de solidarité aux personnes âgées (ASPA, minimum vieillesse)",
        "Caisse de retraite (Assurance retraite, MSA…)",
        "https://www.service-public.fr/particuliers/vosdroits/F16871",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Dépend aussi de l'épargne et des biens (hors résidence principale), d'une résidence stable en "
            "France et, pour les personnes étrangères hors Union européenne, d'un titre de séjour depuis au "
            "moins 10 ans, que les informations du foyer ne disent pas ; la pension brute est estimée à partir de "
            "la pension nette. Les sommes versées peuvent être récupérées sur la succession."
        ),
    ),
    Benefit(
        "asi",
        "Allocation supplémentaire d'invalidité (ASI)",
        "Caisse d'assurance maladie ou de retraite qui verse la pension d'invalidité",
        "https://www.service-public.fr/particuliers/vosdroits/F16940",
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Suppose une pension d'invalidité et l'âge avant la retraite ; dépend "
            "aussi de l'épargne, des biens et de la résidence en France, que les informations du foyer ne disent "
            "pas."
        ),
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
            "revenus mensuels ; envoyé sans demande aux foyers qui ont déclaré leurs revenus."
        ),
        nrpe=NrpeScope.AUTOMATIC,
    ),
    Benefit(
        "bourse_college",
        "Bourse de collège",
        "Éducation nationale (établissement)",
        "https://www.service-public.fr/particuliers/vosdroits/F984",
        period=Period.YEAR,
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Suppose un enfant scolarisé au collège, ce que l'âge seul ne garantit pas ; de juin à août, "
            "calculée pour l'année scolaire qui commence en septembre."
        ),
        nrpe=NrpeScope.OPTIONAL,
    ),
    Benefit(
        "bourse_lycee",
        "Bourse de lycée",
        "Éducation nationale (établissement)",
        "https://www.service-public.fr/particuliers/vosdroits/F616",
        period=Period.YEAR,
        confidence=Confidence.TO_CHECK,
        confidence_note=(
            "Suppose un enfant scolarisé au lycée, ce que l'âge seul ne garantit pas ; de juin à août, "
            "calculée pour l'année scolaire qui commence en septembre."
        ),
        nrpe=NrpeScope.OPTIONAL,
    ),
    Benefit(
        "pass_colo",
        "Pass colo (séjour en colonie de vacances)",
        "État, par la CAF",
        "https://www.caf.fr/",
        period=Period.YEAR,
        confidence_note="Un enfant dans l'année de ses 11 ans ; l'aide finance un séjour à réserver.",
        nrpe=NrpeScope.OPTIONAL,
    ),
)

BENEFITS: dict[str, Benefit] = {benefit.code: benefit for benefit in CATALOGUE}
CORE_CODES: frozenset[str] = frozenset(
    benefit.code for benefit in CATALOGUE if benefit.nrpe == NrpeScope.CORE
)
