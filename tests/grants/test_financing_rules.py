"""The State's rules on grants to associations (pacte.grants.rules), each with an allowed and a refused case:
agreements of 1 to 4 years, « CPO » numbers for several years only, the convention required above 23 000 € a year
per association (an arrêté attributif below), the financial report due six months after the year and before any
new application, and the renumbering of the one-year grants numbered « CPO » before."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from pacte.grants import rules, schedule, services
from pacte.grants.enums import ApplicationStatus, AwardAct, ReportState
from pacte.grants.models import Application, GrantAgreement
from tests.grants.factories import ApplicationFactory, CallFactory, PrefectureFactory, select

D = Decimal
PARIS_NOON = datetime.time(12, 0)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, PARIS_NOON))


def closed_call(region, owner, **kwargs):
    return CallFactory(region=region, owner=owner, closed=True, **kwargs)


def messages_of(error) -> dict:
    return error.value.message_dict


# --- Duration: 1 to 4 years -----------------------------------------------------------------------------------


def test_a_four_year_cpo_2024_2027_is_possible_and_a_fifth_year_is_refused(region, prefecture, commissioner):
    call = closed_call(region, prefecture, first_year=2024, max_years=4, max_amount_per_year=D("30000"))
    assert list(call.years) == [2024, 2025, 2026, 2027]
    application = ApplicationFactory(call=call, amounts=dict.fromkeys(range(2024, 2028), "25000"))
    select(application, commissioner, signed_on=datetime.date(2024, 2, 1))
    agreement = Application.objects.get(pk=application.pk).agreement
    assert (
        agreement.number.startswith("CPO-") and agreement.kind_label == "Convention pluriannuelle d'objectifs"
    )
    assert (agreement.start_date, agreement.end_date) == (
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
    )
    data = services.CallData(
        title="Appel 2024-2028",
        description="Soutenir les associations.",
        eligibility="Associations déclarées.",
        total_budget=D("500000"),
        max_amount_per_year=D("40000"),
        first_year=2024,
        max_years=rules.MAX_YEARS + 1,
        opens_at=timezone.now(),
        deadline=timezone.now() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as error:
        services.create_call(commissioner, data)
    assert "de 1 à 4 ans" in messages_of(error)["max_years"][0]


# --- Numbers: « CPO » for several years only -------------------------------------------------------------------


def test_one_year_grants_are_numbered_cao_or_aas_and_several_years_cpo(region, prefecture, commissioner):
    call = closed_call(region, prefecture, reference="AAP-52-2025", max_years=2)
    one_year = ApplicationFactory(call=call, amounts={2025: "20000"})
    order = ApplicationFactory(call=call, amounts={2025: "10000"})
    two_years = ApplicationFactory(call=call)
    select(one_year, commissioner)
    select(order, commissioner, act=AwardAct.ORDER)
    select(two_years, commissioner)
    numbers = {a.application_id: a.number for a in GrantAgreement.objects.all()}
    assert numbers[one_year.pk] == f"CAO-52-2025-{one_year.number:03d}"
    assert numbers[order.pk] == f"AAS-52-2025-{order.number:03d}"
    assert numbers[two_years.pk] == f"CPO-52-2025-{two_years.number:03d}"
    assert GrantAgreement.objects.get(application=order).kind_label == "Arrêté attributif de subvention"


def test_the_renumbering_migration_keeps_the_old_number_and_can_be_reversed(region, prefecture, commissioner):
    call = closed_call(region, prefecture, reference="AAP-52-2025", max_years=2)
    one_year = ApplicationFactory(call=call, amounts={2025: "20000"})
    two_years = ApplicationFactory(call=call)
    select(one_year, commissioner)
    select(two_years, commissioner)
    old = f"CPO-52-2025-{one_year.number:03d}"
    GrantAgreement.objects.filter(application=one_year).update(number=old)  # as numbered before 2026
    migration = importlib.import_module("pacte.grants.migrations.0005_renumber_one_year_agreements")
    migration.renumber(django_apps, None)
    renumbered = GrantAgreement.objects.get(application=one_year)
    assert (renumbered.number, renumbered.former_number) == (f"CAO-52-2025-{one_year.number:03d}", old)
    unchanged = GrantAgreement.objects.get(application=two_years)
    assert unchanged.number.startswith("CPO-") and unchanged.former_number == ""
    migration.restore(django_apps, None)
    restored = GrantAgreement.objects.get(application=one_year)
    assert (restored.number, restored.former_number) == (old, "")


# --- Convention above 23 000 € a year per association ----------------------------------------------------------


def test_an_arrete_is_allowed_up_to_23000_euros_a_year_for_the_association(region, prefecture, commissioner):
    call = closed_call(region, prefecture, max_years=1)
    application = ApplicationFactory(call=call, amounts={2025: "23000"})
    select(application, commissioner, act=AwardAct.ORDER)
    agreement = Application.objects.get(pk=application.pk).agreement
    assert agreement.act == AwardAct.ORDER and agreement.number.startswith("AAS-")


def test_the_threshold_adds_up_every_grant_of_the_attribuant_to_the_association(
    region, prefecture, commissioner, association
):
    first_call = closed_call(region, prefecture, max_years=1)
    second_call = closed_call(region, prefecture, max_years=1)
    earlier = ApplicationFactory(call=first_call, organisation=association, amounts={2025: "15000"})
    select(earlier, commissioner, act=AwardAct.ORDER)
    later = ApplicationFactory(call=second_call, organisation=association, amounts={2025: "10000"})
    with pytest.raises(ValidationError) as error:
        select(later, commissioner, act=AwardAct.ORDER)
    assert messages_of(error)["act"] == [
        "Au-delà de 23\u202f000\u202f€ par an pour une même association, une convention est obligatoire (loi "
        "n° 2000-321, art. 10 ; décret n° 2001-495) : en 2025, Entraide de test recevrait 25\u202f000\u202f€ de "
        "Préfecture de la région Pays de la Loire (15\u202f000\u202f€ déjà attribués, 10\u202f000\u202f€ pour ce projet). "
        "Choisissez « Convention »."
    ]
    assert not GrantAgreement.objects.filter(application=later).exists()  # nothing written
    select(later, commissioner, act=AwardAct.CONVENTION)
    assert Application.objects.get(pk=later.pk).agreement.number.startswith("CAO-")


def test_grants_of_another_attribuant_do_not_count(region, prefecture, commissioner, association):
    other_owner = PrefectureFactory(name="Préfecture de Loire-Atlantique", territory=region)
    other_call = closed_call(region, other_owner, max_years=1)
    select(
        ApplicationFactory(call=other_call, organisation=association, amounts={2025: "20000"}), commissioner
    )
    call = closed_call(region, prefecture, max_years=1)
    application = ApplicationFactory(call=call, organisation=association, amounts={2025: "20000"})
    select(application, commissioner, act=AwardAct.ORDER)
    assert Application.objects.get(pk=application.pk).agreement.act == AwardAct.ORDER


def test_an_arrete_is_refused_for_several_years(region, prefecture, commissioner):
    call = closed_call(region, prefecture, max_years=2)
    application = ApplicationFactory(call=call, amounts={2025: "5000", 2026: "5000"})
    with pytest.raises(ValidationError) as error:
        select(application, commissioner, act=AwardAct.ORDER)
    assert "convention pluriannuelle d'objectifs" in messages_of(error)["act"][0]


# --- Financial report: due six months after the year, before any new application ---------------------------


def test_the_report_of_a_year_is_due_on_30_june_of_the_next_year():
    assert rules.report_due_on(2025) == datetime.date(2026, 6, 30)
    assert rules.reminder_from(2025) == datetime.date(2026, 5, 31)


def test_the_state_of_a_report_follows_its_due_date_and_its_filing(agreement, member):
    outstanding = schedule.outstanding(GrantAgreement.objects.all(), datetime.date(2026, 6, 30))
    assert [(row.year, row.state) for row in outstanding] == [(2025, ReportState.DUE)]
    late = schedule.outstanding(GrantAgreement.objects.all(), datetime.date(2026, 7, 1))
    assert [(row.year, row.state, row.late) for row in late] == [(2025, ReportState.LATE, True)]
    report = services.open_report(agreement, 2025)
    indicator = agreement.application.indicators.get()
    services.save_report(report, narrative="Bilan.", amount_spent=D("100"), values={indicator.pk: D("3")})
    services.submit_report(report, member)
    filed = schedule.outstanding(GrantAgreement.objects.all(), datetime.date(2026, 7, 1))
    assert [(row.state, row.late) for row in filed] == [(ReportState.TO_REVIEW, False)]


def test_a_late_report_stops_a_new_application_until_it_is_filed(agreement, member, region, loire_atlantique):
    new_call = CallFactory(
        region=region,
        first_year=2027,
        max_years=1,
        opens_at=at(datetime.date(2026, 6, 1)),
        deadline=at(datetime.date(2026, 12, 31)),
    )
    draft = ApplicationFactory(
        call=new_call, organisation=member.organisation, territory=loire_atlantique, draft=True
    )
    before_due = at(datetime.date(2026, 6, 30))
    assert "reports" not in services.submission_problems(draft, now=before_due)
    with pytest.raises(ValidationError) as error:
        services.submit_application(draft, member, now=at(datetime.date(2026, 7, 1)))
    assert messages_of(error)["reports"] == [
        f"Le compte rendu financier 2025 de la subvention {agreement.number} était attendu au plus tard le "
        "30 juin 2026 : déposez-le avant toute nouvelle demande de subvention (formulaire CERFA n° 15059*02)."
    ]
    report = services.open_report(agreement, 2025)
    indicator = agreement.application.indicators.get()
    services.save_report(report, narrative="Bilan.", amount_spent=D("100"), values={indicator.pk: D("3")})
    services.submit_report(report, member)
    submitted = services.submit_application(draft, member, now=at(datetime.date(2026, 7, 1)))
    assert submitted.status == ApplicationStatus.SUBMITTED
