"""The référentiel of the page tests: axis 1 with the measure « maisons des parents » and its departmental target,
axis 4 with the « cantine à 1 € » and its dated figures, a national and a regional milestone."""

from decimal import Decimal

import pytest

from tests.programme.factories import AxisFactory, MeasureFactory, MilestoneFactory, TargetFactory


@pytest.fixture
def referentiel():
    axis = AxisFactory(number=1, title="Prévenir la pauvreté et lutter contre les inégalités dès l'enfance")
    measure = MeasureFactory(
        axis=axis,
        code="a1-n2",
        title="Assurer un maillage du territoire en structures de soutien à la parentalité",
    )
    TargetFactory(
        measure=measure,
        code="maisons-des-parents",
        label="Maisons des parents",
        unit="maison par département",
        target_value=Decimal("1"),
        target_year=2027,
        scope="departement",
    )
    TargetFactory(
        measure=MeasureFactory(axis=AxisFactory(number=4), code="a4-n2", title="Cantine à 1 €"),
        code="cantine",
        label="Élèves bénéficiant de la cantine à 1 €",
        unit="élèves",
        baseline_value=Decimal("120000"),
        baseline_year=2022,
        target_value=Decimal("200000"),
        target_year=2027,
    )
    MilestoneFactory(code="conference", title="Installation de la Conférence permanente des solidarités")
    MilestoneFactory(regional=True, code="angers", title="Conférence régionale des acteurs à Angers")
    return measure
