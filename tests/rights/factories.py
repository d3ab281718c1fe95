"""What the rights tests (and the screening ones) share: the example household file of the docs."""

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "exemples" / "menages.csv"  # five households of the Pays de la Loire (format v1)
