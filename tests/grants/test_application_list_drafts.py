"""Issue 15, finding 6: national steering's list of candidatures showed other associations' drafts (their page
and the API did not). A draft is listed for its own association only."""

from django.urls import reverse

from pacte.grants import queries
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory
from tests.helpers import is_login


def test_a_draft_is_listed_for_its_association_only(
    client, call, member, other_member, commissioner, loire_atlantique, application
):
    draft = ApplicationFactory(
        call=call,
        organisation=member.organisation,
        territory=loire_atlantique,
        draft=True,
        project_title="Brouillon confidentiel",
    )
    national = UserFactory(username="nadia", national=True)
    url = reverse("grants:applications")
    assert is_login(client.get(url))
    seen = {}
    for user in (national, commissioner, other_member, member):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        seen[user.username] = response.content.decode()
    assert application.project_title in seen["nadia"]
    for username in ("nadia", "alice", "dan"):
        assert "Brouillon confidentiel" not in seen[username], username
    assert "Brouillon confidentiel" in seen["bob"] and application.project_title in seen["bob"]
    # The page of the draft says the same: only its association opens it.
    client.force_login(national)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_reads_behind_the_list_and_the_exports_leave_other_drafts_out(call, member, loire_atlantique):
    draft = ApplicationFactory(
        call=call, organisation=member.organisation, territory=loire_atlantique, draft=True
    )
    national = UserFactory(username="nadia", national=True)
    assert draft not in queries.visible_applications(national)
    assert draft not in queries.followed_applications(national)
    assert draft in queries.visible_applications(member)
    assert draft in queries.followed_applications(member)
