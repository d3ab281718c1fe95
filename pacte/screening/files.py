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
