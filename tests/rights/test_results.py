"""The rules read on the engine's results: the NRPE counts a household with a probable non-take-up of a core
right only; the additive total adds the amounts computed once every probable right is claimed."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pacte.rights.catalogue import BENEFITS, CORE_CODES, Confidence, NrpeScope, Period
from pacte.rights.results import (
    BenefitResult,
    HouseholdResult,
    counts_in_nrpe,
    is_probable_non_take_up,
    opened_total,
    probable_core_non_take_up,
)


def line(code, *, non_take_up=True, confidence=Confidence.LIKELY, amount="100", opened=None):
    return BenefitResult(
        code=code,
        period="2026-10",
        amount=Decimal(amount),
        eligible=True,
        received=not non_take_up,
        non_take_up=non_take_up,
        confidence=confidence,
        opened_amount=None if opened is None else Decimal(opened),
    )


def test_the_core_rights_are_those_of_the_issue_and_the_others_are_reported_apart():
    assert CORE_CODES == {"rsa", "ppa", "aide_logement", "af", "cf", "asf", "css", "aah", "aspa", "asi"}
    assert (
        BENEFITS["pass_colo"].nrpe == NrpeScope.OPTIONAL
        and BENEFITS["cheque_energie"].nrpe == NrpeScope.AUTOMATIC
    )
    assert (
        BENEFITS["ars"].nrpe == NrpeScope.AUTOMATIC and BENEFITS["bourse_college"].nrpe == NrpeScope.OPTIONAL
    )


@pytest.mark.parametrize(
    ("benefits", "counted"),
    [
        ([line("ppa")], True),
        ([line("ppa", confidence=Confidence.TO_CHECK)], False),  # « à vérifier » never counts
        ([line("asf", confidence=Confidence.TO_CHECK)], False),  # an ASF without child-support information
        ([line("ppa", non_take_up=False)], False),  # received
        ([line("pass_colo"), line("cheque_energie")], False),  # optional and automatic aids: apart
        ([line("pass_colo"), line("af")], True),
    ],
)
def test_a_household_counts_in_the_nrpe_with_a_probable_non_take_up_of_a_core_right(benefits, counted):
    assert counts_in_nrpe(benefits) is counted
    assert bool(probable_core_non_take_up(benefits)) is counted


def test_the_rules_take_the_simulator_s_own_lines():
    @dataclass
    class Line:
        code: str
        non_take_up: bool
        confidence: str

    assert is_probable_non_take_up(Line("ppa", True, "probable"))
    assert counts_in_nrpe([Line("aah", True, "probable")]) and not counts_in_nrpe(
        [Line("aah", True, "a_verifier")]
    )


def test_the_additive_total_uses_the_opened_amounts_of_the_probable_non_take_up_only():
    benefits = (
        line("ppa", amount="500", opened="300"),
        line("asf", amount="200"),
        line("rsa", amount="400", confidence=Confidence.TO_CHECK),
        line("css", amount="30"),
        line("af", non_take_up=False, amount="150"),
        line("pass_colo", amount="300"),
    )
    household = HouseholdResult("H", "44109", benefits)
    assert opened_total(benefits) == household.opened_total() == Decimal(500)
    assert household.probable_total() == Decimal(700)  # each computed alone: PPA 500 + ASF 200
    assert household.opened_total(Period.YEAR) == Decimal(300)
    assert [benefit.code for benefit in household.probable_core_non_take_up] == ["ppa", "asf", "css"]
