"""Which kind of table a file holds, and what each of its columns becomes.

Three layouts, recognised from the header row alone, in CSV files as in workbooks:

- long ("Pacte", also what the open-data CSV export produces): one value per row, columns `indicateur`,
  `territoire`, `periode`, `valeur`, and optionally `niveau`, `statut` and `champ` (the geographic field of a
  national value: France entière or France métropolitaine); other columns are ignored.
- CAF open data: a code column (`NUMCOM`, `Codes_Insee`, `NUMEPCI`, `NUMDEPT`, `NUMREG`…) whose name gives
  the level, a `DTREF` date giving the year of each row, and counts such as `NB_allocataires`, `ALL_RSA`.
- INSEE: a `CODGEO` column (any case, `CODGEO_2024` too) and one column per variable, named after the
  indicator code followed by the year on two digits (`TP6021` → TP60 for 2021, `MED21` → MED) or on four,
  or the code alone with `--annee`.

An indicator is never created here: a column that matches no indicator is reported as ignored, with how to
declare it.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from pacte.observation.importers.cells import column_key, column_label
from pacte.observation.importers.reading import UnusableFileError
from pacte.territories.enums import Level

INSEE, CAF, LONG = "insee", "caf", "pacte"

LONG_COLUMNS = {
    "indicator": ("indicateur", "code_indicateur", "indicator"),
    "territory": ("territoire", "code_territoire", "territory"),
    "period": ("periode", "annee", "period", "year"),
    "value": ("valeur", "value"),
    "level": ("niveau", "level"),
    "status": ("statut", "status", "disponibilite"),
    "demo": ("donnee_fictive", "is_demo"),
    "scope": ("champ", "champ_geographique", "scope"),
}
LONG_REQUIRED = ("indicator", "territory", "period", "value")

# CAF code columns, finest first: the first one present gives each row its territory.
CAF_CODE_COLUMNS = {
    "numcom": Level.COMMUNE,
    "codes_insee": Level.COMMUNE,
    "numepci": Level.EPCI,
    "numdept": Level.DEPARTEMENT,
    "numdep": Level.DEPARTEMENT,
    "numreg": Level.REGION,
    "numregion": Level.REGION,
}
CAF_PERIOD_COLUMNS = ("dtref", "date_ref", "date_reference")
INSEE_CODE_COLUMN = re.compile(r"(codgeo|code_?geo|code_?insee|code_?commune)(_?\d{2}|_?\d{4})?")
# CAF variables whose meaning matches an indicator of data/indicateurs.yaml.
KNOWN_COLUMNS = {"all_rsa": "NB_RSA", "nb_all_rsa": "NB_RSA", "nb_foyers_rsa": "NB_RSA"}
DESCRIPTIVE = frozenset(
    {
        "reg",
        "dep",
        "com",
        "epci",
        "arr",
        "cv",
        "typecom",
        "communes",
        "commune",
        "departement",
        "region",
        "territoire",
        "nature_epci",
        "zone",
        "niveau",
        "libelle",
    }
)


@dataclass
class Column:
    """What one column of the file becomes: an indicator (and a year unless each row gives it), or nothing."""

    index: int
    name: str
    role: str  # "code", "period", "value", "descriptive", "ignored"
    indicator_id: int | None = None
    indicator_code: str = ""
    year: int | None = None
    reason: str = ""

    def describe(self) -> str:
        if self.role == "value":
            year = f" {self.year}" if self.year else ""
            return f"{self.name} → {self.indicator_code}{year}"
        return f"{self.name} ({self.reason})" if self.reason else self.name


@dataclass
class Options:
    """The choices of the person importing: `--indicateur`, `--niveau`, `--annee`."""

    wanted: set[str] | None = None  # indicator codes to import, None: all known
    mapping: dict[str, str] = field(default_factory=dict)  # column key (or long-format value) → code
    mapping_labels: dict[str, str] = field(default_factory=dict)  # column key → column as typed
    level: str | None = None
    year: int | None = None


@dataclass
class Layout:
    kind: str
    label: str
    columns: list[Column]
    code_index: int | None = None  # wide layouts
    code_level: str | None = None  # CAF: from the name of the code column
    period_index: int | None = None  # CAF: DTREF
    long_index: dict[str, int] = field(default_factory=dict)

    @property
    def columns_by_index(self) -> dict[int, Column]:
        return {column.index: column for column in self.columns}

    @property
    def values(self) -> list[Column]:
        return [column for column in self.columns if column.role == "value"]


def _long_indexes(keys: list[str]) -> dict[str, int]:
    found = {}
    for name, aliases in LONG_COLUMNS.items():
        for index, key in enumerate(keys):
            if key in aliases:
                found[name] = index
                break
    return found


def _code_column(keys: list[str]) -> tuple[int, str | None, str] | None:
    """(index, level or None, kind) of the column giving the territory."""
    for key, level in CAF_CODE_COLUMNS.items():
        if key in keys:
            return keys.index(key), level, CAF
    for index, key in enumerate(keys):
        if INSEE_CODE_COLUMN.fullmatch(key):
            return index, None, INSEE
    return None


def is_header(cells: list[str]) -> bool:
    """True for a header row of one of the three layouts."""
    keys = [column_key(cell) for cell in cells]
    if all(name in _long_indexes(keys) for name in LONG_REQUIRED):
        return True
    return _code_column(keys) is not None


def _year_of(digits: str) -> int | None:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year <= date.today().year % 100 + 1 else 1900
    return year if 1900 <= year <= 2100 else None


def split_code_year(name: str, codes) -> tuple[str, int | None] | None:
    """The indicator code and the year written in a column name: TP6021 → (TP60, 2021), MED_2021 →
    (MED, 2021), TP60 → (TP60, None); None when no known code is found."""
    upper = name.upper()
    if upper in codes:
        return upper, None
    for pattern in (r"(.+?)_?(\d{4})", r"(.+?)_?(\d{2})"):
        match = re.fullmatch(pattern, upper)
        if match and match.group(1) in codes:
            year = _year_of(match.group(2))
            if year:
                return match.group(1), year
    return None


def how_to_declare(name: str) -> str:
    return (
        "aucun indicateur ne correspond : déclarez-le dans l'administration (Indicateurs statistiques) ou dans "
        f"data/indicateurs.yaml, ou associez la colonne à un indicateur existant ({name}=CODE)"
    )


def _value_column(
    index: int, name: str, key: str, indicators: dict, options: Options, period_from_rows: bool
) -> Column:
    mapped = options.mapping.get(key)
    if mapped:
        found = split_code_year(name, {mapped}) or (mapped, None)
        code, year = mapped, found[1]
    else:
        found = split_code_year(name, indicators)
        if found is None and key in KNOWN_COLUMNS and KNOWN_COLUMNS[key] in indicators:
            found = (KNOWN_COLUMNS[key], None)
        if found is None:
            return Column(index, name, "ignored", reason=how_to_declare(name))
        code, year = found
    if options.wanted is not None and code not in options.wanted:
        return Column(index, name, "ignored", indicator_code=code, reason=f"indicateur {code} non demandé")
    if year is None:
        year = options.year
    if year is None and not period_from_rows:
        return Column(
            index,
            name,
            "ignored",
            indicator_code=code,
            reason=f"indicateur {code} sans année : précisez l'année ou nommez la colonne {code}21 pour 2021",
        )
    return Column(index, name, "value", indicator_id=indicators[code], indicator_code=code, year=year)


def plan(header: list[str], indicators: dict[str, int], options: Options) -> Layout:
    """The layout of a file from its header; `indicators` maps every known code to its id.

    Raises UnusableFileError when no column can be imported, or when `--indicateur` names a column that the
    file does not have."""
    keys = [column_key(cell) for cell in header]
    names = [column_label(cell) for cell in header]
    for key, label in options.mapping_labels.items():
        if key not in keys and not all(name in _long_indexes(keys) for name in LONG_REQUIRED):
            raise UnusableFileError(
                f"La colonne « {label} » associée à l'indicateur {options.mapping[key]} "
                f"({label}={options.mapping[key]}) n'est pas dans le fichier "
                f"(colonnes : {', '.join(name for name in names if name)}).",
                field="indicators",
            )
    long_index = _long_indexes(keys)
    if all(name in long_index for name in LONG_REQUIRED):
        used = set(long_index.values())
        columns = [
            Column(index, name, "code" if index in used else "descriptive")
            for index, name in enumerate(names)
            if name
        ]
        return Layout(
            kind=LONG,
            label="format long Pacte (une valeur par ligne : indicateur, territoire, niveau, periode, valeur)",
            columns=columns,
            long_index=long_index,
        )

    code = _code_column(keys)
    if code is None:  # pragma: no cover - the header row was chosen because it has one
        raise UnusableFileError("Aucune colonne de code géographique (CODGEO, NUMCOM, Codes_Insee…).")
    code_index, code_level, kind = code
    period_index = next((keys.index(key) for key in CAF_PERIOD_COLUMNS if key in keys), None)
    if period_index is not None:
        kind = CAF
    columns = []
    for index, (key, name) in enumerate(zip(keys, names, strict=True)):
        if not name:
            continue
        if index == code_index:
            columns.append(Column(index, name, "code"))
        elif index == period_index:
            columns.append(Column(index, name, "period"))
        elif key in CAF_CODE_COLUMNS or INSEE_CODE_COLUMN.fullmatch(key) or _is_descriptive(key):
            columns.append(Column(index, name, "descriptive"))
        else:
            columns.append(_value_column(index, name, key, indicators, options, period_index is not None))
    layout = Layout(
        kind=kind,
        label=(
            f"CAF open data (code {names[code_index]}"
            + (f", année lue dans {names[period_index]})" if period_index is not None else ")")
            if kind == CAF
            else f"INSEE (code {names[code_index]}, une colonne par indicateur)"
        ),
        columns=columns,
        code_index=code_index,
        code_level=code_level,
        period_index=period_index,
    )
    if not layout.values:
        message, field_name = _no_value_column(layout, options)
        raise UnusableFileError(message, field=field_name)
    return layout


def _is_descriptive(key: str) -> bool:
    return key in DESCRIPTIVE or key.startswith(("lib", "nom"))


def _no_value_column(layout: Layout, options: Options) -> tuple[str, str]:
    """Why no column can be imported, and the choice to change (see UnusableFileError.field)."""
    ignored = [column for column in layout.columns if column.role == "ignored"]
    if not ignored:
        return "Aucune colonne de valeurs : le fichier n'a qu'un code géographique et des libellés.", "file"
    without_year = [
        column.name for column in ignored if column.indicator_code and "sans année" in column.reason
    ]
    if without_year:
        return (
            f"Aucune année pour {'la colonne' if len(without_year) == 1 else 'les colonnes'} "
            f"{', '.join(without_year)} : précisez-la (champ « Année » de la page d'import, ou --annee AAAA en "
            "ligne de commande).",
            "year",
        )
    not_wanted = sorted({column.indicator_code for column in ignored if "non demandé" in column.reason})
    if not_wanted and options.wanted is not None:
        return (
            f"Aucune colonne des indicateurs demandés ({', '.join(sorted(options.wanted))}) : le fichier porte sur "
            f"{', '.join(not_wanted)}.",
            "indicators",
        )
    listed = ", ".join(column.name for column in ignored)
    return (
        f"Aucune colonne ne correspond à un indicateur connu (colonnes lues : {listed}). Déclarez les indicateurs "
        "dans l'administration (Indicateurs statistiques) ou dans data/indicateurs.yaml (puis pacte "
        "load_observation), ou associez une colonne à un indicateur existant (COLONNE=CODE dans le champ "
        "« Indicateurs », ou --indicateur COLONNE=CODE en ligne de commande).",
        "file",
    )
