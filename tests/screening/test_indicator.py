"""The observation indicator NRPE, recomputed from the finished jobs of a year."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pacte.observation.models import Observation
from pacte.screening import indicator
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.screening.factories import ScreeningAggregateFactory, ScreeningJobFactory, submit


@pytest.fixture
def nrpe():
    return IndicatorFactory(code="NRPE", label="Non-recours potentiel estimé", restricted=True)


def finished(territory, minutes_ago: int, month: str = "2026-05"):
    return ScreeningJobFactory(
        territory=territory,
        done=True,
        write_files=False,
        month=month,
        finished_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def values(year: int = 2026) -> dict[str, tuple]:
    return {
        row.territory.code: (row.value, row.status)
        for row in Observation.objects.filter(indicator__code="NRPE", period=year).select_related("territory")
    }


def test_each_commune_takes_its_latest_job_and_a_departement_adds_its_communes(nrpe, cog):
    old, new = finished(cog["44"], 60), finished(cog["44109"], 5)
    ScreeningAggregateFactory(job=old, territory=cog["44109"], households=100, non_take_up_households=50)
    ScreeningAggregateFactory(job=old, territory=cog["44190"], households=20, non_take_up_households=5)
    ScreeningAggregateFactory(job=new, territory=cog["44109"], households=40, non_take_up_households=10)
    ScreeningAggregateFactory(
        job=new, territory=cog["44109"], benefit="rsa", households=40, non_take_up_households=8
    )
    assert indicator.refresh(2026) == 3
    assert values() == {
        "44109": (Decimal("25.0000"), "disponible"),
        "44190": (Decimal("25.0000"), "disponible"),
        "44": (Decimal("25.0000"), "disponible"),  # (10 + 5) / (40 + 20)
    }
    assert "60 foyers examinés" in Observation.objects.get(territory=cog["44"], indicator=nrpe).source
    assert Observation.objects.get(territory=cog["44109"], indicator=nrpe).source == (
        "Pacte — détection du non-recours : 40 foyers examinés"
    )


@pytest.mark.parametrize(("households", "status"), [(10, "secret"), (11, "disponible")])
def test_ten_screened_households_are_statistical_secrecy_and_eleven_are_published(
    nrpe, cog, households, status
):
    job = finished(cog["44"], 5)
    ScreeningAggregateFactory(
        job=job, territory=cog["44109"], households=households, non_take_up_households=1
    )
    indicator.refresh(2026)
    assert {code: value[1] for code, value in values().items()} == {"44109": status, "44": status}
    source = Observation.objects.get(territory=cog["44109"], indicator=nrpe).source
    assert (f"{households} foyers examinés" in source) is (
        status == "disponible"
    )  # a secret count is not given
    if status == "secret":
        assert source.endswith("valeur non diffusée, secret statistique (moins de 11 foyers examinés)")


def test_a_small_commune_is_not_given_away_by_its_departement(nrpe, cog):
    job = finished(cog["44"], 5)
    ScreeningAggregateFactory(job=job, territory=cog["44109"], households=100, non_take_up_households=30)
    ScreeningAggregateFactory(job=job, territory=cog["44190"], households=4, non_take_up_households=4)
    ScreeningAggregateFactory(job=job, territory=cog["49007"], households=3, non_take_up_households=1)
    indicator.refresh(2026)
    assert values() == {
        "44109": (None, "secret"),  # else 44 − Nantes gives Saint-Nazaire's 4 households away
        "44190": (None, "secret"),
        "44": (Decimal("32.6900"), "disponible"),  # 34 / 104
        "49007": (None, "secret"),
        "49": (None, "secret"),
    }
    assert "ne se déduise pas" in Observation.objects.get(territory=cog["44109"], indicator=nrpe).source


def test_a_refresh_rewrites_only_the_year_and_ignores_other_years_jobs(nrpe, cog):
    ObservationFactory(indicator=nrpe, territory=cog["49"], period=2025, value=Decimal("12"))
    ObservationFactory(indicator=nrpe, territory=cog["49"], period=2026, value=Decimal("12"))
    job = finished(cog["44"], 5, month="2025-12")
    ScreeningAggregateFactory(job=job, territory=cog["44109"], households=30, non_take_up_households=3)
    indicator.refresh(2026)
    assert values(2026) == {} and values(2025) == {"49": (Decimal("12.0000"), "disponible")}


def test_without_the_indicator_loaded_nothing_is_written(cog):
    job = finished(cog["44"], 5)
    ScreeningAggregateFactory(job=job, territory=cog["44109"])
    assert indicator.refresh(2026) == 0
    assert not Observation.objects.exists()


def test_a_finished_job_shows_on_the_observation_page_of_the_steering(engine, nrpe, users, cog, client):
    from pacte.screening import jobs

    submit(users["worker"], cog["44"])
    jobs.work(once=True)
    assert values() == {"44109": (None, "secret"), "44": (None, "secret")}  # 2 households of Nantes
    client.force_login(users["ddets44"])
    page = client.get(reverse("observation:indicator", args=["NRPE"]) + "?niveau=departement&periode=2026")
    assert page.status_code == 200 and "Loire-Atlantique" in page.content.decode()
    client.force_login(users["association"])
    assert client.get(reverse("observation:indicator", args=["NRPE"])).status_code == 404
