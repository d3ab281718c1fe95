"""The notifications' entry point (`pacte.accounts.notifications.notify`): after the commit only, per the user's
frequency, never to an inactive user, a user without an address or the one who acted; the daily digest
(`pacte notifications resume`): one mail per user, idempotent, safe when two runs meet; the choice on « Mon compte »."""

import datetime
from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from pacte.accounts import notifications
from pacte.accounts.enums import NotificationFrequency
from pacte.accounts.forms import NotificationFrequencyForm
from pacte.accounts.models import Notification
from pacte.core.models import OutgoingMail
from tests.accounts.factories import UserFactory
from tests.helpers import page

SITE = "https://pacte.example.gouv.fr"
URL = "/contrats/1/rapports/2025/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PACTE_SITE_URL = SITE


def addresses() -> list[str]:
    return sorted(address for row in OutgoingMail.objects.all() for address in row.to)


def event(recipients, **kwargs):
    """A report filed, as `contracts.notifications` tells it."""
    return notifications.notify(
        "rapport_depose",
        recipients=recipients,
        subject="Rapport d'exécution 2025 déposé – Loire-Atlantique",
        url=URL,
        context={"report": {"year": 2025}, "contract": {"signatory_name": "Loire-Atlantique"}},
        **kwargs,
    )


def test_an_event_is_mailed_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    agent = UserFactory(username="denis", first_name="Denis", last_name="Petit", email="denis@ddets.gouv.fr")
    with django_capture_on_commit_callbacks() as callbacks:
        assert event([agent]) == 1
        assert not OutgoingMail.objects.exists()  # nothing written before the commit
    for callback in callbacks:
        callback()
    row = OutgoingMail.objects.get()
    assert row.to == ["denis@ddets.gouv.fr"]
    assert row.subject == "Pacte – Rapport d'exécution 2025 déposé – Loire-Atlantique"
    assert row.body.startswith("Bonjour Denis Petit,")
    assert f"Examiner le rapport : {SITE}{URL}" in row.body
    # The footer says how to change the frequency, with the full address of « Mon compte ».
    assert f"« Mon compte » : {SITE}/comptes/profil/" in row.body
    assert "« À chaque événement »" in row.body
    assert django_mail.outbox == []  # queued, not sent by the action


def test_each_frequency_is_respected(django_capture_on_commit_callbacks):
    each = UserFactory(notification_frequency=NotificationFrequency.IMMEDIATE)
    daily = UserFactory(notification_frequency=NotificationFrequency.DAILY)
    never = UserFactory(notification_frequency=NotificationFrequency.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert event([each, daily, never]) == 2
    assert addresses() == [each.email]
    kept = Notification.objects.get()
    assert (kept.user, kept.event, kept.url, kept.sent_at) == (daily, "rapport_depose", URL, None)
    assert kept.subject == "Rapport d'exécution 2025 déposé – Loire-Atlantique"


def test_inactive_users_users_without_an_address_and_the_actor_are_skipped(
    django_capture_on_commit_callbacks,
):
    told = UserFactory()
    actor = UserFactory()
    inactive = UserFactory(is_active=False)
    without_address = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        assert event([told, told, actor, inactive, without_address, None], actor=actor) == 1
    assert addresses() == [told.email]


def test_nobody_to_tell_registers_nothing(django_capture_on_commit_callbacks):
    never = UserFactory(notification_frequency=NotificationFrequency.NONE)
    with django_capture_on_commit_callbacks() as callbacks:
        assert event([never]) == 0
    assert callbacks == []


def test_a_muted_block_tells_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), notifications.muted():
        assert event([UserFactory()]) == 0
    assert not OutgoingMail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert event([UserFactory()]) == 1  # unmuted again after the block


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_sends_nothing_and_a_committed_one_does():
    agent = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        event([agent])
        raise RuntimeError("the action fails after notifying")
    assert not OutgoingMail.objects.exists()
    with transaction.atomic():
        event([agent])
        assert not OutgoingMail.objects.exists()
    assert addresses() == [agent.email]


def test_a_subject_is_kept_on_one_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            "rapport_depose",
            recipients=[UserFactory()],
            subject="Rapport déposé –\nBcc: intrus@example.org",
            url=URL,
            context={"report": {"year": 2025}, "contract": {"signatory_name": "X"}},
        )
    assert OutgoingMail.objects.get().subject == "Pacte – Rapport déposé – Bcc: intrus@example.org"


# --- The daily digest ---------------------------------------------------------------------------------------


def keep(user, subject: str, url: str = URL, **fields) -> Notification:
    return Notification.objects.create(user=user, event="rapport_depose", subject=subject, url=url, **fields)


def digest(*args) -> str:
    out = StringIO()
    call_command("notifications", "resume", *args, stdout=out)
    return out.getvalue()


def test_the_digest_sends_one_mail_per_user_with_every_item_then_nothing_more():
    alice = UserFactory(first_name="Alice", last_name="Martin", notification_frequency="quotidien")
    bob = UserFactory(notification_frequency="quotidien")
    keep(alice, "Rapport d'exécution 2025 déposé – Loire-Atlantique")
    keep(alice, "Convention soumise à l'État – Vendée", url="/contrats/2/")
    keep(bob, "Candidature déposée – Appel 2026 – Entraide")
    out = digest()
    assert "Résumés mis en file d'envoi : 2 ; événements résumés : 3" in out
    assert addresses() == sorted([alice.email, bob.email])
    body = OutgoingMail.objects.get(to=[alice.email]).body
    assert OutgoingMail.objects.get(to=[alice.email]).subject == "Pacte – votre résumé du jour (2 événements)"
    assert body.startswith("Bonjour Alice Martin,")
    assert "- Rapport d'exécution 2025 déposé – Loire-Atlantique (" in body
    assert f"  {SITE}{URL}\n" in body and f"  {SITE}/contrats/2/\n" in body
    assert f"{SITE}/comptes/profil/" in body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    # Idempotent: run again, nothing more is queued.
    assert "Résumés mis en file d'envoi : 0 ; événements résumés : 0" in digest()
    assert OutgoingMail.objects.count() == 2


def test_the_digest_gives_full_links_with_the_site_address_of_the_command(settings):
    settings.PACTE_SITE_URL = ""
    keep(UserFactory(notification_frequency="quotidien"), "Convention signée – Vendée")
    digest("--adresse-site", "https://pacte.autre.gouv.fr/")
    assert "  https://pacte.autre.gouv.fr/contrats/1/rapports/2025/\n" in OutgoingMail.objects.get().body


def test_the_digest_refuses_a_malformed_site_address():
    with pytest.raises(CommandError) as error:
        digest("--adresse-site", "pacte")
    assert str(error.value).startswith("--adresse-site : « pacte » n'est pas une adresse de site valide")


def test_the_items_of_a_user_who_can_no_longer_be_reached_are_dropped_without_a_mail():
    keep(UserFactory(is_active=False), "A")
    keep(UserFactory(email=""), "B")
    keep(UserFactory(notification_frequency=NotificationFrequency.NONE), "C")
    assert "abandonnés (compte inactif, sans adresse ou sans courriel) : 3" in digest()
    assert not OutgoingMail.objects.exists()
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_an_item_claimed_by_another_run_is_not_sent_twice():
    """Two runs at once: the rows one run has claimed (sent_at set, under its lock) are no longer pending for the
    other, whose conditional update finds nothing left to take."""
    user = UserFactory(notification_frequency="quotidien")
    keep(user, "A")
    now = timezone.now()
    Notification.objects.update(sent_at=now)  # the other run won the claim after this run listed the user
    assert notifications._digest_of(user.pk, now, None) == (0, 0)
    assert not OutgoingMail.objects.exists()


def test_items_kept_after_the_run_started_wait_for_the_next_digest():
    user = UserFactory(notification_frequency="quotidien")
    now = timezone.now()
    keep(user, "later", created_at=now + datetime.timedelta(seconds=5))
    assert notifications.send_digests(now=now).items == 0
    assert Notification.objects.get().sent_at is None


def test_items_sent_long_ago_are_deleted(settings):
    settings.PACTE_MAIL_RETENTION_DAYS = 30
    user = UserFactory(notification_frequency="quotidien")
    now = timezone.now()
    keep(user, "old", sent_at=now - datetime.timedelta(days=31))
    recent = keep(user, "recent", sent_at=now - datetime.timedelta(days=29))
    assert notifications.send_digests(now=now).purged == 1
    assert list(Notification.objects.all()) == [recent]


def test_the_english_alias_runs_the_digest():
    keep(UserFactory(notification_frequency="quotidien"), "A")
    out = StringIO()
    call_command("notifications", "digest", stdout=out)
    assert OutgoingMail.objects.count() == 1


# --- « Mon compte » ----------------------------------------------------------------------------------------


def test_the_frequency_is_stored_and_a_wrong_one_refused_in_french():
    user = UserFactory()
    notifications.set_frequency(user, NotificationFrequency.DAILY)
    user.refresh_from_db()
    assert user.notification_frequency == "quotidien"
    with pytest.raises(ValidationError) as error:
        notifications.set_frequency(user, "hebdomadaire")
    assert error.value.message_dict["notification_frequency"] == [
        "Courriels de notification : choisissez l’une des trois possibilités proposées."
    ]


def test_the_form_offers_the_three_frequencies_and_names_the_field_in_its_errors():
    form = NotificationFrequencyForm({"notification_frequency": "hebdomadaire"})
    assert not form.is_valid()
    assert form.errors["notification_frequency"] == [
        "Courriels de notification : choisissez l’une des trois possibilités proposées."
    ]
    assert [value for value, _label in form.fields["notification_frequency"].choices] == [
        "immediat",
        "quotidien",
        "aucun",
    ]
    assert NotificationFrequencyForm({"notification_frequency": "aucun"}).is_valid()


def test_the_profile_page_shows_the_notifications_section(client):
    user = UserFactory(notification_frequency=NotificationFrequency.DAILY)
    html = page(client, "/comptes/profil/", user)
    assert "Courriels de notification" in html
    assert "jamais de données sur les ménages" in html


def test_the_profile_page_says_when_the_account_has_no_address(client):
    html = page(client, "/comptes/profil/", UserFactory(email=""))
    assert "Aucune adresse électronique n’est enregistrée pour votre compte" in html


def test_the_admin_lists_the_digest_items_read_only(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    keep(UserFactory(notification_frequency="quotidien"), "Convention signée – Vendée")
    assert "Convention signée – Vendée" in page(client, "/admin/accounts/notification/", admin)
    assert client.get("/admin/accounts/notification/add/").status_code == 403
