"""`import_file`: read a statistical file, check every row, then write its values in one transaction.

The steps: read the bytes (size limit), find the table and its layout (`layouts`), read each row (territory
code, year, values), load the existing values of the same indicators and years in one query, compare in
memory, and write only what changed, in batches (`writing`: new values inserted, changed ones updated in
place). Re-importing a file therefore writes nothing but the ImportBatch that records it.

A problem on one row (unknown code, unreadable number, duplicate) rejects that row or cell with its line and
reason; the other rows are written. A file that cannot be used at all (no code column, no known indicator,
empty, unreadable, too big, every row rejected) writes nothing and raises UnusableFileError, whose French
message says why. Every import, failed ones included, is recorded as an ImportBatch; a failure is recorded
after the rollback of the data, outside the transaction, so that it survives.
"""

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from pacte import formatting
from pacte.observation.enums import BatchStatus, FileFormat, NationalScope, ValueStatus
from pacte.observation.importers import layouts, writing
from pacte.observation.importers.cells import CellError, column_key, read_code, read_value, read_year
from pacte.observation.importers.reading import (
    Limits,
    Table,
    UnusableFileError,
    read_bytes,
    read_table,
)
from pacte.observation.importers.territories import (
    FORCED_LEVELS,
    NATIONAL,
    OutOfTerritory,
    TerritoryIndex,
    level_of,
    shape,
)
from pacte.observation.models import ImportBatch, Indicator, Observation
from pacte.territories.enums import Level
from pacte.territories.models import Territory

logger = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 50 * 1024 * 1024
# What one file may hold once read (docs/observation-import.md, « Fichiers refusés »): about 35,000 communes
# with a hundred columns fit, a decompression bomb does not.
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_MAX_CELLS = 5_000_000
DEFAULT_MAX_UNCOMPRESSED_SIZE = 256 * 1024 * 1024
SHOWN_REJECTS = 20
MISSING = object()
LEVEL_WORDS = {
    Level.COMMUNE: ("commune", "communes"),
    Level.EPCI: ("EPCI", "EPCI"),
    Level.DEPARTEMENT: ("département", "départements"),
    Level.REGION: ("région", "régions"),
    Level.COM: ("collectivité d'outre-mer", "collectivités d'outre-mer"),
    NATIONAL: ("France entière", "France entière"),
}
YES = frozenset({"oui", "true", "vrai", "1", "yes", "o"})
STATUS_WORDS = {  # the `statut` column of the long format
    "disponible": ValueStatus.AVAILABLE.value,
    "secret": ValueStatus.SECRET.value,
    "secret_statistique": ValueStatus.SECRET.value,
    "non_disponible": ValueStatus.MISSING.value,
    "nd": ValueStatus.MISSING.value,
}
# The `champ` column of the long format, for a national value (the open-data export writes the labels).
SCOPE_WORDS = {
    **{column_key(scope.label): scope.value for scope in NationalScope},
    **{scope.value: scope.value for scope in NationalScope},
    "france": NationalScope.FRANCE.value,
    "metropole": NationalScope.METROPOLITAN.value,
}


def max_size() -> int:
    return getattr(settings, "OBSERVATION_IMPORT_MAX_SIZE", DEFAULT_MAX_SIZE)


def limits() -> Limits:
    """The rows, cells and uncompressed bytes (XLSX) one import may read; settings OBSERVATION_IMPORT_MAX_ROWS,
    OBSERVATION_IMPORT_MAX_CELLS and OBSERVATION_IMPORT_MAX_UNCOMPRESSED_SIZE (bytes)."""
    return Limits(
        rows=getattr(settings, "OBSERVATION_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
        cells=getattr(settings, "OBSERVATION_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS),
        uncompressed=getattr(
            settings, "OBSERVATION_IMPORT_MAX_UNCOMPRESSED_SIZE", DEFAULT_MAX_UNCOMPRESSED_SIZE
        ),
    )


@dataclass(frozen=True)
class Reject:
    """A rejected row (`whole_row`) or cell: its line in the file, the column, and why."""

    line: int
    column: str
    reason: str
    whole_row: bool = False

    def __str__(self) -> str:
        if self.whole_row or not self.column:
            return f"ligne {self.line} : {self.reason}"
        return f"ligne {self.line}, colonne {self.column} : {self.reason}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": self.reason}


@dataclass
class ImportResult:
    """What an import found and did; the same counts as its ImportBatch, plus the details of the layout."""

    file_name: str
    dry_run: bool = False
    file_hash: str = ""
    file_format: str = ""
    format_label: str = ""
    columns: list[layouts.Column] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    territories: dict[str, int] = field(default_factory=dict)
    periods: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    batch: ImportBatch | None = None
    region: Territory | None = None  # a regional import: only this région's territories are written
    # The `champ` of national values in a long file: (indicator id, year) → NationalScope value.
    national_scopes: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        """Number of lines with at least one rejected cell."""
        return len({reject.line for reject in self.rejects})

    @property
    def file_format_label(self) -> str:
        return FileFormat(self.file_format).label if self.file_format else ""

    def column_lines(self) -> list[str]:
        imported = [column.describe() for column in self.columns if column.role == "value"]
        unknown = [
            column.name for column in self.columns if column.role == "ignored" and not column.indicator_code
        ]
        other = [
            column.describe() for column in self.columns if column.role == "ignored" and column.indicator_code
        ]
        descriptive = [column.name for column in self.columns if column.role == "descriptive"]
        lines = []
        if imported:
            lines.append(f"Colonnes importées : {', '.join(imported)}.")
        if unknown:
            lines.append(
                f"Colonnes ignorées, sans indicateur connu : {', '.join(unknown)}. Pour les importer, déclarez "
                "l'indicateur dans l'administration (Indicateurs statistiques) ou dans data/indicateurs.yaml "
                "(puis pacte load_observation), ou associez la colonne à un indicateur existant : COLONNE=CODE "
                "dans le champ « Indicateurs » de la page d'import, --indicateur COLONNE=CODE en ligne de commande."
            )
        if other:
            lines.append(f"Colonnes ignorées : {'; '.join(other)}.")
        if descriptive:
            lines.append(f"Colonnes descriptives, non importées : {', '.join(descriptive)}.")
        return lines

    def description_lines(self) -> list[str]:
        """Format, columns, territories, years and notes: what ImportBatch.message keeps."""
        lines = [f"Format détecté : {self.format_label}."] if self.format_label else []
        lines += self.column_lines()
        if self.territories:
            parts = [
                formatting.plural(count, *LEVEL_WORDS[level]) if level != NATIONAL else "France entière"
                for level, count in self.territories.items()
            ]
            lines.append(f"Territoires : {', '.join(parts)}.")
        if self.periods:
            lines.append(f"Années : {', '.join(str(year) for year in self.periods)}.")
        lines += self.notes
        return lines

    def counts_line(self) -> str:
        would = " qui seraient" if self.dry_run else ""
        values = ", ".join(
            formatting.plural(count, word)
            for count, word in (
                (self.created, "créée"),
                (self.updated, "modifiée"),
                (self.unchanged, "inchangée"),
            )
        )
        skipped = formatting.plural(self.skipped, "cellule vide", "cellules vides")
        rejected = formatting.plural(self.rejected, "ligne rejetée", "lignes rejetées")
        return (
            f"Valeurs{would} : {values} ; {skipped} ou hors champ {formatting.plural_word(self.skipped, 'ignorée')} "
            f"; {rejected}."
        )

    @property
    def message(self) -> str:
        return "\n".join(self.description_lines())


def parse_indicator_options(specs, known: dict[str, int]) -> layouts.Options:
    """`--indicateur` values: CODE restricts the import to that indicator, COLONNE=CODE maps a column (or, in
    the long format, a value of the `indicateur` column) to an indicator. Several may be given, also
    separated by commas or spaces."""
    options = layouts.Options()
    items = [
        part for spec in specs or () for part in str(spec).replace(";", ",").replace(" ", ",").split(",")
    ]
    items = [item.strip() for item in items if item.strip()]
    if not items:
        return options
    options.wanted = set()
    for item in items:
        column, _, code = item.rpartition("=")
        code = code.strip().upper()
        if code not in known:
            raise UnusableFileError(
                f"Indicateur « {code} » inconnu ({item}) : déclarez-le dans l'administration "
                "(Indicateurs statistiques) ou dans data/indicateurs.yaml, puis relancez l'import. "
                f"Indicateurs connus : {', '.join(sorted(known)) or 'aucun'}.",
                field="indicators",
            )
        options.wanted.add(code)
        if column.strip():
            options.mapping[column_key(column)] = code
            options.mapping_labels[column_key(column)] = column.strip()
    return options


def import_file(
    path_or_fileobj,
    *,
    file_name: str,
    user=None,
    indicators=None,
    level: str | None = None,
    year: int | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    demo: bool = False,
    region: Territory | None = None,
) -> ImportResult:
    """Import a CSV or XLSX file of indicator values (see the module docstring and docs/observation-import.md).

    `indicators`: `--indicateur` values (CODE or COLONNE=CODE); `level`: a key of FORCED_LEVELS; `year`: the
    year of the columns that carry none; `sheet`: the workbook sheet (the first one by default); `dry_run`:
    check and count without writing anything (no ImportBatch either); `demo`: the values are fictitious
    (demo or training files): they are written as "donnée fictive" and never replace a real value. Raises
    UnusableFileError. `region`: a regional import (perms.import_region): a row about a territory outside
    that région, or about France, is rejected with its line and the territory named."""
    started = timezone.now()
    result = ImportResult(file_name=file_name[:255], dry_run=dry_run, region=region)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    try:
        if level and level not in FORCED_LEVELS:
            raise UnusableFileError(
                f"Niveau « {level} » inconnu : {', '.join(FORCED_LEVELS)} sont possibles.", field="level"
            )
        if year is not None and not 1900 <= int(year) <= 2100:
            raise UnusableFileError(f"Année {year} hors de la plage 1900-2100.", field="year")
        data = read_bytes(path_or_fileobj, max_size())
        result.file_hash = hashlib.sha256(data).hexdigest()
        known = dict(Indicator.objects.values_list("code", "id"))
        options = parse_indicator_options(indicators, known)
        options.level = level_of(level) if level else None
        options.year = int(year) if year is not None else None
        table = read_table(data, is_header=layouts.is_header, sheet=sheet, limits=limits())
        if sheet and table.container == "csv":
            result.notes.append(f"La feuille « {sheet} » demandée est ignorée : le fichier est un CSV.")
        layout = layouts.plan(table.header, known, options)
        _describe(result, table, layout)
        if not table.rows:
            raise UnusableFileError(
                f"Le fichier ne contient aucune ligne de données sous l'en-tête (ligne {table.header_line})."
            )
        records = _read_rows(table, layout, options, known, result)
        if region is not None:
            records = _keep_region(records, region, result)
        # Only the national values that are written get their `champ`.
        result.national_scopes = {
            (indicator_id, period): scope
            for (indicator_id, period), scope in result.national_scopes.items()
            if (indicator_id, None, period) in records
        }
        if not records and result.rejects:
            raise UnusableFileError(
                f"Aucune valeur importable : {formatting.plural(result.rejected, 'ligne rejetée', 'lignes rejetées')} "
                f"sur {result.rows}. Premier motif : {result.rejects[0]}.",
                result=result,
            )
        _note_previous_import(result)
        plan = _compare(records, set(result.territories), demo=demo)
        if plan.kept_real:
            result.notes.append(
                f"{formatting.plural(plan.kept_real, 'valeur réelle conservée', 'valeurs réelles conservées')} : un fichier de données fictives ne remplace jamais une "
                "valeur réelle."
            )
        result.created, result.updated, result.unchanged = len(plan.create), len(plan.update), plan.unchanged
        if not dry_run:
            result.batch = _write(result, plan, user=user, started=started, demo=demo)
    except UnusableFileError as error:
        error.result = error.result or result
        if not dry_run:
            error.batch = _record_failure(result, error.message, user=user, started=started)
        raise
    except DatabaseError as error:
        message = (
            "Erreur de la base de données pendant l'écriture : rien n'a été enregistré. Réessayez ; si l'erreur "
            f"persiste, transmettez ce message à l'équipe technique ({error})."
        )
        failure = UnusableFileError(message, result=result)
        if not dry_run:
            failure.batch = _record_failure(result, message, user=user, started=started)
        raise failure from error
    except Exception as error:
        # A fault of the platform, not of the file: recorded like any failed import, logged for the team
        # (its type and where, never the file's content), told in French instead of a server error.
        logger.exception("observation import of %s failed: %s", result.file_name, type(error).__name__)
        message = (
            "Erreur inattendue pendant la lecture du fichier : rien n'a été importé. Transmettez le numéro de "
            "l'import échoué et le fichier à l'équipe technique."
        )
        failure = UnusableFileError(message, result=result)
        if not dry_run:
            failure.batch = _record_failure(result, message, user=user, started=started)
        raise failure from error
    return result


def _describe(result: ImportResult, table: Table, layout: layouts.Layout) -> None:
    if table.container == "xlsx":
        result.file_format = FileFormat.XLSX
        container = "classeur XLSX"
    else:
        result.file_format = {layouts.INSEE: FileFormat.INSEE, layouts.CAF: FileFormat.CAF}.get(
            layout.kind, FileFormat.LONG
        )
        container = "CSV"
    header = f", en-tête ligne {table.header_line}" if table.header_line > 1 else ""
    result.format_label = f"{container}, {layout.label} ; {table.details}{header}"
    result.columns = layout.columns


# A value read from the file: (value, status, line), keyed by (indicator id, territory id or None, year).
Record = tuple[Decimal | None, str, int]


def _read_rows(table, layout, options, known, result) -> dict[tuple, Record]:
    """Every value of the file keyed by (indicator id, territory id or None, year); rejects and skipped
    cells are counted on `result`."""
    result.rows = len(table.rows)
    if layout.kind == layouts.LONG:
        return _read_long_rows(table, layout, options, known, result)
    index = TerritoryIndex()
    code_column = layout.columns_by_index[layout.code_index].name
    forced = options.level or layout.code_level
    shaped, out_of_territory, padded = [], Counter(), 0
    for line, cells in table.rows:
        raw_code = cells[layout.code_index] if layout.code_index < len(cells) else None
        code = read_code(raw_code)
        try:
            level, checked = shape(code, forced, caf=layout.kind == layouts.CAF)
        except OutOfTerritory as skip:
            out_of_territory[f"{code} ({skip})"] += 1
            continue
        except CellError as error:
            result.rejects.append(Reject(line, code_column, str(error), whole_row=True))
            continue
        padded += checked != code and level != NATIONAL
        shaped.append((line, cells, level, checked, code))
    index.load({row[2] for row in shaped})
    targets = [(column.index, column.indicator_id, column.year, column) for column in layout.values]
    skipped = 0
    cache: dict[str, tuple | None] = {}  # the same text gives the same value: rates repeat a lot
    period_index = layout.period_index
    period_column = layout.columns_by_index[period_index].name if period_index is not None else ""
    records: dict[tuple, Record] = {}
    territories: dict[str, set] = {}
    for line, cells, level, code, written in shaped:
        try:
            level, territory_id = index.resolve(level, code)
        except CellError as error:
            reason = str(error) if code == written else f"{error} (écrit « {written} » dans le fichier)"
            result.rejects.append(Reject(line, code_column, reason, whole_row=True))
            continue
        row_year = None
        if period_index is not None:
            try:
                row_year = read_year(cells[period_index] if period_index < len(cells) else None)
            except CellError as error:
                result.rejects.append(Reject(line, period_column, str(error), whole_row=True))
                continue
        territories.setdefault(level, set()).add(territory_id)
        width = len(cells)
        for column_index, indicator_id, year, column in targets:
            raw = cells[column_index] if column_index < width else None
            parsed = cache.get(raw, MISSING) if raw.__class__ is str else MISSING
            if parsed is MISSING:
                try:
                    parsed = read_value(raw)
                except CellError as error:
                    result.rejects.append(Reject(line, column.name, str(error)))
                    continue
                if raw.__class__ is str:
                    cache[raw] = parsed
            if parsed is None:
                skipped += 1
                continue
            key = (indicator_id, territory_id, year or row_year)
            if key in records:
                _add(records, key, parsed, line, column, result)
            else:
                records[key] = (parsed[0], parsed[1], line)
    result.skipped += skipped
    result.territories = {level: len(ids) for level, ids in territories.items()}
    result.periods = sorted({key[2] for key in records})
    if out_of_territory:
        listed = ", ".join(f"{count} × {what}" for what, count in out_of_territory.items())
        result.notes.append(f"Lignes hors territoire ignorées : {listed}.")
    if padded:
        result.notes.append(
            f"{formatting.plural(padded, 'code complété', 'codes complétés')} du zéro initial "
            "qu'un tableur avait retiré (1001 lu comme 01001)."
        )
    _note_region_codes(result, forced, shaped)
    return records


def _add(records, key, parsed, line, column, result) -> None:
    previous = records.get(key)
    if previous is not None:
        result.rejects.append(
            Reject(
                line, column.name, f"valeur en double : déjà donnée ligne {previous[2]} pour la même année"
            )
        )
        return
    records[key] = (parsed[0], parsed[1], line)


def _read_long_rows(table, layout, options, known, result) -> dict[tuple, Record]:
    at = layout.long_index
    names = layout.columns_by_index
    index = TerritoryIndex()
    shaped = []
    skipped_indicators = Counter()
    demo_rows = 0

    def cell(cells, name):
        position = at.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    for line, cells in table.rows:
        if column_key(cell(cells, "demo") or "") in YES:  # a demo value of an export is no statistic
            demo_rows += 1
            result.skipped += 1
            continue
        raw_indicator = str(cell(cells, "indicator") or "").strip()
        code = options.mapping.get(column_key(raw_indicator), raw_indicator.upper())
        if code not in known:
            reason = f"indicateur « {raw_indicator} » inconnu" + (
                " : déclarez-le dans l'administration ou data/indicateurs.yaml, ou associez-le avec "
                f"--indicateur {raw_indicator}=CODE"
                if raw_indicator
                else ""
            )
            result.rejects.append(Reject(line, names[at["indicator"]].name, reason, whole_row=True))
            continue
        if options.wanted is not None and code not in options.wanted:
            skipped_indicators[code] += 1
            result.skipped += 1
            continue
        try:
            column = "level"
            written_level = str(cell(cells, "level") or "").strip()
            level = level_of(written_level) if written_level else options.level
            column = "territory"
            level, territory_code = shape(read_code(cell(cells, "territory")), level)
            column = "period"
            period = read_year(cell(cells, "period"))
        except CellError as error:
            result.rejects.append(Reject(line, names[at[column]].name, str(error), whole_row=True))
            continue
        shaped.append((line, cells, known[code], level, territory_code, period))
    index.load({row[3] for row in shaped})
    records: dict[tuple, Record] = {}
    territories: dict[str, set] = {}
    value_column = names[at["value"]]
    for line, cells, indicator_id, level, territory_code, period in shaped:
        try:
            level, territory_id = index.resolve(level, territory_code)
        except CellError as error:
            result.rejects.append(Reject(line, names[at["territory"]].name, str(error), whole_row=True))
            continue
        written_status = column_key(cell(cells, "status") or "")
        try:
            if written_status and written_status not in STATUS_WORDS:
                raise CellError(
                    f"statut « {cell(cells, 'status')} » inconnu : disponible, secret ou non_disponible"
                )
            status = STATUS_WORDS.get(written_status)
            if status in (ValueStatus.SECRET, ValueStatus.MISSING):
                parsed = (None, status)
            else:
                parsed = read_value(cell(cells, "value"))
        except CellError as error:
            result.rejects.append(Reject(line, value_column.name, str(error)))
            continue
        if parsed is None:
            result.skipped += 1
            continue
        written_scope = str(cell(cells, "scope") or "").strip()
        if territory_id is None and written_scope:
            scope = SCOPE_WORDS.get(column_key(written_scope))
            if scope is None:
                result.rejects.append(
                    Reject(
                        line,
                        names[at["scope"]].name,
                        f"champ « {written_scope} » inconnu : France entière ou France métropolitaine",
                        whole_row=True,
                    )
                )
                continue
            result.national_scopes[(indicator_id, period)] = scope
        territories.setdefault(level, set()).add(territory_id)
        _add(records, (indicator_id, territory_id, period), parsed, line, value_column, result)
    result.territories = {level: len(ids) for level, ids in territories.items()}
    result.periods = sorted({key[2] for key in records})
    codes = sorted(
        {known_code for known_code, row_id in known.items() if row_id in {key[0] for key in records}}
    )
    if codes:
        result.notes.append(f"Indicateurs importés : {', '.join(codes)}.")
    if skipped_indicators:
        listed = ", ".join(
            f"{code} ({formatting.plural(count, 'ligne')})" for code, count in skipped_indicators.items()
        )
        result.notes.append(f"Indicateurs non demandés, ignorés : {listed}.")
    if demo_rows:
        result.notes.append(
            f"{formatting.plural(demo_rows, 'ligne de donnée fictive ignorée', 'lignes de données fictives ignorées')} "
            "(colonne donnee_fictive) : seules les valeurs réelles sont importées."
        )
    return records


def _keep_region(
    records: dict[tuple, Record], region: Territory, result: ImportResult
) -> dict[tuple, Record]:
    """The records about territories of `region`; every other one is rejected, naming its line and its
    territory (a national value too: France is national steering's). The counts of territories are made
    again on what is kept. Two queries, plus one per 5,000 territories refused."""
    inside = dict(Territory.objects.filter(region.within_q()).values_list("pk", "level"))
    refused = {key[1] for key in records if key[1] is not None and key[1] not in inside}
    names: dict[int, str] = {}
    refused_ids = sorted(refused)
    for start in range(0, len(refused_ids), 5000):
        chunk = refused_ids[start : start + 5000]
        names.update(
            (pk, f"{name} ({code})")
            for pk, name, code in Territory.objects.filter(pk__in=chunk).values_list("pk", "name", "code")
        )
    kept: dict[tuple, Record] = {}
    refused_lines: set[int] = set()
    for key, record in records.items():
        territory_id, line = key[1], record[2]
        if territory_id in inside:
            kept[key] = record
            continue
        if line in refused_lines:
            continue
        refused_lines.add(line)
        if territory_id is None:
            reason = "France entière : seul le pilotage national importe des valeurs nationales ; valeur non importée"
        else:
            where = names.get(territory_id, "territoire inconnu")
            reason = f"{where} est hors de votre région ({region.name}) : valeur non importée"
        result.rejects.append(Reject(line, "", reason, whole_row=True))
    result.rejects.sort(key=lambda reject: reject.line)
    levels: dict[str, set] = {}
    for key in kept:
        levels.setdefault(inside[key[1]], set()).add(key[1])
    result.territories = {level: len(ids) for level, ids in levels.items()}
    result.periods = sorted({key[2] for key in kept})
    result.notes.append(
        f"Import régional ({region.name}) : seuls les territoires de la région sont importés ; la France "
        "entière et les autres régions relèvent du pilotage national."
    )
    return kept


def _note_region_codes(result: ImportResult, forced: str | None, shaped: list) -> None:
    """Région codes are also département codes: say so when a file of départements could be one of régions."""
    if forced or not shaped or any(row[2] != Level.DEPARTEMENT for row in shaped):
        return
    codes = {row[3] for row in shaped}
    if len(codes) > 18:
        return
    regions = set(Territory.objects.filter(level=Level.REGION, code__in=codes).values_list("code", flat=True))
    if regions == codes:
        result.notes.append(
            "Les codes lus comme des départements sont aussi des codes de région : si le fichier porte sur des "
            "régions, importez-le à nouveau avec le niveau « région » (--niveau region)."
        )


def _note_previous_import(result: ImportResult) -> None:
    previous = (
        ImportBatch.objects.filter(file_hash=result.file_hash, status=BatchStatus.SUCCEEDED)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    if previous:
        when = timezone.localtime(previous)
        result.notes.append(f"Ce fichier (même contenu) a déjà été importé le {formatting.date_time(when)}.")


@dataclass
class Plan:
    create: list[tuple]  # (indicator id, territory id or None, year, value, status)
    update: list[tuple]  # (observation id, value, status)
    unchanged: int
    kept_real: int = 0  # real values a demo file did not replace (counted as unchanged)


def _compare(records: dict[tuple, Record], levels, *, demo: bool = False) -> Plan:
    """Split the records into new values, changed values and unchanged ones, reading the existing values of
    the same indicators, years and levels in one query."""
    if not records:
        return Plan([], [], 0)
    indicator_ids = {key[0] for key in records}
    periods = {key[2] for key in records}
    scope = Q(territory__level__in=[level for level in levels if level != NATIONAL])
    if NATIONAL in levels:
        scope |= Q(territory__isnull=True)
    existing = Observation.objects.filter(
        scope, indicator_id__in=indicator_ids, period__in=periods
    ).values_list("id", "indicator_id", "territory_id", "period", "value", "status", "is_demo")
    update, unchanged, kept_real, seen = [], 0, 0, set()
    for pk, indicator_id, territory_id, period, value, status, is_demo in writing.existing_values(
        existing.order_by()
    ):
        key = (indicator_id, territory_id, period)
        record = records.get(key)
        if record is None:
            continue
        seen.add(key)
        if demo and not is_demo:
            unchanged += 1
            kept_real += 1
        elif is_demo == demo and status == record[1] and writing.same_value(value, record[0]):
            unchanged += 1
        else:
            update.append((pk, record[0], record[1]))
    create = [(*key, record[0], record[1]) for key, record in records.items() if key not in seen]
    create.sort(key=lambda row: (row[0], row[1] or 0, row[2]))  # index order: fewer pages touched per insert
    return Plan(create, update, unchanged, kept_real)


def _new_batch(result: ImportResult, *, status: str, user, started, **counts) -> ImportBatch:
    """The ImportBatch of an import, successful or not: the file, who, when, the rejects."""
    return ImportBatch.objects.create(
        file_name=result.file_name,
        file_hash=result.file_hash,
        file_format=result.file_format,
        status=status,
        user=user,
        started_at=started,
        finished_at=timezone.now(),
        skipped=result.skipped,
        rejected=result.rejected,
        rejects=[reject.as_dict() for reject in result.rejects],
        region=result.region,
        **counts,
    )


def _write(result: ImportResult, plan: Plan, *, user, started, demo: bool) -> ImportBatch:
    with transaction.atomic():
        batch = _new_batch(
            result,
            status=BatchStatus.SUCCEEDED,
            user=user,
            started=started,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            message=result.message,
        )
        now = timezone.now()
        writing.insert(plan.create, batch_id=batch.pk, now=now, is_demo=demo)
        writing.update(plan.update, batch_id=batch.pk, now=now, is_demo=demo)
        _write_scopes(result.national_scopes)
        ImportBatch.objects.filter(pk=batch.pk).update(finished_at=timezone.now())
    return batch


def _write_scopes(scopes: dict[tuple[int, int], str]) -> None:
    """The `champ` of the national values of a long file (a few rows: one per indicator and year)."""
    for (indicator_id, period), scope in scopes.items():
        Observation.objects.filter(indicator_id=indicator_id, period=period, territory__isnull=True).exclude(
            scope=scope
        ).update(scope=scope)


def _record_failure(result: ImportResult, message: str, *, user, started) -> ImportBatch:
    return _new_batch(
        result,
        status=BatchStatus.FAILED,
        user=user,
        started=started,
        message=f"{message}\n{result.message}".strip(),
    )
