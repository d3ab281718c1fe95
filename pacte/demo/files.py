"""The demo's data files (pacte/demo/data/*.yaml), read with `pacte.core.datafiles`: checked against their
schema, and every problem reported in French with the file, the line and the field.

A loader calls `read(name, Schema)` and gets the validated document and the file (for the problems it finds
later: `file.error(yaml_path, message)`), or a `DemoFileError`: the loaders read their file before writing
anything, so a data file edited by hand never half-loads.
"""

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pacte.core import datafiles
from pacte.core.datafiles import YamlFile, YamlPath

__all__ = ["DATA_DIR", "DemoFileError", "Spec", "YamlFile", "YamlPath", "read"]

DATA_DIR = Path(__file__).resolve().parent / "data"

MESSAGES = {
    **datafiles.SCHEMA_MESSAGES,
    "extra_forbidden": "clé inconnue (les clés permises sont décrites en tête du fichier et dans docs/demo.md)",
    "string_type": 'texte attendu (un code s\'écrit entre guillemets : "44")',
}


class Spec(BaseModel):
    """Base of every item of a data file: unknown keys are refused (a misspelt key is an error, not a
    silently ignored value)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DemoFileError(datafiles.YamlFileError):
    """A data file of the demo cannot be loaded (the message names the file, the line and the field)."""


def read(path: Path | str, schema: type[datafiles.Document]) -> tuple[datafiles.Document, YamlFile]:
    """The validated document of a data file (a name under pacte/demo/data/ or a path) and the file."""
    path = Path(path)
    if not path.is_absolute() and path.parent == Path("."):
        path = DATA_DIR / path
    file = YamlFile(path, error_class=DemoFileError, messages=MESSAGES)
    return file.validate(schema), file
