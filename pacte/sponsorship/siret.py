"""The SIRET check of a company (no database; the Luhn key and the messages are pacte.core.validators').

A SIRET is 14 digits: the SIREN (9) followed by the establishment number (NIC, 5). Its last digit is a Luhn key
over the 14 digits: doubling every second digit from the right (subtracting 9 from a double above 9), the sum
is a multiple of 10.

The exception of La Poste: the establishments of La Poste (SIREN 356 000 000) outnumber what a Luhn key leaves
free, so their SIRET is checked otherwise: the plain sum of its 14 digits is a multiple of 5. Source: Wikipédia,
« Système d'identification du répertoire des établissements », section on the check key
(https://fr.wikipedia.org/wiki/Syst%C3%A8me_d%27identification_du_r%C3%A9pertoire_des_%C3%A9tablissements),
the rule the public validators of pass Culture (pass-culture/pass-culture-main, api/src/pcapi/utils/siren.py)
apply with that citation.
"""

from pacte.core.validators import LA_POSTE_SIREN, SIRET_KEY_MESSAGE, SIRET_LENGTH_MESSAGE, luhn_ok


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET, in French, or None when it is one."""
    if not (value.isascii() and value.isdigit() and len(value) == 14):
        return SIRET_LENGTH_MESSAGE
    if luhn_ok(value):
        return None
    if value.startswith(LA_POSTE_SIREN) and sum(int(digit) for digit in value) % 5 == 0:
        return None
    return SIRET_KEY_MESSAGE
