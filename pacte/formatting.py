"""How the platform writes numbers, amounts, percentages, dates and counts in French: the one place that decides.

Django-free, so that every layer may use it, the rights engine's command line included. Templates reach it
through the filters of `pacte/core/templatetags/pacte.py`, which only call these functions.

The conventions (those of the Imprimerie nationale's « Lexique des règles typographiques », which the
Système de design de l'État follows):
- thousands are grouped by three with a narrow no-break space (U+202F), decimals follow a comma:
  « 1 234 567,5 »;
- a unit (€, %) follows the number after a narrow no-break space: « 21 340 € », « 12,3 % »;
- rounding is half away from zero (12,25 → 12,3; -12,25 → -12,3), and a value that rounds to zero has
  no minus sign;
- a missing value is « – » unless the caller says otherwise (`empty=`);
- dates: « 1er janvier 2027 », « 4 décembre 2026 », « jeudi 4 décembre 2026 », months « décembre 2026 »,
  times « 14 h 30 »;
- a count agrees with its noun: below two the noun stays singular (« 0 foyer », « 1 foyer »), from two it is
  plural (« 2 foyers », « 5 maisons des parents »).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NNBSP = "\u202f"  # narrow no-break space: thousands, before a unit
NBSP = "\u00a0"  # no-break space: inside a time (« 14 h 30 »)
MISSING = "–"

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

Number = int | float | Decimal | str


def to_decimal(value: Number) -> Decimal:
    """`value` as a Decimal; a float goes through its shortest repr (0.1 stays 0.1). ValueError otherwise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(f"Pas un nombre : {value!r}")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise ValueError(f"Pas un nombre : {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"Pas un nombre fini : {value!r}")
    return number


def round_half_up(value: Number, decimals: int = 0) -> Decimal:
    """`value` rounded to `decimals` places, half away from zero (the rounding every figure shown uses)."""
    if decimals < 0:
        raise ValueError("Le nombre de décimales doit être positif ou nul.")
    return to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _digits(number: Decimal, group: str) -> str:
    """The absolute value of `number` written out in full, thousands grouped by `group`, decimal comma."""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = group.join([whole, *groups])
    return f"{text},{fraction}" if fraction else text


def _signed(number: Decimal, group: str = NNBSP) -> str:
    return ("-" if number < 0 and number != 0 else "") + _digits(number, group)


def _exact(number: Decimal) -> Decimal:
    """`number` without useless zeros, never in exponent notation (1E+3 → 1000)."""
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def number(value: Number | None, decimals: int | None = None, *, empty: str = MISSING) -> str:
    """« 21 340 », « 14,5 », « -3,2 ».

    With `decimals=None` the value is written exactly, without useless zeros (12.50 → « 12,5 »); with a number
    of decimals it is rounded half up and keeps them (14 with 1 decimal → « 14,0 »)."""
    if value is None or value == "":
        return empty
    decimal = to_decimal(value)
    return _signed(_exact(decimal) if decimals is None else round_half_up(decimal, decimals))


def typed_number(value: Number | None) -> str:
    """A number as people type it in a form field: no grouping, decimal comma, no useless zeros (« 1234,5 »);
    "" for no value."""
    if value is None or value == "":
        return ""
    return _signed(_exact(to_decimal(value)), group="")


def amount(value: Number | None, *, cents: bool | None = None, empty: str = MISSING) -> str:
    """An amount of money without its unit, for tables whose header says « (€) »: « 1 234 », « 1 234,50 ».

    `cents=None` shows the cents only when there are some, `True` always, `False` rounds to the euro."""
    if value is None or value == "":
        return empty
    rounded = round_half_up(value, 0 if cents is False else 2)
    if cents is None and rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return _signed(rounded)


def euros(value: Number | None, *, cents: bool | None = None, empty: str = MISSING) -> str:
    """« 1 234 € », « 1 234,50 € » (`cents` as for `amount`)."""
    if value is None or value == "":
        return empty
    return f"{amount(value, cents=cents)}{NNBSP}€"


def percent(value: Number | None, decimals: int = 1, *, empty: str = MISSING) -> str:
    """« 12,3 % » (the value is already a percentage: 12.34 → « 12,3 % »)."""
    if value is None or value == "":
        return empty
    return f"{number(value, decimals)}{NNBSP}%"


def with_unit(
    value: Number | None, unit: str = "", decimals: int | None = None, *, empty: str = MISSING
) -> str:
    """A value followed by its unit: « 14,5 % », « 21 340 € », « 3,2 ‰ », or the bare number without a unit."""
    if value is None or value == "":
        return empty
    text = number(value, decimals)
    return f"{text}{NNBSP}{unit}" if unit else text


def file_size(size: int | None, *, empty: str = MISSING) -> str:
    """A size in bytes, in the largest unit that keeps at least 1, to one decimal at most: « 850 o », « 12,4 ko »,
    « 1,5 Mo », « 2 Go » (units of 1 024, as people read them on their computer)."""
    if size is None:
        return empty
    value, unit = to_decimal(size), "o"
    for bigger in ("ko", "Mo", "Go"):
        if abs(value) < 1024:
            break
        value, unit = value / 1024, bigger
    return with_unit(round_half_up(value, 1) if unit != "o" else value, unit)


def share(part: Number | None, whole: Number | None, decimals: int = 1) -> Decimal | None:
    """`part` as a percentage of `whole`, rounded half up to `decimals` places; None when `whole` is nil."""
    if part is None or not whole:
        return None
    return round_half_up(to_decimal(part) * 100 / to_decimal(whole), decimals)


def date(value: dt.date | None, *, empty: str = MISSING) -> str:
    """« 1er janvier 2027 », « 4 décembre 2026 » (a datetime is written as its date, as given: convert it to local
    time first)."""
    if value is None:
        return empty
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def long_date(value: dt.date | None, *, empty: str = MISSING) -> str:
    """« jeudi 4 décembre 2026 »."""
    if value is None:
        return empty
    return f"{WEEKDAYS[value.weekday()]} {date(value)}"


def time(value: dt.time | dt.datetime | None, *, empty: str = MISSING) -> str:
    """« 14 h 30 », « 9 h » (no minutes when there are none)."""
    if value is None:
        return empty
    minutes = f"{NBSP}{value.minute:02d}" if value.minute else ""
    return f"{value.hour}{NBSP}h{minutes}"


def date_time(value: dt.datetime | None, *, empty: str = MISSING) -> str:
    """« 4 décembre 2026 à 14 h 30 » (convert to local time first)."""
    if value is None:
        return empty
    return f"{date(value)} à {time(value)}"


def short_date(value: dt.date | None, *, empty: str = MISSING) -> str:
    """« 04/12/2026 », for dense tables and files."""
    if value is None:
        return empty
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def short_date_time(value: dt.datetime | None, *, empty: str = MISSING) -> str:
    """« 04/12/2026 14 h 30 », for dense tables (convert to local time first)."""
    if value is None:
        return empty
    return f"{short_date(value)} {time(value)}"


def month(value: dt.date | str | None, *, empty: str = MISSING) -> str:
    """« décembre 2026 », from a date or a "2026-12" month."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            year, month_number = (int(part) for part in value.split("-")[:2])
        except ValueError:
            raise ValueError(f"Pas un mois AAAA-MM : {value!r}") from None
        if not 1 <= month_number <= 12:
            raise ValueError(f"Pas un mois AAAA-MM : {value!r}")
        return f"{MONTHS[month_number - 1]} {year}"
    return f"{MONTHS[value.month - 1]} {value.year}"


def plural_word(count: Number, singular: str, plural: str | None = None) -> str:
    """The noun agreed with `count`: singular below two, `plural` (by default `singular` + "s", or unchanged
    when it already ends in s, x or z) from two."""
    if abs(to_decimal(count)) < 2:
        return singular
    if plural is not None:
        return plural
    return singular if singular.endswith(("s", "x", "z")) else singular + "s"


def plural(count: Number, singular: str, plural: str | None = None) -> str:
    """« 0 foyer », « 1 foyer », « 2 foyers », « 1 500 foyers », « 5 maisons des parents » (give the plural when
    it is not the singular plus s)."""
    return f"{number(count)} {plural_word(count, singular, plural)}"


def counts(items: list[tuple[Number, str, str | None]] | tuple) -> str:
    """Several counts in one phrase, leaving out the zeros: « 3 instances, 1 réunion ». Items are
    (count, singular, plural or None)."""
    return ", ".join(plural(count, singular, several) for count, singular, several in items if count)


# --- A unit agreed with its count, and large amounts ---------------------------------------------------------
# A unit written after a count agrees with it, as `plural` does for a noun: « 1 foyer », « 5 foyers », « 5 maisons
# des parents », « 1 centre social », « 2 heures par semaine ». Units are free text (the référentiel's targets, the
# indicators, the fiches-actions' indicators) and come in either number (« foyers », « maison des parents »). Only
# the noun group that the count bears is changed: the words before the first complement (« de », « des », « par »…);
# the complement stays as written. A unit that does not start with a lower-case word (« % », « € par repas »,
# « TWh cumac », « CCAS/CIAS ») and the names of a kind of value (« nombre », « pourcentage »…) are left as they are.

# Words that introduce a complement: what follows them does not agree with the count.
COMPLEMENT = {"de", "des", "du", "d", "par", "pour", "en", "à", "au", "aux", "sur", "sans", "avec", "dont"}
# Nouns whose singular ends in s or x: unchanged in both numbers.
INVARIABLE = {
    "accès",
    "avis",
    "bras",
    "cas",
    "choix",
    "colis",
    "concours",
    "corps",
    "discours",
    "fois",
    "mois",
    "parcours",
    "pas",
    "poids",
    "prix",
    "procès",
    "recours",
    "repas",
    "secours",
    "succès",
    "temps",
    "voix",
}
# Units that name a kind of value rather than what is counted: never agreed.
NOT_COUNTED = {"nombre", "pourcentage", "coefficient", "indice", "taux", "ratio", "part", "score"}


def _singular(word: str) -> str:
    if word in INVARIABLE:
        return word
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word.endswith("s") and len(word) > 2:
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if word in INVARIABLE or word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "eu")):
        return word + "x"
    return word + "s"


def _is_word(word: str) -> bool:
    """A lower-case word, hyphenated or not (« fiche-action »)."""
    return word.replace("-", "").isalpha() and word == word.lower()


def _each_part(change, word: str) -> str:
    """« fiche-action » → « fiches-actions »: both parts of a hyphenated noun agree."""
    return "-".join(change(part) for part in word.split("-"))


def agree(count: Number | None, unit: str) -> str:
    """`unit` agreed with `count`: singular below two, plural from two (as `plural_word`)."""
    words = (unit or "").split(" ")
    if count is None or count == "" or not words or not _is_word(words[0]) or words[0] in NOT_COUNTED:
        return unit
    several = abs(to_decimal(count)) >= 2
    agreed = []
    for index, word in enumerate(words):
        head = word.split("'")[0]
        if index and (head in COMPLEMENT or not _is_word(word)):
            agreed.extend(words[index:])
            break
        agreed.append(_each_part(_plural if several else _singular, word))
    return " ".join(agreed)


def quantity(value: Number | None, unit: str = "", decimals: int | None = None) -> str:
    """« 1 foyer », « 5 maisons des parents »: the number, a space and the unit agreed with it; a missing value
    is « – » alone. The space is the one the pages wrote before the agreement (a plain space): replacing it by
    the narrow no-break space of `with_unit` is a separate, page-wide decision."""
    if value is None or value == "":
        return MISSING
    text = number(value, decimals)
    return f"{text} {agree(value, unit)}" if unit else text


def measure(
    value: Number | None, unit: str = "", decimals: int | None = None, *, empty: str = MISSING
) -> str:
    """`with_unit` whose unit agrees with the number as written (rounded to `decimals`): « 1 foyer »,
    « 2 foyers », « 1,5 heure », « 14,5 % »; the values of the indicators, their maps and their charts."""
    if value is None or value == "":
        return empty
    shown = to_decimal(value) if decimals is None else round_half_up(value, decimals)
    return with_unit(value, agree(shown, unit), decimals)


BILLION = 1_000_000_000
MILLION = 1_000_000


def compact_euros(value: Number | None) -> str:
    """A large amount written the way the platform's headline figures are: « 20 Md€ » (from a billion, to a
    tenth), « 250 M€ » (from a million, to a tenth), else « 12 500 € ». One form for the same total on every
    page (the home page and the référentiel)."""
    if value is None or value == "":
        return MISSING
    amount = to_decimal(value)
    for size, unit in ((BILLION, "Md€"), (MILLION, "M€")):
        if abs(amount) >= size:
            return with_unit(round_half_up(amount / size, 1), unit)
    return euros(amount)
