"""The cast of the observation tests: `known`, the territories, targets, contracts and reports of the barometer
(its figures are worked out by hand in its docstring and in tests/observation/test_barometer.py)."""

import datetime
from decimal import Decimal

import pytest

from pacte.contracts import services
from pacte.contracts.enums import ContractStatus, IndicatorUnit
from pacte.core.enums import ReportStatus
from tests.contracts.factories import action_data, build_contract, campaigns
from tests.observation.factories import indicators_of, report
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

D = Decimal
PLACES = IndicatorUnit.PLACES


class Known:
    """The territories, targets and contracts of the `known` fixture."""


@pytest.fixture
def known():
    """Built through the contract services:

    Région Alpha (84)  Rhône (69)            two actions on "places": yearly targets 100 and 30
                       Métropole de Lyon     one action on "places": yearly target 50 (inside the Rhône)
                       Isère (38), a draft   one action on "places": 999 (ignored: not signed)
    Région Bêta (93)   Bouches-du-Rhône (13) one action on "places": 70, then an avenant with 80
    Région Gamma (11)  Paris (75)            one action linked to no target

    National steering set the report campaigns of 2024 and 2025 (due by 31 March of the following year).
    """
    k = Known()
    k.alpha = RegionFactory(code="84", name="Région Alpha")
    k.beta = RegionFactory(code="93", name="Région Bêta")
    k.gamma = RegionFactory(code="11", name="Région Gamma")
    k.rhone = DepartementFactory(code="69", name="Rhône", parent=k.alpha)
    k.isere = DepartementFactory(code="38", name="Isère", parent=k.alpha)
    k.lyon = EpciFactory(metropole=True, code="200046977", name="Métropole de Lyon", parent=k.rhone)
    k.bdr = DepartementFactory(code="13", name="Bouches-du-Rhône", parent=k.beta)
    k.paris = DepartementFactory(code="75", name="Paris", parent=k.gamma)
    k.axis = AxisFactory(number=1)
    k.measure = MeasureFactory(axis=k.axis, code="a3-r2", title="Logement d'abord")
    k.places = TargetFactory(
        measure=k.measure,
        code="places",
        label="Nouvelles places en pensions de famille",
        unit="places",
        target_value=D("1000"),
        target_year=2027,
    )
    k.rate = TargetFactory(
        measure=k.measure,
        code="taux",
        label="Taux de pauvreté des familles",
        unit="%",
        baseline_value=D("20"),
        baseline_year=2023,
        target_value=D("10"),
        target_year=2027,
    )
    k.reference = TargetFactory(measure=k.measure, reference=True, code="reference")
    k.regional = TargetFactory(regional=True, code="regional")

    k.rhone_contract = build_contract(
        k.rhone,
        actions=[
            action_data(
                k.axis, title="Pensions de famille", target="100", national_target=k.places, unit=PLACES
            ),
            action_data(
                k.axis, title="Résidences sociales", target="30", national_target=k.places, unit=PLACES
            ),
        ],
    )
    k.lyon_contract = build_contract(
        k.lyon,
        actions=[
            action_data(k.axis, title="Places Lyon", target="50", national_target=k.places, unit=PLACES)
        ],
    )
    k.isere_draft = build_contract(
        k.isere,
        actions=[action_data(k.axis, target="999", national_target=k.places, unit=PLACES)],
        signed=False,
    )
    k.bdr_initial = build_contract(
        k.bdr,
        actions=[action_data(k.axis, title="Places", target="70", national_target=k.places, unit=PLACES)],
    )
    amendment = services.create_amendment(k.bdr_initial, None, reason="Plus de places")
    services.save_action(
        amendment,
        action_data(k.axis, title="Places", target="80", national_target=k.places, unit=PLACES),
        action=amendment.actions.get(number=1),
    )
    amendment.status = ContractStatus.NEGOTIATION
    amendment.save()
    services.validate_contract(amendment, None, side="state")
    services.validate_contract(amendment, None, side="local")
    k.bdr_contract = services.sign_contract(
        amendment,
        None,
        signed_on=datetime.date(2025, 6, 1),
        state_signatory="Le préfet",
        local_signatory="Le président",
    )
    k.paris_contract = build_contract(k.paris, actions=[action_data(k.axis, title="Sans cible")])

    campaigns(2024, 2025)
    rhone = indicators_of(k.rhone_contract)
    report(
        k.rhone_contract,
        k.rhone_contract,
        2024,
        {rhone[1]: "90", rhone[2]: "20"},
        reviewed_on=datetime.date(2025, 4, 15),
    )
    report(
        k.rhone_contract,
        k.rhone_contract,
        2025,
        {rhone[1]: "120", rhone[2]: "25"},
        reviewed_on=datetime.date(2026, 4, 20),
    )
    lyon = indicators_of(k.lyon_contract)
    report(k.lyon_contract, k.lyon_contract, 2024, {lyon[1]: "40"}, reviewed_on=datetime.date(2025, 5, 2))
    report(k.lyon_contract, k.lyon_contract, 2025, {lyon[1]: "999"}, status=ReportStatus.SUBMITTED)
    bdr_old = indicators_of(k.bdr_initial)
    report(k.bdr_initial, k.bdr_initial, 2024, {bdr_old[1]: "60"}, reviewed_on=datetime.date(2025, 4, 30))
    return k
