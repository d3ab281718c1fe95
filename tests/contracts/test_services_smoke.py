from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte.contracts import services
from pacte.contracts.enums import ContractStatus, Funder
from pacte.contracts.models import BudgetLine, ContractLockedError
from tests.contracts.factories import action_data, build_contract


def test_a_contract_goes_from_draft_to_signed():
    contract = build_contract()
    assert contract.status == ContractStatus.SIGNED
    assert contract.actions.count() == 1


def test_the_state_cannot_put_in_more_than_the_collectivite():
    contract = build_contract(signed=False, actions=[])
    with pytest.raises(ValidationError) as error:
        services.save_action(contract, action_data(state="60000", local="40000"))
    assert (
        "celle de la collectivité (cofinancement à parité)" in error.value.message_dict["budget[0].amount"][0]
    )
    assert not contract.actions.exists()


def test_a_signed_version_refuses_changes():
    contract = build_contract()
    line = BudgetLine.objects.filter(action__contract=contract, funder=Funder.STATE).first()
    line.amount = Decimal("1")
    with pytest.raises(ContractLockedError):
        line.save()
