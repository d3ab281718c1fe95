"""Contracts for tests: `build_contract()` goes through the services (so every rule applies) and can
sign the result; the factory_boy factories make single rows of a draft."""

import datetime
from decimal import Decimal

import factory

from pacte.contracts import services
from pacte.contracts.enums import ActionNature, ContractStatus, Funder, IndicatorUnit
from pacte.contracts.models import Action, BudgetLine, Contract, Indicator
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory, EpciFactory


class ContractFactory(factory.django.DjangoModelFactory):
    """A draft contract; `ContractFactory(metropole=True)` for a métropole's."""

    class Meta:
        model = Contract

    territory = factory.SubFactory(DepartementFactory)
    title = factory.LazyAttribute(lambda o: f"Contrat local des solidarités 2024-2027 – {o.territory.name}")
    annual_state_ceiling = Decimal("1000000")

    class Params:
        metropole = factory.Trait(territory=factory.SubFactory(EpciFactory, metropole=True))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Fiche-action de test {n}")
    axis = factory.SubFactory(AxisFactory)
    nature = ActionNature.NEW
    target_publics = "Familles monoparentales"
    pilot = "Direction de l'insertion"
    description = "Description de l'action."


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    label = factory.Sequence(lambda n: f"Personnes accompagnées {n}")
    unit = IndicatorUnit.PERSONS


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    action = factory.SubFactory(ActionFactory)
    year = 2024
    funder = Funder.STATE
    amount = Decimal("10000")


def action_data(
    axis=None,
    *,
    title="Accompagnement vers l'emploi",
    state="50000",
    local="50000",
    other="0",
    target="100",
    unit=IndicatorUnit.PERSONS,
    national_target=None,
    measures=(),
):
    """Data of a complete fiche-action: one indicator with a target each year, a budget each year."""
    axis = axis or AxisFactory(number=1)
    budget = []
    for year in range(2024, 2028):
        budget.append(services.BudgetRow(year=year, funder=Funder.STATE, amount=Decimal(state)))
        budget.append(services.BudgetRow(year=year, funder=Funder.LOCAL, amount=Decimal(local)))
        if Decimal(other):
            budget.append(
                services.BudgetRow(year=year, funder=Funder.OTHER, funder_name="CAF", amount=Decimal(other))
            )
    return services.ActionData(
        title=title,
        axis_id=axis.pk,
        nature=ActionNature.NEW,
        target_publics="Allocataires du RSA",
        pilot="Direction de l'insertion",
        description="Un accompagnement renforcé.",
        measure_ids=[measure.pk for measure in measures],
        indicators=[
            services.IndicatorRow(
                label="Personnes accompagnées",
                unit=unit,
                year_targets={year: Decimal(target) for year in range(2024, 2028)},
                national_target_id=national_target.pk if national_target else None,
            )
        ],
        budget=budget,
    )


def build_contract(
    territory=None, *, actions=None, signed=True, ceiling="1000000", signed_on=None, **contract_fields
):
    """A contract through the services: its fiches-actions (ActionData list, one default action when None),
    both validations and, when `signed`, the signature."""
    territory = territory or DepartementFactory()
    contract = services.create_contract(territory, annual_state_ceiling=Decimal(ceiling), **contract_fields)
    for data in actions if actions is not None else [action_data()]:
        services.save_action(contract, data)
    if signed:
        contract.status = ContractStatus.NEGOTIATION
        contract.save()
        services.validate_contract(contract, None, side="state")
        services.validate_contract(contract, None, side="local")
        contract = services.sign_contract(
            contract,
            None,
            signed_on=signed_on or datetime.date(2024, 1, 15),
            state_signatory="La préfète",
            local_signatory="Le président du conseil départemental",
        )
    return contract
