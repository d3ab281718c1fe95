"""Each household's confidence in each benefit, and the reason when the file cannot settle it.

The catalogue gives each benefit a default confidence (`Benefit.confidence`); these rules lower it to
"à vérifier" for one household when its own data leave a condition open, or raise the ASF to "probable" when the
file gives the child support received. Pure numpy, no OpenFisca: the engine calls `confidences` on a chunk.
"""

from datetime import date

import numpy as np

from pacte.rights.catalogue import CATALOGUE, Confidence
from pacte.rights.convention import CHILD, CODES, UNKNOWN, ChunkInputs, ages

# The reasons written in the results (column `motif`), by code; 0: none.
REASONS = (
    "",
    "Mayotte : OpenFisca-France 176.1.8 n'a pas le barème local, montant calculé au barème national",
    "collectivité d'outre-mer (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin) : règles locales non "
    "modélisées",
    "pension alimentaire reçue non renseignée",
    "adulte de moins de 25 ans dont on ne sait pas s'il est étudiant",
    "enfant au taux d'incapacité de 50 à 79 % : suppose un établissement spécialisé ou des soins",
    "enfant de 16 ans ou plus : scolarité ou apprentissage à justifier",
    "aide confirmée par la dernière source consultée pour une année antérieure",
    "déclarée perçue, mais sans droit selon le calcul",
)
(
    NO_REASON,
    MAYOTTE,
    OVERSEAS_COLLECTIVITY,
    NO_CHILD_SUPPORT,
    STUDENT_UNKNOWN,
    AEEH_PARTIAL_RATE,
    ARS_OLDER_CHILD,
    PASS_COLO_UNCONFIRMED,
    RECEIVED_NOT_DUE,
) = range(len(REASONS))

# Benefits whose Mayotte scale OpenFisca-France 176.1.8 does not have (it applies the national one, or gives 0).
MAYOTTE_WITHOUT_SCALE = (
    "rsa",
    "ppa",
    "aide_logement",
    "af",
    "cf",
    "asf",
    "ars",
    "aeeh",
    "aah",
    "aspa",
    "asi",
)
MAYOTTE_CODE = "976"
OVERSEAS_COLLECTIVITIES = ("975", "977", "978")
STUDENT_AGES = (18, 25)  # adults of these ages (upper bound excluded) may be students


def _column(code: str) -> int:
    return CODES.index(code)


def _households_with(inputs: ChunkInputs, persons: np.ndarray) -> np.ndarray:
    return np.bincount(inputs.person_household, weights=persons, minlength=inputs.size) > 0


def confidences(
    inputs: ChunkInputs, eligible: np.ndarray, *, pass_colo_last_year: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(likely, reasons): households × CODES, whether the benefit is "probable" for the household, and the code
    of the reason (REASONS) when it is "à vérifier" for a reason of its own. `pass_colo_last_year`: the last
    year a public source confirms the pass colo for (None: not bounded)."""
    likely = np.tile(
        np.array([benefit.confidence == Confidence.LIKELY for benefit in CATALOGUE]), (inputs.size, 1)
    )
    reasons = np.zeros((inputs.size, len(CODES)), dtype=np.int8)

    def lower(code_columns, households: np.ndarray, reason: int) -> None:
        for column in code_columns:
            new = households & (reasons[:, column] == NO_REASON)
            reasons[new, column] = reason
            likely[households, column] = False

    first_day = date.fromisoformat(f"{inputs.month}-01")
    age = ages(inputs, first_day)
    is_child = inputs.role == CHILD
    # ASF: probable only when the household says what child support it receives.
    support_known = _households_with(inputs, inputs.child_support_known)
    asf = _column("asf")
    likely[:, asf] = support_known
    reasons[~support_known, asf] = NO_CHILD_SUPPORT
    # Prime d'activité: a young adult may be a student (other rules), unless the file says.
    young_unknown = (
        ~is_child & (age >= STUDENT_AGES[0]) & (age < STUDENT_AGES[1]) & (inputs.student == UNKNOWN)
    )
    lower([_column("ppa")], _households_with(inputs, young_unknown), STUDENT_UNKNOWN)
    # AEEH at 50-79 %: only with a specialised establishment or care the file does not give.
    partial = is_child & (inputs.disability >= 0.5) & (inputs.disability < 0.8)
    lower([_column("aeeh")], _households_with(inputs, partial), AEEH_PARTIAL_RATE)
    # ARS from 16: schooling or apprenticeship to prove.
    december = date(first_day.year, 12, 31)
    older = is_child & (ages(inputs, december) >= 16)
    lower([_column("ars")], _households_with(inputs, older), ARS_OLDER_CHILD)
    if pass_colo_last_year is not None and first_day.year > pass_colo_last_year:
        lower([_column("pass_colo")], np.ones(inputs.size, dtype=bool), PASS_COLO_UNCONFIRMED)
    # Overseas: where OpenFisca-France has no local scale.
    departement = np.char.ljust(inputs.depcom, 5).astype("U3")
    lower([_column(code) for code in MAYOTTE_WITHOUT_SCALE], departement == MAYOTTE_CODE, MAYOTTE)
    collectivity = np.isin(departement, OVERSEAS_COLLECTIVITIES)
    lower(range(len(CODES)), collectivity, OVERSEAS_COLLECTIVITY)
    # Declared received but computed at zero: a row to check.
    not_due = inputs.received & ~eligible
    reasons[not_due] = RECEIVED_NOT_DUE
    likely[not_due] = False
    return likely, reasons
