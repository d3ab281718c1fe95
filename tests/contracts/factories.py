"""Contracts for tests: `build_contract()` goes through the services (so every rule applies) and can
sign the result; the factory_boy factories make single rows of a draft; `make_world()` builds the cast of the
page tests (the `world` fixture of conftest.py); `action_post()` is the form of a fiche-action as a browser
sends it; `fill_report()` and `notify()` complete an execution report and record State credits."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from pacte.contracts import kinds, services
from pacte.contracts.enums import (
    ActionNature,
    ContractKind,
    ContractStatus,
    FranceTravailVolet,
    Funder,
    IndicatorUnit,
)
from pacte.contracts.models import Action, ActionIndicator, BudgetLine, Contract
from pacte.contracts.services import allocations
from pacte.territories.collectivites import collectivite_for
from pacte.territories.models import Territory
from tests.accounts.factories import UserFactory
from tests.programme.factories import AxisFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

YEARS = (2024, 2025, 2026, 2027)


class ContractFactory(factory.django.DjangoModelFactory):
    """A draft contract; `ContractFactory(metropole=True)` for a métropole's."""

    class Meta:
        model = Contract

    territory = factory.SubFactory(DepartementFactory)
    collectivite = factory.LazyAttribute(lambda o: collectivite_for(o.territory))
    kind = factory.LazyAttribute(
        lambda o: ContractKind.METROPOLE if o.territory.is_metropole else ContractKind.DEPARTEMENT
    )
    title = factory.LazyAttribute(lambda o: f"Contrat local des solidarités 2024-2027 – {o.territory.name}")

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


class ActionIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionIndicator

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


def notify_ceiling(
    contract, amount="1000000", *, years=None, envelopes=None, notified_on=datetime.date(2024, 1, 5)
):
    """National steering notifies the collectivité of `contract` its allocation of `amount` for each of `years` (the
    contract's period) and `envelopes` (the kind's)."""
    for envelope in envelopes or kinds.envelopes_of(contract.kind):
        for year in years or contract.years:
            allocations.notify_allocation(
                contract.collectivite, envelope, year, amount=Decimal(amount), notified_on=notified_on
            )


def france_travail_action_data(axis, *, volet=FranceTravailVolet.RSA, state="5000", local="0", **changes):
    """An axis-2 fiche-action of the France Travail part: its volet and only the volet's years (the RSA volet: 2024
    and 2025), financed by the State alone by default (no parity in that part)."""
    changes.setdefault("title", "Référents santé-insertion")
    data = action_data(axis, state=state, local=local, **changes)
    years = kinds.VOLET_YEARS[volet]
    data.volet = volet
    data.budget = [row for row in data.budget if row.year in years]
    for row in data.indicators:
        row.year_targets = {year: value for year, value in row.year_targets.items() if year in years}
    return data


def build_contract(
    territory=None, *, actions=None, signed=True, ceiling="1000000", signed_on=None, **contract_fields
):
    """A contract through the services: the notified ceiling of each year (`ceiling`; None: nothing notified), its
    fiches-actions (ActionData list, one default action when None), both validations and, when `signed`, the
    signature."""
    territory = territory or DepartementFactory()
    contract = services.create_contract(territory, **contract_fields)
    if ceiling is not None:
        notify_ceiling(contract, ceiling)
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


# --- The cast of the page tests -----------------------------------------------------------------------


@dataclass
class World:
    """Two départements of the Pays de la Loire (A with a métropole, B), one département C of another région;
    a draft contract for A, a signed one for B, and users of every side."""

    loire_atlantique: Territory
    vendee: Territory
    nantes: Territory
    bouches_du_rhone: Territory
    draft: Contract
    signed: Contract
    local_a: object
    local_b: object
    local_c: object
    ddets_a: object
    ddets_c: object
    commissioner: object
    commissioner_other: object
    national: object
    association: object


@dataclass
class Places:
    """The territories of the page casts: the Pays de la Loire (Loire-Atlantique with Nantes Métropole, Vendée) and
    PACA (Bouches-du-Rhône)."""

    pays_de_la_loire: Territory
    paca: Territory
    loire_atlantique: Territory
    vendee: Territory
    bouches_du_rhone: Territory
    nantes: Territory


def make_places() -> Places:
    pays_de_la_loire = RegionFactory(code="52", name="Pays de la Loire")
    paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=pays_de_la_loire)
    return Places(
        pays_de_la_loire=pays_de_la_loire,
        paca=paca,
        loire_atlantique=loire_atlantique,
        vendee=DepartementFactory(code="85", name="Vendée", parent=pays_de_la_loire),
        bouches_du_rhone=DepartementFactory(code="13", name="Bouches-du-Rhône", parent=paca),
        nantes=EpciFactory(
            code="244400404", name="Nantes Métropole", metropole=True, parent=loire_atlantique
        ),
    )


def make_world() -> World:
    places = make_places()
    pays_de_la_loire, paca = places.pays_de_la_loire, places.paca
    loire_atlantique, vendee, bouches_du_rhone = (
        places.loire_atlantique,
        places.vendee,
        places.bouches_du_rhone,
    )
    nantes = places.nantes
    AxisFactory(number=1, title="Prévenir la pauvreté dès l'enfance")
    return World(
        loire_atlantique=loire_atlantique,
        vendee=vendee,
        nantes=nantes,
        bouches_du_rhone=bouches_du_rhone,
        draft=build_contract(loire_atlantique, signed=False),
        signed=build_contract(vendee, signed=True),
        local_a=UserFactory(
            username="alice",
            first_name="Alice",
            last_name="Martin",
            departement_council=True,
            territory=loire_atlantique,
        ),
        local_b=UserFactory(username="bernard", departement_council=True, territory=vendee),
        local_c=UserFactory(username="chloe", departement_council=True, territory=bouches_du_rhone),
        ddets_a=UserFactory(
            username="denis", first_name="Denis", last_name="Petit", ddets=True, territory=loire_atlantique
        ),
        ddets_c=UserFactory(username="diane", ddets=True, territory=bouches_du_rhone),
        commissioner=UserFactory(username="camille", commissioner=True, territory=pays_de_la_loire),
        commissioner_other=UserFactory(username="claude", commissioner=True, territory=paca),
        national=UserFactory(username="nadia", national=True),
        association=UserFactory(username="asso", association=True, territory=loire_atlantique),
    )


# --- A fiche-action as the form sends it -----------------------------------------------------------------


def action_post(
    *,
    axis,
    title="Insertion des jeunes",
    state=("40000",) * 4,
    local=("60000",) * 4,
    other_name="",
    other=("",) * 4,
    targets=("10", "20", "30", "40"),
    lock_version=None,
    indicators_initial=0,
    **extra,
) -> dict:
    data = {
        "title": title,
        "axis": axis.pk,
        "nature": "nouvelle",
        "reinforcement": "",
        "target_publics": "Jeunes de 16 à 25 ans",
        "pilot": "Mission locale",
        "partners": "France Travail",
        "description": "Un parcours d'insertion.",
        "indicateurs-TOTAL_FORMS": "1",
        "indicateurs-INITIAL_FORMS": str(indicators_initial),
        "indicateurs-MIN_NUM_FORMS": "0",
        "indicateurs-MAX_NUM_FORMS": "1000",
        "indicateurs-0-label": "Jeunes accompagnés",
        "indicateurs-0-unit": "jeunes",
        "indicateurs-0-baseline_value": "5",
        "indicateurs-0-baseline_year": "2023",
        "indicateurs-0-national_target": "",
        "budget-autre1_name": other_name,
    }
    if lock_version is not None:
        data["lock_version"] = str(lock_version)
    for index, year in enumerate(YEARS):
        data[f"indicateurs-0-target_{year}"] = targets[index]
        data[f"budget-etat_{year}"] = state[index]
        data[f"budget-collectivite_{year}"] = local[index]
        data[f"budget-autre1_{year}"] = other[index]
    data.update(extra)
    return data


# --- Execution ------------------------------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 20)


def fill_report(
    report, *, value="80", state="40000", local="45000", assessment="Une année de mise en route."
):
    """Save a complete draft: a value for each indicator, a spending for each budget line of the year."""
    indicators = ActionIndicator.objects.filter(action__contract=report.version)
    spendings = [
        services.SpendingRow(
            action_id=line.action_id,
            funder=line.funder,
            funder_name=line.funder_name,
            amount=Decimal(state if line.funder == Funder.STATE else local),
        )
        for line in BudgetLine.objects.filter(action__contract=report.version, year=report.year)
    ]
    services.save_report(
        report,
        qualitative_assessment=assessment,
        values={indicator.pk: Decimal(value) for indicator in indicators},
        spendings=spendings,
    )
    report.refresh_from_db()
    return report


def notify(contract, year, amount="50000", paid="0"):
    return services.record_credit(
        contract,
        year,
        notified=Decimal(amount),
        committed=Decimal(amount),
        paid=Decimal(paid),
        notified_on=datetime.date(year, 2, 1),
        committed_on=datetime.date(year, 3, 1),
        paid_on=datetime.date(year, 4, 1) if Decimal(paid) else None,
    )


# --- Joint mid-term evaluation (J3) --------------------------------------------------------------------------


def evaluate_all(contract, local_user, state_user, *, conclusion="poursuivre", note=""):
    """Both parts and the conclusion of every fiche-action of the version in force, through the services."""
    from pacte.contracts.services import evaluation as evaluation_services

    version = services.current_version(contract.root_contract)
    for number in version.actions.values_list("number", flat=True):
        for side, user in (("collectivite", local_user), ("etat", state_user)):
            evaluation_services.save_evaluation_part(
                contract,
                user,
                side=side,
                number=number,
                assessment=f"Appréciation ({side}) de la fiche-action n°{number}.",
                methods=["documentaire"],
            )
        evaluation_services.save_conclusion(
            contract, local_user, number=number, conclusion=conclusion, note=note
        )


# --- Report campaigns (J2) ---------------------------------------------------------------------------------


def campaigns(*years: int, month: int = 3, day: int = 31):
    """The campaigns of `years` as national steering sets them (by default the reports of year N are due by
    31 March N+1), through the service."""
    from pacte.contracts.services import execution as execution_services

    return [
        execution_services.set_report_campaign(year, datetime.date(year + 1, month, day), None)
        for year in years
    ]
