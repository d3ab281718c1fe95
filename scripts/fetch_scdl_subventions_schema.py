"""Fetch the SCDL « subventions » Table Schema from schema.data.gouv.fr into pacte/grants/data/ (developer tool;
the platform never downloads it at run time). See pacte/grants/data/PROVENANCE.md."""

import argparse
import json
import sys
import urllib.request
from pathlib import Path

URL = "https://schema.data.gouv.fr/schemas/scdl/subventions/{version}/schema.json"
DATA = Path(__file__).resolve().parent.parent / "pacte" / "grants" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default="2.0.1")
    parser.add_argument("--sortie", "--output", dest="output", type=Path)
    args = parser.parse_args(argv)
    url = URL.format(version=args.version)
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (a fixed https URL)
        text = response.read().decode("utf-8")
    schema = json.loads(text)
    if schema.get("version") != args.version or not schema.get("fields"):
        print(f"{url} ne décrit pas la version {args.version} attendue.", file=sys.stderr)
        return 1
    output = args.output or DATA / f"scdl-subventions-{args.version}.schema.json"
    output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    print(f"{output} : {len(schema['fields'])} colonnes, version {schema['version']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
