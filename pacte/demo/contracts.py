"""Demo data of the contracts: the Pays de la Loire conventions 2024-2027 as they stand in summer 2025.

Signed contracts of the five départements and of Nantes Métropole (with a signed avenant n°1), State
credits of 2024 and 2025, the 2024 execution reports at every step of their workflow (validated, filed
late, sent back, draft), two mid-term evaluations and the pacte local des solidarités of Loire-Atlantique.

Every row goes through the services, so every rule applies: a demo that breaks one fails loudly
(DemoDataError) and nothing is written. Contracts, reports and the pact are flagged `is_demo` ("donnée
fictive"); the signatories are fictitious people. Loaded after the accounts demo (pacte.demo.accounts),
in demo mode only. Repeatable: a row that already exists under its natural key (territory + period +
amendment number for a version, convention + year for credits and reports, convention for the
evaluation, territory + period for the pact) is left as it is, including what demo users changed since.
"""

import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from pacte.accounts.models import Organisation, User
from pacte.contracts import services
from pacte.contracts.enums import (
    PERIOD_START,
    YEARS,
    ActionNature,
    Funder,
    IndicatorUnit,
    Reinforcement,
    ReportStatus,
)
from pacte.contracts.models import (
    Action,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    LocalPact,
    MidTermEvaluation,
    PactPriority,
)
from pacte.core.counts import describe_counts
from pacte.demo.accounts import NANTES_METROPOLE, PDL_DEPARTEMENTS
from pacte.programme.models import Measure, Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory

THOUSAND = Decimal("1000")
REPORT_YEAR = 2024
# The demo tells the story up to the payment of the 2025 credits.
LAST_EVENT = date(2025, 7, 9)
CREDIT_DATES = {
    2024: {"notified_on": date(2024, 4, 15), "committed_on": date(2024, 6, 14), "paid_on": date(2024, 7, 10)},
    2025: {"notified_on": date(2025, 4, 15), "committed_on": date(2025, 6, 13), "paid_on": LAST_EVENT},
}


class DemoDataError(Exception):
    """The demo data break a rule of the services: a defect of this module, never of the user."""


# --- What the demo describes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """The collectivité that signs a convention with the State."""

    level: str
    code: str
    name: str
    of: str  # "de Loire-Atlantique", "de la Sarthe"
    collectivite: str
    msa: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    label: str
    unit: str
    targets: tuple[int, ...]  # one a year, 2024 to 2027
    baseline: int | None = None  # value of 2023
    national_target: str = ""  # code of a Target of the référentiel


@dataclass(frozen=True)
class ActionSpec:
    title: str
    measures: tuple[str, ...]  # codes of the référentiel; the first one gives the axis
    nature: str
    target_publics: str
    pilot: str
    partners: str
    description: str
    indicators: tuple[IndicatorSpec, ...]
    yearly_cost: tuple[int, ...]  # thousands of euros, all funders, 2024 to 2027
    state_share: Decimal  # at most 0.5
    # Other funders and their share; the collectivité pays the rest.
    cofunders: tuple[tuple[str, Decimal], ...] = ()
    reinforcement: str = ""


@dataclass(frozen=True)
class ReportPlan:
    """The 2024 execution report: `outcome` is validated, late (filed after 31 March 2025, not reviewed yet),
    sent_back or draft."""

    outcome: str
    assessment: str
    submitted_on: date | None = None
    review_comment: str = ""
    execution: Decimal = Decimal("0.92")  # share of the 2024 budget spent and of the targets reached


@dataclass(frozen=True)
class ConventionSpec:
    party: Party
    ceiling: int  # euros a year
    signed_on: date
    state_signatory: str
    local_signatory: str
    actions: tuple[ActionSpec, ...]
    report: ReportPlan
    state_user: str
    local_user: str


def _times(value: int, factor: Decimal) -> int:
    return int((Decimal(value) * factor).to_integral_value(ROUND_HALF_UP))


def _scaled(values: tuple[int, ...], factor: Decimal) -> tuple[int, ...]:
    return tuple(_times(value, factor) for value in values)


def _decrochage(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Prévention spécialisée et lutte contre le décrochage au collège",
        measures=("a1-c1",),
        nature=ActionNature.REINFORCED,
        reinforcement=Reinforcement.AREAS,
        target_publics=(
            "Collégiens de 11 à 16 ans en risque de décrochage scolaire, en priorité dans les collèges en REP "
            "et REP+ et dans les secteurs ruraux sans équipe de prévention spécialisée"
        ),
        pilot=f"{party.collectivite} – direction de l'enfance et de la famille",
        partners=(
            "Éducation nationale (DSDEN), associations de prévention spécialisée, communes et "
            "intercommunalités, CAF"
        ),
        description=(
            "Extension de la prévention spécialisée à de nouveaux secteurs et création de binômes éducateur "
            "de rue – assistant d'éducation dans les collèges volontaires : repérage des élèves absentéistes, "
            "accompagnement de l'élève et de sa famille, coordination du soutien scolaire avec les "
            "établissements, en complément des actions de l'Éducation nationale."
        ),
        indicators=(
            IndicatorSpec(
                "Collégiens accompagnés par la prévention spécialisée",
                IndicatorUnit.YOUNG_PEOPLE,
                _scaled((180, 260, 320, 360), factor),
                baseline=_times(120, factor),
            ),
            IndicatorSpec(
                "Collèges couverts par un binôme éducateur – assistant d'éducation",
                IndicatorUnit.STRUCTURES,
                _scaled((4, 6, 8, 9), factor),
                baseline=2,
            ),
        ),
        yearly_cost=_scaled((220, 260, 280, 280), factor),
        state_share=Decimal("0.5"),
        cofunders=(("Communes partenaires", Decimal("0.1")),),
    )


def _maison_des_parents(party: Party, factor: Decimal, sites: tuple[int, ...]) -> ActionSpec:
    return ActionSpec(
        title="Maison des parents et ses antennes",
        measures=("a1-n2",),
        nature=ActionNature.NEW,
        target_publics=(
            "Parents d'enfants de 0 à 18 ans, en priorité les familles monoparentales et les familles "
            "fragilisées par une rupture (séparation, deuil, perte d'emploi)"
        ),
        pilot=f"{party.collectivite} – direction de la prévention et de la protection de l'enfance",
        partners=(
            "CAF (réseau d'écoute, d'appui et d'accompagnement des parents), centres sociaux, associations de "
            "soutien à la parentalité, PMI, Éducation nationale"
        ),
        description=(
            "Ouverture d'un lieu ressource pour les parents, animé par une équipe pluridisciplinaire "
            "(conseillère en économie sociale et familiale, psychologue, médiateur familial) : accueil sans "
            "rendez-vous, groupes de parole, ateliers, orientation vers les services de droit commun, et "
            "antennes itinérantes dans les territoires ruraux."
        ),
        indicators=(
            IndicatorSpec(
                "Maisons des parents ouvertes (lieu principal et antennes)",
                IndicatorUnit.STRUCTURES,
                sites,
                baseline=0,
                national_target="a1-n2-maisons-des-parents",
            ),
            IndicatorSpec(
                "Familles accompagnées", IndicatorUnit.HOUSEHOLDS, _scaled((150, 400, 600, 700), factor), 0
            ),
        ),
        yearly_cost=_scaled((120, 180, 200, 200), factor),
        state_share=Decimal("0.5"),
        cofunders=((f"CAF {party.of}", Decimal("0.25")),),
    )


def _sante_rsa(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Référents santé-insertion pour les allocataires du RSA",
        measures=("a2-n6",),
        nature=ActionNature.NEW,
        target_publics=(
            "Allocataires du RSA dont l'état de santé freine le retour à l'emploi, orientés par leur référent "
            "de parcours ou par France Travail"
        ),
        pilot=f"{party.collectivite} – direction de l'insertion",
        partners=(
            "CPAM (mission accompagnement santé), ARS Pays de la Loire, France Travail, centres de santé, "
            "centres médico-psychologiques"
        ),
        description=(
            "Des référents santé-insertion reçoivent les allocataires, les aident à ouvrir leurs droits "
            "(complémentaire santé solidaire), à trouver un médecin traitant et à engager les soins "
            "nécessaires, en lien avec la mission accompagnement santé de l'assurance maladie, pour lever ce "
            "frein à l'insertion."
        ),
        indicators=(
            IndicatorSpec(
                "Allocataires du RSA accompagnés par un référent santé-insertion",
                IndicatorUnit.PERSONS,
                _scaled((150, 300, 380, 420), factor),
                baseline=0,
            ),
            IndicatorSpec(
                "Part des personnes accompagnées ayant engagé un parcours de soins",
                IndicatorUnit.PERCENT,
                (50, 55, 60, 65),
            ),
        ),
        yearly_cost=_scaled((150, 200, 220, 220), factor),
        state_share=Decimal("0.45"),
        cofunders=(("ARS Pays de la Loire", Decimal("0.15")),),
    )


def _mobilite(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Plateforme de mobilité solidaire",
        measures=("a2-c1",),
        nature=ActionNature.REINFORCED,
        reinforcement=Reinforcement.CASELOAD,
        target_publics=(
            "Personnes en insertion sans solution de transport : allocataires du RSA, demandeurs d'emploi, "
            "jeunes suivis par une mission locale"
        ),
        pilot=f"{party.collectivite} – direction de l'insertion",
        partners=(
            "France Travail, Région Pays de la Loire, missions locales, garages et auto-écoles solidaires, "
            "associations de covoiturage"
        ),
        description=(
            "Renforcement de la plateforme de mobilité solidaire : diagnostic mobilité, apprentissage du vélo "
            "et des transports en commun, location de véhicules à tarif très social, réparations en garage "
            "solidaire, préparation au permis de conduire ; coordination avec le plan d'action commun en "
            "faveur de la mobilité solidaire prévu par la loi d'orientation des mobilités."
        ),
        indicators=(
            IndicatorSpec(
                "Personnes en insertion accompagnées par la plateforme",
                IndicatorUnit.PERSONS,
                _scaled((400, 480, 540, 600), factor),
                baseline=_times(320, factor),
            ),
            IndicatorSpec(
                "Diagnostics mobilité réalisés", IndicatorUnit.COUNT, _scaled((300, 360, 400, 450), factor)
            ),
        ),
        yearly_cost=_scaled((250, 280, 300, 300), factor),
        state_share=Decimal("0.4"),
        cofunders=(("France Travail", Decimal("0.1")), ("Région Pays de la Loire", Decimal("0.1"))),
    )


def _zero_non_recours(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Aller-vers et accès aux droits : territoire zéro non-recours",
        measures=("a3-n1",),
        nature=ActionNature.NEW,
        target_publics=(
            "Personnes qui ne demandent pas les prestations auxquelles elles ont droit (RSA, prime d'activité, "
            "complémentaire santé solidaire, aides au logement), en priorité les personnes isolées et les "
            "travailleurs modestes"
        ),
        pilot=f"{party.collectivite} – direction de l'action sociale de proximité",
        partners="CAF, CPAM, MSA, France Travail, France Services, CCAS, associations de solidarité",
        description=(
            "Expérimentation d'un territoire zéro non-recours : repérage des situations de non-recours à "
            "partir des données partagées entre organismes, démarches d'aller-vers (permanences mobiles, "
            "porte-à-porte avec les bailleurs sociaux), accompagnement jusqu'à l'ouverture effective des "
            "droits et formation des travailleurs sociaux à ces pratiques."
        ),
        indicators=(
            IndicatorSpec(
                "Personnes accompagnées jusqu'à l'ouverture d'un droit",
                IndicatorUnit.PERSONS,
                _scaled((300, 600, 800, 900), factor),
                baseline=0,
            ),
            IndicatorSpec(
                "Territoire zéro non-recours en fonctionnement",
                IndicatorUnit.COUNT,
                (1, 1, 1, 1),
                baseline=0,
                national_target="a3-n1-territoires-zero-non-recours",
            ),
        ),
        yearly_cost=_scaled((180, 220, 240, 240), factor),
        state_share=Decimal("0.5"),
        cofunders=((f"CAF {party.of}", Decimal("0.15")),),
    )


def _droits_en_milieu_rural(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Accès aux droits en milieu rural : permanences itinérantes",
        measures=("a3-n1",),
        nature=ActionNature.REINFORCED,
        reinforcement=Reinforcement.AREAS,
        target_publics=(
            "Habitants des communes rurales éloignées des services publics, en particulier les personnes "
            "âgées isolées et les ménages sans véhicule"
        ),
        pilot=f"{party.collectivite} – direction de l'action sociale de proximité",
        partners="CAF, MSA, CPAM, France Services, CCAS et CIAS, mairies",
        description=(
            "Un bus itinérant et des permanences dans les mairies et les France Services, tenus par des "
            "travailleurs sociaux avec la CAF, la MSA et la CPAM : information sur les droits, aide aux "
            "démarches en ligne, accompagnement jusqu'à l'ouverture des droits."
        ),
        indicators=(
            IndicatorSpec(
                "Personnes reçues lors des permanences itinérantes",
                IndicatorUnit.PERSONS,
                _scaled((500, 900, 1100, 1200), factor),
                baseline=_times(250, factor),
            ),
            IndicatorSpec("Communes desservies", IndicatorUnit.COUNT, (20, 30, 35, 40), baseline=12),
        ),
        yearly_cost=_scaled((160, 200, 220, 220), factor),
        state_share=Decimal("0.5"),
        cofunders=((f"CAF {party.of}", Decimal("0.1")), (party.msa, Decimal("0.1"))),
    )


def _expulsions(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Prévention des expulsions locatives : équipe socio-juridique et appui à la CCAPEX",
        measures=("a3-n2",),
        nature=ActionNature.NEW,
        target_publics=(
            "Locataires du parc privé et du parc social en impayé de loyer, dès le commandement de payer"
        ),
        pilot=f"{party.collectivite} et DDETS {party.of}, copilotes de la CCAPEX",
        partners=(
            "CCAPEX, CAF, ADIL, bailleurs sociaux, commission de surendettement, barreau (permanences "
            "d'avocats)"
        ),
        description=(
            "Une équipe socio-juridique (travailleurs sociaux et juriste) contacte les ménages dès les "
            "premiers impayés, les aide à mobiliser le fonds de solidarité pour le logement et à négocier un "
            "plan d'apurement, et les accompagne avant l'audience ; le secrétariat de la CCAPEX est renforcé "
            "pour examiner les situations plus tôt."
        ),
        indicators=(
            IndicatorSpec(
                "Ménages accompagnés par l'équipe socio-juridique",
                IndicatorUnit.HOUSEHOLDS,
                _scaled((150, 300, 350, 400), factor),
                baseline=0,
                national_target="a3-n2-menages-accompagnes",
            ),
            IndicatorSpec(
                "Part des ménages menacés d'expulsion accompagnés avant l'audience",
                IndicatorUnit.PERCENT,
                (40, 50, 60, 70),
                baseline=30,
            ),
        ),
        yearly_cost=_scaled((150, 180, 200, 200), factor),
        state_share=Decimal("0.5"),
        cofunders=((f"CAF {party.of}", Decimal("0.1")),),
    )


def _cantines(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Tarification sociale des cantines des collèges",
        measures=("a4-c1",),
        nature=ActionNature.REINFORCED,
        reinforcement=Reinforcement.PUBLICS,
        target_publics="Collégiens de familles modestes, en priorité dans les collèges en REP et REP+",
        pilot=f"{party.collectivite} – direction de l'éducation",
        partners="Collèges publics et privés sous contrat, Éducation nationale (DSDEN), CAF (quotient familial)",
        description=(
            "Généralisation d'une grille tarifaire de la restauration scolaire selon le quotient familial, "
            "avec un repas à moins d'un euro pour les familles les plus modestes ; instruction des demandes "
            "centralisée au Département et campagne d'information dans les collèges en REP et REP+."
        ),
        indicators=(
            IndicatorSpec(
                "Collégiens bénéficiant d'un tarif social",
                IndicatorUnit.CHILDREN,
                _scaled((1500, 2200, 2600, 3000), factor),
                baseline=_times(900, factor),
            ),
            IndicatorSpec(
                "Repas servis à un tarif social",
                IndicatorUnit.MEALS,
                _scaled((180000, 280000, 330000, 380000), factor),
            ),
        ),
        yearly_cost=_scaled((300, 350, 380, 400), factor),
        state_share=Decimal("0.5"),
    )


def _precarite_energetique(party: Party, factor: Decimal) -> ActionSpec:
    return ActionSpec(
        title="Plateforme de lutte contre la précarité énergétique",
        measures=("a4-c2",),
        nature=ActionNature.NEW,
        target_publics=(
            "Ménages modestes en difficulté pour payer leurs factures d'énergie ou vivant dans un logement mal "
            "isolé, locataires comme propriétaires"
        ),
        pilot=f"{party.collectivite} – direction de l'habitat",
        partners=(
            "Espaces conseil France Rénov', CCAS, CAF, bailleurs sociaux, fournisseurs d'énergie, associations "
            "de médiation"
        ),
        description=(
            "Une plateforme reçoit les signalements des travailleurs sociaux, organise une visite à domicile "
            "(diagnostic, petit matériel d'économie d'énergie, conseils), propose une médiation avec le "
            "bailleur ou le fournisseur et oriente vers France Rénov' et les aides de droit commun (chèque "
            "énergie, fonds de solidarité pour le logement)."
        ),
        indicators=(
            IndicatorSpec(
                "Ménages ayant bénéficié d'une visite à domicile",
                IndicatorUnit.HOUSEHOLDS,
                _scaled((150, 300, 400, 450), factor),
                baseline=0,
            ),
            IndicatorSpec(
                "Ménages orientés vers France Rénov' ou une aide à la rénovation",
                IndicatorUnit.HOUSEHOLDS,
                _scaled((40, 90, 120, 150), factor),
                baseline=0,
            ),
        ),
        yearly_cost=_scaled((120, 160, 180, 180), factor),
        state_share=Decimal("0.4"),
        cofunders=(("Programme SLIME (certificats d'économies d'énergie)", Decimal("0.2")),),
    )


def _lieux_accueil_enfants_parents(party: Party) -> ActionSpec:
    return ActionSpec(
        title="Lieux d'accueil enfants-parents dans les quartiers prioritaires",
        measures=("a1-n1",),
        nature=ActionNature.NEW,
        target_publics=(
            "Enfants de moins de 4 ans et leurs parents habitant les quartiers prioritaires de la politique de "
            "la ville, en particulier les familles éloignées des modes d'accueil"
        ),
        pilot=f"{party.collectivite} – direction des solidarités, avec les villes concernées",
        partners="CAF de Loire-Atlantique, PMI, centres sociaux, écoles maternelles, associations de médiation",
        description=(
            "Ouverture de lieux d'accueil enfants-parents au cœur des quartiers prioritaires et de passerelles "
            "vers l'école maternelle, avec des médiateurs qui vont au-devant des familles pour leur faire "
            "connaître les lieux de socialisation du jeune enfant."
        ),
        indicators=(
            IndicatorSpec(
                "Lieux d'accueil enfants-parents ouverts en quartier prioritaire",
                IndicatorUnit.STRUCTURES,
                (2, 4, 5, 6),
                baseline=1,
            ),
            IndicatorSpec(
                "Familles accueillies", IndicatorUnit.HOUSEHOLDS, (150, 300, 380, 450), baseline=60
            ),
        ),
        yearly_cost=(140, 180, 200, 200),
        state_share=Decimal("0.4"),
        cofunders=(("CAF de Loire-Atlantique", Decimal("0.3")),),
    )


def _domiciliation(party: Party) -> ActionSpec:
    return ActionSpec(
        title="Domiciliation et accueil social inconditionnel de proximité",
        measures=("a3-n1",),
        nature=ActionNature.REINFORCED,
        reinforcement=Reinforcement.CASELOAD,
        target_publics=(
            "Personnes sans domicile stable, en habitat précaire ou hébergées, qui ont besoin d'une adresse "
            "pour faire valoir leurs droits"
        ),
        pilot=f"{party.collectivite} – direction des solidarités, avec le CCAS de Nantes",
        partners=(
            "CCAS de Nantes et des communes de la métropole, associations de domiciliation agréées, CAF, CPAM, "
            "France Travail"
        ),
        description=(
            "Augmentation des capacités de domiciliation des CCAS et des associations agréées, ouverture de "
            "deux accueils sociaux de proximité sans rendez-vous, et accompagnement des personnes domiciliées "
            "jusqu'à l'ouverture de leurs droits."
        ),
        indicators=(
            IndicatorSpec(
                "Personnes domiciliées supplémentaires dans l'année",
                IndicatorUnit.PERSONS,
                (400, 800, 1000, 1200),
                baseline=0,
                national_target="a3-n1-domiciliations",
            ),
            IndicatorSpec(
                "Accueils sociaux de proximité ouverts", IndicatorUnit.STRUCTURES, (1, 2, 2, 2), baseline=0
            ),
        ),
        yearly_cost=(200, 240, 260, 260),
        state_share=Decimal("0.5"),
        cofunders=(("CCAS de Nantes", Decimal("0.2")),),
    )


def _solidarite_alimentaire(party: Party) -> ActionSpec:
    return ActionSpec(
        title="Alliance locale de solidarité alimentaire",
        measures=("a4-n1",),
        nature=ActionNature.NEW,
        target_publics="Personnes qui recourent à l'aide alimentaire, étudiants et travailleurs modestes",
        pilot=f"{party.collectivite} – direction du projet alimentaire territorial",
        partners=(
            "Banque alimentaire de Loire-Atlantique, associations d'aide alimentaire, producteurs locaux, "
            "CCAS, épiceries sociales et solidaires"
        ),
        description=(
            "Une alliance entre producteurs, associations et collectivités pour approvisionner l'aide "
            "alimentaire en produits frais et locaux, ouvrir des épiceries sociales et solidaires et "
            "expérimenter un chèque alimentaire local, dans le volet social du projet alimentaire territorial."
        ),
        indicators=(
            IndicatorSpec(
                "Épiceries sociales et solidaires soutenues",
                IndicatorUnit.STRUCTURES,
                (3, 5, 6, 7),
                baseline=2,
            ),
            IndicatorSpec(
                "Personnes bénéficiaires d'un chèque alimentaire local",
                IndicatorUnit.PERSONS,
                (0, 300, 600, 800),
                baseline=0,
            ),
        ),
        yearly_cost=(100, 150, 170, 180),
        state_share=Decimal("0.45"),
        cofunders=(("Région Pays de la Loire", Decimal("0.1")),),
    )


LOIRE_ATLANTIQUE = Party(
    Level.DEPARTEMENT,
    "44",
    "Loire-Atlantique",
    "de Loire-Atlantique",
    "Département de Loire-Atlantique",
    "MSA Loire-Atlantique – Vendée",
)
MAINE_ET_LOIRE = Party(
    Level.DEPARTEMENT,
    "49",
    "Maine-et-Loire",
    "de Maine-et-Loire",
    "Département de Maine-et-Loire",
    "MSA Maine-et-Loire",
)
MAYENNE = Party(
    Level.DEPARTEMENT,
    "53",
    "Mayenne",
    "de la Mayenne",
    "Département de la Mayenne",
    "MSA Mayenne-Orne-Sarthe",
)
SARTHE = Party(
    Level.DEPARTEMENT, "72", "Sarthe", "de la Sarthe", "Département de la Sarthe", "MSA Mayenne-Orne-Sarthe"
)
VENDEE = Party(
    Level.DEPARTEMENT,
    "85",
    "Vendée",
    "de la Vendée",
    "Département de la Vendée",
    "MSA Loire-Atlantique – Vendée",
)
NANTES = Party(Level.EPCI, NANTES_METROPOLE, "Nantes Métropole", "de Nantes Métropole", "Nantes Métropole")


def _nantes_mobilite() -> ActionSpec:
    return replace(
        _mobilite(NANTES, Decimal("1")),
        pilot="Nantes Métropole – direction de l'emploi et de l'innovation sociale",
        partners=(
            "France Travail, missions locales, Semitan (réseau de transports), garages et auto-écoles "
            "solidaires, associations de covoiturage"
        ),
        cofunders=(("France Travail", Decimal("0.15")),),
    )


def _nantes_energie() -> ActionSpec:
    return replace(
        _precarite_energetique(NANTES, Decimal("1.2")),
        pilot="Nantes Métropole – direction de l'habitat, avec les CCAS des communes",
    )


def _nantes_zero_non_recours() -> ActionSpec:
    """The fiche-action that avenant n°1 adds: it starts in 2025."""
    base = _zero_non_recours(NANTES, Decimal("1"))
    return replace(
        base,
        title="Territoire zéro non-recours des quartiers Nantes Nord et Bellevue",
        pilot="Nantes Métropole – direction des solidarités, avec le CCAS de Nantes",
        indicators=(
            replace(base.indicators[0], targets=(0, 250, 400, 500)),
            replace(base.indicators[1], targets=(0, 1, 1, 1)),
        ),
        yearly_cost=(0, 120, 150, 150),
        cofunders=(("CAF de Loire-Atlantique", Decimal("0.2")),),
    )


AMENDMENT_REASON = (
    "Intégration de l'expérimentation « territoire zéro non-recours » dans les quartiers Nantes Nord et "
    "Bellevue à partir de 2025, et hausse de la participation de l'État à la plateforme de mobilité "
    "solidaire en 2025."
)
AMENDMENT_SIGNED_ON = date(2025, 4, 3)
AMENDMENT_NEW_ACTION = _nantes_zero_non_recours()
# The one amount avenant n°1 changes: the State's share of the mobility platform in 2025.
AMENDMENT_BUDGET_CHANGE = ("Plateforme de mobilité solidaire", 2025, Funder.STATE, Decimal("120000"))

CONVENTIONS = (
    ConventionSpec(
        party=LOIRE_ATLANTIQUE,
        ceiling=1_500_000,
        signed_on=date(2024, 3, 22),
        state_signatory="Hervé Lambert, préfet de Loire-Atlantique",
        local_signatory="Catherine Morvan, présidente du conseil départemental de Loire-Atlantique",
        actions=(
            _decrochage(LOIRE_ATLANTIQUE, Decimal("2.2")),
            _maison_des_parents(LOIRE_ATLANTIQUE, Decimal("2"), sites=(1, 2, 3, 3)),
            _sante_rsa(LOIRE_ATLANTIQUE, Decimal("2")),
            _mobilite(LOIRE_ATLANTIQUE, Decimal("2")),
            _zero_non_recours(LOIRE_ATLANTIQUE, Decimal("1.5")),
            _cantines(LOIRE_ATLANTIQUE, Decimal("1.8")),
        ),
        report=ReportPlan(
            outcome="sent_back",
            submitted_on=date(2025, 3, 28),
            execution=Decimal("0.88"),
            assessment=(
                "Première année de mise en œuvre marquée par le recrutement des équipes (référents "
                "santé-insertion, éducateurs de prévention spécialisée) et l'ouverture de la Maison des "
                "parents de Saint-Nazaire. Le territoire zéro non-recours a démarré au second semestre sur le "
                "pays de Châteaubriant."
            ),
            review_comment=(
                "Les dépenses de la CAF sur la Maison des parents ne correspondent pas au bilan financier "
                "transmis par la caisse : merci de les corriger et de préciser le nombre de familles "
                "accompagnées par antenne."
            ),
        ),
        state_user="ddets44",
        local_user="cd44",
    ),
    ConventionSpec(
        party=MAINE_ET_LOIRE,
        ceiling=1_100_000,
        signed_on=date(2024, 3, 8),
        state_signatory="Isabelle Ricard, préfète de Maine-et-Loire",
        local_signatory="Jean-Marc Poirier, président du conseil départemental de Maine-et-Loire",
        actions=(
            _decrochage(MAINE_ET_LOIRE, Decimal("1.9")),
            _maison_des_parents(MAINE_ET_LOIRE, Decimal("1.9"), sites=(1, 1, 2, 2)),
            _mobilite(MAINE_ET_LOIRE, Decimal("2.1")),
            _expulsions(MAINE_ET_LOIRE, Decimal("1.9")),
            _precarite_energetique(MAINE_ET_LOIRE, Decimal("1.9")),
        ),
        report=ReportPlan(
            outcome="validated",
            submitted_on=date(2025, 3, 21),
            execution=Decimal("0.94"),
            assessment=(
                "Les cinq fiches-actions sont engagées. L'équipe socio-juridique de prévention des expulsions "
                "est opérationnelle depuis avril et la CCAPEX examine désormais les dossiers dès le "
                "commandement de payer. La plateforme de précarité énergétique a monté en charge plus "
                "lentement que prévu, faute de signalements au premier trimestre."
            ),
        ),
        state_user="ddets49",
        local_user="cd49",
    ),
    ConventionSpec(
        party=MAYENNE,
        ceiling=800_000,
        signed_on=date(2024, 2, 2),
        state_signatory="Thierry Vasseur, préfet de la Mayenne",
        local_signatory="Monique Le Gall, présidente du conseil départemental de la Mayenne",
        actions=(
            _maison_des_parents(MAYENNE, Decimal("1.9"), sites=(0, 1, 1, 2)),
            _mobilite(MAYENNE, Decimal("2.1")),
            _droits_en_milieu_rural(MAYENNE, Decimal("1.9")),
            _precarite_energetique(MAYENNE, Decimal("1.9")),
        ),
        report=ReportPlan(
            outcome="draft",
            execution=Decimal("0.9"),
            assessment=(
                "Bilan en cours de rédaction : les données de la plateforme de mobilité et des permanences "
                "itinérantes sont saisies, celles de la Maison des parents et de la précarité énergétique "
                "restent à consolider."
            ),
        ),
        state_user="ddets53",
        local_user="cd53",
    ),
    ConventionSpec(
        party=SARTHE,
        ceiling=900_000,
        signed_on=date(2024, 2, 16),
        state_signatory="Nathalie Brunet, préfète de la Sarthe",
        local_signatory="Philippe Chauvin, président du conseil départemental de la Sarthe",
        actions=(
            _decrochage(SARTHE, Decimal("1.4")),
            _sante_rsa(SARTHE, Decimal("1.4")),
            _mobilite(SARTHE, Decimal("1.5")),
            _expulsions(SARTHE, Decimal("1.4")),
            _cantines(SARTHE, Decimal("1.15")),
        ),
        report=ReportPlan(
            outcome="validated",
            submitted_on=date(2025, 3, 27),
            execution=Decimal("0.91"),
            assessment=(
                "Année de lancement réussie pour la tarification sociale des cantines, étendue à l'ensemble "
                "des collèges publics à la rentrée de septembre. Les référents santé-insertion ont accompagné "
                "plus d'allocataires que prévu, grâce aux orientations de France Travail."
            ),
        ),
        state_user="ddets72",
        local_user="cd72",
    ),
    ConventionSpec(
        party=VENDEE,
        ceiling=1_000_000,
        signed_on=date(2024, 1, 19),
        state_signatory="Olivier Mercier, préfet de la Vendée",
        local_signatory="Sylvie Pineau, présidente du conseil départemental de la Vendée",
        actions=(
            _maison_des_parents(VENDEE, Decimal("1.9"), sites=(1, 1, 2, 2)),
            _sante_rsa(VENDEE, Decimal("1.9")),
            _mobilite(VENDEE, Decimal("1.9")),
            _droits_en_milieu_rural(VENDEE, Decimal("1.9")),
            _precarite_energetique(VENDEE, Decimal("1.9")),
        ),
        report=ReportPlan(
            outcome="late",
            submitted_on=date(2025, 4, 18),
            execution=Decimal("0.86"),
            assessment=(
                "Le rapport a été déposé après l'échéance du 31 mars, le temps de recueillir le bilan "
                "financier de la MSA. Les permanences itinérantes couvrent désormais le bocage et le marais ; "
                "la Maison des parents de La Roche-sur-Yon a ouvert en juin."
            ),
        ),
        state_user="ddets85",
        local_user="cd85",
    ),
    ConventionSpec(
        party=NANTES,
        ceiling=600_000,
        signed_on=date(2024, 3, 29),
        state_signatory="Hervé Lambert, préfet de la région Pays de la Loire, préfet de Loire-Atlantique",
        local_signatory="Élise Garnier, présidente de Nantes Métropole",
        actions=(
            _lieux_accueil_enfants_parents(NANTES),
            _nantes_mobilite(),
            _domiciliation(NANTES),
            _nantes_energie(),
            _solidarite_alimentaire(NANTES),
        ),
        report=ReportPlan(
            outcome="validated",
            submitted_on=date(2025, 3, 14),
            execution=Decimal("0.95"),
            assessment=(
                "Les quatre axes du Pacte sont couverts. Deux lieux d'accueil enfants-parents ont ouvert à "
                "Nantes Nord et aux Dervallières ; la domiciliation a dépassé son objectif grâce à "
                "l'ouverture d'un accueil social de proximité sur l'île de Nantes. L'expérience conduit la "
                "métropole à proposer un avenant pour un territoire zéro non-recours."
            ),
        ),
        state_user="ddets44",
        local_user="nantes-metropole",
    ),
)

EVALUATIONS = {
    # code of the territory: (submitted, findings, recommendations)
    "44": (
        True,
        "À mi-parcours, les six fiches-actions sont engagées et quatre atteignent au moins 85 % de leurs cibles. "
        "La Maison des parents et ses antennes répondent à une demande forte des familles monoparentales ; le "
        "territoire zéro non-recours montre qu'un tiers des personnes rencontrées ignoraient un droit ouvert.",
        "Étendre le territoire zéro non-recours à un second bassin de vie en 2027 ; mieux articuler la "
        "plateforme de mobilité avec les agences France Travail ; stabiliser le financement CAF des antennes.",
    ),
    "85": (
        False,
        "Premiers constats : les permanences itinérantes touchent un public âgé qui ne fréquentait pas les "
        "France Services. À compléter avec le bilan 2025 des référents santé-insertion.",
        "",
    ),
}

LOCAL_PACT_TERRITORY = "44"
LOCAL_PACT = {
    "title": "Pacte local des solidarités de Loire-Atlantique 2024-2027",
    "diagnostic_summary": (
        "Le diagnostic territorial, conduit à l'automne 2023 avec les partenaires et des personnes concernées, "
        "fait ressortir trois fragilités : la pauvreté des familles monoparentales, concentrée dans "
        "l'agglomération nantaise et à Saint-Nazaire ; les freins de mobilité et de santé qui éloignent de "
        "l'emploi les allocataires du RSA, surtout dans le nord du département ; un non-recours aux droits "
        "marqué chez les travailleurs modestes et les personnes isolées en milieu rural."
    ),
    "other_signatories": "\n".join(
        (
            "Caisse d'allocations familiales de Loire-Atlantique",
            "Caisse primaire d'assurance maladie de Loire-Atlantique",
            "France Travail – direction territoriale de Loire-Atlantique",
            "Agence régionale de santé Pays de la Loire",
            "MSA Loire-Atlantique – Vendée",
            "Union départementale des CCAS de Loire-Atlantique",
        )
    ),
    "signed_on": date(2024, 3, 22),
}
LOCAL_PACT_PARTNERS = (
    f"Conseil départemental {PDL_DEPARTEMENTS['44']}",
    f"DDETS {PDL_DEPARTEMENTS['44']}",
    "Nantes Métropole",
    "CCAS de Nantes",
    "Entraide Ligérienne (association fictive)",
)
LOCAL_PACT_PRIORITIES = (
    {
        "title": "Prévenir les ruptures dès l'enfance et soutenir les parents",
        "action_plan": (
            "Ouvrir la Maison des parents et ses antennes ; étendre la prévention spécialisée aux collèges "
            "des secteurs ruraux ; généraliser la tarification sociale des cantines des collèges."
        ),
        "pilot": "Département de Loire-Atlantique – direction de l'enfance et de la famille",
        "technical_committee": (
            "Département, CAF, DSDEN, PMI, associations de parents et de prévention spécialisée ; réunion "
            "trimestrielle."
        ),
    },
    {
        "title": "Lever les freins à l'emploi : mobilité et santé des allocataires du RSA",
        "action_plan": (
            "Renforcer la plateforme de mobilité solidaire ; déployer des référents santé-insertion avec la "
            "mission accompagnement santé de la CPAM ; coordonner les parcours avec France Travail."
        ),
        "pilot": "Département de Loire-Atlantique – direction de l'insertion, avec France Travail",
        "technical_committee": (
            "Département, France Travail, CPAM, ARS, missions locales, Nantes Métropole ; réunion tous les "
            "deux mois."
        ),
    },
    {
        "title": "Aller vers les personnes qui ne recourent pas à leurs droits",
        "action_plan": (
            "Expérimenter un territoire zéro non-recours dans le pays de Châteaubriant ; former les "
            "travailleurs sociaux à l'aller-vers ; renforcer la domiciliation avec les CCAS et les "
            "associations."
        ),
        "pilot": "DDETS de Loire-Atlantique et CAF de Loire-Atlantique",
        "technical_committee": (
            "DDETS, CAF, CPAM, MSA, Département, CCAS, associations de solidarité, personnes concernées ; "
            "réunion trimestrielle."
        ),
    },
)


# --- Loading ---------------------------------------------------------------------------------------------


@dataclass
class ContractsDemoReport:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)

    LABELS = (
        ("conventions", "convention", "conventions"),
        ("avenants", "avenant", "avenants"),
        ("fiches", "fiche-action", "fiches-actions"),
        ("credits", "année de crédits", "années de crédits"),
        ("rapports", "rapport d'exécution", "rapports d'exécution"),
        ("evaluations", "évaluation à mi-parcours", "évaluations à mi-parcours"),
        ("pactes", "pacte local", "pactes locaux"),
    )

    def _describe(self, counts: Counter) -> str:
        return describe_counts(counts, self.LABELS)

    def summary(self) -> str:
        lines = []
        if self.created:
            lines.append(
                f"Contrats de démonstration chargés (données fictives) : {self._describe(self.created)}."
            )
        if self.kept:
            lines.append(f"Données déjà présentes, laissées telles quelles : {self._describe(self.kept)}.")
        if self.skipped:
            lines.append(
                "Contrats réels conservés, sans données de démonstration : " + ", ".join(self.skipped) + "."
            )
        return "\n".join(lines) or "Aucun contrat de démonstration à charger."


@contextmanager
def _checked(what: str) -> Iterator[None]:
    """Turn a rule broken by the demo data into an error that says where."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            details = " ; ".join(
                f"{key} : {' '.join(messages)}" for key, messages in error.message_dict.items()
            )
        else:
            details = " ".join(error.messages)
        raise DemoDataError(
            f"Les données de démonstration enfreignent une règle ({what}) : {details}"
        ) from error


def _territory(level: str, code: str) -> Territory:
    territory = Territory.objects.filter(level=level, code=code).first()
    if territory is None:
        raise ImproperlyConfigured(
            f"Le territoire {level} {code} est absent : chargez d'abord le COG (pacte load_cog)."
        )
    return territory


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ImproperlyConfigured(
            f"Le compte de démonstration « {username} » est absent : chargez d'abord les comptes de "
            "démonstration (pacte load_demo)."
        )
    return user


def _check_referentiel() -> tuple[dict[str, Measure], dict[str, Target]]:
    specs = [*(spec for convention in CONVENTIONS for spec in convention.actions), AMENDMENT_NEW_ACTION]
    codes = {code for spec in specs for code in spec.measures}
    measures = {measure.code: measure for measure in Measure.objects.filter(code__in=codes)}
    target_codes = {
        indicator.national_target
        for spec in specs
        for indicator in spec.indicators
        if indicator.national_target
    }
    targets = {target.code: target for target in Target.objects.filter(code__in=target_codes)}
    missing = sorted((codes - measures.keys()) | (target_codes - targets.keys()))
    if missing:
        raise ImproperlyConfigured(
            f"Le référentiel national est absent ou incomplet ({', '.join(missing)} introuvables) : "
            "chargez-le d'abord (pacte load_referentiel)."
        )
    return measures, targets


REVIEW_DELAY_DAYS = 14  # the DDETS examines a filed report about two weeks later
EVALUATION_SUBMITTED_ON = date(2026, 6, 22)  # before the 30 June 2026 deadline


def _moment(day: date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _budget_rows(spec: ActionSpec) -> list[services.BudgetRow]:
    """Whole thousands of euros; the State and the co-funders take their share rounded down, the
    collectivité pays the rest, so the State never exceeds its share."""
    rows = []
    for year, cost in zip(YEARS, spec.yearly_cost, strict=True):
        state = (Decimal(cost) * spec.state_share).to_integral_value(ROUND_FLOOR)
        others = [
            (name, (Decimal(cost) * share).to_integral_value(ROUND_FLOOR)) for name, share in spec.cofunders
        ]
        local = Decimal(cost) - state - sum((amount for _, amount in others), Decimal(0))
        rows.append(services.BudgetRow(year=year, funder=Funder.STATE, amount=state * THOUSAND))
        rows.append(services.BudgetRow(year=year, funder=Funder.LOCAL, amount=local * THOUSAND))
        rows += [
            services.BudgetRow(year=year, funder=Funder.OTHER, funder_name=name, amount=amount * THOUSAND)
            for name, amount in others
        ]
    return rows


def _action_data(spec: ActionSpec, measures: dict[str, Measure], targets: dict[str, Target]):
    return services.ActionData(
        title=spec.title,
        axis_id=measures[spec.measures[0]].axis_id,
        nature=spec.nature,
        reinforcement=spec.reinforcement,
        target_publics=spec.target_publics,
        pilot=spec.pilot,
        partners=spec.partners,
        description=spec.description,
        measure_ids=[measures[code].pk for code in spec.measures],
        indicators=[
            services.IndicatorRow(
                label=indicator.label,
                unit=indicator.unit,
                baseline_value=None if indicator.baseline is None else Decimal(indicator.baseline),
                baseline_year=None if indicator.baseline is None else PERIOD_START - 1,
                national_target_id=targets[indicator.national_target].pk
                if indicator.national_target
                else None,
                year_targets={
                    year: Decimal(value) for year, value in zip(YEARS, indicator.targets, strict=True)
                },
            )
            for indicator in spec.indicators
        ],
        budget=_budget_rows(spec),
    )


def _negotiate_and_sign(
    version: Contract, convention: ConventionSpec, *, signed_on: date, local_user, state_user
) -> Contract:
    # The negotiation ends a few weeks before the signature.
    services.submit_contract(version, local_user, now=_moment(signed_on - datetime.timedelta(days=42)))
    services.validate_contract(
        version, local_user, side="local", now=_moment(signed_on - datetime.timedelta(days=10))
    )
    services.validate_contract(
        version, state_user, side="state", now=_moment(signed_on - datetime.timedelta(days=7))
    )
    return services.sign_contract(
        version,
        state_user,
        signed_on=signed_on,
        state_signatory=convention.state_signatory,
        local_signatory=convention.local_signatory,
    )


class _Loader:
    def __init__(self, report: ContractsDemoReport, today: date):
        self.report = report
        self.today = today
        self.measures, self.targets = _check_referentiel()

    def convention(self, convention: ConventionSpec) -> None:
        party = convention.party
        territory = _territory(party.level, party.code)
        local_user, state_user = _user(convention.local_user), _user(convention.state_user)
        root = Contract.objects.filter(
            territory=territory, period_start=PERIOD_START, amendment_number=0
        ).first()
        if root is not None and not root.is_demo:
            self.report.skipped.append(territory.name)
            return
        if root is None:
            with _checked(f"contrat {party.name}"):
                root = self._sign_contract(territory, convention, local_user, state_user)
        else:
            self.report.kept["conventions"] += 1
        self._credit(root, 2024, paid=True)
        self._report(root, convention, local_user, state_user)
        if party.code == NANTES_METROPOLE:
            self._amendment(root, convention, local_user, state_user)
        validated = ExecutionReport.objects.filter(
            contract=root, year=REPORT_YEAR, status=ReportStatus.VALIDATED
        ).exists()
        self._credit(root, 2025, paid=validated)
        if party.code in EVALUATIONS:
            self._evaluation(root, party.code, local_user)

    def _sign_contract(self, territory, convention: ConventionSpec, local_user, state_user) -> Contract:
        contract = services.create_contract(
            territory, annual_state_ceiling=Decimal(convention.ceiling), is_demo=True
        )
        for spec in convention.actions:
            with _checked(f"fiche-action « {spec.title} »"):
                services.save_action(contract, _action_data(spec, self.measures, self.targets))
        self.report.created["conventions"] += 1
        self.report.created["fiches"] += len(convention.actions)
        return _negotiate_and_sign(
            contract, convention, signed_on=convention.signed_on, local_user=local_user, state_user=state_user
        )

    def _amendment(self, root: Contract, convention: ConventionSpec, local_user, state_user) -> None:
        if Contract.objects.filter(root=root, amendment_number=1).exists():
            self.report.kept["avenants"] += 1
            return
        with _checked(f"avenant n°1 – {convention.party.name}"):
            amendment = services.create_amendment(root, local_user, reason=AMENDMENT_REASON)
            title, year, funder, amount = AMENDMENT_BUDGET_CHANGE
            spec = next(spec for spec in convention.actions if spec.title == title)
            data = _action_data(spec, self.measures, self.targets)
            data.budget = [
                replace(row, amount=amount) if (row.year, row.funder) == (year, funder) else row
                for row in data.budget
            ]
            services.save_action(amendment, data, action=amendment.actions.get(title=title))
            services.save_action(amendment, _action_data(AMENDMENT_NEW_ACTION, self.measures, self.targets))
            _negotiate_and_sign(
                amendment,
                convention,
                signed_on=AMENDMENT_SIGNED_ON,
                local_user=local_user,
                state_user=state_user,
            )
        self.report.created["avenants"] += 1
        self.report.created["fiches"] += 1

    def _credit(self, root: Contract, year: int, *, paid: bool) -> None:
        if Credit.objects.filter(contract=root, year=year).exists():
            self.report.kept["credits"] += 1
            return
        version = services.current_version(root)
        requested = BudgetLine.objects.filter(
            action__contract=version, year=year, funder=Funder.STATE
        ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        dates = CREDIT_DATES[year]
        with _checked(f"crédits {year} – {root.territory.name}"):
            services.record_credit(
                root,
                year,
                notified=requested,
                committed=requested,
                paid=requested if paid else Decimal(0),
                notified_on=dates["notified_on"],
                committed_on=dates["committed_on"],
                paid_on=dates["paid_on"] if paid else None,
            )
        self.report.created["credits"] += 1

    def _report(self, root: Contract, convention: ConventionSpec, local_user, state_user) -> None:
        if ExecutionReport.objects.filter(contract=root, year=REPORT_YEAR).exists():
            self.report.kept["rapports"] += 1
            return
        plan = convention.report
        with _checked(f"rapport d'exécution {REPORT_YEAR} – {convention.party.name}"):
            report = services.open_report(root, REPORT_YEAR, today=self.today, is_demo=True)
            actions = report.version.actions.order_by("number")
            actions = list(actions.prefetch_related("indicators__year_targets", "budget_lines"))
            if plan.outcome == "draft":  # half filled in: the first actions only
                actions = actions[: len(actions) // 2]
            services.save_report(
                report,
                qualitative_assessment=plan.assessment,
                values=self._realised_values(actions, plan.execution),
                spendings=self._spendings(actions, plan.execution),
            )
            if plan.outcome == "draft":
                self.report.created["rapports"] += 1
                return
            services.submit_report(report, local_user, now=_moment(plan.submitted_on))
            reviewed_at = _moment(plan.submitted_on + datetime.timedelta(days=REVIEW_DELAY_DAYS))
            if plan.outcome == "validated":
                services.review_report(report, state_user, validate=True, now=reviewed_at)
            elif plan.outcome == "sent_back":
                services.review_report(
                    report, state_user, validate=False, comment=plan.review_comment, now=reviewed_at
                )
        self.report.created["rapports"] += 1

    @staticmethod
    def _realised_values(actions: list[Action], execution: Decimal) -> dict[int, Decimal]:
        values = {}
        for action in actions:
            for indicator in action.indicators.all():
                target = next(t.value for t in indicator.year_targets.all() if t.year == REPORT_YEAR)
                precision = Decimal("0.1") if indicator.unit == IndicatorUnit.PERCENT else Decimal("1")
                values[indicator.pk] = (target * execution).quantize(precision, ROUND_HALF_UP)
        return values

    @staticmethod
    def _spendings(actions: list[Action], execution: Decimal) -> list[services.SpendingRow]:
        """Every funder spent the same share of its 2024 budget, so the State stays within 50 %."""
        return [
            services.SpendingRow(
                action_id=action.pk,
                funder=line.funder,
                funder_name=line.funder_name,
                amount=(line.amount * execution).quantize(Decimal("1"), ROUND_HALF_UP),
            )
            for action in actions
            for line in action.budget_lines.all()
            if line.year == REPORT_YEAR
        ]

    def _evaluation(self, root: Contract, code: str, local_user) -> None:
        if MidTermEvaluation.objects.filter(contract=root).exists():
            self.report.kept["evaluations"] += 1
            return
        submitted, findings, recommendations = EVALUATIONS[code]
        with _checked(f"évaluation à mi-parcours – {root.territory.name}"):
            services.save_evaluation(
                root,
                local_user,
                findings=findings,
                recommendations=recommendations,
                submit=submitted,
                now=_moment(EVALUATION_SUBMITTED_ON) if submitted else None,
            )
        self.report.created["evaluations"] += 1

    def local_pact(self) -> None:
        territory = _territory(Level.DEPARTEMENT, LOCAL_PACT_TERRITORY)
        if LocalPact.objects.filter(territory=territory, period_start=PERIOD_START).exists():
            self.report.kept["pactes"] += 1
            return
        partners = []
        for name in LOCAL_PACT_PARTNERS:
            organisation = Organisation.objects.filter(name=name).first()
            if organisation is None:
                raise ImproperlyConfigured(
                    f"L'organisation « {name} » est absente : chargez d'abord les comptes de démonstration "
                    "(pacte load_demo)."
                )
            partners.append(organisation)
        pact = LocalPact(territory=territory, is_demo=True, **LOCAL_PACT)
        with _checked("pacte local de Loire-Atlantique"):
            pact.full_clean()
            pact.save()
            pact.partners.set(partners)
            for rank, priority in enumerate(LOCAL_PACT_PRIORITIES, start=1):
                row = PactPriority(pact=pact, rank=rank, **priority)
                row.full_clean()
                row.save()
        self.report.created["pactes"] += 1


@transaction.atomic
def load_contracts_demo(today: date | None = None) -> ContractsDemoReport:
    """Load the contracts of the Pays de la Loire demo (see the module docstring); `today` is the date the
    demo is loaded on (the reports of 2024 can only be opened once 2024 has begun)."""
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Les données de démonstration ne se chargent qu'en mode démonstration (PACTE_DEMO=1)."
        )
    today = today or timezone.localdate()
    if today <= LAST_EVENT:
        raise ImproperlyConfigured(
            f"La démonstration des contrats décrit leur exécution jusqu'au {LAST_EVENT:%d/%m/%Y} : elle ne "
            "peut pas être chargée à une date antérieure."
        )
    report = ContractsDemoReport()
    loader = _Loader(report, today)
    for convention in CONVENTIONS:
        loader.convention(convention)
    loader.local_pact()
    return report
