"""The rules of each kind of convention (pacte/contracts/kinds.py): axes, envelopes, parity, period, volets and
contractable measures."""

from types import SimpleNamespace

import pytest

from pacte.contracts import kinds
from pacte.contracts.enums import ContractKind, Envelope, FranceTravailVolet
from pacte.territories.enums import SignatoryFamily


def test_a_departement_solidarites_contract_covers_axes_1_3_and_4_and_refuses_insertion():
    assert kinds.allowed_axes(ContractKind.DEPARTEMENT) == (1, 3, 4)
    assert kinds.axis_problem(ContractKind.DEPARTEMENT, 1) is None
    message = kinds.axis_problem(ContractKind.DEPARTEMENT, 2)
    assert "convention France Travail" in message and "convention globale unique" in message


def test_the_france_travail_convention_is_axis_2_without_parity_on_its_own_envelope_and_period():
    assert kinds.allowed_axes(ContractKind.FRANCE_TRAVAIL) == (2,)
    assert "relève du contrat local des solidarités" in kinds.axis_problem(ContractKind.FRANCE_TRAVAIL, 3)
    assert kinds.envelope_of(ContractKind.FRANCE_TRAVAIL, 2) == Envelope.FRANCE_TRAVAIL
    assert not kinds.parity_applies(ContractKind.FRANCE_TRAVAIL, 2)
    assert kinds.period_of(ContractKind.FRANCE_TRAVAIL) == (2024, 2025)


def test_the_single_global_convention_holds_both_parts():
    assert kinds.allowed_axes(ContractKind.GLOBALE) == (1, 2, 3, 4)
    assert kinds.envelopes_of(ContractKind.GLOBALE) == (Envelope.SOLIDARITES, Envelope.FRANCE_TRAVAIL)
    assert kinds.envelope_of(ContractKind.GLOBALE, 2) == Envelope.FRANCE_TRAVAIL
    assert kinds.envelope_of(ContractKind.GLOBALE, 3) == Envelope.SOLIDARITES
    assert kinds.parity_applies(ContractKind.GLOBALE, 1) and not kinds.parity_applies(ContractKind.GLOBALE, 2)


def test_a_metropole_contract_has_the_four_axes_its_envelope_parity_and_one_action_per_axis():
    assert kinds.allowed_axes(ContractKind.METROPOLE) == (1, 2, 3, 4)
    assert kinds.envelope_of(ContractKind.METROPOLE, 2) == Envelope.METROPOLES
    assert kinds.parity_applies(ContractKind.METROPOLE, 2)
    assert kinds.requires_every_axis(ContractKind.METROPOLE)
    assert not kinds.requires_every_axis(ContractKind.DEPARTEMENT)


def test_a_kept_axis_2_action_of_a_departement_contract_stays_on_the_solidarites_envelope():
    assert kinds.envelope_of(ContractKind.DEPARTEMENT, 2) == Envelope.SOLIDARITES
    assert kinds.parity_applies(ContractKind.DEPARTEMENT, 2)


def test_the_kinds_a_collectivite_may_sign():
    assert kinds.kinds_for(SignatoryFamily.METROPOLE) == (ContractKind.METROPOLE,)
    assert kinds.kind_problem(SignatoryFamily.DEPARTEMENT, ContractKind.GLOBALE) is None
    assert "Une métropole signe" in kinds.kind_problem(SignatoryFamily.METROPOLE, ContractKind.DEPARTEMENT)
    assert "compétences départementales" in kinds.kind_problem(
        SignatoryFamily.DEPARTEMENT, ContractKind.METROPOLE
    )
    assert kinds.kind_problem(SignatoryFamily.DEPARTEMENT, "autre").startswith("Sorte de convention inconnue")


@pytest.mark.parametrize(
    ("volet", "years"),
    [
        (FranceTravailVolet.GOVERNANCE, (2024,)),
        (FranceTravailVolet.LOCAL_SOLUTIONS, (2024,)),
        (FranceTravailVolet.RSA, (2024, 2025)),
    ],
)
def test_the_france_travail_volets_have_their_years(volet, years):
    assert kinds.action_years(ContractKind.FRANCE_TRAVAIL, 2, volet) == years
    assert kinds.action_years(ContractKind.GLOBALE, 2, volet) == years


def test_a_volet_is_required_in_the_france_travail_part_only():
    assert "Choisissez le volet" in kinds.volet_problem(ContractKind.GLOBALE, 2, "")
    assert kinds.volet_problem(ContractKind.GLOBALE, 2, FranceTravailVolet.RSA) is None
    assert "Seules les actions de la convention France Travail" in kinds.volet_problem(
        ContractKind.GLOBALE, 1, FranceTravailVolet.RSA
    )
    assert kinds.action_years(ContractKind.GLOBALE, 1) == (2024, 2025, 2026, 2027)


def _measure(axis, departement=False, france_travail=False, metropole=False):
    return SimpleNamespace(
        code="x",
        title="Mesure",
        axis=SimpleNamespace(number=axis),
        contractable_departement=departement,
        contractable_france_travail=france_travail,
        contractable_metropole=metropole,
    )


def test_a_measure_is_allowed_where_the_referentiel_flags_it_for_that_part():
    mobility = _measure(2, france_travail=True, metropole=True)
    assert kinds.measure_allowed(ContractKind.FRANCE_TRAVAIL, mobility)
    assert kinds.measure_allowed(ContractKind.GLOBALE, mobility)
    assert kinds.measure_allowed(ContractKind.METROPOLE, mobility)
    assert not kinds.measure_allowed(ContractKind.DEPARTEMENT, mobility)
    national = _measure(1)
    assert not kinds.measure_allowed(ContractKind.DEPARTEMENT, national)
    assert "n'est pas contractualisable" in kinds.measure_problem(ContractKind.DEPARTEMENT, national)
    assert kinds.measure_problem(ContractKind.DEPARTEMENT, _measure(1, departement=True)) is None
