"""French text of the governance pages (issue 17, items 6 and 8): a person's attendance is written in a neutral
form (« Céline Morin : présence », never « Présent » beside a woman's name), and a demo person carries the
« donnée fictive » badge."""

import pytest
from django.urls import reverse

from pacte.governance.enums import Attendance
from pacte.governance.services.attendance import sync_attendances
from tests.accounts.factories import UserFactory
from tests.governance.factories import MemberFactory, invited_meeting
from tests.helpers import page


@pytest.fixture
def meeting():
    meeting = invited_meeting(past=True)
    committee = meeting.committee
    celine = MemberFactory(committee=committee, person_name="Céline Morin", is_demo=True)
    marc = MemberFactory(committee=committee, person_name="Marc Leroy")
    sync_attendances(meeting)
    meeting.attendances.filter(member=celine).update(status=Attendance.PRESENT)
    meeting.attendances.filter(member=marc).update(status=Attendance.EXCUSED)
    return meeting


def _item(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</li>", start)]


@pytest.mark.django_db
def test_attendance_is_written_in_a_neutral_form(client, meeting):
    html = page(client, reverse("governance:meeting", args=[meeting.pk]), UserFactory(national=True))
    celine, marc = _item(html, "Céline Morin"), _item(html, "Marc Leroy")
    assert ": présence" in celine
    assert "Présent" not in celine
    assert ": absence excusée" in marc
    assert "Excusé" not in marc


@pytest.mark.django_db
def test_demo_person_is_flagged_in_the_meeting_and_the_committee(client, meeting):
    user = UserFactory(national=True)
    html = page(client, reverse("governance:meeting", args=[meeting.pk]), user)
    assert "donnée fictive" in _item(html, "Céline Morin")
    assert "donnée fictive" not in _item(html, "Marc Leroy")
    html = page(client, reverse("governance:committee", args=[meeting.committee.pk]), user)
    row = html[html.index("Céline Morin") : html.index("</tr>", html.index("Céline Morin"))]
    assert "donnée fictive" in row


@pytest.mark.django_db
def test_attendance_form_flags_a_demo_person(client, meeting):
    html = page(
        client, reverse("governance:meeting_attendance", args=[meeting.pk]), UserFactory(national=True)
    )
    row = html[html.index("Céline Morin") : html.index("</td>", html.index("Céline Morin"))]
    assert "donnée fictive" in row


@pytest.mark.django_db
def test_names_stay_hidden_from_an_anonymous_visitor(client, meeting):
    meeting.committee.is_public = True
    meeting.committee.save()
    response = client.get(reverse("governance:meeting", args=[meeting.pk]))
    assert "Céline Morin" not in response.content.decode()
