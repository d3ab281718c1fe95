"""Logs and error reports (issue 16): a request id from nginx or made here, in every log line and in the answer;
lines with their time in Paris (offset included), level and logger, or JSON; ADMINS from PACTE_ADMINS; Sentry
off unless SENTRY_DSN; a 500 page that says the team is told only when it is."""

import io
import json
import logging
import re
import subprocess
import sys
from datetime import datetime
from importlib import util

import pytest
from django.core import mail
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from config import urls as site_urls
from pacte.core import logs, views
from pacte.core import mail as platform_mail
from pacte.core.gunicorn_logger import ParisTimeLogger
from pacte.core.models import OutgoingMail

URL = "/sante/"
GENERATED = re.compile(r"[0-9a-f]{32}")
PARIS_OFFSET = datetime.now(logs.PARIS).isoformat()[-6:]  # +01:00 in winter, +02:00 in summer
LINE = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d) (?P<level>[A-Z]+) (?P<logger>\S+) "
    r"\[(?P<request_id>[^\]]+)\] (?P<message>.*)"
)


def failing_view(request):
    raise ValueError("Dupont Jean, 06 12 34 56 78")  # what an exception's message may hold


# This module is the URLconf of the tests of a real server error (settings.ROOT_URLCONF = __name__).
urlpatterns = [path("panne/", failing_view, name="panne"), *site_urls.urlpatterns]
handler500 = "pacte.core.views.server_error"


# --- Request ids ------------------------------------------------------------------------------------------


def test_a_request_gets_an_id_in_its_answer(client):
    first, second = client.get(URL)["X-Request-ID"], client.get(URL)["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second


def test_the_proxy_id_is_kept_when_it_is_a_safe_token(client):
    assert client.get(URL, HTTP_X_REQUEST_ID="3f2c9ab0-nginx-42")["X-Request-ID"] == "3f2c9ab0-nginx-42"


@pytest.mark.parametrize(
    "sent", ["court", "x" * 65, "un id avec espaces", "abc12345;rm", "abcd1234\nFAUX", "é" * 10, "abc_12345"]
)
def test_an_unsafe_id_is_replaced(client, sent):
    answered = client.get(URL, HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert answered != sent and GENERATED.fullmatch(answered)


def _capture(formatter: logging.Formatter | None = None):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter or logs.TextFormatter())
    handler.addFilter(logs.RequestIdFilter())
    logger = logging.getLogger("pacte.essai")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger, handler, stream


def test_every_line_of_a_request_names_its_time_in_paris_level_logger_and_request_id():
    logger, handler, stream = _capture()
    try:

        def view(request):
            logger.info("dans la demande")
            return HttpResponse("ok")

        middleware = logs.RequestIdMiddleware(view)
        response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="demande-0001"))
        logger.warning("hors demande")
    finally:
        logging.getLogger("pacte.essai").removeHandler(handler)
    inside, outside = [LINE.fullmatch(line) for line in stream.getvalue().splitlines()]
    assert response["X-Request-ID"] == "demande-0001"
    assert (inside["level"], inside["logger"], inside["request_id"], inside["message"]) == (
        "INFO",
        "pacte.essai",
        "demande-0001",
        "dans la demande",
    )
    assert inside["time"].endswith(PARIS_OFFSET)
    assert abs(datetime.fromisoformat(inside["time"]) - datetime.now(logs.PARIS)).total_seconds() < 60
    assert (outside["level"], outside["request_id"]) == ("WARNING", "-")


def test_django_answer_line_names_the_request_after_the_middlewares_are_done():
    logger, handler, stream = _capture()
    request = RequestFactory().get("/")
    request.request_id = "demande-0002"
    try:
        logger.warning("Not Found: /", extra={"request": request, "status_code": 404})
    finally:
        logging.getLogger("pacte.essai").removeHandler(handler)
    assert LINE.fullmatch(stream.getvalue().strip())["request_id"] == "demande-0002"


def test_the_json_format_is_one_parseable_object_per_line_with_the_exception():
    logger, handler, stream = _capture(logs.JsonFormatter())
    try:
        logger.info("bonjour « %s »", "là")
        try:
            raise ZeroDivisionError("division par zéro")
        except ZeroDivisionError:
            logger.exception("échec")
    finally:
        logging.getLogger("pacte.essai").removeHandler(handler)
    plain, failed = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert set(plain) == {"time", "level", "logger", "request_id", "message", "exc_info"}
    assert (plain["level"], plain["logger"], plain["request_id"], plain["message"], plain["exc_info"]) == (
        "INFO",
        "pacte.essai",
        "-",
        "bonjour « là »",
        None,
    )
    assert plain["time"].endswith(PARIS_OFFSET)
    assert failed["level"] == "ERROR" and "ZeroDivisionError" in failed["exc_info"]


# --- The settings, as production reads them ---------------------------------------------------------------

GOOD = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "pacte.example.org", "DATABASE_URL": "postgres://u@h/pacte"}
LOG_TWO_LINES = (
    "import django, logging; django.setup(); log = logging.getLogger('pacte.essai'); log.warning('premier');\n"
    "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('second')"
)


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.base", "TZ": "UTC"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_logs_lines_with_paris_time_level_logger_and_request_id_even_on_a_utc_machine():
    result = _python(LOG_TWO_LINES, GOOD)
    assert result.returncode == 0, result.stderr
    first = LINE.fullmatch(result.stderr.splitlines()[0])
    assert first and first["time"].endswith(PARIS_OFFSET)
    assert (first["level"], first["logger"], first["request_id"], first["message"]) == (
        "WARNING",
        "pacte.essai",
        "-",
        "premier",
    )
    assert "ZeroDivisionError" in result.stderr


def test_production_logs_json_when_asked():
    result = _python(LOG_TWO_LINES, {**GOOD, "PACTE_LOG_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [line["message"] for line in lines] == ["premier", "second"]
    assert "ZeroDivisionError" in lines[1]["exc_info"] and lines[0]["time"].endswith(PARIS_OFFSET)


def test_production_refuses_an_unknown_log_format():
    result = _python("import django; django.setup()", {**GOOD, "PACTE_LOG_FORMAT": "xml"})
    assert result.returncode != 0 and "PACTE_LOG_FORMAT" in result.stderr


def test_production_reads_admins_and_refuses_a_malformed_list_in_french():
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMINS)"
    good = _python(code, {**GOOD, "PACTE_ADMINS": "Équipe Pacte <pacte@exemple.fr>, ops@exemple.fr"})
    assert good.returncode == 0, good.stderr
    assert (
        good.stdout.strip() == "[('Équipe Pacte', 'pacte@exemple.fr'), ('ops@exemple.fr', 'ops@exemple.fr')]"
    )
    bad = _python(code, {**GOOD, "PACTE_ADMINS": "Équipe Pacte <pacte-exemple.fr>"})
    assert bad.returncode != 0
    assert "PACTE_ADMINS : « Équipe Pacte <pacte-exemple.fr> » n'est pas de la forme" in bad.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("a@b.fr", [("a@b.fr", "a@b.fr")]),
        ("Nom Prénom <a@b.fr>,  Autre <c@d.fr> ,", [("Nom Prénom", "a@b.fr"), ("Autre", "c@d.fr")]),
    ],
)
def test_admins_syntax(value, expected):
    assert logs.parse_admins(value) == expected


@pytest.mark.parametrize(
    "value", ["Nom <a@b.fr", "Nom a@b.fr", "<a@b>", "Nom <a@b.fr> <c@d.fr>", "pas une adresse"]
)
def test_admins_syntax_errors_name_the_item(value):
    with pytest.raises(logs.AdminsError, match="PACTE_ADMINS"):
        logs.parse_admins(value)


def test_sentry_is_off_without_dsn_and_a_missing_package_is_told_in_french_at_start():
    code = "import django; django.setup(); from pacte.core import logs; print(logs.sentry_enabled())"
    assert _python(code, GOOD).stdout.strip() == "False"
    with_dsn = _python(code, {**GOOD, "SENTRY_DSN": "https://clef@sentry.exemple.fr/1"})
    if util.find_spec("sentry_sdk") is None:
        assert with_dsn.returncode != 0
        assert "SENTRY_DSN est défini mais le paquet sentry-sdk n'est pas installé" in with_dsn.stderr
    else:  # init only: nothing is sent before an error
        assert with_dsn.returncode == 0, with_dsn.stderr
        assert with_dsn.stdout.strip() == "True"


# --- The 500 page and the mail to ADMINS ------------------------------------------------------------------


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_without_admins_nor_sentry_the_500_page_says_the_error_is_in_the_logs_with_its_reference(
    failing_site, settings
):
    settings.ADMINS = []
    response = failing_site.get("/panne/")
    content = response.content.decode()
    assert response.status_code == 500
    assert "enregistré dans le journal du serveur" in content and "informée" not in content
    assert f"<code>{response['X-Request-ID']}</code>" in content
    assert mail.outbox == []


@pytest.mark.django_db
def test_with_admins_the_500_page_says_the_team_is_told_and_they_get_a_mail_without_personal_data(
    failing_site, settings
):
    settings.ADMINS = [("Équipe Pacte", "pacte@exemple.fr")]
    response = failing_site.get("/panne/", HTTP_X_REQUEST_ID="demande-0500")
    content = response.content.decode()
    assert response.status_code == 500
    assert "L’équipe technique en est informée" in content and "journal du serveur" not in content
    assert "<code>demande-0500</code>" in content
    assert mail.outbox == []  # queued: the error page did not wait for the mail server
    assert OutgoingMail.objects.get().to == ["pacte@exemple.fr"]
    assert platform_mail.send_pending().sent == 1
    (message,) = mail.outbox
    assert message.to == ["pacte@exemple.fr"]
    assert "demande-0500" in message.subject and "ValueError" in message.subject
    assert "Référence de la demande : demande-0500" in message.body and "Vue : panne" in message.body
    assert "failing_view" in message.body
    assert "Dupont" not in message.subject + message.body and "06 12" not in message.body


def test_when_the_queue_cannot_be_written_the_mail_to_admins_is_sent_at_once(
    failing_site, settings, monkeypatch
):
    settings.ADMINS = [("Équipe Pacte", "pacte@exemple.fr")]

    def broken_queue(message):
        raise DatabaseError("la base ne répond pas")

    monkeypatch.setattr(platform_mail, "queue", broken_queue)
    response = failing_site.get("/panne/", HTTP_X_REQUEST_ID="demande-0502")
    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["pacte@exemple.fr"] and "demande-0502" in message.subject


def test_an_answer_logged_without_exception_mails_nobody(client, settings):
    settings.ADMINS = [("Équipe Pacte", "pacte@exemple.fr")]
    response = client.get(URL)  # no worker ever seen: a 503 that django.request logs as an error
    assert response.status_code == 503
    assert mail.outbox == []


def test_the_500_page_never_claims_the_team_is_told_when_only_the_page_is_rendered(rf, settings):
    settings.ADMINS = []
    request = rf.get("/")
    request.request_id = "demande-0501"
    content = views.server_error(request).content.decode()
    assert "<code>demande-0501</code>" in content and "informée" not in content


# --- gunicorn ---------------------------------------------------------------------------------------------


def test_gunicorn_error_log_takes_the_platform_format_and_paris_time(monkeypatch):
    from gunicorn.config import Config

    monkeypatch.delenv("PACTE_LOG_FORMAT", raising=False)
    logger = ParisTimeLogger(Config())
    (handler,) = [h for h in logger.error_log.handlers if getattr(h, "_gunicorn", False)]
    stream = io.StringIO()
    handler.setStream(stream)
    logger.error_log.error("Worker (pid:%s) was sent SIGKILL!", 42)
    line = LINE.fullmatch(stream.getvalue().strip())
    assert line and line["logger"] == "gunicorn.error" and line["time"].endswith(PARIS_OFFSET)
    assert line["request_id"] == "-" and line["message"] == "Worker (pid:42) was sent SIGKILL!"
    assert logger.now().endswith(f"{PARIS_OFFSET.replace(':', '')}]")
