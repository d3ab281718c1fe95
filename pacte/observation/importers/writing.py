"""Reading the existing values and writing new or changed ones, in batches, for files of 350,000 values.

The ORM's bulk_create and bulk_update compile every field of every object: measured on 35,000 communes × 10
indicators, bulk_create took about a minute on SQLite and bulk_update about eight. These functions send the
same rows through Django's connection, within the caller's transaction: batched `executemany` of one
parameterised statement on SQLite, COPY on PostgreSQL (for an update, COPY into a temporary table then one
UPDATE … FROM). The table and column names come from the model; the values are parameters or COPY data,
never text pasted into the SQL.
"""

from collections.abc import Iterable, Iterator, Sequence
from decimal import Context, Decimal

from django.db import connection

from pacte.observation.models import Observation

INSERT_BATCH = 5000  # rows per executemany on SQLite
CHANGES = "pacte_observation_changes"  # temporary table of an update on PostgreSQL
FOUR_PLACES = Decimal("0.0001")
FLOAT_CONTEXT = Context(prec=20)


def _columns(*names: str) -> list[str]:
    return [connection.ops.quote_name(Observation._meta.get_field(name).column) for name in names]


def _table() -> str:
    return connection.ops.quote_name(Observation._meta.db_table)


def _chunks(rows: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def existing_values(queryset) -> Iterator[tuple]:
    """The rows of a `values_list` queryset, fetched without the ORM's per-row converters (SQLite gives
    numbers as float or int: see `same_value`)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            yield from rows


def same_value(stored, new: Decimal | None) -> bool:
    """True when a value read by `existing_values` equals `new` (a Decimal with at most 4 decimals)."""
    if stored is None or new is None:
        return stored is None and new is None
    if isinstance(stored, Decimal):
        return stored == new
    if isinstance(stored, int | float):
        if float(new) == stored:
            return True
        return FLOAT_CONTEXT.create_decimal_from_float(float(stored)).quantize(FOUR_PLACES) == new
    return Decimal(str(stored)) == new


def insert(rows: Sequence[tuple], *, batch_id: int, now, is_demo: bool = False) -> None:
    """Insert new values; `rows` are (indicator id, territory id or None, year, value, status)."""
    if not rows:
        return
    columns = ", ".join(
        _columns(
            "indicator", "territory", "period", "value", "status", "is_demo", "source", "batch", "updated_at"
        )
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            flag = "t" if is_demo else "f"
            end = f"\t{flag}\t\t{batch_id}\t{now.isoformat()}\n"  # is_demo, source, batch, updated_at
            lines = (
                f"{indicator}\t{_text(territory)}\t{period}\t{_text(value)}\t{status}{end}"
                for indicator, territory, period, value, status in rows
            )
            _copy(cursor, f"COPY {_table()} ({columns}) FROM STDIN", lines)
            return
        tail = (is_demo, "", batch_id, connection.ops.adapt_datetimefield_value(now))
        sql = f"INSERT INTO {_table()} ({columns}) VALUES ({', '.join(['%s'] * 9)})"
        for chunk in _chunks(rows, INSERT_BATCH):
            cursor.executemany(sql, [(*row, *tail) for row in chunk])


def update(rows: Sequence[tuple], *, batch_id: int, now, is_demo: bool = False) -> None:
    """Update changed values in place; `rows` are (observation id, value, status). The value takes the
    import's demo flag (a real import turns demo data into real values and clears the source of a demo
    value, which described it as fictitious) and points to the import that changed it."""
    if not rows:
        return
    pk, value, status, demo, source, batch, updated_at = _columns(
        "id", "value", "status", "is_demo", "source", "batch", "updated_at"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    table = _table()
    # Right-hand sides read the row as it was: the source is cleared only where the value was demo data.
    assignments = (
        f"{source} = CASE WHEN {demo} THEN '' ELSE {source} END, {demo} = %s, {batch} = %s, {updated_at} = %s"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The new values go into a temporary table by COPY, then one UPDATE joins it.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {CHANGES} (id bigint, value numeric(20, 4), status varchar(14))"
            )
            lines = (f"{row_id}\t{_text(new)}\t{word}\n" for row_id, new, word in rows)
            _copy(cursor, f"COPY {CHANGES} (id, value, status) FROM STDIN", lines)
            cursor.execute(
                f"UPDATE {table} SET {value} = v.value, {status} = v.status, {assignments} "
                f"FROM {CHANGES} AS v WHERE {table}.{pk} = v.id",
                [is_demo, batch_id, stamp],
            )
            cursor.execute(f"DROP TABLE {CHANGES}")
            return
        sql = f"UPDATE {table} SET {value} = %s, {status} = %s, {assignments} WHERE {pk} = %s"
        for chunk in _chunks(rows, INSERT_BATCH):
            cursor.executemany(sql, [(row[1], row[2], is_demo, batch_id, stamp, row[0]) for row in chunk])


def _copy(cursor, sql: str, lines: Iterable[str]) -> None:
    """PostgreSQL's COPY FROM STDIN through psycopg (the driver under Django's cursor wrapper): the fastest
    way to send many rows, one statement whatever their number. `lines` are rows in COPY's text format,
    written by the callers (psycopg's write_row costs several times more per row): every value sent is an
    id, a year, a decimal number, NULL, a status word, an empty source or a timestamp, none of which holds a
    tab, a newline or a backslash. They are sent several thousand at a time."""
    with cursor.cursor.copy(sql) as copy:
        chunk = []
        for line in lines:
            chunk.append(line)
            if len(chunk) == INSERT_BATCH:
                copy.write("".join(chunk))
                chunk = []
        if chunk:
            copy.write("".join(chunk))


def _text(value) -> str:
    """A value in COPY's text format: NULL is \\N."""
    return "\\N" if value is None else str(value)
