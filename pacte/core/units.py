"""A unit written after a count agrees with it, as the formatting module's `plural` does for a noun: « 1 foyer »,
« 5 foyers », « 5 maisons des parents », « 1 centre social », « 2 heures par semaine ».

Units are free text (the référentiel's targets, the indicators, the fiches-actions' indicators) and come in
either number (« foyers », « maison des parents »). Only the noun group that the count bears is changed: the
words before the first complement (« de », « des », « par »…); the complement stays as written. A unit that
does not start with a lower-case word (« % », « € par repas », « TWh cumac », « CCAS/CIAS ») and the names of a
kind of value (« nombre », « pourcentage »…) are left as they are. Django-free, like `pacte.formatting`.
"""

from pacte import formatting

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


def agree(count: formatting.Number | None, unit: str) -> str:
    """`unit` agreed with `count`: singular below two, plural from two (as `formatting.plural_word`)."""
    words = (unit or "").split(" ")
    if count is None or count == "" or not words or not _is_word(words[0]) or words[0] in NOT_COUNTED:
        return unit
    several = abs(formatting.to_decimal(count)) >= 2
    agreed = []
    for index, word in enumerate(words):
        head = word.split("'")[0]
        if index and (head in COMPLEMENT or not _is_word(word)):
            agreed.extend(words[index:])
            break
        agreed.append(_each_part(_plural if several else _singular, word))
    return " ".join(agreed)


def quantity(value: formatting.Number | None, unit: str = "", decimals: int | None = None) -> str:
    """« 1 foyer », « 5 maisons des parents »: the number, a space and the unit agreed with it; a missing value
    is « – » alone. The space is the one the pages wrote before the agreement (a plain space): replacing it by
    the narrow no-break space of `formatting.with_unit` is a separate, page-wide decision."""
    if value is None or value == "":
        return formatting.MISSING
    text = formatting.number(value, decimals)
    return f"{text} {agree(value, unit)}" if unit else text


BILLION = 1_000_000_000
MILLION = 1_000_000


def compact_euros(value: formatting.Number | None) -> str:
    """A large amount written the way the platform's headline figures are: « 20 Md€ » (from a billion, to a
    tenth), « 250 M€ » (from a million, to a tenth), else « 12 500 € ». One form for the same total on every
    page (the home page and the référentiel)."""
    if value is None or value == "":
        return formatting.MISSING
    amount = formatting.to_decimal(value)
    for size, unit in ((BILLION, "Md€"), (MILLION, "M€")):
        if abs(amount) >= size:
            return formatting.with_unit(formatting.round_half_up(amount / size, 1), unit)
    return formatting.euros(amount)
