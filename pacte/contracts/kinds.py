"""What each kind of convention allows: its axes, its envelope, its period, its volets, whether parity applies and
which measures of the référentiel may carry a fiche-action. Pure: no query, no Django model import.

The sources (grade A: official text read first-hand; B: official text quoted by the trade press; the
instructions themselves are not published where the platform could read them):

- Départements, instruction n° DGCS/SD1B/2023/169 du 23 novembre 2023, contracts « conclus entre l'État et les
  départements – ou collectivités ayant les compétences sociales d'un département – pour la période 2024-2027 »:
  « ces contrats comporteront trois axes : "la lutte contre la pauvreté dès l'enfance, l'accès aux droits
  essentiels et la transition écologique et solidaire" » and « "Le soutien de l'État auprès des départements
  dans le champ de l'insertion se traduira par une convention dédiée dans le cadre de France Travail" », with
  « la possibilité pour le département et le préfet d'opter pour une "convention globale unique" pour les deux
  contractualisations » (Banque des Territoires / Localtis, décembre 2023, B,
  https://banquedesterritoires.fr/contrats-locaux-des-solidarites-des-elements-de-cadrage-pour-les-departements-et-les-metropoles).
  Hence: a département's solidarités contract covers axes 1, 3 and 4; axis 2 (emploi, insertion) goes to the
  France Travail convention or to the single global convention.
- France Travail convention, instruction n° DGEFP/DPE/2023/192 du 27 décembre 2023: « Cette contractualisation
  pour 2024 se veut "transitoire" », volet 1 financed « à 100% » by the State (Localtis, janvier 2024, B,
  https://banquedesterritoires.fr/france-travail-une-instruction-cadre-la-contractualisation-2024-avec-les-departements),
  three volets « chacun avec ses modalités de financement (sans possibilité de fongibilité) » (Directions,
  janvier 2024, B); instruction DGEFP du 23 mai 2024: the RSA volet runs « jusqu'au 31 décembre 2025. Pour les
  deux premiers volets, aucune modification n'est apportée : la contractualisation reste conclue pour une durée
  d'un an, soit jusqu'au 31 décembre 2024. » (Le Media social, 2024, B,
  https://lemediasocial.fr/prolongation-de-la-duree-des-conventions-etat-departements-sur-le-volet-rsa_7u2anb).
  Hence: no parity on the France Travail part, a period 2024-2025, volets 1 and 2 in 2024 only.
- Métropoles, instruction n° DGCS/SD1B/2023/168 du 27 octobre 2023: « suivant les quatre axes du pacte des
  solidarités » and « engager au moins une action par axe » (Juris éditions, 5 décembre 2023, B,
  https://www.juriseditions.fr/politique-publique/le-pacte-des-solidarites-se-precise/3861/).
- Parity: « Le co-financement de chaque action à 50% par l'État est maintenu. » (Localtis, décembre 2023, B) and
  « avec un engagement financier égal de la part de l'État et du département » (préfecture de région Normandie,
  30 janvier 2025, A). The France Travail part is outside it (volet 1 « à 100% »).
- Contractable measures: the flags of the référentiel (`Measure.contractable_*`, pacte/programme/data/
  referentiel.yaml, each with its source): the seed 000 slides « Dans le cadre des contrats avec les
  départements et les métropoles » and the FAQ's « Les actions doivent s'inscrire dans les référentiels prévus
  dans les instructions mais ces derniers sont assez larges » (https://solidarites.gouv.fr/node/2143, A).
"""

from pacte.contracts.enums import PERIOD_END, PERIOD_START, ContractKind, Envelope, FranceTravailVolet
from pacte.territories.enums import SignatoryFamily

ALL_AXES = (1, 2, 3, 4)
INSERTION_AXIS = 2
SOLIDARITES_AXES = (1, 3, 4)

FRANCE_TRAVAIL_PERIOD = (2024, 2025)
VOLET_YEARS = {
    FranceTravailVolet.GOVERNANCE: (2024,),
    FranceTravailVolet.LOCAL_SOLUTIONS: (2024,),
    FranceTravailVolet.RSA: (2024, 2025),
}

_KINDS_BY_FAMILY = {
    SignatoryFamily.DEPARTEMENT: (
        ContractKind.DEPARTEMENT,
        ContractKind.FRANCE_TRAVAIL,
        ContractKind.GLOBALE,
    ),
    SignatoryFamily.METROPOLE: (ContractKind.METROPOLE,),
}
_AXES = {
    ContractKind.DEPARTEMENT: SOLIDARITES_AXES,
    ContractKind.FRANCE_TRAVAIL: (INSERTION_AXIS,),
    ContractKind.GLOBALE: ALL_AXES,
    ContractKind.METROPOLE: ALL_AXES,
}
_ENVELOPES = {
    ContractKind.DEPARTEMENT: (Envelope.SOLIDARITES,),
    ContractKind.FRANCE_TRAVAIL: (Envelope.FRANCE_TRAVAIL,),
    ContractKind.GLOBALE: (Envelope.SOLIDARITES, Envelope.FRANCE_TRAVAIL),
    ContractKind.METROPOLE: (Envelope.METROPOLES,),
}
# The référentiel flag a measure needs in each part (`Measure.contractable_<scope>`).
_SCOPES = {
    Envelope.SOLIDARITES: "departement",
    Envelope.FRANCE_TRAVAIL: "france_travail",
    Envelope.METROPOLES: "metropole",
}


def kinds_for(family: str) -> tuple[ContractKind, ...]:
    """The kinds a collectivité may sign: a département-type one (`SignatoryFamily.DEPARTEMENT`) the solidarités
    contract, the France Travail convention or the single global convention; a métropole its contract."""
    return _KINDS_BY_FAMILY[SignatoryFamily(family)]


def default_kind(family: str) -> ContractKind:
    return kinds_for(family)[0]


def kind_problem(family: str, kind: str) -> str | None:
    """Why a collectivité of `family` cannot sign a convention of `kind` (None: it can)."""
    if kind not in ContractKind.values:
        return f"Sorte de convention inconnue : « {kind} »."
    if ContractKind(kind) in kinds_for(family):
        return None
    if family == SignatoryFamily.METROPOLE:
        return "Une métropole signe un contrat local des solidarités de métropole (instruction du 27 octobre 2023)."
    return (
        "Une collectivité à compétences départementales signe un contrat local des solidarités de département, "
        "une convention France Travail ou une convention globale unique (instruction du 23 novembre 2023)."
    )


def period_of(kind: str) -> tuple[int, int]:
    """First and last year of a convention of `kind`: 2024-2025 for the France Travail convention (2024
    « transitoire », the RSA volet extended to 31 December 2025), 2024-2027 otherwise."""
    if kind == ContractKind.FRANCE_TRAVAIL:
        return FRANCE_TRAVAIL_PERIOD
    return PERIOD_START, PERIOD_END


def allowed_axes(kind: str) -> tuple[int, ...]:
    """The numbers of the national axes a convention of `kind` may hold actions on."""
    return _AXES[ContractKind(kind)]


def axis_allowed(kind: str, axis_number: int) -> bool:
    return axis_number in allowed_axes(kind)


def axis_problem(kind: str, axis_number: int) -> str | None:
    """The French refusal for an action on `axis_number` in a convention of `kind` (None: allowed)."""
    if axis_allowed(kind, axis_number):
        return None
    if kind == ContractKind.DEPARTEMENT:
        return (
            f"L'axe {axis_number} (emploi et insertion) n'entre pas dans le contrat local des solidarités d'un "
            "département, qui couvre les axes 1, 3 et 4 : inscrivez cette action dans la convention France "
            "Travail ou dans une convention globale unique (instruction du 23 novembre 2023)."
        )
    if kind == ContractKind.FRANCE_TRAVAIL:
        return (
            f"La convention France Travail ne porte que sur l'axe 2 (emploi et insertion) : l'axe {axis_number} "
            "relève du contrat local des solidarités."
        )
    return f"L'axe {axis_number} n'est pas prévu pour cette convention."


def envelopes_of(kind: str) -> tuple[Envelope, ...]:
    """The envelopes a convention of `kind` draws on (two for the single global convention)."""
    return _ENVELOPES[ContractKind(kind)]


def envelope_of(kind: str, axis_number: int) -> Envelope:
    """The envelope an action of a convention of `kind` on `axis_number` is funded from. In the single global
    convention, axis 2 is the France Travail part; an axis-2 action kept in a département's solidarités contract
    (signed before the rule) stays on the solidarités envelope."""
    if kind == ContractKind.GLOBALE:
        return Envelope.FRANCE_TRAVAIL if axis_number == INSERTION_AXIS else Envelope.SOLIDARITES
    return envelopes_of(kind)[0]


def parity_applies(kind: str, axis_number: int) -> bool:
    """Whether the State's amount of each year may not exceed the collectivité's: every part but the France
    Travail one (volet 1 financed « à 100% » by the State)."""
    return envelope_of(kind, axis_number) != Envelope.FRANCE_TRAVAIL


def requires_every_axis(kind: str) -> bool:
    """A métropole's contract holds at least one action on each of the four axes (instruction of 27 October
    2023: « engager au moins une action par axe »)."""
    return kind == ContractKind.METROPOLE


def volets_apply(kind: str, axis_number: int) -> bool:
    """An action of the France Travail part belongs to one of the three volets."""
    return envelope_of(kind, axis_number) == Envelope.FRANCE_TRAVAIL


def volet_problem(kind: str, axis_number: int, volet: str) -> str | None:
    """The French refusal for the volet of an action (None: fine): required in the France Travail part, empty
    elsewhere."""
    if volets_apply(kind, axis_number):
        if not volet:
            return "Choisissez le volet de la convention France Travail auquel l'action appartient."
        if volet not in FranceTravailVolet.values:
            return f"Volet inconnu : « {volet} »."
        return None
    if volet:
        return "Seules les actions de la convention France Travail (axe 2) appartiennent à un volet."
    return None


def action_years(kind: str, axis_number: int, volet: str = "") -> tuple[int, ...]:
    """The years an action carries targets and a budget for: the volet's years in the France Travail part
    (volets 1 and 2: 2024; RSA volet: 2024 and 2025), the convention's period otherwise."""
    if volets_apply(kind, axis_number):
        if volet in VOLET_YEARS:
            return VOLET_YEARS[FranceTravailVolet(volet)]
        return tuple(range(FRANCE_TRAVAIL_PERIOD[0], FRANCE_TRAVAIL_PERIOD[1] + 1))
    start, end = period_of(kind)
    return tuple(range(start, end + 1))


def contractable_scope(kind: str, axis_number: int) -> str:
    """The suffix of the référentiel flag (`Measure.contractable_<scope>`) a measure needs in this part:
    "departement", "france_travail" or "metropole"."""
    return _SCOPES[envelope_of(kind, axis_number)]


def measure_allowed(kind: str, measure, axis_number: int | None = None) -> bool:
    """Whether `measure` (a programme Measure) may carry a fiche-action of a convention of `kind`: its axis is
    allowed for the kind and the référentiel flags it contractable for that part. `axis_number` defaults to the
    measure's axis (pass it to avoid a query when the axis is not loaded)."""
    number = axis_number if axis_number is not None else measure.axis.number
    if not axis_allowed(kind, number):
        return False
    return bool(getattr(measure, f"contractable_{contractable_scope(kind, number)}"))


def measure_problem(kind: str, measure, axis_number: int | None = None) -> str | None:
    """The French refusal for `measure` in a convention of `kind` (None: allowed)."""
    number = axis_number if axis_number is not None else measure.axis.number
    problem = axis_problem(kind, number)
    if problem:
        return problem
    if measure_allowed(kind, measure, number):
        return None
    return (
        f"La mesure « {measure.code} – {measure.title} » n'est pas contractualisable dans une convention de ce "
        f"type ({ContractKind(kind).label}) : c'est une mesure nationale ou d'une autre partie (voir le "
        "référentiel)."
    )
