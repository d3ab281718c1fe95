"""Rules of the execution of a signed convention: yearly reports, State credits and reallocations (services
only; the pages are tested in test_views_*.py; the mid-term evaluation in test_services_evaluation.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte import formatting
from pacte.contracts import services
from pacte.contracts.enums import Funder, IndicatorUnit
from pacte.contracts.models import (
    ActionIndicator,
    Credit,
    CreditReallocation,
    ExecutionReport,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.core.enums import ReportStatus
from pacte.core.locking import StaleEditError
from tests.accounts.factories import UserFactory
from tests.contracts.factories import TODAY, action_data, build_contract, campaigns, fill_report, notify
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture
def contract():
    return build_contract()


@pytest.fixture
def report(contract):
    return services.open_report(contract, 2024, today=TODAY)


# --- Opening a report ---------------------------------------------------------------------------------


def test_a_report_is_opened_on_the_convention_for_the_version_in_force(contract):
    campaigns(2024)
    report = services.open_report(contract, 2024, today=TODAY)
    assert report.contract == contract
    assert report.version == contract
    assert report.status == ReportStatus.DRAFT
    assert report.due_on == datetime.date(2025, 3, 31)


def test_a_report_opened_before_national_steering_sets_the_date_has_none_and_is_never_late(contract):
    report = services.open_report(contract, 2024, today=TODAY)
    assert report.due_on is None
    assert not report.is_late


@pytest.mark.parametrize("year", [2023, 2028])
def test_a_report_year_outside_the_period_is_refused(contract, year):
    with pytest.raises(ValidationError) as error:
        services.open_report(contract, year, today=datetime.date(2029, 1, 1))
    assert "hors de la période du contrat (2024-2027)" in error.value.message_dict["year"][0]
    assert not ExecutionReport.objects.exists()


def test_a_year_is_reported_from_the_first_of_january_after_it(contract):
    with pytest.raises(ValidationError) as error:
        services.open_report(contract, 2026, today=datetime.date(2026, 12, 31))
    assert error.value.message_dict["year"] == [
        "Le rapport 2026 s'ouvre le 1er janvier 2027, une fois l'année terminée."
    ]
    assert services.open_report(contract, 2026, today=datetime.date(2027, 1, 1)).year == 2026


def test_a_year_has_one_report(contract, report):
    with pytest.raises(ValidationError) as error:
        services.open_report(contract, 2024, today=TODAY)
    assert "existe déjà" in error.value.message_dict["year"][0]


def test_an_unsigned_contract_has_nothing_to_report():
    draft = build_contract(signed=False)
    with pytest.raises(ValidationError) as error:
        services.open_report(draft, 2024, today=TODAY)
    assert "n'est pas signé" in error.value.message_dict["contract"][0]


def test_a_report_opened_from_an_avenant_belongs_to_the_root_and_reports_the_version_in_force(contract):
    amendment = services.create_amendment(contract, None, reason="Nouvelle action")
    report = services.open_report(amendment, 2024, today=TODAY)
    assert report.contract == contract
    assert report.version == contract  # the avenant is not signed yet


# --- Saving a report ----------------------------------------------------------------------------------


def test_a_report_saves_values_spendings_and_assessment(report):
    fill_report(report)
    report.refresh_from_db()
    assert report.qualitative_assessment == "Une année de mise en route."
    assert ReportIndicatorValue.objects.get(report=report).value == Decimal("80")
    assert sorted(ReportSpending.objects.filter(report=report).values_list("funder", "amount")) == [
        (Funder.LOCAL, Decimal("45000")),
        (Funder.STATE, Decimal("40000")),
    ]


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (IndicatorUnit.PERSONS, "12.5", "n'est pas un nombre entier"),
        (IndicatorUnit.PERCENT, "120", "dépasse 100"),
        (IndicatorUnit.HOURS, "-3", "ne peut pas être négative"),
    ],
)
def test_an_indicator_value_of_the_wrong_unit_is_refused_naming_the_indicator(unit, value, message):
    contract = build_contract(actions=[action_data(unit=unit, target="50")])
    report = services.open_report(contract, 2024, today=TODAY)
    indicator = ActionIndicator.objects.get(action__contract=contract)
    with pytest.raises(ValidationError) as error:
        services.save_report(
            report, qualitative_assessment="Bilan", values={indicator.pk: Decimal(value)}, spendings=[]
        )
    assert message in error.value.message_dict[f"values.{indicator.pk}"][0]
    report.refresh_from_db()
    assert report.qualitative_assessment == ""
    assert not ReportIndicatorValue.objects.exists()


def test_a_negative_spending_is_refused_naming_the_row_and_nothing_is_saved(report):
    action = report.version.actions.get()
    indicator = ActionIndicator.objects.get(action=action)
    with pytest.raises(ValidationError) as error:
        services.save_report(
            report,
            qualitative_assessment="Bilan",
            values={indicator.pk: Decimal("10")},
            spendings=[
                services.SpendingRow(action_id=action.pk, funder=Funder.LOCAL, amount=Decimal("1000")),
                services.SpendingRow(action_id=action.pk, funder=Funder.STATE, amount=Decimal("-5")),
            ],
        )
    assert error.value.message_dict["spendings[1].amount"] == ["Un montant ne peut pas être négatif."]
    assert not ReportSpending.objects.exists()
    assert not ReportIndicatorValue.objects.exists()


def test_an_indicator_of_another_contract_is_refused(report):
    other = build_contract()
    foreign = ActionIndicator.objects.get(action__contract=other)
    with pytest.raises(ValidationError) as error:
        services.save_report(
            report, qualitative_assessment="", values={foreign.pk: Decimal("1")}, spendings=[]
        )
    assert "n'appartient pas à la version rapportée" in error.value.message_dict[f"values.{foreign.pk}"][0]


def test_a_blank_value_removes_the_realised_value(report):
    fill_report(report)
    indicator = ActionIndicator.objects.get(action__contract=report.version)
    services.save_report(report, qualitative_assessment="Bilan", values={indicator.pk: None}, spendings=[])
    assert not ReportIndicatorValue.objects.exists()


def test_a_second_save_from_the_same_read_is_refused(report):
    services.save_report(
        report, qualitative_assessment="Première version", values={}, spendings=[], expected_version=0
    )
    with pytest.raises(StaleEditError):
        services.save_report(
            report, qualitative_assessment="Seconde version", values={}, spendings=[], expected_version=0
        )
    report.refresh_from_db()
    assert report.qualitative_assessment == "Première version"


# --- Completeness and filing --------------------------------------------------------------------------


def test_an_empty_report_lists_everything_missing_naming_indicator_and_funders(report):
    problems = services.report_problems(report)
    messages = [message for messages in problems.values() for message in messages]
    assert "Fiche-action n°1 : indiquez la valeur réalisée de « Personnes accompagnées »." in messages
    assert "Fiche-action n°1 : indiquez le montant dépensé par État (même nul)." in messages
    assert "Fiche-action n°1 : indiquez le montant dépensé par Collectivité (même nul)." in messages
    assert "Rédigez le bilan qualitatif de l'année." in messages


def test_state_spending_above_the_collectivite_s_is_a_problem(contract, report):
    notify(contract, 2024, amount="100000")
    fill_report(report, state="60000", local="40000")
    problems = services.report_problems(report)
    action = report.version.actions.get()
    assert problems[f"spendings.{action.pk}.{Funder.STATE}"] == [
        f"Fiche-action n°1 : l'État aurait dépensé {formatting.euros(60000)} et la collectivité "
        f"{formatting.euros(40000)} : la part de l'État ne peut pas dépasser celle de la collectivité "
        "(cofinancement à parité)."
    ]
    fill_report(report, state="40000", local="40000")
    assert f"spendings.{action.pk}.{Funder.STATE}" not in services.report_problems(report)


def test_state_spending_above_the_notified_credits_is_a_problem(contract, report):
    notify(contract, 2024, amount="30000")
    fill_report(report, state="40000")
    assert "dépassent les crédits notifiés pour 2024" in services.report_problems(report)["spendings"][0]


def test_a_complete_report_has_no_problem_and_is_filed(contract, report):
    notify(contract, 2024)
    fill_report(report)
    assert services.report_problems(report) == {}
    user = UserFactory(departement_council=True, territory=contract.territory)
    filed = services.submit_report(report, user)
    assert filed.status == ReportStatus.SUBMITTED
    assert filed.submitted_by == user


def test_an_incomplete_report_is_not_filed(report):
    with pytest.raises(ValidationError) as error:
        services.submit_report(report, None)
    assert "qualitative_assessment" in error.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.submitted_at is None


def test_a_filed_report_can_no_longer_be_edited(contract, report):
    notify(contract, 2024)
    fill_report(report)
    services.submit_report(report, None)
    with pytest.raises(ValidationError) as error:
        services.save_report(report, qualitative_assessment="Changé", values={}, spendings=[])
    assert "ne peut plus être modifié" in error.value.message_dict["status"][0]


def test_a_report_filed_after_its_due_date_is_late_and_one_filed_in_time_is_not(contract, report):
    campaigns(2024, 2025)
    report.refresh_from_db()
    notify(contract, 2024)
    fill_report(report)
    services.submit_report(report, None, now=datetime.datetime(2025, 4, 2, 10, tzinfo=datetime.UTC))
    report.refresh_from_db()
    assert report.is_late
    on_time = services.open_report(contract, 2025, today=TODAY)
    notify(contract, 2025)
    fill_report(on_time)
    services.submit_report(on_time, None, now=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC))
    on_time.refresh_from_db()
    assert not on_time.is_late


# --- Review -------------------------------------------------------------------------------------------


@pytest.fixture
def filed(contract, report):
    notify(contract, 2024)
    fill_report(report)
    return services.submit_report(report, None)


def test_sending_a_report_back_needs_a_comment(filed):
    with pytest.raises(ValidationError) as error:
        services.review_report(filed, None, validate=False, comment="  ")
    assert "Expliquez ce qui doit être corrigé" in error.value.message_dict["review_comment"][0]
    filed.refresh_from_db()
    assert filed.status == ReportStatus.SUBMITTED


def test_a_report_sent_back_can_be_edited_again_and_shows_the_comment(filed):
    services.review_report(filed, None, validate=False, comment="Le bilan est trop court.")
    filed.refresh_from_db()
    assert filed.status == ReportStatus.SENT_BACK
    assert filed.review_comment == "Le bilan est trop court."
    assert filed.is_editable


def test_only_a_filed_report_is_reviewed(report):
    with pytest.raises(ValidationError) as error:
        services.review_report(report, None, validate=True)
    assert "Seul un rapport déposé" in error.value.message_dict["status"][0]


# --- Credits --------------------------------------------------------------------------------------------


def test_credits_of_a_year_are_recorded_on_the_convention(contract):
    credit = notify(contract, 2024, paid="20000")
    assert credit.contract == contract
    assert (credit.notified, credit.committed, credit.paid) == (
        Decimal("50000"),
        Decimal("50000"),
        Decimal("20000"),
    )


@pytest.mark.parametrize(
    ("amounts", "field", "message"),
    [
        (
            {"notified": "2000000", "committed": "0", "paid": "0"},
            "notified",
            "dépassent le plafond notifié de 2024",
        ),
        (
            {"notified": "100", "committed": "200", "paid": "0"},
            "committed",
            "ne peuvent pas dépasser les crédits notifiés",
        ),
        (
            {"notified": "100", "committed": "100", "paid": "150"},
            "paid",
            "ne peuvent pas dépasser les crédits engagés",
        ),
        (
            {"notified": "-1", "committed": "0", "paid": "0"},
            "notified",
            "Un montant ne peut pas être négatif.",
        ),
    ],
)
def test_credit_amounts_follow_their_order(contract, amounts, field, message):
    days = {f"{name}_on": datetime.date(2024, 5, 1) for name in amounts}
    with pytest.raises(ValidationError) as error:
        services.record_credit(contract, 2024, **{k: Decimal(v) for k, v in amounts.items()}, **days)
    assert message in error.value.message_dict[field][0]
    assert not Credit.objects.exists()


def test_a_credit_amount_needs_its_date(contract):
    with pytest.raises(ValidationError) as error:
        services.record_credit(
            contract, 2024, notified=Decimal("10"), committed=Decimal("0"), paid=Decimal("0")
        )
    assert error.value.message_dict["notified_on"] == ["Indiquez la date."]


def test_the_first_year_is_paid_without_any_report(contract):
    assert notify(contract, 2024, paid="50000").paid == Decimal("50000")


def test_a_convention_signed_in_2025_is_paid_from_2025_without_any_report():
    late = build_contract(signed_on=datetime.date(2025, 5, 20))
    assert notify(late, 2025, paid="50000").paid == Decimal("50000")
    with pytest.raises(ValidationError) as error:
        notify(late, 2026, paid="10000")
    assert error.value.message_dict["paid"] == [
        "Le versement des crédits 2026 suppose le rapport d'exécution 2025 validé."
    ]


def test_a_payment_of_year_n_needs_the_validated_report_of_year_n_minus_1(contract, filed):
    with pytest.raises(ValidationError) as error:
        notify(contract, 2025, paid="10000")
    assert error.value.message_dict["paid"] == [
        "Le versement des crédits 2025 suppose le rapport d'exécution 2024 validé."
    ]
    assert not Credit.objects.filter(year=2025).exists()
    notify(contract, 2025, paid="0")  # notifying and committing need no report
    services.review_report(filed, None, validate=True)
    credit = Credit.objects.get(year=2025)
    updated = services.record_credit(
        contract,
        2025,
        notified=Decimal("50000"),
        committed=Decimal("50000"),
        paid=Decimal("10000"),
        notified_on=datetime.date(2025, 2, 1),
        committed_on=datetime.date(2025, 3, 1),
        paid_on=datetime.date(2025, 6, 1),
        expected_version=credit.lock_version,
    )
    assert updated.paid == Decimal("10000")


def test_a_credit_edited_from_a_stale_read_is_refused(contract):
    credit = notify(contract, 2024)
    services.record_credit(
        contract,
        2024,
        notified=Decimal("60000"),
        committed=Decimal("0"),
        paid=Decimal("0"),
        notified_on=datetime.date(2024, 2, 1),
        expected_version=credit.lock_version,
    )
    with pytest.raises(StaleEditError):
        services.record_credit(
            contract,
            2024,
            notified=Decimal("70000"),
            committed=Decimal("0"),
            paid=Decimal("0"),
            notified_on=datetime.date(2024, 2, 1),
            expected_version=credit.lock_version,
        )
    assert Credit.objects.get().notified == Decimal("60000")


def test_credits_are_recorded_on_a_signed_contract_only():
    with pytest.raises(ValidationError) as error:
        notify(build_contract(signed=False), 2024)
    assert "contrat signé" in error.value.message_dict["contract"][0]


# --- Reallocations --------------------------------------------------------------------------------------


@pytest.fixture
def region():
    return RegionFactory()


@pytest.fixture
def neighbours(region):
    first = build_contract(DepartementFactory(parent=region))
    second = build_contract(DepartementFactory(parent=region))
    return first, second


def test_unspent_credits_move_to_another_convention_of_the_region(neighbours):
    first, second = neighbours
    commissioner = UserFactory(commissioner=True, territory=first.territory.region)
    reallocation = services.reallocate_credits(
        first, second, 2025, amount=Decimal("200000"), reason="Sous-consommation", user=commissioner
    )
    assert reallocation.decided_by == commissioner
    assert services.effective_ceiling(first, 2025) == Decimal("800000")
    assert services.effective_ceiling(second, 2025) == Decimal("1200000")
    assert services.effective_ceiling(second, 2024) == Decimal("1000000")


def test_credits_do_not_move_across_regions(neighbours):
    elsewhere = build_contract(DepartementFactory(parent=RegionFactory()))
    with pytest.raises(ValidationError) as error:
        services.reallocate_credits(
            neighbours[0],
            elsewhere,
            2025,
            amount=Decimal("1000"),
            reason="Motif",
            user=UserFactory(national=True),
        )
    assert error.value.message_dict["to_contract"] == [
        "Les crédits se réallouent entre contrats d'une même région."
    ]
    assert not CreditReallocation.objects.exists()


def test_only_uncommitted_credits_move(neighbours):
    first, second = neighbours
    services.record_credit(
        first,
        2025,
        notified=Decimal("900000"),
        committed=Decimal("900000"),
        paid=Decimal("0"),
        notified_on=datetime.date(2025, 2, 1),
        committed_on=datetime.date(2025, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.reallocate_credits(
            first, second, 2025, amount=Decimal("100000.01"), reason="Motif", user=UserFactory(national=True)
        )
    assert "100\u202f000\u202f€ de crédits 2025 ne sont pas engagés" in error.value.message_dict["amount"][0]


@pytest.mark.parametrize(
    ("amount", "reason", "field"),
    [("0", "Motif", "amount"), ("-10", "Motif", "amount"), ("10", " ", "reason")],
)
def test_a_reallocation_needs_a_positive_amount_and_a_reason(neighbours, amount, reason, field):
    with pytest.raises(ValidationError) as error:
        services.reallocate_credits(
            *neighbours, 2025, amount=Decimal(amount), reason=reason, user=UserFactory(national=True)
        )
    assert field in error.value.message_dict


def test_credits_do_not_move_to_the_same_convention(neighbours):
    with pytest.raises(ValidationError) as error:
        services.reallocate_credits(
            neighbours[0],
            neighbours[0],
            2025,
            amount=Decimal("10"),
            reason="Motif",
            user=UserFactory(national=True),
        )
    assert "autre contrat" in error.value.message_dict["to_contract"][0]


def test_notified_credits_may_use_credits_reallocated_to_the_convention(neighbours):
    first, second = neighbours
    services.reallocate_credits(
        first, second, 2024, amount=Decimal("100000"), reason="Motif", user=UserFactory(national=True)
    )
    assert notify(second, 2024, amount="1100000").notified == Decimal("1100000")
    with pytest.raises(ValidationError):
        notify(first, 2024, amount="950000")
