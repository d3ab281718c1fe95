import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from pacte.governance.services.calendar_tokens import issue_calendar_token, revoke_calendar_tokens
from pacte.governance.services.meetings import cancel_meeting, update_meeting
from pacte.programme.enums import MilestoneStatus
from tests.governance.factories import CommitteeFactory, MeetingFactory, MemberFactory
from tests.programme.factories import MilestoneFactory


def _events(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_of_a_public_instance_is_public_with_stable_uids_and_paris_times(client, region):
    public = CommitteeFactory(territory=region, public=True, name="Conférence régionale")
    meeting = MeetingFactory(committee=public, title="Conférence des acteurs")
    url = reverse("governance:committee_ics", args=[public.pk])
    first = _events(client.get(url))[0]
    assert str(first["UID"]) == f"{meeting.uid}@gouvernance.pacte-des-solidarites"
    assert first["DTSTART"].dt.tzinfo.key == "Europe/Paris"
    assert first["DTSTART"].dt == meeting.starts_at
    assert "DTSTAMP" in first and int(first["SEQUENCE"]) == 0
    update_meeting(meeting, expected_version=meeting.lock_version, place="Angers")
    again = _events(client.get(url))[0]
    assert str(again["UID"]) == str(first["UID"]) and int(again["SEQUENCE"]) == 1
    assert str(again["LOCATION"]) == "Angers"


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(client, region):
    public = CommitteeFactory(territory=region, public=True)
    meeting = MeetingFactory(committee=public)
    cancel_meeting(meeting, reason="Grève des transports")
    event = _events(client.get(reverse("governance:committee_ics", args=[public.pk])))[0]
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_private_feed_needs_the_secret_address_of_someone_who_may_see_it(
    client, committee, commissioner, other_commissioner
):
    MeetingFactory(committee=committee)
    url = reverse("governance:committee_ics", args=[committee.pk])
    assert client.get(url).status_code == 404
    assert client.get(url + "?cle=nimportequoi").status_code == 404
    outsider = issue_calendar_token(other_commissioner)
    assert client.get(f"{url}?cle={outsider}").status_code == 404
    key = issue_calendar_token(commissioner)
    assert len(_events(client.get(f"{url}?cle={key}"))) == 1
    revoke_calendar_tokens(commissioner)
    assert client.get(f"{url}?cle={key}").status_code == 404


def test_the_calendar_token_page_shows_the_key_once(client, committee, commissioner):
    url = reverse("governance:calendar_token")
    client.force_login(commissioner)
    response = client.post(url)
    assert f"/instances/{committee.pk}/calendrier/" in response.content.decode()
    assert "?cle=" not in response.content.decode()
    assert f"/instances/{committee.pk}/calendrier/" not in client.get(url).content.decode()


def test_the_calendar_lists_visible_meetings_and_links_the_pacte_milestones(client, committee, region):
    public = CommitteeFactory(territory=region, public=True, name="Conférence régionale")
    MeetingFactory(committee=public, title="Conférence des acteurs")
    MeetingFactory(committee=committee, title="COPIL privé")
    MilestoneFactory(title="Évaluation à mi-parcours des contrats", status=MilestoneStatus.PLANNED)
    body = client.get(reverse("governance:calendar")).content.decode()
    assert "Conférence des acteurs" in body and "COPIL privé" not in body
    assert "Évaluation à mi-parcours des contrats" in body and "À venir" in body


def test_the_calendar_filters_by_month_and_kind_and_refuses_a_bad_month_in_french(client, region):
    public = CommitteeFactory(territory=region, public=True)
    when = timezone.now() + datetime.timedelta(days=40)
    MeetingFactory(
        committee=public,
        title="Dans quarante jours",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=1),
    )
    MeetingFactory(committee=public, title="Dans dix jours")
    month = timezone.localtime(when).strftime("%Y-%m")
    body = client.get(reverse("governance:calendar") + f"?mois={month}").content.decode()
    assert "Dans quarante jours" in body
    body = client.get(reverse("governance:calendar") + "?mois=2026-13").content.decode()
    assert "Indiquez un mois au format AAAA-MM" in body
    body = client.get(reverse("governance:calendar") + "?type=cnle").content.decode()
    assert "Dans dix jours" not in body


def _populate(region, count: int):
    for index in range(count):
        committee = CommitteeFactory(territory=region, public=True)
        MemberFactory(committee=committee)
        MeetingFactory(committee=committee, title=f"Réunion future {index}")
        MeetingFactory(committee=committee, past=True, title=f"Réunion passée {index}")


@pytest.mark.parametrize("name", ["governance:calendar", "governance:committees"])
def test_calendar_and_list_pages_run_the_same_queries_for_few_or_many_instances(
    client, region, commissioner, django_assert_num_queries, name
):
    client.force_login(commissioner)
    url = reverse(name)
    _populate(region, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _populate(region, 12)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
