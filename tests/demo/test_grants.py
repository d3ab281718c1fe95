"""The grants demo (pacte.demo.grants, data/grants.yaml): loaded after the accounts demo, repeatable, every rule respected."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from pacte.core.enums import ReportStatus
from pacte.demo import calendar
from pacte.demo.grants import load_grants_demo
from pacte.grants import opendata
from pacte.grants.enums import ApplicationStatus, AwardAct, CallStatus
from pacte.grants.models import Application, CallForProjects, DeclaredFigure, GrantAgreement, Payment


def test_it_refuses_to_load_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        load_grants_demo()


def test_the_demo_tells_three_calls_and_keeps_the_declared_figures(prerequisites):
    report = load_grants_demo()
    instructing = calendar.working_day_in(timezone.localdate(), -40).year
    open_reference = f"AAP-52-{max(2026, timezone.localdate().year, instructing + 1)}"
    assert report.calls == ["AAP-52-2024", f"AAP-52-{instructing}", open_reference]
    calls = {call.reference: call for call in CallForProjects.objects.all()}
    assert calls["AAP-52-2024"].status == CallStatus.DECIDED
    assert calls[f"AAP-52-{instructing}"].status == CallStatus.CLOSED
    assert calls[open_reference].accepting
    assert all(call.is_demo for call in calls.values())
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses.count(ApplicationStatus.SELECTED) == 2
    assert statuses.count(ApplicationStatus.UNDER_REVIEW) == 2
    assert GrantAgreement.objects.count() == 2 and Payment.objects.count() == 4
    cpo = GrantAgreement.objects.get(application__project_title="Épicerie solidaire itinérante")
    assert cpo.reports.get(year=2024).status == ReportStatus.VALIDATED and cpo.is_multi_year
    # A four-year CPO, 2024-2027, with a 50 % advance on 2026 before the 2025 report is validated.
    assert sorted(cpo.years.values_list("year", flat=True)) == [2024, 2025, 2026, 2027]
    assert cpo.number.startswith("CPO-")
    advance = cpo.payments.get(year=2026)
    assert advance.amount == cpo.years.get(year=2026).amount / 2 and advance.paid_on.year == 2026
    assert not cpo.reports.filter(year=2025, status=ReportStatus.VALIDATED).exists()
    # A one-year grant of 18 000 € by arrêté, below the 23 000 € convention threshold, numbered without « CPO ».
    order = GrantAgreement.objects.get(
        application__project_title="Ateliers d'accès aux droits en milieu rural"
    )
    assert order.act == AwardAct.ORDER and order.number.startswith("AAS-")
    assert list(order.years.values_list("amount", flat=True)) == [Decimal("18000")]
    for agreement in GrantAgreement.objects.prefetch_related("years"):
        one_year = len(agreement.years.all()) == 1
        assert one_year != agreement.number.startswith("CPO"), agreement.number
    declared = DeclaredFigure.objects.order_by("period_start")
    assert [(f.period_label, f.amount, f.project_count) for f in declared] == [
        ("2019-2023", Decimal("7600000"), 390),
        ("2023", Decimal("1300000"), 92),
    ]
    assert "390 projets" in declared[0].source_excerpt
    assert len(opendata.csv_text().splitlines()) == 3
    assert "Appels à projets créés : AAP-52-2024" in report.summary()

    again = load_grants_demo()
    assert again.calls == [] and again.skipped == ["AAP-52-2024", f"AAP-52-{instructing}", open_reference]
    assert CallForProjects.objects.count() == 3 and DeclaredFigure.objects.count() == 2
