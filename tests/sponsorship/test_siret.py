"""The SIRET check of a company: 14 digits, the Luhn key, and La Poste's exception."""

import pytest

from pacte.sponsorship.siret import siret_problem

# 14 digits whose Luhn key is right (doubling every second digit from the right, the sum is 30).
VALID = "12002701600357"


def test_a_valid_siret_passes():
    assert siret_problem(VALID) is None


def test_a_wrong_key_is_refused():
    wrong = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)
    assert "clé de contrôle" in siret_problem(wrong)


@pytest.mark.parametrize(
    "value", ["1200270160035", "120027016003570", "1200270160035A", "", "１２００２７０１６００３５７"]
)
def test_a_siret_is_fourteen_ascii_digits(value):
    assert "14 chiffres" in siret_problem(value)


def test_la_poste_passes_when_its_digits_sum_to_a_multiple_of_five():
    siret = "35600000000051"  # SIREN 356000000, digits summing to 20, Luhn key wrong
    assert siret_problem(siret) is None


def test_la_poste_fails_when_its_digits_do_not_sum_to_a_multiple_of_five():
    assert "clé de contrôle" in siret_problem("35600000000052")  # sum 21


def test_the_exception_is_la_poste_s_only():
    # SIREN 356000010, digits summing to 20, Luhn key wrong: not La Poste, refused.
    assert "clé de contrôle" in siret_problem("35600001000041")
