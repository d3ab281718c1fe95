"""The SIRET check of the appels à projets (a funder's SIRET, a candidature's) is the mécénat's: 14 ASCII digits
with a right Luhn key, except La Poste's establishments (SIREN 356000000) whose digits must sum to a multiple of 5.
Before December 2026 any 356000000… number passed: these tests hold the tightening."""

import pytest

from pacte.grants.services import siret_problem
from pacte.sponsorship.siret import siret_problem as sponsorship_siret_problem

CASES = [
    ("12002701600357", None),  # Luhn key right
    ("73282932000074", None),  # INSEE's example (7th establishment of SIREN 732829320)
    ("35600000009075", None),  # La Poste: Luhn key wrong, digits sum to 35
    ("35600000000048", None),  # La Poste's head office: Luhn key right
    ("12002701600358", "clé de contrôle"),
    (
        "35600000000052",
        "clé de contrôle",
    ),  # La Poste, Luhn key wrong, digits sum to 21: refused since Dec. 2026
    ("35600001000041", "clé de contrôle"),  # not La Poste (SIREN 356000010): no exception
    ("1200270160035", "14 chiffres"),
    ("1200270160035A", "14 chiffres"),
    ("１２００２７０１６００３５７", "14 chiffres"),  # full-width digits are not ASCII
    ("", "14 chiffres"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_the_grants_check_follows_the_rule(value, expected):
    problem = siret_problem(value)
    if expected is None:
        assert problem is None
    else:
        assert expected in problem


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_grants_and_sponsorship_give_the_same_answer(value, expected):
    assert siret_problem(value) == sponsorship_siret_problem(value)


def test_a_la_poste_number_whose_digits_do_not_sum_to_a_multiple_of_five_is_now_refused():
    # Accepted before the tightening (it starts with 356000000), refused now.
    assert "clé de contrôle" in siret_problem("35600000000052")
