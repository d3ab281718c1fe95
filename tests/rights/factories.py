"""What the rights tests (and the screening ones) share: the example household files of the docs."""

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "exemples" / "menages.csv"  # five households of the Pays de la Loire (format v1)
EXAMPLE_V2 = DOCS / "exemples" / "menages-v2.csv"  # the cases of issue 14 (format v2), for June 2025
