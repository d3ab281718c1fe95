"""Every change to the national référentiel: the load of its YAML file (`referentiel`) and the corrections of a
target (`targets`). The names other apps, the benchmarks and the tests use are re-exported here."""

from pacte.programme.services.referentiel import (
    DEFAULT_PATH,
    ReferentielFormatError,
    ReferentielLoadReport,
    load_referentiel,
    milestone_status,
    read_referentiel,
)
from pacte.programme.services.targets import TARGET_FIELDS, update_target

__all__ = [
    "DEFAULT_PATH",
    "TARGET_FIELDS",
    "ReferentielFormatError",
    "ReferentielLoadReport",
    "load_referentiel",
    "milestone_status",
    "read_referentiel",
    "update_target",
]
