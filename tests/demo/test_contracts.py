"""The contracts demo (pacte.demo.contracts, data/contracts.yaml) and the admin it is browsed in (pacte.contracts.admin).

Loading the demo runs every service thousands of times: the tests that need it load it once each and
check a whole story, rather than one assertion per load.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, Sum

from pacte.contracts import services
from pacte.contracts.enums import ContractStatus, EvaluationStatus, Funder, report_due_date
from pacte.contracts.models import (
    Action,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    LocalPact,
    MidTermEvaluation,
    PactPriority,
)
from pacte.core.enums import ReportStatus
from pacte.core.locking import StaleEditError
from pacte.demo.accounts import load_accounts_demo
from pacte.demo.common import DemoDataError
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.files import DATA_DIR
from pacte.programme.models import Axis
from pacte.programme.services import load_referentiel
from tests.accounts.factories import UserFactory
from tests.contracts.factories import build_contract
from tests.demo.factories import DEPARTEMENTS, NANTES_METROPOLE, TODAY
from tests.territories.factories import DepartementFactory


@pytest.fixture
def loaded(prerequisites):
    return load_contracts_demo(today=TODAY)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="alice", is_staff=True, is_superuser=True))
    return client


def _root(code: str) -> Contract:
    return Contract.objects.get(territory__code=code, amendment_number=0)


def _counts() -> dict[str, int]:
    """Rows of every contracts model, audit history tables included."""
    return {
        model._meta.label: model.objects.count() for model in apps.get_app_config("contracts").get_models()
    }


# --- Loading ---------------------------------------------------------------------------------------------


def test_the_demo_is_refused_outside_demo_mode(settings, pays_de_la_loire):
    load_referentiel(today=TODAY)
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured, match="mode démonstration"):
        load_contracts_demo(today=TODAY)
    assert not Contract.objects.exists()


def test_the_demo_needs_the_referentiel_first(settings, pays_de_la_loire):
    settings.DEMO_MODE = True
    load_accounts_demo()
    with pytest.raises(ImproperlyConfigured, match="pacte load_referentiel"):
        load_contracts_demo(today=TODAY)
    assert not Contract.objects.exists()


def test_the_demo_needs_the_demo_accounts_first(settings, pays_de_la_loire):
    settings.DEMO_MODE = True
    load_referentiel(today=TODAY)
    with pytest.raises(ImproperlyConfigured, match="pacte load_demo"):
        load_contracts_demo(today=TODAY)
    assert not Contract.objects.exists()


def test_the_demo_cannot_be_loaded_before_the_story_it_tells(prerequisites):
    with pytest.raises(ImproperlyConfigured, match="09/07/2025"):
        load_contracts_demo(today=date(2025, 3, 1))
    assert not Contract.objects.exists()


def test_demo_data_that_break_a_rule_fail_loudly_and_write_nothing(prerequisites, tmp_path):
    text = (DATA_DIR / "contracts.yaml").read_text(encoding="utf-8")
    assert text.count("ceiling: 1500000") == 1  # the convention of Loire-Atlantique
    too_low = tmp_path / "contracts.yaml"
    too_low.write_text(text.replace("ceiling: 1500000", "ceiling: 100000"), encoding="utf-8")
    with pytest.raises(DemoDataError, match="Loire-Atlantique.*plafond annuel"):
        load_contracts_demo(today=TODAY, path=too_low)
    assert not Contract.objects.exists()


def test_six_conventions_are_signed_in_early_2024_and_keep_every_rule(loaded):
    roots = list(Contract.objects.filter(amendment_number=0).select_related("territory"))
    assert sorted(root.territory.code for root in roots) == sorted((*DEPARTEMENTS, NANTES_METROPOLE))
    for root in roots:
        assert root.is_demo and root.is_signed
        assert date(2024, 1, 15) <= root.signed_on <= date(2024, 3, 29)
        assert root.state_signatory and root.local_signatory
        # The negotiation happened before the signature, not on the day the demo was loaded.
        assert root.submitted_at.date() < root.local_validated_at.date() < root.signed_on
        assert root.state_validated_at.date() < root.signed_on
        assert root.local_validated_by.territory_id == root.territory_id
        assert 4 <= root.actions.count() <= 6
        if root.territory.code in DEPARTEMENTS:
            assert Decimal("800000") <= root.annual_state_ceiling <= Decimal("2500000")
    for version in Contract.objects.filter(status=ContractStatus.SIGNED):
        assert services.readiness_problems(version) == {}
    yearly = BudgetLine.objects.values("action", "year").annotate(
        total=Sum("amount"), state=Sum("amount", filter=Q(funder=Funder.STATE))
    )
    assert yearly and all(row["state"] * 2 <= row["total"] for row in yearly)
    linked = set(Action.objects.values_list("indicators__national_target__code", flat=True))
    assert {
        "a1-n2-maisons-des-parents",
        "a3-n1-domiciliations",
        "a3-n1-territoires-zero-non-recours",
        "a3-n2-menages-accompagnes",
    } <= linked
    summary = loaded.summary()
    assert "données fictives" in summary and "6 conventions" in summary and "1 avenant" in summary


def test_nantes_metropole_covers_the_four_axes_and_signed_an_avenant_in_2025(loaded):
    root = _root(NANTES_METROPOLE)
    amendment = Contract.objects.get(amendment_number__gt=0)
    assert amendment.root == root and amendment.amendment_number == 1
    assert amendment.status == ContractStatus.SIGNED and amendment.signed_on.year == 2025
    assert root.status == ContractStatus.SUPERSEDED
    for version in (root, amendment):
        covered = set(version.actions.filter(indicators__isnull=False).values_list("axis__number", flat=True))
        assert covered == set(Axis.objects.values_list("number", flat=True)) == {1, 2, 3, 4}
    changes = services.contract_diff(root, amendment)
    assert [(change.what, change.before, change.after) for change in changes[1:]] == [
        ("budget 2025 – État", "112\u202f000\u202f€", "120\u202f000\u202f€")
    ]
    assert changes[0].what == "fiche-action ajoutée" and "zéro non-recours" in changes[0].where
    report = ExecutionReport.objects.get(contract=root, year=2024)
    assert report.version == root  # 2024 was executed under the initial version


def test_the_2024_reports_credits_and_evaluations_show_every_step_of_the_workflow(loaded):
    reports = {
        report.contract.territory.code: report
        for report in ExecutionReport.objects.select_related("contract__territory").filter(year=2024)
    }
    assert len(reports) == 6 and all(report.is_demo for report in reports.values())
    validated = {code for code, report in reports.items() if report.status == ReportStatus.VALIDATED}
    assert validated == {"49", "72", NANTES_METROPOLE}
    assert not any(reports[code].is_late for code in validated)
    late = reports["85"]
    assert late.status == ReportStatus.SUBMITTED and late.is_late
    assert late.submitted_at.date() > report_due_date(2024)
    assert reports["44"].status == ReportStatus.SENT_BACK and "CAF" in reports["44"].review_comment
    draft = reports["53"]
    assert draft.status == ReportStatus.DRAFT and draft.qualitative_assessment
    assert services.report_problems(draft)  # half filled in: not ready to be filed

    credits = {
        (c.contract.territory.code, c.year): c for c in Credit.objects.select_related("contract__territory")
    }
    assert len(credits) == 12
    for code in (*DEPARTEMENTS, NANTES_METROPOLE):
        first, second = credits[(code, 2024)], credits[(code, 2025)]
        assert first.notified > 0 and first.paid == first.committed == first.notified
        assert second.notified > 0 and second.committed == second.notified
        assert (second.paid > 0) == (code in validated)
        assert second.notified <= services.effective_ceiling(_root(code), 2025)

    evaluations = {
        e.contract.territory.code: e.status
        for e in MidTermEvaluation.objects.select_related("contract__territory")
    }
    assert evaluations == {"44": EvaluationStatus.SUBMITTED, "85": EvaluationStatus.DRAFT}

    pact = LocalPact.objects.get()
    assert pact.territory.code == "44" and pact.is_demo and pact.signed_on
    assert list(pact.priorities.values_list("rank", flat=True)) == [1, 2, 3]
    assert "CCAS de Nantes" in set(pact.partners.values_list("name", flat=True))
    assert "France Travail" in pact.other_signatories


def test_a_second_load_changes_nothing_and_keeps_what_demo_users_did(loaded):
    late = ExecutionReport.objects.get(contract=_root("85"), year=2024)
    services.review_report(late, UserFactory(ddets=True), validate=True)
    counts = _counts()
    updated = dict(Contract.objects.values_list("pk", "updated_at"))
    report = load_contracts_demo(today=TODAY)
    assert _counts() == counts
    assert dict(Contract.objects.values_list("pk", "updated_at")) == updated
    late.refresh_from_db()
    assert late.status == ReportStatus.VALIDATED
    assert not report.created
    assert report.kept["conventions"] == 6 and report.kept["avenants"] == 1 and report.kept["rapports"] == 6
    assert "laissées telles quelles" in report.summary()


# --- The admin -------------------------------------------------------------------------------------------


def test_the_admin_shows_the_demo_read_only_with_its_history(
    admin_client, loaded, django_assert_max_num_queries
):
    signed = _root("44")
    pages = [
        "/admin/contracts/contract/",
        "/admin/contracts/contract/?status__exact=signe&q=Loire",
        f"/admin/contracts/contract/{signed.pk}/change/",
        f"/admin/contracts/contract/{signed.pk}/history/",
        "/admin/contracts/action/?axis__id__exact=1",
        f"/admin/contracts/action/{signed.actions.first().pk}/change/",
        "/admin/contracts/executionreport/?status__exact=renvoye",
        f"/admin/contracts/executionreport/{ExecutionReport.objects.first().pk}/change/",
        "/admin/contracts/credit/?year=2025",
        "/admin/contracts/creditreallocation/",
        "/admin/contracts/midtermevaluation/",
        "/admin/contracts/localpact/",
        f"/admin/contracts/localpact/{LocalPact.objects.get().pk}/change/",
    ]
    for url in pages:
        with django_assert_max_num_queries(20):
            assert admin_client.get(url).status_code == 200, url
    page = admin_client.get(f"/admin/contracts/contract/{signed.pk}/change/")
    assert not page.context["has_change_permission"]
    assert "Prévention spécialisée et lutte contre le décrochage au collège" in page.content.decode()
    response = admin_client.post(f"/admin/contracts/contract/{signed.pk}/change/", {"title": "Autre titre"})
    assert response.status_code == 403
    signed.refresh_from_db()
    assert signed.title != "Autre titre"


def test_the_admin_never_reverts_a_history_record(admin_client):
    contract = build_contract(signed=False)
    record = contract.history.earliest()
    url = f"/admin/contracts/contract/{contract.pk}/history/{record.history_id}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"title": "Ancien titre"}).status_code == 403
    assert Contract.objects.get(pk=contract.pk).title == contract.title


def _contract_form(contract: Contract, **changes) -> dict:
    return {
        "title": contract.title,
        "annual_state_ceiling": str(contract.annual_state_ceiling),
        "expected_version": contract.lock_version,
        **changes,
        # the read-only inlines still send their management forms
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }


def test_the_admin_corrects_the_ceiling_of_a_draft_through_the_services(admin_client):
    contract = build_contract(signed=False)
    services.submit_contract(contract, None)
    services.validate_contract(contract, None, side="local")
    contract.refresh_from_db()
    page = admin_client.get(f"/admin/contracts/contract/{contract.pk}/change/")
    assert page.context["has_change_permission"] and 'name="expected_version"' in page.content.decode()
    response = admin_client.post(
        f"/admin/contracts/contract/{contract.pk}/change/",
        _contract_form(contract, annual_state_ceiling="2000000"),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.annual_state_ceiling == Decimal("2000000")
    assert contract.local_validated_at is None  # what was validated is no longer what is proposed
    assert contract.lock_version == 1


def test_the_admin_refuses_a_stale_edit_and_saves_nothing(admin_client):
    contract = build_contract(signed=False)
    form = _contract_form(contract, annual_state_ceiling="2000000")
    services.update_contract(contract, expected_version=0, title="Titre changé entre-temps")
    response = admin_client.post(f"/admin/contracts/contract/{contract.pk}/change/", form)
    assert response.status_code == 200
    assert StaleEditError.message in response.content.decode()
    contract.refresh_from_db()
    assert contract.annual_state_ceiling == Decimal("1000000")
    assert contract.title == "Titre changé entre-temps"


def test_the_admin_refuses_a_fourth_priority_in_a_pact_being_drafted(admin_client):
    pact = LocalPact.objects.create(
        territory=DepartementFactory(), title="Pacte local", diagnostic_summary="Diagnostic"
    )
    form = {
        "title": pact.title,
        "diagnostic_summary": pact.diagnostic_summary,
        "other_signatories": "",
        "signed_on": "",
        "expected_version": "0",
        "priorities-TOTAL_FORMS": "4",
        "priorities-INITIAL_FORMS": "0",
        "priorities-MIN_NUM_FORMS": "1",
        "priorities-MAX_NUM_FORMS": "3",
    }
    for index in range(4):
        form |= {
            f"priorities-{index}-rank": str(min(index + 1, 3)),
            f"priorities-{index}-title": f"Priorité {index + 1}",
            f"priorities-{index}-action_plan": "Plan",
            f"priorities-{index}-pilot": "Pilote",
            f"priorities-{index}-technical_committee": "Comité",
        }
    response = admin_client.post(f"/admin/contracts/localpact/{pact.pk}/change/", form)
    assert response.status_code == 200
    assert not PactPriority.objects.exists()
    form["priorities-TOTAL_FORMS"] = "3"
    response = admin_client.post(f"/admin/contracts/localpact/{pact.pk}/change/", form)
    assert response.status_code == 302
    assert PactPriority.objects.filter(pact=pact).count() == 3
    pact.refresh_from_db()
    assert pact.lock_version == 1
