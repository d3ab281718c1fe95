"""Importers of statistical files (INSEE, CAF open data, XLSX, long "Pacte" format) into Observation.

The one entry point is `import_file`, called by `pacte observation import` and by the upload page of
national steering; formats and options are described in docs/observation-import.md.

- `cells`: numbers written the French way, secret markers, dates, codes;
- `reading`: bytes → table (encoding, separator, workbook sheet, header row), within the limits of rows,
  cells and uncompressed size that keep a decompression bomb out;
- `layouts`: which layout the header shows, and which indicator and year each column carries;
- `territories`: territory codes → ids of the COG, one query per level;
- `service`: `import_file`, the comparison with the existing values and the writes.
"""

from pacte.observation.importers.reading import Limits, UnusableFileError
from pacte.observation.importers.service import (
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_SIZE,
    DEFAULT_MAX_UNCOMPRESSED_SIZE,
    SHOWN_REJECTS,
    ImportResult,
    Reject,
    import_file,
    limits,
    max_size,
)
from pacte.observation.importers.territories import FORCED_LEVELS

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_SIZE",
    "DEFAULT_MAX_UNCOMPRESSED_SIZE",
    "FORCED_LEVELS",
    "SHOWN_REJECTS",
    "ImportResult",
    "Limits",
    "Reject",
    "UnusableFileError",
    "import_file",
    "limits",
    "max_size",
]
