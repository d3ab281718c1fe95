"""The référentiel misses no figure of the three seed documents.

Every number written in digits in a seed must either be quoted by a target (its position in the
seed falls inside the `source_excerpt` of a target taken from that seed) or be matched by one of
the commented patterns of numbers that are not quantities (years, dates, hours, numbering).
Figures written in words (« deux fois plus », « cinq conseils départementaux », « un doublement »,
« un euro ») escape the regex: they were entered by hand, see the targets a3-n3-…-multiplication,
pdl-calpae-departements, a4-r3-coproprietes and a4-c1-soutien-par-repas.
"""

import re
from pathlib import Path

import pytest

from pacte.programme.services import read_referentiel

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(),
    reason=f"documents sources absents : {SEEDS_DIR} (../shared/seeds depuis le dépôt)",
)

# A number as the seeds write it: 137, 1 400 000, 27,7.
NUMBER = re.compile(r"(?<![\d,])\d+(?: \d{3})*(?:,\d+)?")

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|sept|octobre|novembre|décembre"

# Stretches of text whose numbers are not quantities. A number inside one of them is not a figure.
NOT_QUANTITIES = [
    # Years: "2017-2022", "d'ici 2027", "dès 2024", "Octobre 2023". A year is carried by
    # target_year / baseline_year or by a milestone, never by a value.
    r"\b20[0-3]\d\b",
    # The day of a date: "3 novembre", "18 septembre", "6 janvier 2022", "18 sept 2023" (milestones
    # or the dates of the quoted speeches).
    rf"\b\d{{1,2}} (?:{MONTHS})\b",
    # Dates of the concertation calendar written dd/mm: "28/11", "09/12", "14/12" (milestones).
    r"\b\d{2}/\d{2}\b",
    # Times of the regional conference: "9h30-16h30" (in the milestone's title).
    r"\b\d{1,2}h\d{2}\b",
    # Numbered lists: "1. D'une analyse…", "2. Mise en œuvre…".
    r"(?m)^ *\d+\. ",
    # Axis numbers: "Axe 1".
    r"\bAxe \d\b",
    # Numbering of new actions and of a publication: "n°1", "n° 2", "n°2 et 3", "n°4, 5 et 6",
    # "Insee Dossier n° 12".
    r"n° ?\d+(?:(?:, | et )\d+)*",
    # Numbering of the concertation themes: "thématique 3".
    r"\bthématique \d\b",
    # A school grade: "dès la 6ème".
    r"\b\d+ème\b",
    # The name of a plan, not a figure: "Un plan « 100% d'accès aux droits »" has no indicator and no date (the
    # target once made of it was invented and is gone).
    r"plan « 100 ?% d'accès aux droits »",
]


def _clean(text: str) -> str:
    """The seed as a reader sees it: no Markdown emphasis, no <sup> tags."""
    return re.sub(r"\*+|</?sup>", "", text)


def _excerpt_pattern(excerpt: str) -> re.Pattern[str]:
    """The excerpt, with any run of spaces or line breaks standing for any other."""
    return re.compile(r"\s+".join(re.escape(word) for word in excerpt.split()))


def _seeds() -> dict[str, str]:
    return {path.name: _clean(path.read_text(encoding="utf-8")) for path in sorted(SEEDS_DIR.glob("*.txt"))}


def _spans(pattern: re.Pattern[str] | str, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(pattern, text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def test_the_three_seed_documents_are_there():
    assert {name[:3] for name in _seeds()} >= {"000", "003", "004"}


def test_every_target_quotes_its_seed_word_for_word():
    seeds = _seeds()
    misquoted = []
    for target in read_referentiel().document.targets:
        text = seeds.get(target.source_file)
        if (
            text is None
            or not target.source_excerpt
            or not _excerpt_pattern(target.source_excerpt).search(text)
        ):
            misquoted.append(f"{target.code} ({target.source_file}) : {target.source_excerpt!r}")
    assert misquoted == []


def test_every_measure_names_an_existing_seed():
    seeds = _seeds()
    assert [m.code for m in read_referentiel().document.measures if m.source_file not in seeds] == []


def test_every_number_of_the_seeds_is_a_target_or_not_a_quantity():
    seeds = _seeds()
    targets = read_referentiel().document.targets
    missing = []
    for name, text in seeds.items():
        quoted = [
            span
            for target in targets
            if target.source_file == name
            for span in _spans(_excerpt_pattern(target.source_excerpt), text)
        ]
        ignored = [span for pattern in NOT_QUANTITIES for span in _spans(pattern, text)]
        for match in NUMBER.finditer(text):
            if _inside(match.start(), ignored) or _inside(match.start(), quoted):
                continue
            line_number = text.count("\n", 0, match.start()) + 1
            line = text.splitlines()[line_number - 1].strip()
            missing.append(f"{name}:{line_number} « {match.group()} » dans : {line}")
    assert missing == []
