"""Validators shared by every app.

`single_line`: a text that holds on one line (a title, a name, a place) refuses the control characters — line
breaks, tabulation, NUL and the other C0 and C1 controls, the Unicode line and paragraph separators. Such a
character typed or pasted into a title ends up in an e-mail header (Django then refuses to send the message:
`BadHeaderError`), a CSV cell or a calendar line. Forms built on `pacte.core.forms.PacteFormMixin` apply it to
every one-line text input; models whose fields feed e-mail headers declare it; the API's input schemas call it.

    single_line("Comité de pilotage")        # passes
    single_line("Comité\\nde pilotage")       # ValidationError, code "single_line"
    SingleLine("Intitulé")(value)             # the message names the field « Intitulé »

`siret_problem`: why a value is not a SIRET, in French (or None), shared by the grants (an association's or a
funder's SIRET) and the mécénat de proximité (a company's SIRET); `luhn_ok` is its key.

Django-free but for `ValidationError` (and `deconstructible`, so that a model field may declare it).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls (NUL … US, tabulation and line feed included), DEL, C1 controls, line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

NAMES = {
    "\n": "un retour à la ligne",
    "\r": "un retour chariot",
    "\t": "une tabulation",
    "\x00": "un caractère nul",
    "\u2028": "un séparateur de ligne",
    "\u2029": "un séparateur de paragraphe",
}


def control_characters(value) -> list[str]:
    """The control characters of `value`, each named in French once, in order of appearance (« un retour à la
    ligne », « une tabulation », « le caractère de contrôle U+001B »…); empty for a one-line text."""
    if not isinstance(value, str):
        return []
    names = []
    for character in CONTROL_CHARACTERS.findall(value):
        name = NAMES.get(character, f"le caractère de contrôle U+{ord(character):04X}")
        if name not in names:
            names.append(name)
    return names


def has_control_characters(value) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


def single_line_message(names: list[str], label: str | None = None) -> str:
    """« Le champ « Intitulé » tient sur une seule ligne : retirez un retour à la ligne. »"""
    subject = f"Le champ « {label} »" if label else "Ce champ"
    return f"{subject} tient sur une seule ligne : retirez {' et '.join(names)}."


def one_line(value: str) -> str:
    """`value` with each run of control characters replaced by one space, for an e-mail header or a file name
    built from rows saved before the rule existed (defence in depth: the forms refuse them)."""
    return re.sub(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*", " ", value).strip()


@deconstructible
class SingleLine:
    """Refuses a text holding a control character; the message names the field when given its `label`."""

    code = "single_line"

    def __init__(self, label: str | None = None):
        self.label = label

    def __call__(self, value) -> None:
        names = control_characters(value)
        if names:
            raise ValidationError(single_line_message(names, self.label), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, SingleLine) and other.label == self.label

    def __hash__(self) -> int:
        return hash((SingleLine, self.label))


single_line = SingleLine()


# --- SIRET ---------------------------------------------------------------------------------------------------

SIRET_LENGTH_MESSAGE = (
    "Le SIRET compte 14 chiffres (le SIREN suivi des 5 chiffres du numéro d'établissement)."
)
SIRET_KEY_MESSAGE = (
    "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les 14 chiffres."
)
SIREN_KEY_MESSAGE = (
    "Ce SIRET n'est pas valide : la clé de contrôle de ses 9 premiers chiffres (le SIREN) ne correspond pas. "
    "Vérifiez le numéro."
)
# The SIREN of La Poste, whose establishments escape the Luhn key (see `siret_problem`).
LA_POSTE_SIREN = "356000000"


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET, in French, or None when it is one.

    A SIRET is 14 digits: the SIREN (9) followed by the establishment number (NIC, 5).
    - The SIREN carries its own key: its 9th digit is a Luhn key over its 9 digits (« Le numéro SIREN est composé
      de 8 chiffres, plus un chiffre de contrôle […] suivant l'algorithme de Luhn », Hardis Group, « Règles de
      validation » of SIREN and SIRET, https://portal.hardis-group.com/pages/viewpage.action?pageId=120357227;
      the same in Wikipédia, « Système d'identification du répertoire des entreprises »). Checked since
      December 2026; the SIRETs already saved are not checked again.
    - The SIRET's last digit is a Luhn key over the 14 digits (same sources).
    - La Poste's exception: its establishments (SIREN 356 000 000, whose own key is right) outnumber what a Luhn
      key leaves free, so their SIRET is checked otherwise: the plain sum of its 14 digits is a multiple of 5
      (Wikipédia, « Système d'identification du répertoire des établissements », section on the check key,
      https://fr.wikipedia.org/wiki/Syst%C3%A8me_d%27identification_du_r%C3%A9pertoire_des_%C3%A9tablissements).
      Before December 2026 the grants accepted any 356000000… number."""
    if not (value.isascii() and value.isdigit() and len(value) == 14):
        return SIRET_LENGTH_MESSAGE
    if not luhn_ok(value[:9]):
        return SIREN_KEY_MESSAGE
    if luhn_ok(value):
        return None
    if value.startswith(LA_POSTE_SIREN) and sum(int(digit) for digit in value) % 5 == 0:
        return None
    return SIRET_KEY_MESSAGE


def luhn_ok(digits: str) -> bool:
    """The Luhn key: doubling every second digit from the right (subtracting 9 from a double above 9), the sum is a
    multiple of 10."""
    total = 0
    for index, digit in enumerate(reversed(digits)):
        number = int(digit) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0
