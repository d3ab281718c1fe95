"""What waits on whom (the reads « Mon espace » will show): companies to validate, pledges to answer, pledges to
mark delivered — each only for those the rules let act, in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pacte.sponsorship import queries
from pacte.sponsorship.enums import PledgeStatus
from tests.sponsorship.factories import CompanyFactory, PledgeFactory


def test_companies_to_decide(commissioner, other_commissioner, national, nantes, brest):
    pending = CompanyFactory(commune=nantes, pending=True)
    CompanyFactory(commune=nantes)  # already validated
    CompanyFactory(commune=brest, pending=True)
    assert queries.companies_to_decide(commissioner) == [pending]
    assert [c.commune for c in queries.companies_to_decide(other_commissioner)] == [brest]
    assert queries.companies_to_decide(national) == []


def test_pledges_to_answer_and_to_deliver(
    project, company, member, other_member, commissioner, other_commissioner
):
    proposed = PledgeFactory(project=project, company=company)
    accepted = PledgeFactory(project=project, company=company, status=PledgeStatus.ACCEPTED)
    PledgeFactory(project=project, company=company, status=PledgeStatus.DELIVERED)
    assert queries.pledges_to_answer(member) == [proposed]
    assert queries.pledges_to_answer(commissioner) == []
    assert queries.pledges_to_answer(other_member) == []
    assert queries.pledges_to_deliver(member) == [accepted]
    assert queries.pledges_to_deliver(commissioner) == [accepted]
    assert queries.pledges_to_deliver(other_commissioner) == []


def test_a_fixed_number_of_queries(project, company, member):
    PledgeFactory(project=project, company=company)
    with CaptureQueriesContext(connection) as one:
        queries.pledges_to_answer(member)
    for _ in range(5):
        PledgeFactory(project=project, company=company)
    with CaptureQueriesContext(connection) as six:
        assert len(queries.pledges_to_answer(member)) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
