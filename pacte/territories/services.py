"""Business operations on territories: the import of the official geographic code (COG).

`import_cog` reads the four CSV files of an edition (see data/cog2026/PROVENANCE.md), checks every
line before touching the database, then brings the Territory table in line with them in one
transaction: new territories are created, changed ones updated, and those missing from the files
are kept but marked `is_active=False`. Existing rows are read in one query per level and compared
in memory: a re-import that finds no change writes nothing, and the whole edition (~36,000
territories) loads in a few seconds (figures: benchmarks/cog_import.py).
"""

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from pacte import formatting
from pacte.territories.enums import EpciType, Level, Zone
from pacte.territories.models import Territory

COG_DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_YEAR = 2026
LEVEL_ORDER: tuple[str, ...] = (Level.REGION, Level.COM, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE)
PLURAL_LABELS = {
    Level.REGION: "Régions",
    Level.COM: "Collectivités d'outre-mer",
    Level.DEPARTEMENT: "Départements",
    Level.EPCI: "EPCI",
    Level.COMMUNE: "Communes",
}
COLUMNS = {
    "regions.csv": ("code", "nom", "zone", "chef_lieu"),
    "departements.csv": ("code", "nom", "region", "zone", "chef_lieu"),
    "epci.csv": ("code", "nom", "type", "population"),
    "communes.csv": ("code", "nom", "departement", "epci", "population"),
}
REGION_OR_COM_CODE = re.compile(r"[0-9]{2,3}")
DEPARTEMENT_CODE = re.compile(r"[0-9]{2}|2[AB]|97[0-9]")
EPCI_CODE = re.compile(r"[0-9]{9}")
COMMUNE_CODE = re.compile(r"[0-9]{5}|2[AB][0-9]{3}")
INTEGER = re.compile(r"-?[0-9]+")
MAX_POPULATION = 2_147_483_647
NAME_MAX_LENGTH = Territory._meta.get_field("name").max_length
BATCH_SIZE = 500
# The Territory fields the import sets, in the order of the tuples compared in memory.
FIELDS = (
    "name",
    "parent_id",
    "region_id",
    "departement_id",
    "epci_id",
    "epci_type",
    "zone",
    "population",
    "chef_lieu",
    "is_active",
    "cog_year",
)
IS_ACTIVE = FIELDS.index("is_active")

Key = tuple[str, str]  # (level, code)


class CogFormatError(ValueError):
    """A COG file is missing or malformed; the message (French) names the file, line and field."""


@dataclass(frozen=True)
class CogLine:
    """One data line of a CSV file, with what is needed to report an error on it."""

    file: str
    number: int
    values: dict[str, str]

    def error(self, column: str, message: str) -> CogFormatError:
        return CogFormatError(f"{self.file}, ligne {self.number}, champ « {column} » : {message}")

    def text(self, column: str) -> str:
        value = self.values[column]
        if not value:
            raise self.error(column, "valeur obligatoire manquante.")
        return value

    def name(self, column: str = "nom") -> str:
        value = self.text(column)
        if len(value) > NAME_MAX_LENGTH:
            raise self.error(column, f"le nom dépasse {NAME_MAX_LENGTH} caractères.")
        return value

    def code(self, column: str, pattern: re.Pattern, expected: str) -> str:
        value = self.text(column)
        if not pattern.fullmatch(value):
            raise self.error(column, f"« {value} » n'est pas un code valide ({expected}).")
        return value

    def optional_code(self, column: str, pattern: re.Pattern, expected: str) -> str:
        return self.code(column, pattern, expected) if self.values[column] else ""

    def population(self, column: str = "population") -> int | None:
        value = self.values[column]
        if not value:
            return None
        if not INTEGER.fullmatch(value):
            raise self.error(column, f"« {value} » n'est pas un entier.")
        number = int(value)
        if not 0 <= number <= MAX_POPULATION:
            raise self.error(column, f"« {value} » n'est pas une population plausible.")
        return number

    def choice(self, column: str, choices: type[Zone] | type[EpciType]) -> str:
        value = self.text(column)
        if value not in choices.values:
            allowed = ", ".join(choices.values)
            raise self.error(column, f"« {value} » n'est pas une valeur permise ({allowed}).")
        return value


@dataclass
class CogEntry:
    """What the files say one territory should be; parents are (level, code) keys."""

    line: CogLine = field(repr=False)
    level: str
    code: str
    name: str
    zone: str
    population: int | None = None
    chef_lieu: str = ""
    epci_type: str = ""
    parent: Key | None = None
    region: Key | None = None
    departement: Key | None = None
    epci: Key | None = None

    @property
    def key(self) -> Key:
        return (self.level, self.code)


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    obsolete: int = 0

    def __add__(self, other: "LevelCounts") -> "LevelCounts":
        return LevelCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.obsolete + other.obsolete,
        )


@dataclass
class CogImportReport:
    """What an import did, per level (keys: Level values, in LEVEL_ORDER)."""

    year: int
    source_dir: Path
    levels: dict[str, LevelCounts] = field(default_factory=lambda: {lv: LevelCounts() for lv in LEVEL_ORDER})

    @property
    def total(self) -> LevelCounts:
        return sum(self.levels.values(), LevelCounts())

    def summary(self) -> str:
        widths = (27, 11, 11, 11, 11)
        header = ("Niveau", "nouveaux", "modifiés", "inchangés", "obsolètes")
        rows = [header]
        labelled = [(PLURAL_LABELS[level], counts) for level, counts in self.levels.items()]
        for label, counts in [*labelled, ("Total", self.total)]:
            rows.append((label, *map(formatting.number, astuple(counts))))
        lines = [f"Code officiel géographique {self.year} importé depuis {self.source_dir}."]
        for row in rows:
            lines.append(
                row[0].ljust(widths[0])
                + "".join(v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True))
            )
        if self.total.obsolete:
            lines.append("Les territoires obsolètes sont conservés et marqués comme n'étant plus en vigueur.")
        return "\n".join(lines)


def astuple(counts: LevelCounts) -> tuple[int, int, int, int]:
    return (counts.created, counts.updated, counts.unchanged, counts.obsolete)


def import_cog(source_dir: Path | None = None, *, year: int = DEFAULT_YEAR) -> CogImportReport:
    """Bring the territories in line with the COG files of `source_dir` (default: the shipped edition).

    Raises CogFormatError, before any write, when a file is missing or a line is malformed.
    """
    source_dir = Path(source_dir) if source_dir is not None else COG_DATA_DIR / f"cog{year}"
    if not source_dir.is_dir():
        raise CogFormatError(f"Dossier des fichiers du COG introuvable : {source_dir}.")
    entries = read_cog(source_dir)
    report = CogImportReport(year=year, source_dir=source_dir)
    pks: dict[Key, int] = {}
    with transaction.atomic():
        for level in LEVEL_ORDER:
            report.levels[level] = sync_level(level, entries[level], pks, year)
    return report


# Reading and validating -------------------------------------------------------------------------


def read_cog(source_dir: Path) -> dict[str, list[CogEntry]]:
    """Parse and check the four files; return the entries of each level, parents included."""
    regions = parse_regions(read_table(source_dir, "regions.csv"))
    departements = parse_departements(read_table(source_dir, "departements.csv"), regions)
    epcis = parse_epcis(read_table(source_dir, "epci.csv"))
    communes = parse_communes(read_table(source_dir, "communes.csv"), regions, departements, epcis)
    add_populations(communes, regions, departements)
    place_epcis(epcis, communes, departements)
    by_level: dict[str, list[CogEntry]] = {level: [] for level in LEVEL_ORDER}
    for group in (regions, departements, epcis, communes):
        for entry in group.values():
            by_level[entry.level].append(entry)
    return by_level


def read_table(source_dir: Path, name: str) -> list[CogLine]:
    columns = COLUMNS[name]
    try:
        with (source_dir / name).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return read_lines(reader, name, columns)
            except csv.Error as error:
                if "field limit" in str(error):  # the csv module's message, in English
                    reason = (
                        f"une cellule dépasse {formatting.number(csv.field_size_limit())} caractères, la "
                        "limite d'une cellule CSV (un guillemet non fermé réunit les lignes suivantes)"
                    )
                else:
                    reason = f"fichier CSV illisible ({error})"
                raise CogFormatError(f"{name}, ligne {reader.line_num} : {reason}.") from None
    except FileNotFoundError:
        raise CogFormatError(f"{name} : fichier introuvable dans {source_dir}.") from None
    except UnicodeDecodeError:
        raise CogFormatError(f"{name} : le fichier n'est pas encodé en UTF-8.") from None


def read_lines(reader, name: str, columns: tuple[str, ...]) -> list[CogLine]:
    header = [title.strip() for title in next(reader, [])]
    if not header:
        raise CogFormatError(f"{name}, ligne 1 : l'en-tête manque ({', '.join(columns)}).")
    for column in columns:
        if column not in header:
            raise CogFormatError(f"{name}, ligne 1, champ « {column} » : colonne absente de l'en-tête.")
    positions = [(column, header.index(column)) for column in columns]
    lines = []
    for row in reader:
        if not any(value.strip() for value in row):
            continue
        if len(row) != len(header):
            raise wrong_width(name, reader.line_num, header, row)
        values = {column: row[index].strip() for column, index in positions}
        lines.append(CogLine(name, reader.line_num, values))
    return lines


def wrong_width(name: str, number: int, header: list[str], row: list[str]) -> CogFormatError:
    counted = f"la ligne compte {len(row)} champs au lieu de {len(header)}"
    if len(row) < len(header):
        return CogFormatError(
            f"{name}, ligne {number}, champ « {header[len(row)]} » : valeur absente, {counted}."
        )
    return CogFormatError(f"{name}, ligne {number} : {counted}.")


def check_unique(line: CogLine, code: str, seen: dict[str, CogEntry]) -> None:
    if code in seen:
        raise line.error("code", f"le code « {code} » figure déjà ligne {seen[code].line.number}.")


def parse_regions(lines: list[CogLine]) -> dict[str, CogEntry]:
    """regions.csv holds the régions (2 digits) and the collectivités d'outre-mer (3 digits, zone com)."""
    entries: dict[str, CogEntry] = {}
    for line in lines:
        code = line.code("code", REGION_OR_COM_CODE, "2 chiffres pour une région, 3 pour une COM")
        check_unique(line, code, entries)
        zone = line.choice("zone", Zone)
        is_com = len(code) == 3
        if is_com != (zone == Zone.COM):
            expected = "« com »" if is_com else "« metro » ou « drom »"
            raise line.error("zone", f"« {zone} » ne convient pas au code « {code} » (attendu : {expected}).")
        entries[code] = CogEntry(
            line=line,
            level=Level.COM if is_com else Level.REGION,
            code=code,
            name=line.name(),
            zone=zone,
            chef_lieu=line.optional_code("chef_lieu", COMMUNE_CODE, "code commune à 5 caractères"),
        )
    return entries


def parse_departements(lines: list[CogLine], regions: dict[str, CogEntry]) -> dict[str, CogEntry]:
    entries: dict[str, CogEntry] = {}
    for line in lines:
        code = line.code("code", DEPARTEMENT_CODE, "2 caractères comme « 01 » ou « 2A », ou 3 comme « 971 »")
        check_unique(line, code, entries)
        region_code = line.text("region")
        region = regions.get(region_code)
        if region is None or region.level != Level.REGION:
            raise line.error("region", f"« {region_code} » n'est pas une région de regions.csv.")
        zone = line.choice("zone", Zone)
        if zone == Zone.COM:
            raise line.error("zone", "un département ne peut pas être en zone « com ».")
        entries[code] = CogEntry(
            line=line,
            level=Level.DEPARTEMENT,
            code=code,
            name=line.name(),
            zone=zone,
            chef_lieu=line.optional_code("chef_lieu", COMMUNE_CODE, "code commune à 5 caractères"),
            parent=region.key,
            region=region.key,
        )
    return entries


def parse_epcis(lines: list[CogLine]) -> dict[str, CogEntry]:
    entries: dict[str, CogEntry] = {}
    for line in lines:
        code = line.code("code", EPCI_CODE, "SIREN à 9 chiffres")
        check_unique(line, code, entries)
        entries[code] = CogEntry(
            line=line,
            level=Level.EPCI,
            code=code,
            name=line.name(),
            zone="",
            epci_type=line.choice("type", EpciType),
            population=line.population(),
        )
    return entries


def parse_communes(
    lines: list[CogLine],
    regions: dict[str, CogEntry],
    departements: dict[str, CogEntry],
    epcis: dict[str, CogEntry],
) -> dict[str, CogEntry]:
    """A commune's `departement` column is its département, or its COM for the communes of a COM."""
    entries: dict[str, CogEntry] = {}
    for line in lines:
        code = line.code("code", COMMUNE_CODE, "5 caractères comme « 44109 » ou « 2A004 »")
        check_unique(line, code, entries)
        entry = CogEntry(line=line, level=Level.COMMUNE, code=code, name=line.name(), zone="")
        place_in_parent(entry, line.text("departement"), regions, departements)
        epci_code = line.values["epci"]
        if epci_code:
            if epci_code not in epcis:
                raise line.error("epci", f"« {epci_code} » n'est pas un EPCI de epci.csv.")
            entry.epci = epcis[epci_code].key
        entry.population = line.population()
        entries[code] = entry
    return entries


def place_in_parent(
    entry: CogEntry, parent_code: str, regions: dict[str, CogEntry], departements: dict[str, CogEntry]
) -> None:
    """Set the parent, région, département and zone of a commune from its département (or COM)."""
    departement = departements.get(parent_code)
    com = regions.get(parent_code)
    if departement is not None:
        entry.parent = entry.departement = departement.key
        entry.region = departement.region
        entry.zone = departement.zone
    elif com is not None and com.level == Level.COM:
        entry.parent = entry.region = com.key
        entry.zone = Zone.COM
    else:
        raise entry.line.error(
            "departement",
            f"« {parent_code} » n'est ni un département de departements.csv "
            "ni une collectivité d'outre-mer de regions.csv.",
        )


def add_populations(
    communes: dict[str, CogEntry], regions: dict[str, CogEntry], departements: dict[str, CogEntry]
) -> None:
    """Régions, COM and départements get the sum of their communes' municipal populations."""
    totals: dict[Key, int] = defaultdict(int)
    for commune in communes.values():
        if commune.population is not None:
            for key in {commune.region, commune.departement} - {None}:
                totals[key] += commune.population
    for entry in [*regions.values(), *departements.values()]:
        entry.population = totals.get(entry.key)


def place_epcis(
    epcis: dict[str, CogEntry], communes: dict[str, CogEntry], departements: dict[str, CogEntry]
) -> None:
    """An EPCI belongs to the département (or COM) holding most of its members' population.

    Ties go to the département with more member communes, then to the smaller code.
    """
    weights: dict[str, dict[Key, tuple[int, int]]] = defaultdict(dict)
    for commune in communes.values():
        if commune.epci is not None:
            by_parent = weights[commune.epci[1]]
            population, count = by_parent.get(commune.parent, (0, 0))
            by_parent[commune.parent] = (population + (commune.population or 0), count + 1)
    for code, epci in epcis.items():
        if code not in weights:
            raise epci.line.error("code", f"l'EPCI « {code} » n'a aucune commune membre dans communes.csv.")
        main_parent = max(sorted(weights[code].items()), key=lambda item: item[1])[0]
        level, parent_code = main_parent
        if level == Level.DEPARTEMENT:
            departement = departements[parent_code]
            epci.parent = epci.departement = departement.key
            epci.region = departement.region
            epci.zone = departement.zone
        else:
            epci.parent = epci.region = main_parent
            epci.zone = Zone.COM


# Writing ----------------------------------------------------------------------------------------


def sync_level(level: str, entries: list[CogEntry], pks: dict[Key, int], year: int) -> LevelCounts:
    """Create, update or retire the territories of one level; record their pks in `pks`."""
    rows = Territory.objects.filter(level=level).order_by().values_list("code", "pk", *FIELDS)
    existing = {code: (pk, tuple(values)) for code, pk, *values in rows}
    counts = LevelCounts()
    to_create: list[Territory] = []
    to_update: list[tuple[int, tuple]] = []
    changed_fields: set[str] = set()
    for entry in entries:
        wanted = wanted_values(entry, pks, year)
        current = existing.get(entry.code)
        if current is None:
            to_create.append(build_territory(level, entry.code, wanted))
            continue
        pk, values = current
        pks[entry.key] = pk
        if values == wanted:
            counts.unchanged += 1
            continue
        changed_fields.update(
            name for name, old, new in zip(FIELDS, values, wanted, strict=True) if old != new
        )
        to_update.append((pk, wanted))
    in_file = {entry.code for entry in entries}
    retired = [pk for code, (pk, values) in existing.items() if code not in in_file and values[IS_ACTIVE]]
    Territory.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    record_created_pks(level, to_create, pks)
    update_rows(to_update, sorted(changed_fields, key=FIELDS.index))
    for start in range(0, len(retired), BATCH_SIZE):
        Territory.objects.filter(pk__in=retired[start : start + BATCH_SIZE]).update(is_active=False)
    counts.created, counts.updated, counts.obsolete = len(to_create), len(to_update), len(retired)
    return counts


def update_rows(rows: list[tuple[int, tuple]], fields: list[str]) -> None:
    """Write `fields` (a subset of FIELDS) of each (pk, values) row with one UPDATE run by executemany.

    QuerySet.bulk_update builds a CASE WHEN expression per row and field, which took 30 to 40 s when
    a new edition changes every territory (year, populations); this plain, portable statement takes
    about a second. Values are plain str, int, bool or None, which every driver adapts.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(Territory._meta.get_field(name).column)} = %s" for name in fields)
    sql = f"UPDATE {quote(Territory._meta.db_table)} SET {columns} WHERE {quote(Territory._meta.pk.column)} = %s"
    positions = [FIELDS.index(name) for name in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.executemany(sql, [[values[i] for i in positions] + [pk] for pk, values in batch])


def wanted_values(entry: CogEntry, pks: dict[Key, int], year: int) -> tuple:
    """The values of FIELDS that `entry` should have, parents resolved to pks."""

    def pk_of(key: Key | None) -> int | None:
        return None if key is None else pks[key]

    return (
        entry.name,
        pk_of(entry.parent),
        pk_of(entry.region),
        pk_of(entry.departement),
        pk_of(entry.epci),
        entry.epci_type,
        entry.zone,
        entry.population,
        entry.chef_lieu,
        True,
        year,
    )


def build_territory(level: str, code: str, values: tuple, pk: int | None = None) -> Territory:
    return Territory(pk=pk, level=level, code=code, **dict(zip(FIELDS, values, strict=True)))


def record_created_pks(level: str, created: list[Territory], pks: dict[Key, int]) -> None:
    """bulk_create returns pks on PostgreSQL and SQLite ≥ 3.35; otherwise read them back in one query."""
    if all(territory.pk is not None for territory in created):
        pks.update(((level, territory.code), territory.pk) for territory in created)
        return
    codes = {territory.code for territory in created}
    for code, pk in Territory.objects.filter(level=level).order_by().values_list("code", "pk"):
        if code in codes:
            pks[(level, code)] = pk
