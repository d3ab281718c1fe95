"""The contracts demo (pacte.demo.contracts, pacte.demo.pacts, data/contracts.yaml) and the admin it is browsed in
(pacte.contracts.admin).

Loading the demo runs every service thousands of times: the tests that need it load it once each and
check a whole story, rather than one assertion per load.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from pacte.contracts import compliance, kinds, services
from pacte.contracts.enums import (
    ContractKind,
    ContractStatus,
    Envelope,
    EvaluationSide,
    FranceTravailVolet,
    Funder,
    MidTermStatus,
    PactActionStatus,
)
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    LocalPact,
    MidTermEvaluation,
    NotifiedAllocation,
    PactPriority,
    ReportSpending,
)
from pacte.contracts.models.pacts import PactEnvelope
from pacte.contracts.services import allocations, execution, pacts
from pacte.contracts.services.actions import action_under_parity, reinforcement_problems, unit_problem
from pacte.contracts.services.evaluation import evaluation_problems
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

# The conventions of the demo: (territory code, kind). Seven in Pays de la Loire and one overseas, La Réunion's.
REUNION = "974"
CONVENTIONS = {
    ("44", ContractKind.DEPARTEMENT),
    ("44", ContractKind.FRANCE_TRAVAIL),
    ("49", ContractKind.DEPARTEMENT),
    ("53", ContractKind.DEPARTEMENT),
    ("72", ContractKind.GLOBALE),
    ("85", ContractKind.DEPARTEMENT),
    (NANTES_METROPOLE, ContractKind.METROPOLE),
    (REUNION, ContractKind.DEPARTEMENT),
}


@pytest.fixture
def loaded(prerequisites):
    return load_contracts_demo(today=TODAY)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="alice", is_staff=True, is_superuser=True))
    return client


def _root(code: str, kind: str = "") -> Contract:
    roots = Contract.objects.filter(territory__code=code, amendment_number=0)
    return roots.get(kind=kind) if kind else roots.get()


def _counts() -> dict[str, int]:
    """Rows of every contracts model, audit history tables included."""
    return {
        model._meta.label: model.objects.count() for model in apps.get_app_config("contracts").get_models()
    }


def _parity_breaches(lines) -> list[tuple]:
    """The (action, year) whose State amount exceeds the collectivité's, from (action, year, funder, amount)."""
    splits = defaultdict(lambda: defaultdict(Decimal))
    for action, year, funder, amount in lines:
        splits[(action, year)][funder] += Decimal(amount)
    return [key for key, split in splits.items() if split[Funder.STATE] > split[Funder.LOCAL]]


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
    # The story ends when the DDETS closes the mid-term evaluation of Loire-Atlantique.
    with pytest.raises(ImproperlyConfigured, match="03/07/2026"):
        load_contracts_demo(today=date(2026, 6, 1))
    assert not Contract.objects.exists()


def test_demo_data_that_break_a_rule_fail_loudly_and_write_nothing(prerequisites, tmp_path):
    text = (DATA_DIR / "contracts.yaml").read_text(encoding="utf-8")
    assert text.count("ceilings: {solidarites: 1200000}") == 1  # the contract of Loire-Atlantique
    too_low = tmp_path / "contracts.yaml"
    too_low.write_text(
        text.replace("ceilings: {solidarites: 1200000}", "ceilings: {solidarites: 100000}"), encoding="utf-8"
    )
    with pytest.raises(DemoDataError, match="Loire-Atlantique.*plafond notifié"):
        load_contracts_demo(today=TODAY, path=too_low)
    assert not Contract.objects.exists() and not NotifiedAllocation.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        # An insertion action in a département's solidarités contract.
        (
            "      - {type: maison-des-parents, scale: 1.9, indicators: [{targets: [1, 1, 2, 2]}]}\n"
            "      - {type: expulsions, scale: 1.9}",
            "      - {type: maison-des-parents, scale: 1.9, indicators: [{targets: [1, 1, 2, 2]}]}\n"
            "      - {type: mobilite, scale: 1.9}",
            "axis.*France Travail",
        ),
        # The State above the collectivité.
        (
            "    yearly_cost: [120, 180, 200, 200]\n    state_share: 0.5",
            "    yearly_cost: [120, 180, 200, 200]\n    state_share: 0.7",
            "budget",
        ),
    ],
    ids=["axis-2-in-a-departement-contract", "state-above-the-collectivite"],
)
def test_a_demo_that_breaks_the_rules_of_issue_12_is_refused(prerequisites, tmp_path, old, new, error):
    text = (DATA_DIR / "contracts.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    broken = tmp_path / "contracts.yaml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DemoDataError, match=error):
        load_contracts_demo(today=TODAY, path=broken)
    assert not Contract.objects.exists()


def test_ceilings_are_notified_first_and_the_conventions_follow_each_kind(loaded):
    roots = list(Contract.objects.filter(amendment_number=0).select_related("territory", "collectivite"))
    assert {(root.territory.code, root.kind) for root in roots} == CONVENTIONS
    for root in roots:
        assert root.is_demo and root.is_signed
        assert date(2024, 1, 15) <= root.signed_on <= date(2024, 4, 30)
        assert root.state_signatory and root.local_signatory
        # The negotiation happened before the signature, not on the day the demo was loaded.
        assert root.submitted_at.date() < root.local_validated_at.date() < root.signed_on
        assert root.state_validated_at.date() < root.signed_on
        assert root.local_validated_by.territory_id == root.territory_id
        assert (2 if root.kind == ContractKind.FRANCE_TRAVAIL else 4) <= root.actions.count() <= 5
        start, end = kinds.period_of(root.kind)
        for envelope in kinds.envelopes_of(root.kind):
            for year in kinds.action_years(root.kind, 2 if envelope == Envelope.FRANCE_TRAVAIL else 1):
                ceiling = allocations.notified_ceiling(root, year, envelope)
                assert ceiling is not None and ceiling > 0, (root, envelope, year)
        assert allocations.ceiling_problems(root) == []
    # One collectivité per département: Loire-Atlantique signs two conventions, counted once.
    assert {root.collectivite_id for root in roots if root.territory.code == "44"} == {
        _root("44", ContractKind.DEPARTEMENT).collectivite_id
    }
    allocation_rows = NotifiedAllocation.objects.all()
    assert allocation_rows and all(
        row.is_demo and row.notified_by.username == "pilotage" for row in allocation_rows
    )
    assert all(row.notified_on < date(2024, 1, 19) for row in allocation_rows)  # before the first signature
    # The notified ceilings, not a typed one: the contracts have none of their own.
    assert not Contract.objects.filter(annual_state_ceiling__gt=0).exists()
    for version in Contract.objects.filter(status=ContractStatus.SIGNED):
        assert services.readiness_problems(version) == {}
    summary = loaded.summary()
    assert "données fictives" in summary and "8 conventions" in summary and "1 avenant" in summary


def test_no_demo_action_year_under_parity_has_the_state_above_the_collectivite(loaded):
    actions = list(Action.objects.select_related("contract", "axis"))
    under_parity = {action.pk for action in actions if action_under_parity(action)}
    outside = {action.pk for action in actions} - under_parity
    assert under_parity and outside  # the France Travail part is outside parity
    assert all(
        Action.objects.get(pk=pk).contract.kind in (ContractKind.FRANCE_TRAVAIL, ContractKind.GLOBALE)
        for pk in outside
    )
    lines = BudgetLine.objects.filter(action__in=under_parity).values_list(
        "action", "year", "funder", "amount"
    )
    assert lines and _parity_breaches(lines) == []
    # Third parties come on top: some action-years have partners besides a State half.
    assert BudgetLine.objects.filter(action__in=under_parity, funder=Funder.OTHER, amount__gt=0).exists()
    # The spending the reports declare keeps parity too.
    spent = ReportSpending.objects.filter(action__in=under_parity).values_list(
        "action", "report__year", "funder", "amount"
    )
    assert spent and _parity_breaches(spent) == []
    # And nothing is left for the compliance page, whatever the rule.
    assert compliance.findings(compliance.Scope()) == []


def test_the_public_api_shows_no_demo_action_year_with_the_state_above_the_collectivite(loaded, client):
    checked = 0
    for version in Contract.objects.filter(status=ContractStatus.SIGNED):
        response = client.get(f"/api/v1/contracts/{version.pk}/actions/", {"page_size": 100})
        assert response.status_code == 200, response.content
        for action in response.json()["items"]:
            if not action["under_parity"]:
                assert action["envelope"] == Envelope.FRANCE_TRAVAIL
                continue
            lines = [
                (action["number"], line["year"], line["funder"], line["amount"]) for line in action["budget"]
            ]
            assert _parity_breaches(lines) == [], (version, action["title"])
            checked += 1
    assert checked >= 25


def test_no_insertion_action_in_a_departement_solidarites_contract(loaded):
    assert not Action.objects.filter(contract__kind=ContractKind.DEPARTEMENT, axis__number=2).exists()
    assert set(
        Action.objects.filter(contract__kind=ContractKind.DEPARTEMENT).values_list("axis__number", flat=True)
    ) == {1, 3, 4}
    france_travail = _root("44", ContractKind.FRANCE_TRAVAIL)
    assert france_travail.period_start == 2024 and france_travail.period_end == 2025
    volets = {}
    for action in Action.objects.filter(axis__number=2).exclude(contract__kind=ContractKind.METROPOLE):
        assert action.contract.kind in (ContractKind.FRANCE_TRAVAIL, ContractKind.GLOBALE)
        years = set(action.budget_lines.values_list("year", flat=True))
        assert years == set(kinds.action_years(action.contract.kind, 2, action.volet)), action
        volets[(action.contract.territory.code, action.measures.get().code)] = (action.volet, sorted(years))
    assert volets == {
        ("44", "a2-n6"): (FranceTravailVolet.RSA, [2024, 2025]),
        ("44", "a2-c1"): (FranceTravailVolet.LOCAL_SOLUTIONS, [2024]),
        ("72", "a2-n6"): (FranceTravailVolet.RSA, [2024, 2025]),
        ("72", "a2-c1"): (FranceTravailVolet.LOCAL_SOLUTIONS, [2024]),
    }
    # The single global convention holds both parts.
    globale = _root("72", ContractKind.GLOBALE)
    assert set(globale.actions.values_list("axis__number", flat=True)) == {1, 2, 3, 4}


def test_measures_units_and_reinforced_actions_keep_the_rules(loaded):
    actions = Action.objects.select_related("contract", "axis").prefetch_related(
        "measures", "indicators__year_targets"
    )
    reinforced = 0
    for action in actions:
        for measure in action.measures.all():
            assert kinds.measure_allowed(action.contract.kind, measure, action.axis.number), (action, measure)
        if action.nature == "renforcee":
            marked = [indicator for indicator in action.indicators.all() if indicator.is_reinforcement]
            assert marked, action
            for indicator in marked:
                targets = {target.year: target.value for target in indicator.year_targets.all()}
                assert indicator.baseline_value is not None and targets
                assert (
                    reinforcement_problems(indicator.baseline_value, indicator.baseline_year, targets) == []
                )
                assert min(targets.values()) > indicator.baseline_value
            reinforced += 1
    assert reinforced >= 10
    linked = ActionIndicator.objects.filter(national_target__isnull=False).select_related("national_target")
    assert linked and all(
        unit_problem(indicator.unit, indicator.national_target) is None for indicator in linked
    )
    assert {indicator.national_target.code for indicator in linked} >= {
        "a1-n2-maisons-des-parents",
        "a3-n1-domiciliations",
        "a3-n1-territoires-zero-non-recours",
        "a3-n2-menages-accompagnes",
    }
    assert set(
        linked.filter(national_target__code="a1-n2-maisons-des-parents").values_list("unit", flat=True)
    ) == {"nombre"}


def test_nantes_metropole_covers_the_four_axes_and_signed_an_avenant_in_2025(loaded):
    root = _root(NANTES_METROPOLE)
    assert root.kind == ContractKind.METROPOLE
    amendment = Contract.objects.get(amendment_number__gt=0)
    assert amendment.root == root and amendment.amendment_number == 1
    assert amendment.status == ContractStatus.SIGNED and amendment.signed_on.year == 2025
    assert root.status == ContractStatus.SUPERSEDED
    for version in (root, amendment):
        covered = set(version.actions.filter(indicators__isnull=False).values_list("axis__number", flat=True))
        assert covered == set(Axis.objects.values_list("number", flat=True)) == {1, 2, 3, 4}
    changes = services.contract_diff(root, amendment)
    assert [(change.what, change.before, change.after) for change in changes[1:]] == [
        ("budget 2025 – État", "95\u202f000\u202f€", "110\u202f000\u202f€")
    ]
    assert changes[0].what == "fiche-action ajoutée" and "zéro non-recours" in changes[0].where
    report = ExecutionReport.objects.get(contract=root, year=2024)
    assert report.version == root  # 2024 was executed under the initial version


def test_the_2024_reports_and_credits_show_every_step_of_the_workflow(loaded):
    reports = {
        (report.contract.territory.code, report.contract.kind): report
        for report in ExecutionReport.objects.select_related("contract__territory").filter(year=2024)
    }
    assert set(reports) == CONVENTIONS and all(report.is_demo for report in reports.values())
    campaign = execution.campaign_due_on(2024)
    assert campaign == date(2025, 3, 31)
    for report in reports.values():
        assert report.due_on == campaign
        assert execution.first_report_year(report.contract) == 2024
        if report.submitted_at:
            assert report.submitted_at.date() >= execution.report_opens_on(2024)
    validated = {key for key, report in reports.items() if report.status == ReportStatus.VALIDATED}
    assert validated == {
        ("44", ContractKind.FRANCE_TRAVAIL),
        ("49", ContractKind.DEPARTEMENT),
        ("72", ContractKind.GLOBALE),
        (NANTES_METROPOLE, ContractKind.METROPOLE),
        (REUNION, ContractKind.DEPARTEMENT),
    }
    assert not any(reports[key].is_late for key in validated)
    late = reports[("85", ContractKind.DEPARTEMENT)]
    assert late.status == ReportStatus.SUBMITTED and late.is_late
    assert late.submitted_at.date() > campaign
    sent_back = reports[("44", ContractKind.DEPARTEMENT)]
    assert sent_back.status == ReportStatus.SENT_BACK and "CAF" in sent_back.review_comment
    draft = reports[("53", ContractKind.DEPARTEMENT)]
    assert draft.status == ReportStatus.DRAFT and draft.qualitative_assessment
    assert services.report_problems(draft)  # half filled in: not ready to be filed
    assert all(execution.credit_wait(report) is None for report in reports.values())

    credits = {(c.contract_id, c.year): c for c in Credit.objects.all()}
    # The story's two years, 2024 and 2025, for each convention.
    assert len(credits) == 2 * len(CONVENTIONS) == 16
    for (code, kind), report in reports.items():
        root = report.contract
        first, second = credits[(root.pk, 2024)], credits[(root.pk, 2025)]
        assert first.notified > 0 and first.paid == first.committed == first.notified
        assert second.notified > 0 and second.committed == second.notified
        assert (second.paid > 0) == ((code, kind) in validated)
        assert second.notified <= services.effective_ceiling(root, 2025)


def test_the_joint_mid_term_evaluations_filed_closed_and_draft(loaded):
    evaluations = {
        (e.contract.territory.code, e.contract.kind): e
        for e in MidTermEvaluation.objects.select_related("contract__territory", "closed_by", "submitted_by")
    }
    assert {key: e.status for key, e in evaluations.items()} == {
        ("44", ContractKind.DEPARTEMENT): MidTermStatus.CLOSED,
        ("85", ContractKind.DEPARTEMENT): MidTermStatus.DRAFT,
    }
    closed = evaluations[("44", ContractKind.DEPARTEMENT)]
    assert closed.submitted_at.date() == date(2026, 6, 22) and closed.submitted_by.username == "cd44"
    assert closed.closed_at.date() == date(2026, 7, 3) and closed.closed_by.username == "ddets44"
    rows = list(closed.action_evaluations.prefetch_related("parts__author"))
    assert len(rows) == closed.version.actions.count() == 5
    for row in rows:
        authors = {part.side: part.author.username for part in row.parts.all()}
        assert authors == {EvaluationSide.LOCAL: "cd44", EvaluationSide.STATE: "ddets44"}
        assert row.conclusion
    assert {row.conclusion for row in rows} == {"poursuivre", "ajuster"}
    assert evaluation_problems(closed) == {}
    draft = evaluations[("85", ContractKind.DEPARTEMENT)]
    sides = set(draft.action_evaluations.values_list("parts__side", flat=True))
    assert sides == {EvaluationSide.LOCAL}


def test_the_pacte_local_its_envelope_signatories_and_actions(loaded):
    pact = LocalPact.objects.get()
    assert pact.territory.code == "44" and pact.is_demo and pact.signed_on
    assert list(pact.priorities.values_list("rank", flat=True)) == [1, 2, 3]
    assert set(pact.priority_publics) == {"enfants", "familles_monoparentales", "travailleurs_pauvres"}
    signatories = list(pact.signatories.select_related("organisation").order_by("rank"))
    assert len(signatories) == 7 and all(row.contribution for row in signatories)
    assert "CCAS de Nantes" in {row.organisation.name for row in signatories if row.organisation}
    assert any("France Travail" in row.name for row in signatories)
    envelope = PactEnvelope.objects.get()
    assert envelope.region.code == "52" and envelope.year == 2025 and envelope.is_demo and envelope.shared_at
    assert envelope.entered_by.username == "pilotage" and envelope.shared_by.username == "commissaire-pdl"
    shares = dict(envelope.allocations.values_list("departement__code", "amount"))
    assert set(shares) == set(DEPARTEMENTS) and sum(shares.values()) <= envelope.amount
    actions = list(pact.actions.order_by("number"))
    assert {action.status for action in actions} == {
        PactActionStatus.DONE,
        PactActionStatus.IN_PROGRESS,
        PactActionStatus.ABANDONED,
    }
    assert all(action.is_demo and action.year == 2025 and action.publics for action in actions)
    assert pacts.committed_by_actions(pact.territory, 2025) <= shares["44"]


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
    assert report.kept["conventions"] == 8 and report.kept["avenants"] == 1
    # The reports of 2024 (the story's) and of 2025 (the campaign current on TODAY), one per convention; the
    # campaigns are national, one a year, whatever the number of conventions.
    assert report.kept["rapports"] == 16 and report.kept["campagnes"] == 2
    assert report.kept["plafonds"] == NotifiedAllocation.objects.count()
    assert (
        report.kept["evaluations"] == 2 and report.kept["pactes"] == 1 and report.kept["actions_pacte"] == 3
    )
    assert "laissées telles quelles" in report.summary()


# --- The admin -------------------------------------------------------------------------------------------


def test_the_admin_shows_the_demo_read_only_with_its_history(
    admin_client, loaded, django_assert_max_num_queries
):
    signed = _root("44", ContractKind.DEPARTEMENT)
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
        "/admin/contracts/notifiedallocation/",
        "/admin/contracts/reportcampaign/",
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
        "expected_version": contract.lock_version,
        **changes,
        # the read-only inlines still send their management forms
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }


def test_the_admin_corrects_the_title_of_a_draft_through_the_services(admin_client):
    contract = build_contract(signed=False)
    services.submit_contract(contract, None)
    services.validate_contract(contract, None, side="local")
    contract.refresh_from_db()
    page = admin_client.get(f"/admin/contracts/contract/{contract.pk}/change/")
    assert page.context["has_change_permission"] and 'name="expected_version"' in page.content.decode()
    assert 'name="annual_state_ceiling"' not in page.content.decode()  # notified, never typed
    response = admin_client.post(
        f"/admin/contracts/contract/{contract.pk}/change/", _contract_form(contract, title="Titre corrigé")
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Titre corrigé"
    assert contract.local_validated_at is None  # what was validated is no longer what is proposed
    assert contract.lock_version == 1


def test_the_admin_refuses_a_stale_edit_and_saves_nothing(admin_client):
    contract = build_contract(signed=False)
    form = _contract_form(contract, title="Titre de l'administrateur")
    services.update_contract(contract, expected_version=0, title="Titre changé entre-temps")
    response = admin_client.post(f"/admin/contracts/contract/{contract.pk}/change/", form)
    assert response.status_code == 200
    assert StaleEditError.message in response.content.decode()
    contract.refresh_from_db()
    assert contract.title == "Titre changé entre-temps"


def test_the_admin_refuses_a_fourth_priority_in_a_pact_being_drafted(admin_client):
    pact = LocalPact.objects.create(
        territory=DepartementFactory(), title="Pacte local", diagnostic_summary="Diagnostic"
    )
    form = {
        "title": pact.title,
        "diagnostic_summary": pact.diagnostic_summary,
        "signed_on": "",
        "expected_version": "0",
        "priorities-TOTAL_FORMS": "4",
        "priorities-INITIAL_FORMS": "0",
        "priorities-MIN_NUM_FORMS": "1",
        "priorities-MAX_NUM_FORMS": "3",
        # the read-only inlines still send their management forms
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
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
