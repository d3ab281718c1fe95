"""The barometer's « 39 territoires zéro non-recours » reads the register: its count of the territories of the
arrêté (abandoned and demo rows left out), before the ministry's published figure, with its confidence."""

import datetime
from decimal import Decimal

from pacte.observation.barometer import target_progress
from pacte.observation.barometer.enums import BarometerConfidence, BarometerSource, TrackStatus
from pacte.observation.models import NationalFigure
from pacte.tznr.enums import ExperimentStatus
from pacte.tznr.queries import TARGET_CODE
from tests.programme.factories import TargetFactory
from tests.tznr.factories import ExperimentFactory

TODAY = datetime.date(2026, 12, 4)


def tznr_target():
    return TargetFactory(
        code=TARGET_CODE,
        label="Territoires zéro non-recours expérimentés",
        unit="territoires",
        target_value=Decimal("39"),
        target_year=2024,
    )


def test_the_target_reads_the_register_before_the_published_figure():
    target = tznr_target()
    NationalFigure.objects.create(
        target=target,
        value=Decimal("12"),
        unit="territoires",
        period="2025",
        year=2025,
        source="Ministère",
        reliability="A",
    )
    for article in (1, 1, 2):
        ExperimentFactory(article=article)
    ExperimentFactory(article=2, status=ExperimentStatus.STOPPED)  # abandoned: not counted
    ExperimentFactory(article=2, is_demo=True)  # a demo row: not counted
    ExperimentFactory(article=None)  # recorded on the platform, not in the arrêté: not counted
    ExperimentFactory(article=2, identified=False, region=None, departement=None, covers=[])
    item = target_progress(TARGET_CODE, today=TODAY)
    assert (item.source, item.year, item.value) == (BarometerSource.REGISTER, 2024, Decimal("4"))
    # Below the objective without a known starting point (the label does not count « nouveaux » things): no status.
    assert item.status == TrackStatus.NO_DATA
    assert item.confidence == BarometerConfidence.MEDIUM
    assert "dont 1 non identifié" in item.confidence_reason
    assert "registre des territoires zéro non-recours" in item.explanation


def test_39_territories_each_with_its_source_reach_the_target():
    tznr_target()
    for _ in range(39):
        ExperimentFactory(article=2)
    item = target_progress(TARGET_CODE, today=TODAY)
    assert (item.status, item.confidence) == (TrackStatus.REACHED, BarometerConfidence.HIGH)


def test_an_empty_register_leaves_the_published_figure():
    target = tznr_target()
    NationalFigure.objects.create(
        target=target,
        value=Decimal("39"),
        unit="territoires",
        period="2025",
        year=2025,
        source="Ministère",
        reliability="A",
    )
    item = target_progress(TARGET_CODE, today=TODAY)
    assert (item.source, item.value) == (BarometerSource.NATIONAL, Decimal("39"))
