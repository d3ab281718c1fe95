"""Issue 15, governance: a meeting's title (and an instance's name) holds on one line, so « Convoquer » cannot
fail on a line break (finding 3); the secret key of a calendar feed travels in the path, never reaches the
platform's logs, and the page that shows it once is never stored (finding 6)."""

import datetime
import html
import logging
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pacte.core.mail import send_pending
from pacte.governance.logs import HideCalendarKeys, hide_calendar_keys
from pacte.governance.models import Meeting
from pacte.governance.services.calendar_tokens import issue_calendar_token, revoke_calendar_tokens
from pacte.governance.services.meetings import create_meeting
from tests.governance.factories import CommitteeFactory, MeetingFactory
from tests.helpers import is_login

LINE_BREAK = "Le champ « Intitulé » tient sur une seule ligne : retirez un retour à la ligne."


def _meeting_data(**changes) -> dict:
    return {
        "title": "COPIL de juin",
        "starts_at": "2030-06-10T14:00",
        "ends_at": "2030-06-10T16:30",
        "place": "Préfecture de région, Nantes",
        "agenda": "Bilan des pactes locaux\nFeuille de route des GT",
        **changes,
    }


# --- One-line titles ---------------------------------------------------------------------------------------


def test_a_meeting_title_with_a_line_break_is_refused_in_french_naming_the_field(
    client, committee, commissioner, other_commissioner
):
    url = reverse("governance:meeting_create", args=[committee.pk])
    data = _meeting_data(title="COPIL\nde juin")
    assert is_login(client.post(url, data))
    client.force_login(other_commissioner)
    assert client.post(url, data).status_code == 404
    client.force_login(commissioner)
    response = client.post(url, data)
    assert response.status_code == 200
    assert LINE_BREAK in response.content.decode()
    assert not Meeting.objects.exists()
    assert client.post(url, _meeting_data()).status_code == 302  # the agenda keeps its lines


def test_changing_a_meeting_title_to_two_lines_is_refused(client, upcoming, commissioner):
    client.force_login(commissioner)
    start = timezone.localtime(upcoming.starts_at)
    response = client.post(
        reverse("governance:meeting_edit", args=[upcoming.pk]),
        _meeting_data(
            title="COPIL\r\nd'automne",
            starts_at=start.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            lock_version=upcoming.lock_version,
        ),
    )
    assert response.status_code == 200
    assert (
        "tient sur une seule ligne : retirez un retour chariot et un retour à la ligne."
        in response.content.decode()
    )
    upcoming.refresh_from_db()
    assert upcoming.title == "COPIL d'automne"


def test_the_services_refuse_a_title_or_a_name_on_two_lines(committee):
    starts = timezone.now() + datetime.timedelta(days=5)
    with pytest.raises(ValidationError) as refused:
        create_meeting(
            committee, title="COPIL\tde juin", starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
        )
    assert refused.value.message_dict["title"] == [
        "Le champ « intitulé » tient sur une seule ligne : retirez une tabulation."
    ]
    committee.name = "COPIL\nrégional"
    with pytest.raises(ValidationError) as refused:
        committee.full_clean()
    assert "nom" in refused.value.message_dict["name"][0]


def test_convening_a_meeting_saved_with_a_line_break_in_its_title_sends_one_line_subjects(
    client, upcoming, commissioner, other_commissioner
):
    """A title saved before the rule: « Convoquer » used to fail with BadHeaderError (a 500)."""
    Meeting.objects.filter(pk=upcoming.pk).update(title="COPIL\nd'automne\r\n")
    url = reverse("governance:meeting_convene", args=[upcoming.pk])
    assert is_login(client.post(url))
    client.force_login(other_commissioner)
    assert client.post(url).status_code == 404
    client.force_login(commissioner)
    response = client.post(url)
    assert response.status_code == 302
    assert send_pending().sent == 1
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert subject.startswith("Convocation – COPIL régional Pays de la Loire – COPIL d'automne – ")
    assert not re.search(r"[\r\n\t]", subject)


def test_a_cancellation_reason_on_two_lines_is_refused_with_its_own_message(client, upcoming, commissioner):
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:meeting_cancel", args=[upcoming.pk]),
        {"reason": "Grève\ndes transports"},
        follow=True,
    )
    assert "Le champ « Motif de l'annulation » tient sur une seule ligne" in html.unescape(
        response.content.decode()
    )
    upcoming.refresh_from_db()
    assert not upcoming.is_cancelled


# --- The calendar key --------------------------------------------------------------------------------------


def _key_url(committee, key: str) -> str:
    return reverse("governance:committee_ics_key", kwargs={"pk": committee.pk, "cle": key})


def test_the_secret_address_carries_the_key_in_its_path(client, committee, commissioner, other_commissioner):
    MeetingFactory(committee=committee)
    client.force_login(commissioner)
    body = client.post(reverse("governance:calendar_token")).content.decode()
    assert "?cle=" not in body
    key = re.search(rf"/gouvernance/instances/{committee.pk}/calendrier/([\w-]+)\.ics", body).group(1)
    client.logout()
    response = client.get(_key_url(committee, key))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    outsider = issue_calendar_token(other_commissioner)
    assert client.get(_key_url(committee, outsider)).status_code == 404
    assert client.get(_key_url(committee, "nimportequoi")).status_code == 404
    revoke_calendar_tokens(commissioner)
    assert client.get(_key_url(committee, key)).status_code == 404


def test_a_public_instance_ignores_a_key_in_its_path(client, region):
    public = CommitteeFactory(territory=region, public=True)
    assert client.get(_key_url(public, "nimportequoi")).status_code == 200


def test_the_old_query_string_address_keeps_working_for_subscribed_calendars(client, committee, commissioner):
    MeetingFactory(committee=committee)
    key = issue_calendar_token(commissioner)
    url = reverse("governance:committee_ics", args=[committee.pk])
    response = client.get(f"{url}?cle={key}")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content


def test_a_refused_key_never_reaches_the_platform_logs(
    client, committee, commissioner, other_commissioner, caplog
):
    revoked = issue_calendar_token(commissioner)
    revoke_calendar_tokens(commissioner)
    outsider = issue_calendar_token(other_commissioner)
    with caplog.at_level(logging.INFO):
        for key in (revoked, outsider):
            assert (
                client.get(f"/gouvernance/instances/{committee.pk}/calendrier/{key}.ics").status_code == 404
            )
            url = reverse("governance:committee_ics", args=[committee.pk])
            assert client.get(f"{url}?cle={key}").status_code == 404
    assert revoked not in caplog.text and outsider not in caplog.text
    assert f"/gouvernance/instances/{committee.pk}/calendrier/[clé masquée].ics" in caplog.text


def test_the_development_server_access_line_is_masked_too():
    key = "AbCdEf_0123-xyz"
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /gouvernance/instances/3/calendrier.ics?cle={key}&x=1 HTTP/1.1", "200", "512"),
        None,
    )
    assert HideCalendarKeys().filter(record)
    assert (
        record.getMessage()
        == '"GET /gouvernance/instances/3/calendrier.ics?cle=[clé masquée]&x=1 HTTP/1.1" 200 512'
    )
    assert hide_calendar_keys(f"GET /gouvernance/instances/3/calendrier/{key}.ics") == (
        "GET /gouvernance/instances/3/calendrier/[clé masquée].ics"
    )
    assert logging.getLogger("django.server").filters and logging.getLogger("django.request").filters


def test_the_page_that_shows_the_key_once_is_never_stored(
    client, committee, commissioner, other_commissioner
):
    url = reverse("governance:calendar_token")
    assert is_login(client.get(url))
    for user in (commissioner, other_commissioner):
        client.force_login(user)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # charlie's page holds charlie's key for his own instances, never alice's COPIL.
    assert f"/instances/{committee.pk}/" not in response.content.decode()


def test_gunicorn_access_log_masks_the_key_when_started_with_the_project_logger_class():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from pacte.governance.gunicorn_logger import AccessLogWithoutKeys

    key = "AbCdEf_0123-xyz"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/gouvernance/instances/3/calendrier/{key}.ics",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/gouvernance/instances/3/calendrier/{key}.ics",
        "QUERY_STRING": f"cle={key}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = AccessLogWithoutKeys(Config()).atoms(response, SimpleNamespace(headers=[]), environ, timedelta(0))
    assert atoms["r"] == "GET /gouvernance/instances/3/calendrier/[clé masquée].ics HTTP/1.1"
    assert atoms["U"] == "/gouvernance/instances/3/calendrier/[clé masquée].ics"
    assert atoms["q"] == "cle=[clé masquée]"
    assert key not in repr(atoms)
