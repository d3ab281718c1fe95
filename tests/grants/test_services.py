import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from django.utils import timezone

from pacte.core.enums import ReportStatus
from pacte.core.locking import StaleEditError
from pacte.grants import services
from pacte.grants.enums import ApplicationStatus, CallStatus, ReviewStatus
from pacte.grants.models import Application, CallForProjects, GrantAgreement, GrantReport, Payment, Review
from pacte.grants.services import calls as call_services
from tests.accounts.factories import UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    luhn_complete,
    select,
)
from tests.programme.factories import AxisFactory

D = Decimal
PARIS = ZoneInfo("Europe/Paris")


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


def call_data(**overrides) -> services.CallData:
    now = timezone.now()
    data = {
        "title": "Appel à projets 2026 – lutte contre la pauvreté",
        "description": "Soutenir les associations.",
        "eligibility": "Associations déclarées.",
        "total_budget": D("500000"),
        "max_amount_per_year": D("40000"),
        "first_year": 2026,
        "max_years": 3,
        "opens_at": now,
        "deadline": now + datetime.timedelta(days=30),
        "funder_siret": luhn_complete("1300000030001"),
        "criteria": [services.CriterionRow("Pertinence", 2, 5), services.CriterionRow("Partenariats", 1, 5)],
    }
    data.update(overrides)
    return services.CallData(**data)


def application_data(call, territory, **overrides) -> services.ApplicationData:
    data = {
        "project_title": "Épicerie solidaire itinérante",
        "summary": "Une épicerie qui va au-devant des familles isolées.",
        "axis_id": AxisFactory(number=4).pk,
        "territory_id": territory.pk,
        "total_cost": D("90000"),
        "contact_name": "Jeanne Martin",
        "contact_email": "jeanne@example.org",
        "amounts": {year: D("20000") for year in call.years},
        "cofundings": [services.CoFundingRow("Fondation de France", D("10000"), "acquis")],
        "indicators": [services.ProjectIndicatorRow("Familles servies", "ménages", D("120"))],
    }
    data.update(overrides)
    return services.ApplicationData(**data)


# --- Calls -----------------------------------------------------------------------------------------------


def test_a_commissioner_creates_a_draft_call_of_its_region_with_ordered_criteria(commissioner, region):
    call = services.create_call(commissioner, call_data())
    assert call.region == region and call.owner == commissioner.organisation
    assert call.status == CallStatus.DRAFT and call.reference == "AAP-52-2026"
    assert [c.label for c in call.criteria.all()] == ["Pertinence", "Partenariats"]
    assert services.create_call(commissioner, call_data()).reference == "AAP-52-2026-2"


def test_it_refuses_a_deadline_before_the_opening_and_a_ceiling_above_the_budget(commissioner):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.create_call(
            commissioner,
            call_data(
                deadline=now - datetime.timedelta(days=1), max_amount_per_year=D("600000"), max_years=5
            ),
        )
    messages = messages_of(error)
    assert messages["deadline"] == ["La date limite de dépôt doit suivre l'ouverture des candidatures."]
    assert messages["max_amount_per_year"] == [
        "Le montant maximal par projet ne peut pas dépasser l'enveloppe totale."
    ]
    assert messages["max_years"] == [
        "La durée maximale d'un projet va de 1 à 4 ans (durée des conventions pluriannuelles d'objectifs)."
    ]


def test_it_refuses_a_funder_siret_with_a_wrong_key(commissioner):
    with pytest.raises(ValidationError) as error:
        services.create_call(commissioner, call_data(funder_siret="13000000300010"))
    assert "clé de contrôle" in messages_of(error)["funder_siret"][0]


def test_publishing_needs_criteria_and_the_funder_siret(commissioner):
    call = services.create_call(commissioner, call_data(criteria=[], funder_siret=""))
    with pytest.raises(ValidationError) as error:
        services.publish_call(call, commissioner)
    assert set(messages_of(error)) == {"criteria", "funder_siret"}
    call = services.create_call(commissioner, call_data())
    call = services.publish_call(call, commissioner)
    assert call.status == CallStatus.PUBLISHED and call.accepting


def test_a_passed_deadline_closes_the_call_before_anyone_records_it(call):
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    assert call.status == CallStatus.PUBLISHED
    assert call.current_status == CallStatus.CLOSED and not call.accepting and call.is_closed


def test_the_command_records_the_closure_and_puts_filed_candidatures_under_instruction(region):
    call = CallFactory(region=region, expired=True)
    filed = ApplicationFactory(call=call)
    draft = ApplicationFactory(call=call, draft=True)
    open_call = CallFactory(region=region)
    assert services.close_expired_calls() == 1
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and call.closed_at
    assert Application.objects.get(pk=filed.pk).status == ApplicationStatus.UNDER_REVIEW
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.DRAFT
    open_call.refresh_from_db()
    assert open_call.status == CallStatus.PUBLISHED


def test_closing_early_moves_the_deadline_to_now(call, commissioner):
    before = timezone.now()
    services.close_call(call, commissioner)
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and before <= call.deadline <= timezone.now()


def test_the_criteria_freeze_once_an_evaluation_has_scores(call, commissioner, loire_atlantique):
    application = ApplicationFactory(call=call, territory=loire_atlantique)
    services.close_call(call, commissioner)
    services.assign_reviewer(call, commissioner)
    criterion = call.criteria.first()
    services.save_review(application, commissioner, scores={criterion.pk: services.ScoreRow(3)})
    with pytest.raises(ValidationError) as error:
        call_services._write_criteria(call, [services.CriterionRow("Autre critère")])
    assert "ne peuvent plus changer" in messages_of(error)["criteria"][0]


# --- Candidatures -----------------------------------------------------------------------------------------


def test_an_association_saves_then_files_its_candidature(call, member, loire_atlantique):
    application = services.save_application(call, member, application_data(call, loire_atlantique))
    assert application.status == ApplicationStatus.DRAFT and application.number == 1
    assert application.reference == "AAP-52-2025-001"
    with pytest.raises(ValidationError) as error:
        services.submit_application(application, member)
    assert "SIRET" in messages_of(error)["siret"][0]
    siret = luhn_complete(member.organisation.siren + "0001")
    data = application_data(call, loire_atlantique, siret=siret)
    application = services.save_application(
        call, member, data, application=application, expected_version=application.lock_version
    )
    application = services.submit_application(application, member)
    assert application.status == ApplicationStatus.SUBMITTED and application.submitted_by == member
    assert application.requested_total == D("40000")


def test_the_deadline_refuses_a_candidature_with_a_clear_message(member, loire_atlantique, region):
    call = CallFactory(
        region=region,
        expired=True,
        deadline=datetime.datetime(2025, 3, 15, 12, tzinfo=PARIS),
        opens_at=datetime.datetime(2025, 1, 15, 9, tzinfo=PARIS),
    )
    with pytest.raises(ValidationError) as error:
        services.save_application(call, member, application_data(call, loire_atlantique))
    [message] = messages_of(error)["call"]
    assert message == (
        "L'appel à projets est clos depuis le 15 mars 2025 à 12\u00a0h : la candidature ne peut plus être déposée."
    )
    draft = ApplicationFactory(call=call, draft=True, organisation=member.organisation)
    with pytest.raises(ValidationError) as error:
        services.submit_application(draft, member)
    assert messages_of(error)["call"] == [message]


def test_a_draft_call_and_a_call_not_yet_open_accept_nothing(member, loire_atlantique, region):
    draft = CallFactory(region=region, draft=True)
    later = CallFactory(region=region, opens_at=timezone.now() + datetime.timedelta(days=2))
    for call, words in ((draft, "n'est pas publié"), (later, "ouvre aux candidatures le")):
        with pytest.raises(ValidationError) as error:
            services.save_application(call, member, application_data(call, loire_atlantique))
        assert words in messages_of(error)["call"][0]


def test_an_association_without_siren_or_rna_is_refused(call, loire_atlantique):
    user = UserFactory(
        association=True, organisation=AssociationFactory(unidentified=True), territory=loire_atlantique
    )
    with pytest.raises(ValidationError) as error:
        services.save_application(call, user, application_data(call, loire_atlantique))
    assert "ni par un SIREN ni par un numéro RNA" in messages_of(error)["organisation"][0]


def test_a_malformed_rna_is_refused_as_accounts_does(call, loire_atlantique):
    user = UserFactory(
        association=True, organisation=AssociationFactory(siren="", rna="X123"), territory=loire_atlantique
    )
    with pytest.raises(ValidationError) as error:
        services.save_application(call, user, application_data(call, loire_atlantique))
    assert messages_of(error)["organisation"] == ["Le numéro RNA commence par W suivi de 9 chiffres."]


def test_an_association_known_by_its_rna_only_may_apply(call, loire_atlantique):
    user = UserFactory(
        association=True, organisation=AssociationFactory(rna_only=True), territory=loire_atlantique
    )
    data = application_data(call, loire_atlantique, siret=luhn_complete("3012345630001"))
    application = services.save_application(call, user, data)
    assert services.submit_application(application, user).status == ApplicationStatus.SUBMITTED


def test_each_bad_field_of_a_candidature_is_named(call, member, loire_atlantique, finistere):
    data = application_data(
        call,
        finistere,
        amounts={2025: D("35000"), 2030: D("1000")},
        siret="12345678901234",
        cofundings=[services.CoFundingRow("", D("0"))],
        indicators=[services.ProjectIndicatorRow("", "", D("-1"))],
        contact_email="pas-une-adresse",
    )
    with pytest.raises(ValidationError) as error:
        services.save_application(call, member, data)
    messages = messages_of(error)
    assert messages["amounts.2025"] == [
        "2025 : le montant demandé (35\u202f000\u202f€) dépasse le plafond de l'appel à projets "
        "(30\u202f000\u202f€ par projet et par an)."
    ]
    assert messages["amounts.2030"] == ["L'appel à projets finance les années 2025 à 2026."]
    assert messages["territory"] == ["Le territoire d'action doit se trouver en Pays de la Loire."]
    assert "siret" in messages and "contact_email" in messages
    assert messages["cofundings[0].funder"] == ["Cofinancement n°1 : nommez le cofinanceur."]
    assert messages["indicators[0].target"] == ["Indicateur n°1 : la cible doit être positive ou nulle."]
    assert not Application.objects.exists()


def test_a_stale_edit_of_a_candidature_is_refused(call, member, loire_atlantique):
    application = services.save_application(call, member, application_data(call, loire_atlantique))
    version = application.lock_version
    services.save_application(
        call,
        member,
        application_data(call, loire_atlantique),
        application=application,
        expected_version=version,
    )
    with pytest.raises(StaleEditError):
        services.save_application(
            call,
            member,
            application_data(call, loire_atlantique, project_title="Autre titre"),
            application=application,
            expected_version=version,
        )
    assert Application.objects.get().project_title == "Épicerie solidaire itinérante"


def test_a_candidature_may_be_withdrawn_until_the_decision(call, commissioner, loire_atlantique, member):
    application = ApplicationFactory(call=call, organisation=member.organisation, territory=loire_atlantique)
    other = ApplicationFactory(call=call, territory=loire_atlantique)
    assert services.withdraw_application(application, member).status == ApplicationStatus.WITHDRAWN
    services.close_call(call, commissioner)
    select(Application.objects.get(pk=other.pk), commissioner)
    with pytest.raises(ValidationError):
        services.withdraw_application(other, member)


# --- Evaluations ------------------------------------------------------------------------------------------


@pytest.fixture
def instructed(call, commissioner, loire_atlantique):
    """A closed call with one candidature under instruction and two assigned DDETS reviewers."""
    application = ApplicationFactory(call=call, territory=loire_atlantique)
    services.close_call(call, commissioner)
    reviewers = [UserFactory(ddets=True, territory=loire_atlantique) for _ in range(2)]
    for reviewer in reviewers:
        services.assign_reviewer(call, reviewer, by=commissioner)
    return Application.objects.get(pk=application.pk), reviewers


def scores_for(call, *marks):
    return {c.pk: services.ScoreRow(mark, "") for c, mark in zip(call.criteria.all(), marks, strict=True)}


def test_two_reviewers_give_an_average_and_a_spread(instructed, call):
    application, (first, second) = instructed
    services.save_review(
        application, first, scores=scores_for(call, 5, 10), no_conflict_declared=True, submit=True
    )
    summary = services.review_summary(application)
    assert summary.count == 1 and summary.average == D("20.00") and summary.spread is None
    services.save_review(
        application, second, scores=scores_for(call, 2, 4), no_conflict_declared=True, submit=True
    )
    summary = services.review_summary(Application.objects.get(pk=application.pk))
    # second: (2 × 2/5 + 1 × 4/10) / 3 × 20 = 8 ; average (20 + 8) / 2 = 14 ; spread 12
    assert summary.count == 2 and summary.average == D("14.00") and summary.spread == D("12.00")
    assert [row.average for row in summary.by_criterion] == [D("3.50"), D("7.00")]


def test_a_review_is_handed_in_only_complete_and_with_the_declaration(instructed, call):
    application, (reviewer, _second) = instructed
    first, second = call.criteria.all()
    with pytest.raises(ValidationError) as error:
        services.save_review(application, reviewer, scores={first.pk: services.ScoreRow(6)}, submit=True)
    messages = messages_of(error)
    assert messages[f"scores.{first.pk}"] == ["« Pertinence du projet » : la note va de 0 à 5."]
    assert messages[f"scores.{second.pk}"] == ["« Capacité à faire » : notez ce critère avant de soumettre."]
    assert "conflit d'intérêts" in messages["no_conflict_declared"][0]
    assert not Review.objects.exists()
    review = services.save_review(application, reviewer, scores={first.pk: services.ScoreRow(4)})
    assert review.status == ReviewStatus.DRAFT


def test_a_reviewer_may_not_score_its_own_organisation(call, commissioner, loire_atlantique, member):
    application = ApplicationFactory(call=call, organisation=member.organisation, territory=loire_atlantique)
    services.close_call(call, commissioner)
    services.assign_reviewer(call, member)
    with pytest.raises(ValidationError) as error:
        services.save_review(application, member, scores=scores_for(call, 1, 1))
    assert messages_of(error)["reviewer"][0].startswith("Conflit d'intérêts")


def test_only_assigned_reviewers_score_and_only_after_the_closure(call, commissioner, loire_atlantique):
    application = ApplicationFactory(call=call, territory=loire_atlantique)
    stranger = UserFactory(ddets=True, territory=loire_atlantique)
    with pytest.raises(ValidationError) as error:
        services.save_review(application, stranger, scores={})
    assert "pas désigné" in messages_of(error)["reviewer"][0]
    services.assign_reviewer(call, stranger)
    with pytest.raises(ValidationError) as error:
        services.save_review(application, stranger, scores={})
    assert "clôture" in messages_of(error)["status"][0]
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(call, stranger)
    assert "évalue déjà" in messages_of(error)["reviewer"][0]


# --- Decision, convention, payments, reports -----------------------------------------------------------------


def test_selection_creates_the_convention_with_its_yearly_amounts(instructed, commissioner, call):
    application, _ = instructed
    select(application, commissioner, {2025: "15000", 2026: "20000"}, decision_reference="ARR-2025-12")
    application.refresh_from_db()
    agreement = application.agreement
    assert application.status == ApplicationStatus.SELECTED and application.decided_by == commissioner
    assert agreement.number == f"CPO-52-2025-{application.number:03d}"
    assert [(y.year, y.amount) for y in agreement.years.all()] == [(2025, D("15000")), (2026, D("20000"))]
    assert (agreement.start_date, agreement.end_date) == (
        datetime.date(2025, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert agreement.payment_conditions == "échelonné"
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDED and call.decided_at


def test_a_grant_stays_within_the_request_the_ceiling_and_the_budget(call, commissioner, loire_atlantique):
    first = ApplicationFactory(call=call, territory=loire_atlantique, amounts={2025: "30000", 2026: "30000"})
    second = ApplicationFactory(call=call, territory=loire_atlantique, amounts={2025: "30000", 2026: "30000"})
    services.close_call(call, commissioner)
    with pytest.raises(ValidationError) as error:
        select(first, commissioner, {2025: "31000", 2026: "10000"})
    assert messages_of(error)["granted.2025"] == [
        "2025 : 31\u202f000\u202f€ dépasse le montant demandé (30\u202f000\u202f€)."
    ]
    select(first, commissioner, {2025: "30000", 2026: "30000"})
    CallForProjects.objects.filter(pk=call.pk).update(total_budget=D("100000"))
    with pytest.raises(ValidationError) as error:
        select(second, commissioner, {2025: "30000", 2026: "30000"})
    assert messages_of(error)["granted"] == [
        "L'enveloppe de l'appel à projets (100\u202f000\u202f€) serait dépassée : 60\u202f000\u202f€ déjà attribués, "
        "60\u202f000\u202f€ pour ce projet (reste 40\u202f000\u202f€)."
    ]
    assert GrantAgreement.objects.count() == 1
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.UNDER_REVIEW


def test_a_rejection_needs_a_motivation_and_creates_no_convention(instructed, commissioner):
    application, _ = instructed
    with pytest.raises(ValidationError) as error:
        services.decide_application(application, commissioner, selected=False, motivation=" ")
    assert "Motivez" in messages_of(error)["motivation"][0]
    services.decide_application(application, commissioner, selected=False, motivation="Hors du champ.")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.REJECTED
    assert not GrantAgreement.objects.exists()


def test_no_decision_before_the_closure(call, commissioner, loire_atlantique):
    application = ApplicationFactory(call=call, territory=loire_atlantique)
    with pytest.raises(ValidationError) as error:
        select(application, commissioner)
    assert messages_of(error)["status"] == ["La décision se prend une fois l'appel à projets clos."]


@pytest.fixture
def agreement(instructed, commissioner):
    application, _ = instructed
    select(application, commissioner, {2025: "15000", 2026: "20000"})
    return GrantAgreement.objects.get()


def test_payments_never_exceed_the_year_grant(agreement, commissioner):
    services.record_payment(
        agreement, commissioner, year=2025, amount=D("10000"), paid_on=datetime.date(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            agreement, commissioner, year=2025, amount=D("5000.01"), paid_on=datetime.date(2025, 9, 1)
        )
    assert messages_of(error)["amount"] == [
        "Le versement dépasserait la subvention 2025 (15\u202f000\u202f€) : 10\u202f000\u202f€ déjà versés, reste 5\u202f000\u202f€."
    ]
    with pytest.raises(ValidationError) as error:
        services.record_payment(
            agreement, commissioner, year=2025, amount=D("1"), paid_on=datetime.date(2025, 1, 1)
        )
    assert messages_of(error)["paid_on"] == [
        "Un versement ne peut pas précéder la date de la convention ou de l'arrêté."
    ]
    assert Payment.objects.count() == 1


def test_before_the_report_of_the_year_only_the_advance_of_the_next_year_is_paid(
    agreement, commissioner, member
):
    pay_2026 = {"year": 2026, "paid_on": datetime.date(2026, 3, 1)}
    with pytest.raises(ValidationError) as error:
        services.record_payment(agreement, commissioner, amount=D("10000.01"), **pay_2026)
    assert messages_of(error)["amount"] == [
        "Tant que le compte rendu 2025 n'est pas validé, seule une avance de 50\u202f% de la subvention 2026 peut "
        "être versée : 10\u202f000\u202f€ au plus, 0\u202f€ déjà versés (reste 10\u202f000\u202f€). Le solde suit la "
        "validation du compte rendu 2025."
    ]
    advance = services.record_payment(agreement, commissioner, amount=D("10000"), **pay_2026)
    assert advance.amount == D("10000")
    with pytest.raises(ValidationError) as error:
        services.record_payment(agreement, commissioner, amount=D("0.01"), **pay_2026)
    assert "10\u202f000\u202f€ déjà versés (reste 0\u202f€)" in messages_of(error)["amount"][0]
    report = services.open_report(agreement, 2025)
    with pytest.raises(ValidationError) as error:
        services.submit_report(report, member)
    assert set(messages_of(error)) == {"narrative", "amount_spent", "values"}
    indicator = agreement.application.indicators.get()
    services.save_report(
        report, narrative="Bilan de l'année.", amount_spent=D("14000"), values={indicator.pk: D("48")}
    )
    services.submit_report(report, member)
    with pytest.raises(ValidationError) as error:
        services.review_report(report, commissioner, validate=False)
    assert "Expliquez" in messages_of(error)["review_comment"][0]
    services.review_report(report, commissioner, validate=False, comment="Joindre les justificatifs.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT_BACK and report.is_editable
    services.submit_report(report, member)
    services.review_report(report, commissioner, validate=True)
    balance = services.record_payment(agreement, commissioner, amount=D("10000"), **pay_2026)
    assert balance.amount == D("10000")
    assert sum(payment.amount for payment in agreement.payments.filter(year=2026)) == D("20000")


@override_settings(GRANTS_ADVANCE_SHARE="0.3")
def test_the_advance_share_is_a_setting(agreement, commissioner):
    pay_2026 = {"year": 2026, "paid_on": datetime.date(2026, 3, 1)}
    with pytest.raises(ValidationError) as error:
        services.record_payment(agreement, commissioner, amount=D("6000.01"), **pay_2026)
    assert "seule une avance de 30\u202f% de la subvention 2026" in messages_of(error)["amount"][0]
    assert services.record_payment(agreement, commissioner, amount=D("6000"), **pay_2026).amount == D("6000")


@override_settings(GRANTS_ADVANCE_SHARE="1,5")
def test_a_malformed_advance_share_stops_with_a_french_message(agreement, commissioner):
    with pytest.raises(
        ImproperlyConfigured, match=r"PACTE_GRANTS_ADVANCE_SHARE\) doit être un nombre de 0 à 1"
    ):
        services.record_payment(
            agreement, commissioner, year=2026, amount=D("1"), paid_on=datetime.date(2026, 3, 1)
        )


def test_a_report_only_for_a_year_of_the_convention(agreement):
    with pytest.raises(ValidationError) as error:
        services.open_report(agreement, 2027)
    assert messages_of(error)["year"] == ["La convention ne prévoit pas de subvention en 2027."]


# --- Audit history -------------------------------------------------------------------------------------------


def test_every_state_change_is_in_the_audit_history(call, commissioner, member, loire_atlantique):
    siret = luhn_complete(member.organisation.siren + "0001")
    application = services.save_application(
        call, member, application_data(call, loire_atlantique, siret=siret)
    )
    services.submit_application(application, member)
    services.close_call(call, commissioner)
    reviewer = UserFactory(ddets=True, territory=loire_atlantique)
    services.assign_reviewer(call, reviewer)
    review = services.save_review(application, reviewer, scores=scores_for(call, 4, 8))
    services.save_review(
        application,
        reviewer,
        scores=scores_for(call, 4, 9),
        no_conflict_declared=True,
        submit=True,
        expected_version=review.lock_version,
    )
    select(Application.objects.get(pk=application.pk), commissioner)
    agreement = GrantAgreement.objects.get()
    services.record_payment(
        agreement, commissioner, year=2025, amount=D("1000"), paid_on=datetime.date(2025, 3, 1)
    )
    report = services.open_report(agreement, 2025)
    services.save_report(report, narrative="Fait.", amount_spent=D("900"), values={})

    statuses = list(
        Application.history.filter(id=application.pk)
        .order_by("history_date")
        .values_list("status", flat=True)
    )
    assert statuses == ["brouillon", "deposee", "instruction", "retenue"]
    call_statuses = list(call.history.order_by("history_date").values_list("status", flat=True))
    assert call_statuses[-2:] == ["clos", "decide"]
    assert list(Review.history.order_by("history_date").values_list("status", flat=True)) == [
        "brouillon",
        "brouillon",
        "soumise",
    ]
    assert GrantAgreement.history.count() == 1 and Payment.history.count() == 1
    assert GrantReport.history.filter(year=2025).count() == 2
    assert all(record.history_type in "+~" for record in Application.history.all())
