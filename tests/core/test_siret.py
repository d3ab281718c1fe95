"""The SIRET check shared by the appels à projets (a funder's SIRET, a candidature's) and the mécénat de proximité
(a company's): 14 ASCII digits, a SIREN whose own key is right, a right Luhn key over the 14 digits, except La
Poste's establishments (SIREN 356000000) whose digits must sum to a multiple of 5. Before December 2026 the grants
accepted any 356000000… number and nothing checked the SIREN's key: these tests hold both tightenings."""

import pytest

from pacte.core.validators import SIREN_KEY_MESSAGE, SIRET_KEY_MESSAGE, SIRET_LENGTH_MESSAGE, siret_problem
from pacte.grants import services as grants_services
from pacte.sponsorship import services as sponsorship_services

CASES = [
    ("12002701600357", None),  # both keys right
    ("73282932000074", None),  # INSEE's example: 7th establishment of SIREN 732829320
    ("35600000009075", None),  # La Poste: Luhn key wrong, digits sum to 35
    ("35600000000051", None),  # La Poste: Luhn key wrong, digits sum to 20
    ("35600000000048", None),  # La Poste's head office: Luhn key right
    ("12002701600358", SIRET_KEY_MESSAGE),
    ("35600000000052", SIRET_KEY_MESSAGE),  # La Poste, digits sum to 21: refused since December 2026
    ("73282932010003", SIRET_KEY_MESSAGE),  # not La Poste: digits sum to 30, but no exception
    ("12345678900015", SIREN_KEY_MESSAGE),  # the 14-digit key is right, the SIREN 123456789 is not
    ("35600001000041", SIREN_KEY_MESSAGE),  # SIREN 356000010: not La Poste's, and its key is wrong
    ("1200270160035", SIRET_LENGTH_MESSAGE),
    ("120027016003570", SIRET_LENGTH_MESSAGE),
    ("1200270160035A", SIRET_LENGTH_MESSAGE),
    ("１２００２７０１６００３５７", SIRET_LENGTH_MESSAGE),  # full-width digits are not ASCII
    ("", SIRET_LENGTH_MESSAGE),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_the_check_follows_the_rule(value, expected):
    assert siret_problem(value) == expected


def test_every_message_names_what_to_check_in_french():
    assert "clé de contrôle" in SIRET_KEY_MESSAGE and "14 chiffres" in SIRET_KEY_MESSAGE
    assert "SIREN" in SIREN_KEY_MESSAGE and "clé de contrôle" in SIREN_KEY_MESSAGE
    assert "14 chiffres" in SIRET_LENGTH_MESSAGE


def test_the_grants_and_the_sponsorship_use_this_one_check():
    assert grants_services.siret_problem is siret_problem
    assert sponsorship_services.siret_problem is siret_problem
