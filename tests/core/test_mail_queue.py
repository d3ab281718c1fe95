"""The queue of outgoing e-mails (`pacte.core.mail`): an action only writes rows, in its own transaction; the
worker's pass sends them with a timeout, retries with a growing delay, gives up after the last attempt, never
logs an address; two passes never send the same mail; sent mails are purged. The proof asked by issue 16: with
the mail server stopped (a real closed port), convening a meeting still answers its redirect, and the mail goes
out once a real SMTP server listens again."""

import datetime
import io
import smtplib
import socket
import socketserver
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from pacte.core import mail as queue
from pacte.core.models import MailStatus, OutgoingMail
from pacte.governance.models import Meeting
from tests.accounts.factories import UserFactory
from tests.governance.factories import CommitteeFactory, MemberFactory, invited_meeting
from tests.territories.factories import RegionFactory

ADDRESS = "dora@example.org"


def message(to=ADDRESS, subject="Convocation") -> EmailMessage:
    return EmailMessage(subject=subject, body="Bonjour.", from_email="pacte@example.gouv.fr", to=[to])


# --- Backends standing for a mail server that fails ----------------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    """A mail server nobody answers for."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        self.open()


class RecipientRefusedBackend(BaseEmailBackend):
    """A server that refuses the recipient for good (550), quoting the address as real servers do."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {messages[0].to[0]: (550, b"5.1.1 unknown user " + ADDRESS.encode())}
        )


class DroppedAfterOneBackend(BaseEmailBackend):
    """A server that takes one message, then drops the connection."""

    sent = 0

    def send_messages(self, messages):
        if DroppedAfterOneBackend.sent:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        DroppedAfterOneBackend.sent += 1
        return len(messages)


# --- Writing the queue ------------------------------------------------------------------------------------


def test_an_action_only_writes_the_queue_and_the_pass_sends_it():
    queue.queue(message())
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts, row.to, mail.outbox) == (MailStatus.PENDING, 0, [ADDRESS], [])
    report = queue.send_pending()
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.SENT, 1, "")
    assert row.sent_at is not None
    assert [sent.to for sent in mail.outbox] == [[ADDRESS]]
    assert queue.send_pending().sent == 0  # sent once


def test_a_rolled_back_action_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue.queue(message())
        raise RuntimeError("the action fails after writing its mail")
    assert not OutgoingMail.objects.exists()
    assert queue.send_pending().sent == 0 and mail.outbox == []


def test_every_part_of_a_message_survives_the_queue():
    original = EmailMultiAlternatives(
        subject="Réunion annulée – COPIL",
        body="Texte brut, accentué : é à ç.",
        from_email="pacte@example.gouv.fr",
        to=[ADDRESS],
        cc=["copie@example.org"],
        bcc=["cachee@example.org"],
        reply_to=["secretariat@example.org"],
        headers={"X-Pacte": "convocation"},
    )
    original.attach_alternative("<p>Texte <strong>HTML</strong></p>", "text/html")
    original.attach("reunion.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=CANCEL")
    original.attach("note.pdf", b"%PDF-1.7\x00\xff binaire", "application/pdf")
    queue.queue(original)
    queue.send_pending()
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email) == (
        original.subject,
        original.body,
        original.from_email,
    )
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        [ADDRESS],
        ["copie@example.org"],
        ["cachee@example.org"],
        ["secretariat@example.org"],
    )
    assert sent.extra_headers == {"X-Pacte": "convocation"}
    assert sent.alternatives == [("<p>Texte <strong>HTML</strong></p>", "text/html")]
    assert [tuple(attachment) for attachment in sent.attachments] == [
        ("reunion.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=CANCEL"),
        ("note.pdf", b"%PDF-1.7\x00\xff binaire", "application/pdf"),
    ]


def test_a_message_that_cannot_be_sent_is_refused_when_queued():
    with pytest.raises(ValueError, match="sans destinataire"):
        queue.queue(EmailMessage(subject="Rien", body="Personne.", to=[]))
    with pytest.raises(ValueError):  # Django's BadHeaderError: a line break in the subject
        queue.queue(message(subject="Deux\nlignes"))
    assert not OutgoingMail.objects.exists()


# --- Failures and retries ------------------------------------------------------------------------------------


def test_a_refused_connection_is_retried_later_then_failed_for_good_without_an_address(settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue.RefusingBackend"
    queue.queue(message())
    row = OutgoingMail.objects.get()
    now = timezone.now()
    delays = []
    with caplog.at_level("INFO", logger="pacte.core.mail"):
        for attempt in range(1, 9):
            report = queue.send_pending(now=now)
            row.refresh_from_db()
            assert row.attempts == attempt
            assert row.last_error == "ConnectionRefusedError (errno 111)"
            if attempt < 8:
                assert (report.retried, row.status) == (1, MailStatus.PENDING)
                delays.append(round((row.next_attempt_at - now).total_seconds() / 60))
                assert (
                    queue.send_pending(now=row.next_attempt_at - datetime.timedelta(seconds=1)).retried == 0
                )
                now = row.next_attempt_at
    assert delays == [1, 5, 15, 60, 180, 360, 720]
    assert (report.failed, row.status) == (1, MailStatus.FAILED)
    assert queue.send_pending(now=now + datetime.timedelta(days=1)).failed == 0  # never tried again
    assert ADDRESS not in caplog.text and "Convocation" not in caplog.text
    [final] = [record for record in caplog.records if record.levelname == "ERROR"]
    assert final.getMessage() == (
        f"courriel {row.pk} : échec définitif après 8 tentative(s) (ConnectionRefusedError (errno 111))"
    )


def test_the_number_of_attempts_is_a_setting(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue.RefusingBackend"
    settings.PACTE_MAIL_MAX_ATTEMPTS = 2
    queue.queue(message())
    queue.send_pending()
    assert queue.send_pending(now=timezone.now() + datetime.timedelta(minutes=2)).failed == 1


def test_a_recipient_refused_for_good_is_not_retried_and_its_address_is_not_kept(settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue.RecipientRefusedBackend"
    queue.queue(message())
    with caplog.at_level("INFO", logger="pacte.core.mail"):
        report = queue.send_pending()
    row = OutgoingMail.objects.get()
    assert (report.failed, row.status, row.attempts) == (1, MailStatus.FAILED, 1)
    assert row.last_error == "SMTPRecipientsRefused (code SMTP 550)"
    assert ADDRESS not in caplog.text


def test_a_connection_lost_fails_the_rest_of_the_pass_at_once(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue.DroppedAfterOneBackend"
    DroppedAfterOneBackend.sent = 0
    for number in range(3):
        queue.queue(message(subject=f"Message {number}"))
    report = queue.send_pending()
    assert (report.sent, report.retried) == (1, 2)
    assert DroppedAfterOneBackend.sent == 1
    waiting = OutgoingMail.objects.filter(status=MailStatus.PENDING)
    assert sorted(waiting.values_list("last_error", flat=True)) == ["SMTPServerDisconnected"] * 2


def test_a_mail_claimed_by_another_pass_is_not_sent_twice():
    queue.queue(message())
    now = timezone.now()
    [claimed] = queue._claim(10, now)  # another worker's pass, still sending
    assert queue.send_pending(now=now).sent == 0 and mail.outbox == []
    # That worker died while sending: the mail is due again once the claim runs out.
    assert queue.send_pending(now=now + queue.CLAIM_FOR).sent == 1
    assert OutgoingMail.objects.get(pk=claimed.pk).status == MailStatus.SENT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections writing at once: PostgreSQL")
def test_two_workers_sending_at_once_send_each_mail_once(transactional_db):
    for number in range(40):
        queue.queue(message(subject=f"Message {number}"))
    start, reports = threading.Barrier(2), []

    def worker():
        try:
            start.wait()
            reports.append(queue.send_pending(limit=40))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(report.sent for report in reports) == 40
    assert sorted(sent.subject for sent in mail.outbox) == sorted(f"Message {number}" for number in range(40))
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 40


def test_a_pass_sends_at_most_its_limit():
    for number in range(3):
        queue.queue(message(subject=f"Message {number}"))
    assert queue.send_pending(limit=2).sent == 2
    assert queue.send_pending(limit=2).sent == 1


# --- Upkeep ------------------------------------------------------------------------------------------------


def test_sent_and_failed_mails_are_purged_after_the_retention_period_never_waiting_ones(settings):
    now = timezone.now()
    old, recent = now - datetime.timedelta(days=31), now - datetime.timedelta(days=29)
    kept_sent = OutgoingMail.objects.create(
        subject="récent", to=[ADDRESS], status=MailStatus.SENT, sent_at=recent
    )
    OutgoingMail.objects.create(subject="ancien", to=[ADDRESS], status=MailStatus.SENT, sent_at=old)
    OutgoingMail.objects.create(subject="échoué", to=[ADDRESS], status=MailStatus.FAILED, created_at=old)
    waiting = OutgoingMail.objects.create(subject="en attente", to=[ADDRESS], created_at=old)
    assert queue.purge(now=now) == 2
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {kept_sent.pk, waiting.pk}
    settings.PACTE_MAIL_RETENTION_DAYS = 7
    assert queue.purge(now=now) == 1


def test_the_sender_thread_sends_while_the_worker_runs(transactional_db):
    queue.queue(message())
    with queue.Sender(every=0.05):
        deadline = time.monotonic() + 10
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [sent.to for sent in mail.outbox] == [[ADDRESS]]
    assert OutgoingMail.objects.get().status == MailStatus.SENT


# --- The command and the admin -----------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("courriels", *args, stdout=out)
    return out.getvalue()


def test_the_command_sends_tells_the_state_and_purges_in_french_and_english(settings):
    assert run("etat") == ("en attente : 0\nenvoyé : 0\néchec définitif : 0\nAucun courriel en attente.\n")
    queue.queue(message())
    assert run("status").startswith(
        "en attente : 1\nenvoyé : 0\néchec définitif : 0\nPlus ancien courriel en attente : créé le "
    )
    assert run("envoyer") == "Courriels envoyés : 1 ; à retenter plus tard : 0 ; en échec définitif : 0.\n"
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue.RefusingBackend"
    queue.queue(message())
    assert run("send", "--limite", "5") == (
        "Courriels envoyés : 0 ; à retenter plus tard : 1 ; en échec définitif : 0.\n"
    )
    OutgoingMail.objects.filter(status=MailStatus.SENT).update(
        sent_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert run("purger") == "Courriels supprimés : 1.\n"
    assert run("purge", "--jours", "0") == "Courriels supprimés : 0.\n"  # the waiting one stays
    with pytest.raises(CommandError, match="--limite"):
        run("envoyer", "--limite", "0")


def test_the_admin_lists_the_queue_read_only_and_resends_now(client, settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue.RecipientRefusedBackend"
    queue.queue(message(subject="Convocation – COPIL"))
    queue.send_pending()
    row = OutgoingMail.objects.get()
    assert row.status == MailStatus.FAILED
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:core_outgoingmail_changelist")).content.decode()
    assert "Convocation – COPIL" in listing and "échec définitif" in listing
    assert client.get(reverse("admin:core_outgoingmail_add")).status_code == 403
    response = client.post(
        reverse("admin:core_outgoingmail_changelist"),
        {"action": "resend_now", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "1 courriel remis en file d&#x27;envoi" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.PENDING, 0, "")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert queue.send_pending().sent == 1


# --- The proof: a stopped mail server turns no page into a 500 -----------------------------------------------


class SmtpSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server on 127.0.0.1 keeping what it receives: (recipients, raw message)."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), SmtpHandler)
        self.received: list[tuple[list[str], bytes]] = []

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        recipients, lines, in_data = [], [], False
        while line := self.rfile.readline():
            if in_data:
                if line == b".\r\n":
                    self.server.received.append((recipients, b"".join(lines)))
                    recipients, lines, in_data = [], [], False
                    self.reply("250 OK")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
            if verb == b"DATA":
                in_data = True
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            elif verb in (b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Command not implemented")


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return settings.EMAIL_PORT


@pytest.fixture
def convened_cast():
    region = RegionFactory(code="52", name="Pays de la Loire")
    commissioner = UserFactory(username="alice", commissioner=True, territory=region)
    committee = CommitteeFactory(territory=region, name="COPIL régional Pays de la Loire")
    MemberFactory(committee=committee, person_name="Dora Martin", email=ADDRESS)
    return commissioner, invited_meeting(committee=committee, title="COPIL d'automne")


def test_with_the_mail_server_stopped_convening_answers_and_the_mail_goes_out_later(
    client, smtp_server_down, convened_cast, caplog
):
    commissioner, meeting = convened_cast
    client.force_login(commissioner)
    # Before the queue, the page sent the mail itself: ConnectionRefusedError, a 500.
    response = client.post(reverse("governance:meeting_convene", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert Meeting.objects.get(pk=meeting.pk).invitations_sent_at is not None
    row = OutgoingMail.objects.get()
    assert (row.status, row.to) == (MailStatus.PENDING, [ADDRESS])

    now = timezone.now()
    with caplog.at_level("INFO", logger="pacte.core.mail"):
        report = queue.send_pending(now=now)  # the real SMTP backend against the closed port: no exception
    row.refresh_from_db()
    assert (report.sent, report.retried, row.attempts, row.status) == (0, 1, 1, MailStatus.PENDING)
    assert row.next_attempt_at == now + datetime.timedelta(minutes=1)
    assert row.last_error == "ConnectionRefusedError (errno 111)"
    assert ADDRESS not in caplog.text

    with SmtpSink(smtp_server_down) as sink:
        assert queue.send_pending(now=row.next_attempt_at).sent == 1
    [(recipients, raw)] = sink.received
    assert recipients == [ADDRESS]
    sent = message_from_bytes(raw)
    subject = str(make_header(decode_header(sent["Subject"])))
    assert subject.startswith("Convocation – COPIL régional Pays de la Loire – COPIL d'automne – ")
    [calendar] = [part for part in sent.walk() if part.get_filename() == "reunion.ics"]
    assert b"BEGIN:VCALENDAR" in calendar.get_payload(decode=True)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.SENT, 2)


def test_with_the_mail_server_stopped_cancelling_answers_too(client, smtp_server_down, convened_cast):
    commissioner, meeting = convened_cast
    client.force_login(commissioner)
    client.post(reverse("governance:meeting_convene", args=[meeting.pk]))
    response = client.post(
        reverse("governance:meeting_cancel", args=[meeting.pk]), {"reason": "Préfet absent"}
    )
    assert response.status_code == 302
    assert OutgoingMail.objects.count() == 2 and Meeting.objects.get(pk=meeting.pk).is_cancelled


def test_a_mail_server_that_never_answers_costs_the_timeout_not_the_page(smtp_server_down, settings):
    """A server that accepts the connection and says nothing: the pass waits EMAIL_TIMEOUT, once."""
    settings.EMAIL_TIMEOUT = 1
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", smtp_server_down))
        silent.listen(5)
        for number in range(3):
            queue.queue(message(subject=f"Message {number}"))
        started = time.monotonic()
        report = queue.send_pending()
        elapsed = time.monotonic() - started
    assert report.retried == 3 and elapsed < 5
    assert set(OutgoingMail.objects.values_list("last_error", flat=True)) == {"SMTPServerDisconnected"}


def test_the_trial_sends_at_once_outside_the_queue_and_explains_a_refusal_in_french(smtp_server_down):
    with pytest.raises(CommandError) as refused:
        run("essayer", "exploitant@example.org")
    assert str(refused.value) == (
        f"Le serveur de courriel (127.0.0.1:{smtp_server_down}) n'a pas accepté l'essai : ConnectionRefusedError "
        "(errno 111). Vérifiez EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS et les identifiants."
    )
    with pytest.raises(CommandError, match="ADRESSE : « pas-une-adresse » n'est pas une adresse"):
        run("test", "pas-une-adresse")
    with SmtpSink(smtp_server_down) as sink:
        out = run("essayer", "exploitant@example.org")
    assert (
        out
        == "Courriel d'essai envoyé à exploitant@example.org par django.core.mail.backends.smtp.EmailBackend.\n"
    )
    assert [recipients for recipients, _ in sink.received] == [["exploitant@example.org"]]
    assert not OutgoingMail.objects.exists()
