"""The page « Mon espace »: who reaches it, what a user without a role reads, the empty state, the groups with their
counts and links, the count of the menu (`context_processors.workspace`) and a number of queries that does not
grow with the number of tasks."""

import datetime
import time

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from pacte.contracts import services
from pacte.contracts.enums import ContractKind, ContractStatus
from pacte.contracts.models import ExecutionReport
from pacte.core import data_version
from pacte.core.enums import ReportStatus
from pacte.governance.models import Committee, Member
from pacte.governance.roadmap_models import Roadmap
from pacte.governance.services import roadmap as roadmap_services
from pacte.grants.enums import ApplicationStatus
from pacte.grants.models import CallForProjects, ReviewerAssignment
from pacte.sponsorship.enums import PledgeStatus
from pacte.workspace import queries
from pacte.workspace.context_processors import workspace
from pacte.workspace.tasks import Task, group
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory, build_contract
from tests.governance.factories import CommitteeFactory, DecisionFactory, MeetingFactory, MemberFactory
from tests.grants.factories import ApplicationFactory, CallFactory
from tests.helpers import count_queries, is_login, page
from tests.screening.factories import ScreeningJobFactory
from tests.sponsorship.factories import CompanyFactory, PledgeFactory, PublishedProjectFactory
from tests.territories.factories import CommuneFactory, DepartementFactory
from tests.workspace.factories import TODAY

URL = "/mon-espace/"


def filed_report(contract):
    report = services.open_report(contract, 2024, today=TODAY)
    ExecutionReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    return report


def test_an_anonymous_visitor_is_asked_to_sign_in(client):
    assert is_login(client.get(URL))


def test_a_user_without_a_role_is_told_an_administrator_must_assign_one_and_nothing_else(client, places):
    pending = UserFactory(username="nouvel-agent")
    html = page(client, URL, pending)
    assert "Un administrateur de la plateforme doit vous attribuer un rôle et un territoire" in html
    assert "Aucune tâche" not in html and "<table" not in html
    assert queries.all_tasks(pending, TODAY) == []


def test_a_user_with_nothing_to_do_reads_aucune_tache(client, other_ddets):
    html = page(client, URL, other_ddets)
    assert "Aucune tâche" in html and "<table" not in html


def test_the_ddets_lands_on_the_report_to_review_with_its_link_the_outsider_does_not(
    client, places, ddets, other_ddets
):
    contract = build_contract(places.loire_atlantique)
    report = filed_report(contract)
    html = page(client, URL, ddets)
    assert "Rapports d&#x27;exécution à examiner (1)" in html
    assert f'href="{report.get_absolute_url()}"' in html
    assert "Rapport d&#x27;exécution 2024 – Contrat local des solidarités – Loire-Atlantique" in html
    assert "Rapport d&#x27;exécution 2024" not in page(client, URL, other_ddets)


def test_overdue_tasks_come_first_then_by_due_date_and_groups_likewise():
    tasks = [
        Task("decisions", "sans échéance", "/a/"),
        Task("decisions", "plus tard", "/b/", due_on=datetime.date(2027, 1, 10)),
        Task("decisions", "en retard", "/c/", due_on=datetime.date(2026, 11, 1)),
        Task("meetings_to_convene", "bientôt", "/d/", due_on=datetime.date(2026, 12, 20)),
        Task("screening_jobs", "rien", "/e/"),
        Task("minutes", "très en retard", "/f/", due_on=datetime.date(2026, 10, 1)),
    ]
    groups = group(tasks, TODAY)
    assert [found.kind.key for found in groups] == [
        "minutes",
        "decisions",
        "meetings_to_convene",
        "screening_jobs",
    ]
    assert [task.title for task in groups[1].tasks] == ["en retard", "plus tard", "sans échéance"]
    assert groups[1].overdue_count == 1 and groups[1].tasks[0].is_overdue


def test_the_page_flags_the_overdue_and_counts_each_group(client, places, council):
    committee = CommitteeFactory(territory=places.loire_atlantique)
    member = MemberFactory(committee=committee, user=council, organisation=council.organisation)
    meeting = MeetingFactory(committee=committee, past=True)
    DecisionFactory(meeting=meeting, owner_member=member, late=True)
    DecisionFactory(meeting=meeting, owner_member=member)
    html = page(client, URL, council)
    assert "Décisions dont vous avez la charge (2)" in html
    assert "1 en retard" in html and "En retard" in html


# --- The count of the menu ------------------------------------------------------------------------------------


def processor(user):
    request = RequestFactory().get("/")
    request.user = user
    return workspace(request)


def test_the_count_is_none_for_an_anonymous_visitor(places):
    assert processor(AnonymousUser())["workspace_task_count"] is None


def test_the_count_is_read_only_when_a_template_asks_and_kept_while_the_data_do_not_change(
    places, ddets, django_assert_num_queries, monkeypatch
):
    contract = build_contract(places.loire_atlantique)
    filed_report(contract)
    expected = len(queries.all_tasks(ddets))
    with django_assert_num_queries(0):
        count = processor(ddets)["workspace_task_count"]  # nothing is computed until read
    assert count() == expected
    with django_assert_num_queries(0):
        assert processor(ddets)["workspace_task_count"]() == expected  # kept
    ExecutionReport.objects.filter(contract=contract).update(status=ReportStatus.VALIDATED)
    data_version.bump()  # as every write does, through the connection's execute wrapper
    with django_assert_num_queries(0):
        assert processor(ddets)["workspace_task_count"]() == expected  # may lag a little behind the writes…
    now = time.time()
    monkeypatch.setattr(queries, "_now", lambda: now + queries.STALE_SECONDS + 1)
    assert processor(ddets)["workspace_task_count"]() == expected - 1  # … for STALE_SECONDS at most


def test_the_count_is_kept_as_long_as_the_data_do_not_change(places, ddets, monkeypatch):
    contract = build_contract(places.loire_atlantique)
    filed_report(contract)
    expected = len(queries.all_tasks(ddets))
    assert processor(ddets)["workspace_task_count"]() == expected
    now = time.time()
    monkeypatch.setattr(queries, "_now", lambda: now + queries.STALE_SECONDS + 1)
    ExecutionReport.objects.filter(contract=contract).update(
        status=ReportStatus.VALIDATED
    )  # not bumped by hand
    # The execute wrapper bumped the version: the count is listed again.
    assert processor(ddets)["workspace_task_count"]() == expected - 1


def test_a_template_reads_the_count_as_a_number(places, ddets):
    build_contract(places.loire_atlantique)
    template = Template("{% if workspace_task_count %}Mon espace ({{ workspace_task_count }}){% endif %}")
    expected = len(queries.all_tasks(ddets))
    assert expected
    assert template.render(Context(processor(ddets))) == f"Mon espace ({expected})"
    assert template.render(Context(processor(AnonymousUser()))) == ""


def test_a_user_without_a_role_counts_no_task(places):
    assert processor(UserFactory(username="sans-role"))["workspace_task_count"]() == 0


def test_the_page_keeps_the_count_it_listed(client, places, ddets, django_assert_num_queries):
    build_contract(places.loire_atlantique)
    client.force_login(ddets)
    client.get(URL)
    expected = len(queries.all_tasks(ddets))
    with django_assert_num_queries(0):
        assert processor(ddets)["workspace_task_count"]() == expected


# --- Queries ------------------------------------------------------------------------------------------------------


def build_tasks(places, commissioner, first: int, count: int) -> None:
    """`count` items of each kind of task of a regional commissioner, in as many départements of its région."""
    committee, _ = Committee.objects.get_or_create(
        name="COPIL régional", territory=places.pays_de_la_loire, defaults={"kind": "copil_regional"}
    )
    member, _ = Member.objects.get_or_create(
        committee=committee,
        user=commissioner,
        defaults={"category": "services_etat", "person_name": "Camille"},
    )
    call = CallForProjects.objects.filter(region=places.pays_de_la_loire).first()
    if call is None:
        call = CallFactory(region=places.pays_de_la_loire, closed=True)
        ReviewerAssignment.objects.create(call=call, reviewer=commissioner)
    roadmap = Roadmap.objects.filter(
        region=places.pays_de_la_loire
    ).first() or roadmap_services.create_roadmap(places.pays_de_la_loire, TODAY.year)
    objective = roadmap.objectives.first() or roadmap_services.save_objective(roadmap, title="Aller vers")
    for number in range(first, first + count):
        departement = DepartementFactory(
            code=f"{number:02d}", name=f"Département {number}", parent=places.pays_de_la_loire
        )
        filed_report(build_contract(departement))  # a report to review, credits to notify, an evaluation
        ContractFactory(
            territory=departement, kind=ContractKind.FRANCE_TRAVAIL, status=ContractStatus.NEGOTIATION
        )
        ApplicationFactory(call=call, territory=departement)  # to score and to decide
        MeetingFactory(committee=committee)  # to convene
        past = MeetingFactory(committee=committee, past=True)  # its minutes to write
        DecisionFactory(meeting=past, owner_member=member)
        ScreeningJobFactory(uploader=commissioner, territory=departement, done=True, write_files=False)
        roadmap_services.save_action(
            objective,
            title=f"Action {number}",
            due_date=timezone.localdate() + datetime.timedelta(days=number),
        )  # a roadmap action due soon
        commune = CommuneFactory(code=f"{number:02d}001", name=f"Commune {number}", parent=departement)
        CompanyFactory(commune=commune, pending=True)  # a company to validate
        PledgeFactory(  # a gift to record
            company=CompanyFactory(commune=commune),
            project=PublishedProjectFactory(
                application=ApplicationFactory(
                    call=call, territory=departement, status=ApplicationStatus.SELECTED
                )
            ),
            status=PledgeStatus.ACCEPTED,
        )


def test_the_number_of_queries_does_not_grow_with_the_number_of_tasks(client, places, commissioner):
    build_tasks(places, commissioner, 1, 1)
    one = count_queries(client, URL, commissioner)
    assert len(queries.all_tasks(commissioner)) >= 10
    build_tasks(places, commissioner, 2, 9)
    groups = queries.task_groups(commissioner)
    assert min(len(found.tasks) for found in groups) >= 10, [
        (found.kind.key, len(found.tasks)) for found in groups
    ]
    assert count_queries(client, URL, commissioner) == one
