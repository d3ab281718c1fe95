"""Each page with an allowed user, a user of the same role outside the scope and an anonymous visitor."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pacte.grants import services
from pacte.grants.enums import ApplicationStatus, CallStatus
from pacte.grants.models import Application, CallForProjects, GrantAgreement, GrantReport, Payment
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, luhn_complete, select
from tests.helpers import count_queries, keep_menu_count
from tests.programme.factories import AxisFactory


def status(client, user, url, method="get", data=None):
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    client.logout()
    return response.status_code


# --- Public pages ----------------------------------------------------------------------------------------------


def test_published_calls_are_public_and_drafts_are_not(
    client, call, region, commissioner, other_commissioner
):
    draft = CallFactory(region=region, draft=True, title="Brouillon interne")
    listing = client.get(reverse("grants:index")).content.decode()
    assert call.title in listing and "Brouillon interne" not in listing
    assert status(client, None, call.get_absolute_url()) == 200
    assert status(client, None, draft.get_absolute_url()) == 302  # asked to sign in
    assert status(client, other_commissioner, draft.get_absolute_url()) == 404
    assert status(client, commissioner, draft.get_absolute_url()) == 200
    client.force_login(commissioner)
    assert "Brouillon interne" in client.get(reverse("grants:index")).content.decode()


@pytest.mark.parametrize("name", ["grants:consolidation", "grants:opendata", "grants:opendata_csv"])
def test_consolidation_and_open_data_are_public(client, name, agreement):
    assert client.get(reverse(name)).status_code == 200


def test_the_consolidation_details_are_for_state_services_of_the_scope(
    client, agreement, commissioner, other_commissioner, member
):
    url = reverse("grants:consolidation")
    client.force_login(commissioner)
    assert agreement.number in client.get(url).content.decode()
    client.force_login(other_commissioner)
    assert agreement.number not in client.get(url).content.decode()
    client.force_login(member)
    assert "Conventions suivies" not in client.get(url).content.decode()
    export = reverse("grants:consolidation_export", args=["conventions", "csv"])
    assert status(client, member, export) == 403
    assert status(client, None, export) == 403
    assert status(client, commissioner, export) == 200
    assert status(client, None, reverse("grants:consolidation_export", args=["annees", "xlsx"])) == 200
    assert status(client, None, reverse("grants:consolidation_export", args=["autre", "csv"])) == 404


# --- Calls -------------------------------------------------------------------------------------------------------


def call_form(**overrides):
    now = timezone.localtime()
    data = {
        "title": "AAP 2027",
        "description": "Présentation",
        "eligibility": "Associations",
        "total_budget": "200 000",
        "max_amount_per_year": "20 000",
        "first_year": "2027",
        "max_years": "2",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "deadline": (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "funder_siret": luhn_complete("1300000030001"),
        "criterion_0_label": "Pertinence",
        "criterion_0_weight": "2",
        "criterion_0_max_score": "5",
    }
    data.update(overrides)
    return data


def test_only_a_commissioner_creates_a_call(client, commissioner, member):
    url = reverse("grants:call_create")
    assert status(client, None, url) == 302
    assert status(client, member, url) == 403
    client.force_login(commissioner)
    response = client.post(url, call_form())
    call = CallForProjects.objects.get(title="AAP 2027")
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.total_budget == Decimal("200000") and call.criteria.get().weight == 2


def test_a_bad_call_form_names_the_field_and_saves_nothing(client, commissioner):
    client.force_login(commissioner)
    response = client.post(reverse("grants:call_create"), call_form(max_amount_per_year="900 000"))
    assert response.status_code == 200
    assert (
        "Le montant maximal par projet ne peut pas dépasser l&#x27;enveloppe totale."
        in response.content.decode()
    )
    assert not CallForProjects.objects.exists()


def test_managing_a_call_is_for_its_commissioner(client, call, commissioner, other_commissioner):
    for name in ("grants:call_edit", "grants:call_reviewers"):
        url = reverse(name, args=[call.pk])
        assert status(client, None, url) == 302
        assert status(client, other_commissioner, url) == 403
        assert status(client, commissioner, url) == 200
    close = reverse("grants:call_close", args=[call.pk])
    assert status(client, other_commissioner, close, "post") == 403
    assert status(client, commissioner, close, "post") == 302
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED


def test_the_commissioner_assigns_a_reviewer(client, call, commissioner, loire_atlantique):
    reviewer = UserFactory(ddets=True, territory=loire_atlantique)
    client.force_login(commissioner)
    response = client.post(reverse("grants:call_reviewers", args=[call.pk]), {"reviewer": reviewer.pk})
    assert response.status_code == 302 and call.assignments.get().reviewer == reviewer


def test_a_stale_call_edit_is_refused(client, call, commissioner):
    client.force_login(commissioner)
    data = call_form(lock_version=call.lock_version, first_year="2025", max_years="2")
    assert client.post(reverse("grants:call_edit", args=[call.pk]), data).status_code == 302
    response = client.post(reverse("grants:call_edit", args=[call.pk]), {**data, "title": "Autre"})
    assert "modifiées par quelqu’un d’autre" in response.content.decode()


STALE = "Ces informations ont été modifiées par quelqu’un d’autre depuis que vous les avez ouvertes."


def test_an_edit_without_the_version_it_read_is_refused(client, call, commissioner):
    client.force_login(commissioner)
    data = call_form(first_year="2025", max_years="2", title="Sans version")
    response = client.post(reverse("grants:call_edit", args=[call.pk]), data)
    assert response.status_code == 200 and "Rien n’a été enregistré" in response.content.decode()
    call.refresh_from_db()
    assert call.title == "Appel à projets 2025"


def test_a_stale_candidature_edit_is_refused(client, call, member, loire_atlantique):
    draft = ApplicationFactory(
        call=call, organisation=member.organisation, territory=loire_atlantique, draft=True
    )
    url = reverse("grants:application_edit", args=[draft.pk])
    client.force_login(member)
    data = application_form(call, loire_atlantique, lock_version=draft.lock_version)
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "project_title": "Autre titre"})
    assert response.status_code == 200 and STALE in response.content.decode()
    draft.refresh_from_db()
    assert draft.project_title == "Maraude solidaire"


def test_a_stale_evaluation_is_refused(client, application, reviewer, commissioner):
    services.close_call(application.call, commissioner)
    criteria = list(application.call.criteria.all())
    review = services.save_review(
        Application.objects.get(pk=application.pk), reviewer, scores={criteria[0].pk: services.ScoreRow(1)}
    )
    url = reverse("grants:review", args=[application.pk])
    client.force_login(reviewer)
    data = {f"score_{criteria[0].pk}": "2", "lock_version": review.lock_version, "action": "enregistrer"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, f"score_{criteria[0].pk}": "3"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert review.scores.get(criterion=criteria[0]).score == 2


def test_a_stale_report_edit_is_refused(client, agreement, member):
    url = reverse("grants:report", args=[agreement.pk, 2025])
    client.force_login(member)
    assert client.get(url).status_code == 200
    data = {"lock_version": GrantReport.objects.get().lock_version, "narrative": "Premier bilan"}
    assert client.post(url, {**data, "action": "enregistrer"}).status_code == 302
    response = client.post(url, {**data, "narrative": "Autre bilan", "action": "enregistrer"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert GrantReport.objects.get().narrative == "Premier bilan"


# --- Candidatures ---------------------------------------------------------------------------------------------


def application_form(call, territory, **overrides):
    data = {
        "project_title": "Maraude solidaire",
        "summary": "Aller vers les personnes à la rue.",
        "axis": str(call_axis(call)),
        "territory": str(territory.pk),
        "total_cost": "60 000",
        "contact_name": "Jeanne",
        "contact_email": "jeanne@example.org",
        "amount_2025": "20 000",
        "cofunding_0_funder": "Ville",
        "cofunding_0_amount": "5 000",
        "cofunding_0_status": "acquis",
        "indicator_0_label": "Personnes rencontrées",
        "indicator_0_unit": "personnes",
        "indicator_0_target": "300",
    }
    data.update(overrides)
    return data


def call_axis(call):
    return AxisFactory(number=3).pk


def test_an_association_applies_and_a_malformed_amount_is_named(client, call, member, loire_atlantique):
    url = reverse("grants:apply", args=[call.pk])
    assert status(client, None, url) == 302
    client.force_login(member)
    response = client.post(url, application_form(call, loire_atlantique, amount_2025="40 000"))
    assert response.status_code == 200
    assert "2025 : le montant demandé (40\u202f000\u202f€) dépasse le plafond" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(
        url, application_form(call, loire_atlantique, siret=luhn_complete(member.organisation.siren + "0001"))
    )
    application = Application.objects.get()
    assert response["Location"] == application.get_absolute_url()
    response = client.post(reverse("grants:application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_commissioner_cannot_apply(client, call, commissioner):
    assert status(client, commissioner, reverse("grants:apply", args=[call.pk])) == 403


def test_applying_after_the_deadline_shows_the_reason(client, region, member):
    call = CallFactory(region=region, expired=True)
    client.force_login(member)
    response = client.get(reverse("grants:apply", args=[call.pk]), follow=True)
    assert "la candidature ne peut plus être déposée" in response.content.decode()


def test_a_candidature_is_seen_by_its_association_and_the_instruction_side_only(
    client, application, member, other_member, commissioner, other_commissioner, reviewer
):
    url = application.get_absolute_url()
    assert status(client, member, url) == 200
    assert status(client, commissioner, url) == 200
    assert status(client, reviewer, url) == 200
    assert status(client, other_member, url) == 404
    assert status(client, other_commissioner, url) == 404
    assert status(client, None, url) == 302
    history = reverse("grants:application_history", args=[application.pk])
    assert status(client, member, history) == 200
    assert status(client, other_member, history) == 404
    assert status(client, None, history) == 302
    client.force_login(member)
    listing = client.get(reverse("grants:applications")).content.decode()
    assert application.project_title in listing
    client.force_login(other_member)
    assert application.project_title not in client.get(reverse("grants:applications")).content.decode()


def test_a_draft_is_hidden_from_the_instruction_side(client, call, member, commissioner, loire_atlantique):
    draft = ApplicationFactory(
        call=call, organisation=member.organisation, territory=loire_atlantique, draft=True
    )
    assert status(client, commissioner, draft.get_absolute_url()) == 404
    edit = reverse("grants:application_edit", args=[draft.pk])
    assert status(client, member, edit) == 200
    assert status(client, commissioner, edit) == 404


def test_a_selected_project_is_public(client, agreement, other_member):
    url = agreement.application.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Projet solide" in page and "Cofinancements" not in page
    assert status(client, other_member, url) == 200
    assert status(client, None, agreement.get_absolute_url()) == 200


# --- Evaluation and decision -----------------------------------------------------------------------------------


def test_reviewers_score_after_the_closure_and_see_others_after_their_own(
    client, application, reviewer, commissioner, other_commissioner, loire_atlantique
):
    call = application.call
    url = reverse("grants:review", args=[application.pk])
    assert status(client, reviewer, url) == 403  # call still open
    services.close_call(call, commissioner)
    second = UserFactory(ddets=True, territory=loire_atlantique)
    services.assign_reviewer(call, second)
    criteria = list(call.criteria.all())
    services.save_review(
        Application.objects.get(pk=application.pk),
        second,
        scores={c.pk: services.ScoreRow(c.max_score) for c in criteria},
        no_conflict_declared=True,
        submit=True,
    )
    client.force_login(reviewer)
    assert "Note moyenne" not in client.get(application.get_absolute_url()).content.decode()
    data = {f"score_{c.pk}": "2" for c in criteria} | {"no_conflict_declared": "on", "action": "soumettre"}
    assert client.post(url, data).status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Note moyenne pondérée" in page and "écart entre évaluateurs" in page
    assert status(client, other_commissioner, url) == 403
    assert status(client, None, url) == 302


def test_the_decision_is_the_commissioners(client, application, commissioner, other_commissioner):
    services.close_call(application.call, commissioner)
    url = reverse("grants:decide", args=[application.pk])
    assert status(client, None, url) == 302
    assert status(client, other_commissioner, url) == 404
    client.force_login(commissioner)
    data = {
        "decision": "retenir",
        "motivation": "Bon projet",
        "granted_2025": "50 000",
        "granted_2026": "10 000",
        "signed_on": "2025-02-01",
    }
    response = client.post(url, data)
    assert "dépasse le montant demandé" in response.content.decode()
    data["granted_2025"] = "15 000"
    assert client.post(url, data).status_code == 302
    assert GrantAgreement.objects.get().years.count() == 2


# --- Conventions -----------------------------------------------------------------------------------------------


def test_payments_and_reports_follow_the_rights(
    client, agreement, member, other_member, commissioner, other_commissioner
):
    pay = reverse("grants:payment_create", args=[agreement.pk])
    assert status(client, None, pay) == 302
    assert status(client, member, pay) == 403
    assert status(client, other_commissioner, pay) == 403
    client.force_login(commissioner)
    response = client.post(pay, {"year": "2026", "amount": "20 000", "paid_on": "2026-03-01"})
    assert "seule une avance de 50" in response.content.decode()  # the 2025 report is not validated
    assert client.post(pay, {"year": "2025", "amount": "1 000", "paid_on": "2025-03-01"}).status_code == 302
    assert Payment.objects.count() == 1
    report = reverse("grants:report", args=[agreement.pk, 2025])
    assert status(client, other_member, report) == 403
    assert status(client, None, report) == 302
    assert status(client, commissioner, report) == 404  # not opened yet: the association opens it
    indicator = agreement.application.indicators.get()
    client.force_login(member)
    assert client.get(report).status_code == 200  # the association opens it
    data = {
        "lock_version": GrantReport.objects.get().lock_version,
        "narrative": "Bilan",
        "amount_spent": "900",
        f"value_{indicator.pk}": "40",
        "action": "deposer",
    }
    assert client.post(report, data).status_code == 302
    assert GrantReport.objects.get().status == "depose"
    review = reverse("grants:report_review", args=[agreement.pk, 2025])
    assert status(client, member, review, "post", {"decision": "valider"}) == 403
    assert status(client, commissioner, review, "post", {"decision": "valider"}) == 302
    assert GrantReport.objects.get().status == "valide"


# --- Query counts -----------------------------------------------------------------------------------------------


def _decided_call(region, commissioner, territory, count):
    """A call with `count` candidatures, each scored by a reviewer and selected."""
    call = CallFactory(region=region, total_budget=Decimal("1000000"))
    reviewer = UserFactory(ddets=True, territory=territory)
    services.assign_reviewer(call, reviewer)
    applications = [
        ApplicationFactory(call=call, territory=territory, amounts={2025: "1000"}) for _ in range(count)
    ]
    services.close_call(call, commissioner)
    for application in applications:
        application = Application.objects.get(pk=application.pk)
        services.save_review(
            application,
            reviewer,
            scores={c.pk: services.ScoreRow(1) for c in call.criteria.all()},
            no_conflict_declared=True,
            submit=True,
        )
        select(application, commissioner)
    return call


def test_pages_run_the_same_number_of_queries_for_four_times_more_grants(
    client, region, commissioner, loire_atlantique
):
    client.force_login(commissioner)
    keep_menu_count(commissioner)
    pages = [reverse(name) for name in ("grants:consolidation", "grants:index", "grants:applications")]
    pages.append(reverse("grants:opendata_csv"))
    small = _decided_call(region, commissioner, loire_atlantique, 2)
    before = [count_queries(client, url) for url in pages] + [count_queries(client, small.get_absolute_url())]
    large = _decided_call(region, commissioner, loire_atlantique, 8)
    after = [count_queries(client, url) for url in pages] + [count_queries(client, large.get_absolute_url())]
    assert after == before
    assert GrantAgreement.objects.count() == 10
