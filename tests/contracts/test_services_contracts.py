import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte.contracts import services
from pacte.contracts.enums import ActionNature, ContractKind, ContractStatus, IndicatorUnit
from pacte.contracts.models import Action, Contract, ContractLockedError
from pacte.core.locking import StaleEditError
from tests.contracts.factories import action_data, build_contract, notify_ceiling
from tests.programme.factories import AxisFactory, MeasureFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory


def _negotiating(contract):
    services.submit_contract(contract, None)
    contract.refresh_from_db()
    return contract


def test_a_contract_is_only_for_a_departement_or_a_metropole():
    with pytest.raises(ValidationError) as error:
        services.create_contract(CommuneFactory())
    assert "territory" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.create_contract(EpciFactory())


def test_a_collectivite_has_one_convention_of_each_kind_and_one_per_envelope():
    departement = DepartementFactory()
    solidarites = services.create_contract(departement)
    assert solidarites.kind == ContractKind.DEPARTEMENT and solidarites.period_end == 2027
    with pytest.raises(ValidationError) as error:
        services.create_contract(departement, kind=ContractKind.DEPARTEMENT)
    assert (
        "a déjà une convention « Contrat local des solidarités (département) »"
        in error.value.message_dict["kind"][0]
    )
    with pytest.raises(ValidationError) as error:
        services.create_contract(departement, kind=ContractKind.GLOBALE)
    assert "une seule convention par enveloppe" in error.value.message_dict["kind"][0]
    france_travail = services.create_contract(departement, kind=ContractKind.FRANCE_TRAVAIL)
    assert (france_travail.period_start, france_travail.period_end) == (2024, 2025)
    assert france_travail.collectivite == solidarites.collectivite
    assert str(france_travail).startswith("Convention France Travail 2024-2025")


def test_a_metropole_signs_only_a_metropole_contract():
    metropole = EpciFactory(metropole=True)
    with pytest.raises(ValidationError) as error:
        services.create_contract(metropole, kind=ContractKind.FRANCE_TRAVAIL)
    assert (
        "Une métropole signe un contrat local des solidarités de métropole"
        in error.value.message_dict["kind"][0]
    )
    assert services.create_contract(metropole).kind == ContractKind.METROPOLE


def test_no_ceiling_is_typed_on_a_contract():
    contract = build_contract(signed=False)
    with pytest.raises(ValidationError) as error:
        services.update_contract(contract, expected_version=None, annual_state_ceiling=Decimal("5"))
    assert "notifié par le pilotage national" in error.value.message_dict["annual_state_ceiling"][0]


def test_a_negative_amount_is_refused_naming_the_line():
    contract = build_contract(signed=False, actions=[])
    data = action_data()
    data.budget[1].amount = Decimal("-5")
    with pytest.raises(ValidationError) as error:
        services.save_action(contract, data)
    assert error.value.message_dict["budget[1].amount"] == ["Un montant ne peut pas être négatif."]
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (IndicatorUnit.PERSONS, "12.5", "n'est pas un nombre entier"),
        (IndicatorUnit.PERCENT, "120", "dépasse 100"),
        (IndicatorUnit.EUROS, "-1", "négative"),
    ],
)
def test_an_indicator_target_must_fit_its_unit(unit, value, message):
    contract = build_contract(signed=False, actions=[])
    with pytest.raises(ValidationError) as error:
        services.save_action(contract, action_data(unit=unit, target=value))
    assert message in error.value.message_dict["indicators[0].year_targets.2024"][0]


def test_measures_must_belong_to_the_axis_of_the_action():
    contract = build_contract(signed=False, actions=[])
    axis = AxisFactory(number=1)
    other = MeasureFactory(axis=AxisFactory(number=2))
    with pytest.raises(ValidationError) as error:
        services.save_action(contract, action_data(axis, measures=[other]))
    assert "measures" in error.value.message_dict


def test_a_reinforced_action_says_how():
    contract = build_contract(signed=False, actions=[])
    data = action_data()
    data.nature = ActionNature.REINFORCED
    with pytest.raises(ValidationError) as error:
        services.save_action(contract, data)
    assert "reinforcement" in error.value.message_dict


def test_validation_needs_the_state_credits_within_the_notified_ceiling():
    contract = _negotiating(build_contract(signed=False, ceiling="40000"))
    with pytest.raises(ValidationError) as error:
        services.validate_contract(contract, None, side="state")
    message = error.value.message_dict["ceilings.solidarites.2024"][0]
    assert (
        "« Solidarités (départements) » (50\u202f000\u202f€) dépassent le plafond notifié (40\u202f000\u202f€)"
        in message
    )
    notify_ceiling(contract, "50000")
    services.validate_contract(contract, None, side="state")


def test_validation_is_refused_while_no_ceiling_is_notified():
    contract = _negotiating(build_contract(signed=False, ceiling=None))
    with pytest.raises(ValidationError) as error:
        services.validate_contract(contract, None, side="local")
    assert "n'a pas encore été notifié" in error.value.message_dict["ceilings.solidarites.2027"][0]


def test_a_metropole_needs_a_quantified_action_on_each_axis():
    metropole = EpciFactory(metropole=True)
    contract = _negotiating(
        build_contract(metropole, signed=False, actions=[action_data(AxisFactory(number=1))])
    )
    for number in (2, 3, 4):
        AxisFactory(number=number)
    with pytest.raises(ValidationError) as error:
        services.validate_contract(contract, None, side="local")
    assert any("axe 2" in message for message in error.value.message_dict["actions"])


def test_both_sides_validate_then_an_edit_clears_the_validations():
    contract = _negotiating(build_contract(signed=False))
    services.validate_contract(contract, None, side="state")
    contract.refresh_from_db()
    assert contract.state_validated_at is not None and contract.status == ContractStatus.NEGOTIATION
    action = contract.actions.get()
    services.save_action(contract, action_data(title="Nouveau titre"), action=action, expected_version=0)
    contract.refresh_from_db()
    assert contract.state_validated_at is None


def test_the_second_of_two_concurrent_edits_of_an_action_is_refused():
    contract = build_contract(signed=False)
    action = contract.actions.get()
    services.save_action(contract, action_data(title="Premier"), action=action, expected_version=0)
    stale = Action.objects.get(pk=action.pk)
    stale.lock_version = 0
    with pytest.raises(StaleEditError):
        services.save_action(contract, action_data(title="Second"), action=stale, expected_version=0)
    assert Action.objects.get(pk=action.pk).title == "Premier"


def test_a_signature_needs_a_past_date_and_both_signatories():
    contract = _negotiating(build_contract(signed=False))
    services.validate_contract(contract, None, side="state")
    services.validate_contract(contract, None, side="local")
    with pytest.raises(ValidationError) as error:
        services.sign_contract(
            contract, None, signed_on=datetime.date(2099, 1, 1), state_signatory="", local_signatory="M. X"
        )
    assert set(error.value.message_dict) == {"signed_on", "state_signatory"}
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.VALIDATED


def test_a_signed_version_cannot_take_a_new_action():
    contract = build_contract()
    with pytest.raises(ContractLockedError):
        services.save_action(contract, action_data())


def test_an_amendment_copies_the_signed_version_and_its_signature_supersedes_it():
    contract = build_contract()
    amendment = services.create_amendment(contract, None, reason="Hausse du budget de la mobilité")
    assert amendment.amendment_number == 1 and amendment.root == contract and amendment.amends == contract
    assert amendment.actions.get().budget_lines.count() == contract.actions.get().budget_lines.count()
    with pytest.raises(ValidationError):
        services.create_amendment(contract, None, reason="Un second en même temps")
    action = amendment.actions.get()
    services.save_action(
        amendment, action_data(state="60000", local="70000"), action=action, expected_version=0
    )
    changes = services.contract_diff(contract, amendment)
    assert any(
        change.what == "budget 2024 – État"
        and change.before == "50\u202f000\u202f€"
        and change.after == "60\u202f000\u202f€"
        for change in changes
    )
    services.submit_contract(amendment, None)
    services.validate_contract(amendment, None, side="state")
    services.validate_contract(amendment, None, side="local")
    services.sign_contract(
        amendment, None, signed_on=datetime.date(2025, 3, 1), state_signatory="P", local_signatory="L"
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SUPERSEDED
    assert services.current_version(contract).pk == amendment.pk
    assert contract.actions.get().budget_lines.get(year=2024, funder="etat").amount == Decimal("50000")


def test_deleting_an_action_renumbers_the_others():
    contract = build_contract(
        signed=False, actions=[action_data(title="Un"), action_data(title="Deux"), action_data(title="Trois")]
    )
    services.delete_action(contract.actions.get(number=1))
    assert list(contract.actions.values_list("number", "title")) == [(1, "Deux"), (2, "Trois")]
