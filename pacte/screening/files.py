"""The private directory of the batch screening files: uploads, per-household results, rejects.

It lies under MEDIA_ROOT, which the web server never serves (docs/deploiement.md); every download goes
through a view that checks who asks (`french_csv` streams a stored file to it). Names are random: nothing of
the uploaded file name reaches the disk.
"""

import csv
import secrets
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from pacte.formatting import number

READ_CHUNK = 1024 * 1024

UPLOADS = "depots"
RESULTS = "resultats"
DECIMAL_COLUMNS = {"montant", "montant_mensuel_non_recours"}  # columns of the engine's CSV with amounts


def private_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "prive" / "acces-aux-droits"


def path_of(name: str) -> Path:
    """The absolute path of a stored name ("depots/…csv")."""
    path = (private_dir() / name).resolve()
    if not path.is_relative_to(private_dir().resolve()):
        raise ValueError("stored name outside the private directory")
    return path


def new_name(folder: str, job_pk: int, kind: str) -> str:
    directory = private_dir() / folder
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"{folder}/{job_pk}-{kind}-{secrets.token_hex(8)}.csv"


def delete(name: str) -> bool:
    """Delete a stored file; True if there was one."""
    if not name:
        return False
    try:
        path_of(name).unlink()
    except FileNotFoundError:
        return False
    return True


def first_long_line(upload, limit: int | None = None) -> int | None:
    """The number of the first line of an uploaded file (a file object open in binary) longer than `limit`
    bytes (by default the csv module's field limit, which a cell of that line could reach), or None. The file
    is read by chunks of 1 MB, from its start, and left at its start."""
    limit = csv.field_size_limit() if limit is None else limit
    upload.seek(0)
    line, current = 1, 0  # the line being read and its length so far
    try:
        while chunk := upload.read(READ_CHUNK):
            pieces = chunk.split(b"\n")
            if current + len(pieces[0]) > limit or max(map(len, pieces[1:-1]), default=0) > limit:
                lengths = [current + len(pieces[0]), *map(len, pieces[1:-1])]
                return line + next(index for index, size in enumerate(lengths) if size > limit)
            if len(pieces) > 1:
                line += len(pieces) - 1
                current = len(pieces[-1])
            else:
                current += len(pieces[0])
        return line if current > limit else None
    finally:
        upload.seek(0)


def check_line_lengths(upload) -> None:
    """Refuse an upload with a line the engine's csv reader could not read (a cell over the csv module's field
    limit), naming the line: a person's line holds a few hundred characters."""
    long_line = first_long_line(upload)
    if long_line is not None:
        limit = csv.field_size_limit()
        raise ValidationError(
            f"Ligne {long_line} : la ligne dépasse {number(limit)} caractères, la longueur maximale d'une "
            "cellule CSV, alors qu'une personne tient en quelques centaines de caractères. Vérifiez les fins de "
            "ligne et les guillemets du fichier (un guillemet non fermé réunit les lignes suivantes en une "
            "seule), puis déposez-le à nouveau."
        )


class _Echo:
    def write(self, value: str) -> str:
        return value


def french_csv(name: str) -> Iterator[str]:
    """A stored CSV file of the engine as French spreadsheets open it, as a stream of text: BOM, semicolons,
    decimal commas in the amount columns (whatever the separator the engine wrote, detected on the header)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    with open(path_of(name), encoding="utf-8", newline="") as source:
        first = source.readline()
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        source.seek(0)
        reader = csv.reader(source, delimiter=delimiter)
        header = next(reader, [])
        decimals = [index for index, column in enumerate(header) if column in DECIMAL_COLUMNS]
        yield writer.writerow(header)
        for row in reader:
            for index in decimals:
                if index < len(row):
                    row[index] = row[index].replace(".", ",")
            yield writer.writerow(row)
