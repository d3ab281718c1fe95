"""French alphabetical order, the same on PostgreSQL and SQLite: « Bouée » before « Bouvron », « Île-de-France »
among the I, « CC d'Erdre » before « CC Sèvre et Loire », capitals or not.

Every list of names shown to someone (territories, organisations, people, contracts, instances, calls…) is sorted
with `french(field)` in `order_by`, or with `french_key` for a list sorted in Python. Both give the order of the
Unicode collation algorithm with the root rules of the Unicode CLDR, which are those of French as written in
France (`fr` in ICU has no rule of its own, unlike `fr-CA`):

- accents and case are ignored at first (« Bouée » = « bouee » < « Bouvron »), then the accents decide, from the
  start of the word (« cote » < « coté » < « côte » < « côté »), then the case, small letters first
  (« bouée » < « Bouée »); the ligatures œ and æ count as « oe » and « ae »;
- spaces and punctuation are not ignored: they come before digits, and digits before letters, so that
  « Saint Aubin » < « Saint-Aubin » < « Saintes » and « CC d'Erdre » < « CC de … » < « CC Erdre ».

On PostgreSQL the ICU collation `pacte_fr` (created by the migration `core.0002`, ICU locale `fr`) sorts. On SQLite
a collation of the same name is registered on every connection (`register`, called by `CoreConfig.ready`): it
compares the keys of `french_key`, which rebuilds the collation elements of the CLDR root order for the Latin
letters (with their accents and ligatures), digits, spaces and the punctuation of French typography. Its tables
were read from PostgreSQL 15 with ICU (`ORDER BY … COLLATE "fr-x-icu"`, collation version 153.120) and the test
`tests/core/test_collation.py` checks the two orders agree on both databases. Characters of other scripts sort
after the Latin letters, by code point (ICU orders them by script): no name of the platform has any.

Sources: Unicode Technical Standard #10, Unicode Collation Algorithm (https://www.unicode.org/reports/tr10/);
CLDR root collation (https://cldr.unicode.org/index/cldr-spec/collation-guidelines); PostgreSQL 15,
« Collation Support », ICU collations (https://www.postgresql.org/docs/15/collation.html).
"""

import functools
import unicodedata

from django.db.models.functions import Collate

NAME = "pacte_fr"
ICU_LOCALE = "fr"

# --- Primary weights: what is compared first ----------------------------------------------------------------
# Spaces, then the punctuation and symbols in the CLDR root order (read from ICU), then digits, then letters.
_WHITESPACE = "\t\n\x0b\x0c\r\x85\u2028\u2029 "
_PUNCTUATION = (
    "‾_‗-‐‒–—―⁓,;⁏:!¡?¿‽.·⁕⁖⁘⁙⁚⁛⁜⁝⁞'‘’‚‛‹›\"“”„‟«»()[]{}⁅⁆‖§¶⁋@*⁎⁑/\\&⁊#%‰‱†‡•‣‧⁃⁌⁍′‵‸※‿⁔⁀⁐⁁⁂"
    "`´^¯¨¸°©®+±÷×<=>¬|¦~−⁒⁄¤¢$£¥€"
)
_DIGITS = "0123456789"
# The Latin letters, with the few that are letters of their own in the root order (ı after i, ŋ after n…).
_LETTERS = "abcdefghiıjklmnŋopqĸrstŧuvwxyzþ"
_PRIMARY = {
    char: weight for weight, char in enumerate(_WHITESPACE + _PUNCTUATION + _DIGITS + _LETTERS, start=1)
}
_OTHER = 100_000  # characters of other scripts: after the Latin letters, by code point

# --- Secondary weights: the accents, compared when the letters are the same ---------------------------------
# The order of the CLDR root (DUCET) diacritics: « é » < « è » < « ê » < « ë »; a letter without accent comes first.
_ACCENTS = {
    "\u0301": 10,  # acute
    "\u0300": 11,  # grave
    "\u0306": 12,  # breve
    "\u0302": 13,  # circumflex
    "\u030c": 14,  # caron
    "\u030a": 15,  # ring
    "\u0308": 16,  # diaeresis
    "\u030b": 17,  # double acute
    "\u0303": 18,  # tilde
    "\u0307": 19,  # dot above
    "\u0327": 20,  # cedilla
    "\u0328": 21,  # ogonek
    "stroke": 22,  # ł ø đ ħ (no decomposition in Unicode)
    "middle-dot": 23,  # ŀ
    "eth": 24,  # ð
    "\u0304": 25,  # macron
    "ligature": 100,  # æ œ ß, between their two letters
    "long-s": 101,  # ſ
}
_OTHER_ACCENT = 1_000
_BASE = 5  # the secondary weight of a letter, a digit or a sign

# --- Tertiary weights: the case and the variants, compared last ---------------------------------------------
_SMALL, _CAPITAL_SHIFT = 2, 6
_VARIANTS = {
    "<wide>": 3,
    "<compat>": 4,
    "<font>": 5,
    "<circle>": 6,
    "<super>": 20,
    "<sub>": 21,
    "<vertical>": 22,
    "<narrow>": 26,
    "<noBreak>": 27,
    "<square>": 28,
    "<fraction>": 30,
}

# Letters without a Unicode decomposition that the root order treats as a letter with an accent, or as two
# letters: (letters, the accent after the first one).
_SPECIAL = {
    "ł": ("l", "stroke"),
    "ø": ("o", "stroke"),
    "đ": ("d", "stroke"),
    "ħ": ("h", "stroke"),
    "ð": ("d", "eth"),
    "ŀ": ("l", "middle-dot"),
    "ſ": ("s", "long-s"),
    "æ": ("ae", "ligature"),
    "œ": ("oe", "ligature"),
    "ß": ("ss", "ligature"),
}
_LIGATURE_TERTIARY = _VARIANTS["<compat>"]

Element = tuple[int, int, int]


def _variant(char: str) -> tuple[str, int]:
    """A compatibility variant (a no-break space, a superscript, « ĳ », « … »…) as the characters it stands for
    and its tertiary weight; any other character as itself with the weight of a small letter."""
    decomposition = unicodedata.decomposition(char)
    if not decomposition:
        return char, _SMALL
    if not decomposition.startswith("<"):  # a canonical equivalent (U+2000 is U+2002)
        single = unicodedata.normalize("NFD", char)
        return _variant(single) if len(single) == 1 and single != char else (char, _SMALL)
    text = unicodedata.normalize("NFKD", char)
    if text.startswith(" ") and len(text) > 1:  # a spacing accent (´ ¨ ¸): a sign of its own
        return char, _SMALL
    return text, _VARIANTS.get(decomposition.split(" ", 1)[0], _VARIANTS["<compat>"])


def _elements(char: str, tertiary: int = _SMALL) -> list[Element]:
    """The collation elements (primary, secondary, tertiary) of one character of a decomposed (NFD) text; a
    primary of 0 is an accent, which only counts at the second and third levels."""
    if unicodedata.combining(char):
        return [(0, _ACCENTS.get(char, _OTHER_ACCENT + ord(char)), _SMALL)]
    category = unicodedata.category(char)
    if category == "Cf" or (category == "Cc" and char not in _WHITESPACE):
        return []  # ignored at every level, as ICU does
    small = char.lower()
    capital = small != char and len(small) == 1
    if capital:
        char = small
    shift = _CAPITAL_SHIFT if capital else 0
    if char in _SPECIAL:
        letters, accent = _SPECIAL[char]
        if accent == "ligature":
            first, second = letters
            weight = _LIGATURE_TERTIARY + shift
            return [
                (_PRIMARY[first], _BASE, weight),
                (0, _ACCENTS[accent], _LIGATURE_TERTIARY),
                (_PRIMARY[second], _BASE, weight),
            ]
        return [(_PRIMARY[letters], _BASE, tertiary + shift), (0, _ACCENTS[accent], _SMALL)]
    text, weight = _variant(char)
    if text != char:
        decomposed = unicodedata.normalize("NFD", text)
        return [element for part in decomposed for element in _elements(part, weight + shift)]
    if char in _PRIMARY:
        return [(_PRIMARY[char], _BASE, tertiary + shift)]
    return [(_OTHER + ord(char), _BASE, tertiary + shift)]


@functools.lru_cache(maxsize=65_536)
def french_key(text: str | None) -> tuple:
    """The key that sorts texts in French alphabetical order (the order of the ICU collation `pacte_fr`):
    `sorted(names, key=french_key)`. None sorts first, as an empty text."""
    text = text or ""
    elements = [element for char in unicodedata.normalize("NFD", text) for element in _elements(char)]
    return (
        tuple(primary for primary, _, _ in elements if primary),
        tuple(secondary for _, secondary, _ in elements),
        tuple(tertiary for _, _, tertiary in elements),
        text,
    )


def compare(left: str, right: str) -> int:
    """-1, 0 or 1: the comparison SQLite calls for `COLLATE pacte_fr`."""
    left_key, right_key = french_key(left), french_key(right)
    return (left_key > right_key) - (left_key < right_key)


def french(field: str | object) -> Collate:
    """`order_by(french("name"))`: the field (a name or an expression) in French alphabetical order."""
    return Collate(field, NAME)


def register(sender=None, connection=None, **kwargs) -> None:
    """Adds the French collation to a new SQLite connection (PostgreSQL has it from the migration)."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, compare)
