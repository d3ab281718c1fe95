"""Read a source npm package for the extraction scripts: run `npm pack`, or take an extracted package
folder or a .tgz archive. Standard library only (and npm when no source is given).

The scripts load this module by name, with their own folder on sys.path.
"""

import argparse
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class NpmPackageError(Exception):
    """A problem with the source package; the message is shown as is to the user (French)."""


def add_source_argument(parser: argparse.ArgumentParser) -> None:
    """The optional `source` argument that `read_source` takes."""
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        help="dossier du paquet extrait ou archive .tgz (par défaut : « npm pack » dans un dossier temporaire)",
    )


def npm_pack(package: str, version: str, folder: Path) -> Path:
    """Download `package@version` with `npm pack` into `folder` and return the archive."""
    spec = f"{package}@{version}"
    try:
        subprocess.run(
            ["npm", "pack", "--silent", spec], cwd=folder, check=True, capture_output=True, text=True
        )
    except OSError as error:
        raise NpmPackageError(f"« npm pack {spec} » n'a pas pu être lancé : {error}") from error
    except subprocess.CalledProcessError as error:
        raise NpmPackageError(f"« npm pack {spec} » a échoué :\n{error.stderr}") from error
    tarballs = sorted(folder.glob("*.tgz"))
    if len(tarballs) != 1:
        raise NpmPackageError(f"« npm pack {spec} » n'a pas produit d'archive unique dans {folder}.")
    return tarballs[0]


def read_source(
    path: Path | None,
    *,
    package: str,
    version: str,
    read_tarball: Callable[[Path], T],
    read_package_dir: Callable[[Path], T],
) -> T:
    """Read an extracted package folder or a .tgz archive, or, without `path`, the archive that
    `npm pack` downloads into a temporary folder."""
    if path is None:
        with tempfile.TemporaryDirectory() as folder:
            return read_tarball(npm_pack(package, version, Path(folder)))
    if path.is_dir():
        return read_package_dir(path)
    if path.is_file():
        return read_tarball(path)
    raise NpmPackageError(f"Source introuvable : {path}")


def tarball_member(archive: tarfile.TarFile, path: Path, name: str) -> bytes:
    """The bytes of package/`name` in the archive opened from `path`."""
    try:
        handle = archive.extractfile(f"package/{name}")
    except KeyError:
        handle = None
    if handle is None:
        raise NpmPackageError(f"{path.name} ne contient pas package/{name}.")
    return handle.read()
