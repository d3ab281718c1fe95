"""The private directory of the batch screening files: uploads, per-household results, rejects.

It lies under MEDIA_ROOT, which the web server never serves (docs/deploiement.md); every download goes
through a view that checks who asks. Names are random: nothing of the uploaded file name reaches the disk.
"""

import secrets
from pathlib import Path

from django.conf import settings

UPLOADS = "depots"
RESULTS = "resultats"


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
