"""Which territory of the COG a code of a statistical file designates.

The level comes from the shape of the code unless it is forced (`--niveau`, the `niveau` column of the long
format, or the name of a CAF code column): 5 characters (2A/2B and 97x included) for a commune, 9 digits
(SIREN) for an EPCI, 2 or 3 characters for a département (or a collectivité d'outre-mer such as 975).
Région codes look like département codes (52 is both Pays de la Loire and Haute-Marne), so régions are only
read when the level says so. `FR` or `FRANCE` designates France as a whole.

Territory ids are loaded once per level (one query each), never per row.
"""

import re

from pacte.observation.importers.cells import CellError, column_key
from pacte.territories.enums import Level
from pacte.territories.models import Territory

NATIONAL = "france"
LEVEL_CHOICES = {
    "commune": Level.COMMUNE,
    "communes": Level.COMMUNE,
    "com": Level.COM,
    "epci": Level.EPCI,
    "metropole": Level.EPCI,
    "departement": Level.DEPARTEMENT,
    "dep": Level.DEPARTEMENT,
    "dept": Level.DEPARTEMENT,
    "region": Level.REGION,
    "reg": Level.REGION,
    "collectivite_d'outre_mer": Level.COM,
    "collectivite_d_outre_mer": Level.COM,
    "outre_mer": Level.COM,
    "france": NATIONAL,
    "france_entiere": NATIONAL,
    "national": NATIONAL,
    "pays": NATIONAL,
}
# What `--niveau` offers (the long format's `niveau` column accepts the other spellings too).
FORCED_LEVELS = {
    "commune": "Commune",
    "epci": "EPCI ou métropole (SIREN)",
    "departement": "Département",
    "region": "Région",
    "com": "Collectivité d'outre-mer",
}
CODE_NOUN = {
    Level.COMMUNE: "code commune",
    Level.EPCI: "SIREN d'EPCI",
    Level.DEPARTEMENT: "code département",
    Level.REGION: "code région",
    Level.COM: "code de collectivité d'outre-mer",
}
NATIONAL_CODES = frozenset({"FR", "FRANCE", "FRA", ""})
COMMUNE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
EPCI_CODE = re.compile(r"\d{9}")
DEPARTEMENT_CODE = re.compile(r"\d{2,3}|2[AB]")
REGION_CODE = re.compile(r"\d{2,3}")
# Municipal arrondissements of Paris, Lyon and Marseille: in INSEE files, not communes of the COG.
ARRONDISSEMENT = re.compile(r"751(0[1-9]|1\d|20)|6938[1-9]|132(0[1-9]|1[0-6])")
# CAF files begin with the households living abroad and those whose commune is unknown.
OUT_OF_TERRITORY = {"99999": "allocataires résidant à l'étranger", "XXXXX": "commune de résidence inconnue"}


class OutOfTerritory(Exception):
    """A row about no territory of the COG (CAF's 99999 and XXXXX): skipped, not rejected."""


def level_of(text: str) -> str:
    """The level written in a `niveau` cell or given to `--niveau`; CellError when unknown."""
    key = column_key(text)
    if key not in LEVEL_CHOICES:
        raise CellError(
            f"niveau « {text} » inconnu : commune, epci, departement, region, com ou france sont attendus"
        )
    return LEVEL_CHOICES[key]


def shape(code: str, level: str | None, *, caf: bool = False) -> tuple[str, str]:
    """(level, code) once the code is checked against the level, given or guessed from its shape.

    A code that lost its leading zero in a spreadsheet (1001 for 01001, 1 for 01) is completed. The level
    "departement" also finds a collectivité d'outre-mer (`TerritoryIndex.resolve` tries both). In a CAF file
    (`caf`), the rows 99999 and XXXXX raise OutOfTerritory; elsewhere 99999 is an unknown commune."""
    if level == NATIONAL or (level is None and code in NATIONAL_CODES - {""}):
        return NATIONAL, ""
    if not code:
        raise CellError("code géographique absent")
    if caf and code in OUT_OF_TERRITORY and level in (None, Level.COMMUNE):
        raise OutOfTerritory(OUT_OF_TERRITORY[code])
    if code.isdigit() and len(code) == 4 and level in (None, Level.COMMUNE):
        code = "0" + code
    if code.isdigit() and len(code) == 1 and level in (None, Level.DEPARTEMENT, Level.REGION):
        code = "0" + code
    if level is None:
        if COMMUNE_CODE.fullmatch(code):
            level = Level.COMMUNE
        elif EPCI_CODE.fullmatch(code):
            level = Level.EPCI
        elif DEPARTEMENT_CODE.fullmatch(code):
            level = Level.DEPARTEMENT
        else:
            raise CellError(
                f"code « {code} » non reconnu : un code commune (5 caractères), un SIREN d'EPCI (9 chiffres) ou "
                "un code de département (2 ou 3 caractères) est attendu"
            )
    pattern = {
        Level.COMMUNE: COMMUNE_CODE,
        Level.EPCI: EPCI_CODE,
        Level.DEPARTEMENT: DEPARTEMENT_CODE,
        Level.REGION: REGION_CODE,
        Level.COM: REGION_CODE,
    }[level]
    if not pattern.fullmatch(code):
        raise CellError(f"« {code} » n'a pas la forme d'un {CODE_NOUN[level]}")
    if level == Level.COMMUNE and ARRONDISSEMENT.fullmatch(code):
        raise CellError(
            f"« {code} » est un arrondissement municipal (Paris, Lyon, Marseille) : seules les communes du COG "
            "sont importées"
        )
    return level, code


class TerritoryIndex:
    """Codes → ids of the territories of the levels a file needs, loaded one query per level."""

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, int]] = {}

    def load(self, levels) -> None:
        for level in levels:
            if level == NATIONAL or level in self._ids:
                continue
            self._ids[level] = dict(Territory.objects.filter(level=level).values_list("code", "id"))
            if level == Level.DEPARTEMENT:
                self.load([Level.COM])

    @property
    def queried_levels(self) -> list[str]:
        return list(self._ids)

    def resolve(self, level: str, code: str) -> tuple[str, int | None]:
        """(level, id) of the territory, id None for France; CellError when the COG does not know it."""
        if level == NATIONAL:
            return NATIONAL, None
        found = self._ids[level].get(code)
        if found is None and level == Level.DEPARTEMENT:
            com = self._ids[Level.COM].get(code)
            if com is not None:
                return Level.COM, com
        if found is None:
            raise CellError(f"{CODE_NOUN[level]} « {code} » inconnu du COG")
        return level, found
