"""Consolidation of the contracts (service, pages, exports) on known figures.

The `known` fixture builds, through the services: in région Alpha the Rhône (a département) and the
Métropole Alpha inside it, plus a draft for the Isère; in région Bêta the Bouches-du-Rhône, whose
contract was amended (only the signed avenant counts) and keeps an axis-2 action from before the kinds of
convention (copied as it is, as an avenant copies). The reports of 2024 and 2025 are due by 31 March of the
following year (the campaigns national steering set). Yearly amounts (2024 to 2027, the same each year):

    Rhône         one action, axis 1, measures "local" and "new":  État 10 000, collectivité 20 000, CAF 5 000
    Lyon          four actions, one per axis (axis 2 on "new2"):   État 1 000, collectivité 1 000 each
    B.-du-Rhône   avenant: one action, axis 2, measure "new2":     État 20 000, collectivité 40 000
    Isère (draft) one action, axis 1:                              État 99 000, collectivité 99 000 (ignored)
"""

import csv
import datetime
import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks import synthetic_contracts as synthetic
from pacte.contracts import budgets, compliance, consolidation, consolidation_exports, kinds, services
from pacte.contracts.enums import ContractKind, ContractStatus, FranceTravailVolet, Funder
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    ExecutionReport,
    NotifiedAllocation,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.services import actions as action_services
from pacte.contracts.services import execution as execution_services
from pacte.core.enums import ReportStatus
from pacte.programme.enums import TargetScope
from pacte.programme.models import Axis, Measure
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract, france_travail_action_data
from tests.helpers import page
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

TODAY = datetime.date(2026, 5, 1)
D = Decimal


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _sign(contract: Contract, signed_on: datetime.date = datetime.date(2024, 6, 1)) -> Contract:
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    services.validate_contract(contract, None, side="state")
    services.validate_contract(contract, None, side="local")
    return services.sign_contract(
        contract,
        None,
        signed_on=signed_on,
        state_signatory="Le préfet",
        local_signatory="La présidente",
    )


def _report(root, version, year, *, submitted_on=None, status=ReportStatus.VALIDATED, hour=10):
    return ExecutionReport.objects.create(
        contract=root,
        version=version,
        year=year,
        due_on=datetime.date(year + 1, 3, 31),
        status=status,
        submitted_at=_at(submitted_on, hour) if submitted_on else None,
    )


def _spend(report, action, **amounts):
    for funder, amount in amounts.items():
        name = "CAF" if funder == "autre" else ""
        ReportSpending.objects.create(
            report=report, action=action, funder=funder, funder_name=name, amount=D(amount)
        )


class Known:
    """The territories, référentiel and contracts of the `known` fixture."""


@pytest.fixture
def known():
    k = Known()
    k.alpha = RegionFactory(code="84", name="Région Alpha")
    k.beta = RegionFactory(code="93", name="Région Bêta")
    k.rhone = DepartementFactory(code="69", name="Rhône", parent=k.alpha)
    k.isere = DepartementFactory(code="38", name="Isère", parent=k.alpha)
    k.lyon = EpciFactory(metropole=True, code="200000001", name="Métropole Alpha", parent=k.rhone)
    k.bdr = DepartementFactory(code="13", name="Bouches-du-Rhône", parent=k.beta)
    for year in (2024, 2025):
        execution_services.set_report_campaign(year, datetime.date(year + 1, 3, 31), None)
    k.axes = [AxisFactory(number=number) for number in range(1, 5)]
    axis1, axis2 = k.axes[0], k.axes[1]
    k.local = MeasureFactory(axis=axis1, local_contract=True, code="a1-c1", title="Mesure locale")
    k.new = MeasureFactory(axis=axis1, code="a1-n1", title="Mesure nouvelle")
    k.new2 = MeasureFactory(axis=axis2, code="a2-n1", title="Mesure nouvelle axe 2")
    k.reform = MeasureFactory(axis=axis2, reform=True, code="a2-r1", title="Réforme")
    k.dated = TargetFactory(
        measure=k.new, code="dated", target_year=2026, target_value=D("1000"), unit="places"
    )
    k.undated = TargetFactory(
        measure=k.local, code="undated", target_year=None, target_value=D("500"), unit="personnes"
    )
    k.ratio = TargetFactory(measure=k.new, code="ratio", unit="%", target_value=D("100"), target_year=2027)
    k.per_departement = TargetFactory(
        measure=k.local,
        code="per-departement",
        scope=TargetScope.DEPARTEMENT,
        target_value=D("2"),
        unit="maisons",
    )
    TargetFactory(regional=True, code="regional")
    TargetFactory(measure=k.new, reference=True, code="reference")

    k.rhone_contract = build_contract(
        k.rhone,
        actions=[
            action_data(
                axis1,
                title="Cantines à 1 euro",
                state="10000",
                local="20000",
                other="5000",
                target="100",
                unit="places",
                national_target=k.dated,
                measures=[k.local, k.new],
            )
        ],
    )
    k.lyon_contract = build_contract(
        k.lyon,
        actions=[
            action_data(
                axis1,
                title="Lyon axe 1",
                state="1000",
                local="1000",
                target="50",
                unit="places",
                national_target=k.dated,
            ),
            action_data(axis2, title="Lyon axe 2", state="1000", local="1000", measures=[k.new2]),
            action_data(k.axes[2], title="Lyon axe 3", state="1000", local="1000"),
            action_data(k.axes[3], title="Lyon axe 4", state="1000", local="1000"),
        ],
    )
    k.bdr_initial = build_contract(k.bdr, actions=[], signed=False)
    action_services.copy_action(
        k.bdr_initial,
        action_data(
            axis2,
            title="Emploi",
            state="30000",
            local="30000",
            target="70",
            national_target=k.undated,
            measures=[k.new2],
        ),
    )
    k.bdr_initial = _sign(k.bdr_initial, datetime.date(2024, 1, 15))
    amendment = services.create_amendment(k.bdr_initial, None, reason="Nouveaux montants")
    services.save_action(
        amendment,
        action_data(
            axis2,
            title="Emploi",
            state="20000",
            local="40000",
            target="80",
            national_target=k.undated,
            measures=[k.new2],
        ),
        action=amendment.actions.get(number=1),
    )
    k.bdr_contract = _sign(amendment)
    k.isere_draft = build_contract(
        k.isere, actions=[action_data(axis1, state="99000", local="99000")], signed=False
    )

    services.record_credit(
        k.rhone_contract,
        2024,
        notified=D("10000"),
        committed=D("10000"),
        paid=D("8000"),
        notified_on=datetime.date(2024, 3, 1),
        committed_on=datetime.date(2024, 4, 1),
        paid_on=datetime.date(2024, 6, 1),
    )
    services.record_credit(
        k.bdr_contract,
        2024,
        notified=D("20000"),
        committed=D("20000"),
        paid=D("20000"),
        notified_on=datetime.date(2024, 3, 1),
        committed_on=datetime.date(2024, 4, 1),
        paid_on=datetime.date(2024, 6, 1),
    )

    rhone_action = k.rhone_contract.actions.get()
    rhone_indicator = rhone_action.indicators.get()
    report = _report(k.rhone_contract, k.rhone_contract, 2024, submitted_on=datetime.date(2025, 3, 15))
    _spend(report, rhone_action, etat="9000", collectivite="18000", autre="5000")
    ReportIndicatorValue.objects.create(report=report, indicator=rhone_indicator, value=D("90"))
    report = _report(
        k.rhone_contract,
        k.rhone_contract,
        2025,
        submitted_on=datetime.date(2026, 4, 10),
        status=ReportStatus.SUBMITTED,
    )
    _spend(report, rhone_action, etat="10000", collectivite="20000")
    ReportIndicatorValue.objects.create(report=report, indicator=rhone_indicator, value=D("95"))

    _report(k.lyon_contract, k.lyon_contract, 2025, status=ReportStatus.DRAFT)

    old_action, new_action = k.bdr_initial.actions.get(), k.bdr_contract.actions.get()
    report = _report(k.bdr_initial, k.bdr_initial, 2024, submitted_on=datetime.date(2025, 3, 31), hour=23)
    _spend(report, old_action, etat="30000", collectivite="30000")
    ReportIndicatorValue.objects.create(report=report, indicator=old_action.indicators.get(), value=D("60"))
    report = _report(k.bdr_initial, k.bdr_contract, 2025, submitted_on=datetime.date(2026, 3, 1))
    _spend(report, new_action, etat="20000", collectivite="40000")
    ReportIndicatorValue.objects.create(report=report, indicator=new_action.indicators.get(), value=D("75"))
    return k


def _names(contracts) -> list[str]:
    return [contract.territory.name for contract in contracts]


# --- Service ------------------------------------------------------------------------------------------


def test_only_the_signed_version_in_force_of_each_convention_counts(known):
    current = consolidation.current_versions()
    assert set(current) == {known.rhone_contract, known.lyon_contract, known.bdr_contract}
    known.bdr_initial.refresh_from_db()
    assert known.bdr_initial.status == ContractStatus.SUPERSEDED
    assert set(consolidation.current_versions(known.beta)) == {known.bdr_contract}


def test_the_latest_signed_amendment_wins_even_if_an_older_version_is_still_marked_signed(known):
    Contract.objects.filter(pk=known.bdr_initial.pk).update(status=ContractStatus.SIGNED)
    assert set(consolidation.current_versions(known.beta)) == {known.bdr_contract}
    assert consolidation.budget_by_axis(known.beta).total.total == 240000


def test_budgets_by_axis_add_up_every_signed_action_once(known):
    table = consolidation.budget_by_axis()
    by_axis = {row.axis.number: row for row in table.rows}
    assert [by_axis[number].years[2025].total for number in (1, 2, 3, 4)] == [37000, 62000, 2000, 2000]
    assert by_axis[1].years[2024] == budgets.Amounts(D("11000"), D("21000"), D("5000"))
    assert table.total == budgets.Amounts(D("136000"), D("256000"), D("20000"))
    assert table.total.total == 412000
    assert table.total.state_share == D("33.0")
    assert table.years[2027].total == 103000


def test_a_region_counts_only_its_contracts(known):
    table = consolidation.budget_by_axis(known.alpha)
    assert table.total.total == 140000 + 32000
    assert table.total.state == 40000 + 16000
    assert {row.axis.number: row.total.total for row in table.rows} == {1: 148000, 2: 8000, 3: 8000, 4: 8000}


def test_a_metropole_is_its_own_row_and_never_counted_in_its_departement(known):
    table = consolidation.contract_rows()
    rows = {row.territory.name: row for row in table.rows}
    assert list(rows) == ["Rhône", "Métropole Alpha", "Bouches-du-Rhône"]
    assert rows["Rhône"].budget == budgets.Amounts(D("40000"), D("80000"), D("20000"))
    assert rows["Rhône"].actions == 1
    assert rows["Métropole Alpha"].budget.total == 32000
    assert rows["Métropole Alpha"].actions == 4
    assert table.budget.total == 140000 + 32000 + 240000
    assert (table.departements, table.metropoles) == (2, 1)
    regions = {group.region.name: group.table for group in consolidation.region_rows(table)}
    assert regions["Région Alpha"].budget.total == 172000
    assert regions["Région Bêta"].budget.total == 240000
    assert consolidation.contract_rows(known.alpha).budget.total == 172000


def test_contract_rows_carry_credits_and_reported_spending_of_the_convention(known):
    rows = {row.territory.name: row for row in consolidation.contract_rows().rows}
    assert (rows["Rhône"].notified, rows["Rhône"].paid, rows["Rhône"].paid_rate) == (10000, 8000, D("80.0"))
    assert rows["Rhône"].spent == 32000 + 30000
    assert rows["Rhône"].reports_filed == 2
    assert (rows["Bouches-du-Rhône"].notified, rows["Bouches-du-Rhône"].spent) == (20000, 120000)
    assert (rows["Métropole Alpha"].notified, rows["Métropole Alpha"].reports_filed) == (0, 0)


def test_an_action_serving_two_measures_counts_under_each_and_measures_have_no_total(known):
    rows = {row.measure.code if row.measure else None: row for row in consolidation.budget_by_measure()}
    assert rows["a1-c1"].years[2024].total == 35000
    assert rows["a1-n1"].years[2024].total == 35000
    assert (rows["a2-n1"].years[2024].total, rows["a2-n1"].actions, rows["a2-n1"].contracts) == (62000, 2, 2)
    assert (rows[None].years[2024].total, rows[None].actions, rows[None].contracts) == (6000, 3, 1)
    assert rows["a2-n1"].total.state == 4 * 21000
    assert "a2-r1" not in rows


def test_execution_rates_compare_paid_with_notified_and_spent_with_budgeted(known):
    years = {row.year: row for row in consolidation.execution_by_year()}
    assert (years[2024].notified, years[2024].paid, years[2024].paid_rate) == (30000, 28000, D("93.3"))
    assert years[2024].spent == budgets.Amounts(D("39000"), D("48000"), D("5000"))
    assert years[2024].spending_rate == D("89.3")
    assert years[2025].spent.total == 90000
    assert years[2025].spending_rate == D("87.4")
    assert years[2026].paid_rate is None
    assert years[2026].spending_rate == 0


def test_reports_are_on_time_late_missing_or_pending(known):
    years = {row.year: row for row in consolidation.reports_by_year(today=TODAY)}
    assert _names(years[2024].on_time) == ["Rhône", "Bouches-du-Rhône"]
    assert _names(years[2024].missing) == ["Métropole Alpha"]
    assert _names(years[2025].on_time) == ["Bouches-du-Rhône"]
    assert _names(years[2025].late) == ["Rhône"]
    assert _names(years[2025].missing) == ["Métropole Alpha"]
    assert (len(years[2026].pending), years[2026].expected) == (3, 3)
    before_due = {row.year: row for row in consolidation.reports_by_year(today=datetime.date(2026, 3, 1))}
    assert _names(before_due[2025].pending) == ["Métropole Alpha"]
    assert before_due[2025].missing == []


def test_a_report_filed_late_in_the_evening_of_its_due_date_is_on_time(known):
    report = ExecutionReport.objects.get(contract=known.bdr_initial, year=2024)
    assert not report.is_late
    years = {row.year: row for row in consolidation.reports_by_year(known.beta, today=TODAY)}
    assert _names(years[2024].on_time) == ["Bouches-du-Rhône"]


def test_national_targets_add_territorial_commitments_and_latest_validated_realisations(known):
    rows = {row.target.code: row for row in consolidation.target_cascade()}
    assert set(rows) == {"dated", "undated", "ratio", "per-departement"}
    dated = rows["dated"]
    assert (dated.year, dated.committed, dated.contracts, dated.committed_rate) == (2026, 150, 2, D("15.0"))
    assert (dated.realised, dated.realising_contracts, dated.realised_rate) == (90, 1, D("9.0"))
    undated = rows["undated"]
    assert (undated.year, undated.committed, undated.contracts) == (2027, 80, 1)
    assert undated.realised == 75
    assert rows["ratio"].contracts == 0
    assert not rows["ratio"].is_additive


def test_realisations_add_up_one_report_year_at_a_time(known):
    # The Rhône's latest validated report on the dated target is 2024's (90); the Métropole Alpha's becomes
    # 2025's: a 2024 flow and a 2025 flow are never added together.
    report = ExecutionReport.objects.get(contract=known.lyon_contract, year=2025)
    report.indicator_values.all().delete()
    indicator = ActionIndicator.objects.get(action__contract=known.lyon_contract, national_target=known.dated)
    ReportIndicatorValue.objects.create(report=report, indicator=indicator, value=40)
    ExecutionReport.objects.filter(pk=report.pk).update(status=ReportStatus.VALIDATED)
    dated = {row.target.code: row for row in consolidation.target_cascade()}["dated"]
    assert dated.realised_by_year == {2024: (90, 1), 2025: (40, 1)}
    assert (dated.realised_year, dated.realised, dated.realising_contracts) == (2025, 40, 1)
    assert dated.realised_rate == D("4.0")


def test_a_realisation_validated_on_a_version_since_replaced_by_an_avenant_still_counts(known):
    # The Bouches-du-Rhône's latest validated report is then 2024's, filed on the initial version (60).
    ExecutionReport.objects.filter(contract=known.bdr_initial, year=2025).update(
        status=ReportStatus.SUBMITTED
    )
    rows = {row.target.code: row for row in consolidation.target_cascade()}
    assert (rows["undated"].realised, rows["undated"].realising_contracts) == (60, 1)
    assert rows["ratio"].committed_rate is None
    assert (rows["dated"].reference_value, rows["per-departement"].reference_value) == (1000, 4)
    in_alpha = {row.target.code: row for row in consolidation.target_cascade(known.alpha)}
    assert (in_alpha["dated"].committed, in_alpha["undated"].committed) == (150, None)
    assert in_alpha["per-departement"].reference_value == 2


def test_measures_list_the_territories_with_no_action_serving_them(known):
    gaps = {gap.measure.code: gap for gap in consolidation.measures_without_action()}
    assert set(gaps) == {"a1-c1", "a1-n1", "a2-n1"}
    assert _names(gaps["a1-c1"].missing) == ["Métropole Alpha", "Bouches-du-Rhône"]
    assert gaps["a1-c1"].served == 1
    # An axis-2 measure is not « missing » from a département's solidarités contract: it belongs to the France
    # Travail convention (the Bouches-du-Rhône's kept axis-2 action still serves it).
    assert _names(gaps["a2-n1"].missing) == [] and gaps["a2-n1"].served == 2
    in_alpha = {gap.measure.code: gap for gap in consolidation.measures_without_action(known.alpha)}
    assert _names(in_alpha["a2-n1"].missing) == []
    assert _names(in_alpha["a1-n1"].missing) == ["Métropole Alpha"]


def _france_travail_convention(known) -> Contract:
    """The Rhône's France Travail convention: one axis-2 action of the RSA volet, 2024 and 2025, financed by the
    State alone (no parity in the France Travail part)."""
    data = france_travail_action_data(known.axes[1])
    return build_contract(known.rhone, kind=ContractKind.FRANCE_TRAVAIL, actions=[data])


def test_the_envelopes_stay_apart_and_compare_with_the_national_amounts(known):
    _france_travail_convention(known)
    envelopes = {
        table.envelope: {row.year: row for row in table.years} for table in consolidation.budget_by_envelope()
    }
    solidarites, insertion, metropoles = (
        envelopes[name] for name in ("solidarites", "france_travail", "metropoles")
    )
    assert solidarites[2024].budget == budgets.Amounts(D("30000"), D("60000"), D("5000"))
    # Notified to the Rhône, the Bouches-du-Rhône and the Isère (whose convention is still a draft).
    assert solidarites[2024].notified == 3000000 and solidarites[2024].national.amount == 90000000
    assert solidarites[2025].national.amount is None  # non publié
    assert insertion[2024].budget == budgets.Amounts(D("5000"), D("0"), D("0"))
    assert insertion[2024].national.amount == 170000000 and insertion[2026].budget.total == 0
    assert insertion[2024].state_share_of_national == D("0.0")
    assert metropoles[2024].budget.state == 4000 and metropoles[2024].national.amount is None
    in_beta = {table.envelope: table for table in consolidation.budget_by_envelope(known.beta)}
    assert in_beta["france_travail"].total.total == 0 and in_beta["solidarites"].total.state == 80000


def test_a_departement_with_two_conventions_is_counted_once(known):
    _france_travail_convention(known)
    table = consolidation.contract_rows()
    assert len(table.rows) == 4 and (table.departements, table.metropoles) == (2, 1)


def test_the_national_page_shows_both_envelopes_of_the_departements(client, known):
    _france_travail_convention(known)
    content = page(client, reverse("contracts:consolidation"), UserFactory(national=True))
    assert "Enveloppe « Solidarités (départements) »" in content
    assert "Enveloppe « Insertion (réforme France Travail) »" in content
    assert (
        "90\u202f000\u202f000" in content and "170\u202f000\u202f000" in content and "non publié" in content
    )
    assert "Convention France Travail (insertion)" in content


def test_a_consolidation_scope_is_france_or_a_region(known):
    with pytest.raises(ValueError):
        consolidation.current_versions(known.rhone)


# --- Pages ------------------------------------------------------------------------------------------------


def test_national_steering_reads_the_national_page_with_french_figures_and_links(client, known):
    client.force_login(UserFactory(national=True))
    response = client.get(reverse("contracts:consolidation"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "412\u202f000" in content
    assert "33,0" in content
    assert "<caption>" in content and "fr-table" in content
    assert known.rhone_contract.get_absolute_url() in content
    assert known.bdr_contract.get_absolute_url() in content
    assert known.bdr_initial.get_absolute_url() not in content
    assert "Isère" not in content
    assert reverse("contracts:consolidation_region", args=["84"]) in content


def test_any_regional_commissioner_reads_the_national_page_with_a_link_to_its_region_only(client, known):
    client.force_login(UserFactory(commissioner=True, territory=known.beta))
    response = client.get(reverse("contracts:consolidation"))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("contracts:consolidation_region", args=["93"]) in content
    assert reverse("contracts:consolidation_region", args=["84"]) not in content


def test_a_ddets_may_not_read_the_national_page(client, known):
    client.force_login(UserFactory(ddets=True, territory=known.rhone))
    assert client.get(reverse("contracts:consolidation")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, known):
    for url in (
        reverse("contracts:consolidation"),
        reverse("contracts:consolidation_region", args=["84"]),
        reverse("contracts:consolidation_export", args=["france", "axes", "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_the_commissioner_of_a_region_reads_its_page(client, known):
    client.force_login(UserFactory(commissioner=True, territory=known.alpha))
    response = client.get(reverse("contracts:consolidation_region", args=["84"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Métropole Alpha" in content and "172\u202f000" in content
    assert "Bouches-du-Rhône" not in content


def test_the_commissioner_of_another_region_may_not_read_it(client, known):
    client.force_login(UserFactory(commissioner=True, territory=known.beta))
    assert client.get(reverse("contracts:consolidation_region", args=["84"])).status_code == 403
    assert (
        client.get(reverse("contracts:consolidation_export", args=["84", "axes", "csv"])).status_code == 403
    )


def test_a_ddets_reads_the_page_of_its_region_only(client, known):
    client.force_login(UserFactory(ddets=True, territory=known.rhone))
    assert client.get(reverse("contracts:consolidation_region", args=["84"])).status_code == 200
    assert client.get(reverse("contracts:consolidation_region", args=["93"])).status_code == 403


def test_an_unknown_region_is_not_found(client, known):
    client.force_login(UserFactory(national=True))
    response = client.get(reverse("contracts:consolidation_region", args=["france"]))
    assert response.status_code == 302 and response.url == reverse("contracts:consolidation")
    assert client.get(reverse("contracts:consolidation_region", args=["00"])).status_code == 404
    assert client.get(reverse("contracts:consolidation_region", args=["69"])).status_code == 404


# --- Exports ----------------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("table", list(consolidation_exports.EXPORT_TABLES))
def test_every_table_exports_as_csv_and_xlsx(client, known, table):
    client.force_login(UserFactory(national=True))
    response = client.get(reverse("contracts:consolidation_export", args=["france", table, "csv"]))
    assert response.status_code == 200
    rows = _csv(response)
    assert len(rows) > 1
    response = client.get(reverse("contracts:consolidation_export", args=["84", table, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == rows[0]


def test_the_contract_export_gives_exact_figures_with_french_columns(client, known):
    client.force_login(UserFactory(national=True))
    response = client.get(reverse("contracts:consolidation_export", args=["france", "contrats", "csv"]))
    header, *rows = _csv(response)
    assert header[:7] == [
        "Région",
        "Collectivité",
        "Code",
        "Type de collectivité",
        "Sorte de convention",
        "Version",
        "Fiches-actions",
    ]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    total = dict(zip(header, rows[-1], strict=True))
    assert by_name["Rhône"]["Total (€)"] == "140000"
    assert by_name["Métropole Alpha"]["Total (€)"] == "32000"
    assert by_name["Métropole Alpha"]["Type de collectivité"] == "Métropole"
    assert by_name["Rhône"]["Sorte de convention"] == "Contrat local des solidarités (département)"
    assert by_name["Bouches-du-Rhône"]["Version"] == "1"
    assert (total["Région"], total["Collectivité"]) == ("Total", "2 départements, 1 métropole")
    assert total["Total (€)"] == "412000"
    assert total["Part de l'État (%)"] == "33"


def test_the_reports_export_names_the_territories_without_report(client, known):
    client.force_login(UserFactory(commissioner=True, territory=known.alpha))
    response = client.get(reverse("contracts:consolidation_export", args=["84", "rapports", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert first["Année"] == 2024
    assert first["Territoires sans rapport"] == "Métropole Alpha (Contrat local des solidarités)"


def test_an_unknown_table_or_format_is_not_found(client, known):
    client.force_login(UserFactory(national=True))
    assert (
        client.get(reverse("contracts:consolidation_export", args=["france", "autre", "csv"])).status_code
        == 404
    )
    assert (
        client.get(reverse("contracts:consolidation_export", args=["france", "axes", "pdf"])).status_code
        == 404
    )
    assert (
        client.get(reverse("contracts:consolidation_export", args=["00", "axes", "csv"])).status_code == 404
    )


# --- Query counts -----------------------------------------------------------------------------------------


@pytest.fixture
def synthetic_world():
    """Two régions of four départements and a métropole each, and a small référentiel."""
    regions = [RegionFactory(code=code, name=f"Région {code}") for code in ("11", "24")]
    for index, region in enumerate(regions):
        for number in range(4):
            departement = DepartementFactory(code=f"{index * 4 + number + 1:02d}", parent=region)
        EpciFactory(metropole=True, code=f"24{index:07d}", parent=departement)
    for number in range(1, 5):
        axis = AxisFactory(number=number)
        for measure in (
            MeasureFactory(axis=axis, code=f"s{number}-local", local_contract=True),
            MeasureFactory(axis=axis, code=f"s{number}-new"),
        ):
            TargetFactory(measure=measure, code=f"{measure.code}-cible", target_year=2026)
    return regions


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_run_the_same_number_of_queries_for_five_times_more_contracts(
    client, synthetic_world, django_assert_max_num_queries
):
    client.force_login(UserFactory(national=True))
    national = reverse("contracts:consolidation")
    regional = reverse("contracts:consolidation_region", args=["11"])
    small = synthetic.generate(contracts_per_region=1, actions_per_contract=4, seed=1, today=TODAY)
    assert small.contracts == 2 and small.reports
    small_national, small_regional = _query_count(client, national), _query_count(client, regional)
    large = synthetic.generate(contracts_per_region=4, actions_per_contract=4, seed=2, today=TODAY)
    assert small.contracts + large.contracts == 10
    with django_assert_max_num_queries(small_national):
        response = client.get(national)
    assert response.content.decode().count("donnée fictive") >= 10
    with django_assert_max_num_queries(small_regional):
        client.get(regional)


def test_synthetic_contracts_are_signed_demo_data_that_respect_the_rules(synthetic_world):
    national = MeasureFactory(axis=Axis.objects.get(number=1), code="s1-national", national=True)
    TargetFactory(measure=national, code="s1-national-cible")
    rate = TargetFactory(measure=Measure.objects.get(code="s3-new"), code="s3-taux", unit="%")
    report = synthetic.generate(
        regions=1, contracts_per_region=None, actions_per_contract=6, france_travail=True, seed=3, today=TODAY
    )
    # Four départements (the fourth signs a single global convention, the others a solidarités contract and a
    # France Travail convention) and a métropole.
    assert report.contracts == 8
    contracts = Contract.objects.select_related("collectivite")
    assert Counter(contract.kind for contract in contracts) == {
        ContractKind.DEPARTEMENT: 3,
        ContractKind.FRANCE_TRAVAIL: 3,
        ContractKind.GLOBALE: 1,
        ContractKind.METROPOLE: 1,
    }
    assert all(contract.status == ContractStatus.SIGNED and contract.is_demo for contract in contracts)
    assert all(contract.collectivite.main_territory_id == contract.territory_id for contract in contracts)
    for contract in contracts:
        assert services.readiness_problems(contract) == {}  # the notified ceilings included
        axes = {action.axis.number for action in contract.actions.all()}
        assert axes == set(kinds.allowed_axes(contract.kind)), contract.kind
    # Nothing the compliance page would list: parity, axes and volets, measures, reinforcement, units.
    assert compliance.findings(compliance.Scope()) == []
    france_travail = Action.objects.filter(contract__kind=ContractKind.FRANCE_TRAVAIL)
    assert {action.volet for action in france_travail} == set(FranceTravailVolet.values)
    assert not BudgetLine.objects.filter(action__in=france_travail, funder=Funder.LOCAL).exists()
    assert not Action.objects.filter(measures=national).exists()
    assert not ActionIndicator.objects.filter(national_target=rate).exists()
    assert ActionIndicator.objects.filter(is_reinforcement=True).exists()
    allocations = NotifiedAllocation.objects.all()
    assert allocations.count() == report.allocations == 3 * 4 + 3 * 2 + 4 * 2 + 4
    assert all(allocation.is_demo for allocation in allocations)
    for report_ in ExecutionReport.objects.filter(status=ReportStatus.VALIDATED):
        assert report_.is_demo
    assert set(execution_services.campaign_due_dates()) == {2024, 2025}
    again = synthetic.generate(regions=1, contracts_per_region=None, seed=3, today=TODAY)
    assert again.contracts == 0


def test_synthetic_generation_needs_the_referentiel():
    RegionFactory()
    with pytest.raises(ValueError, match="référentiel"):
        synthetic.generate()
