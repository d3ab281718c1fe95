"""The SIRET check of a company (Django-free).

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

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        number = int(digit) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET, in French, or None when it is one."""
    if not (value.isascii() and value.isdigit() and len(value) == 14):
        return "Le SIRET compte 14 chiffres (le SIREN suivi des 5 chiffres du numéro d'établissement)."
    if luhn_ok(value):
        return None
    if value.startswith(LA_POSTE_SIREN) and sum(int(digit) for digit in value) % 5 == 0:
        return None
    return "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les 14 chiffres."
