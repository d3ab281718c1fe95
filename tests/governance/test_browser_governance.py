"""A public COPIL régional carried through two meetings in Debian's Chromium, each person signed in through the
login page in a browser of their own:

1. the regional commissioner plans a meeting (today, under way) with its agenda and convenes it: the two members
   with an address get an e-mail with the calendar invitation attached (`reunion.ics`);
2. the commissioner records who came (two present, the « personne concernée » excused) and reads the counts by
   college; writes a decision owned by a member, due three days ago, then the minutes, and validates them;
3. the commissioner plans the next meeting: its « suivi des décisions » recalls the open decision, « En retard »;
4. a member (the association seated in the instance) reads the validated minutes;
5. an anonymous visitor sees the public page of the meeting and its decision, not the minutes; the instance's
   ICS feed, public too, has both meetings.

Only the setup (territories, accounts, the instance and its three members) uses the ORM; no page may show a
console error, a CSP violation or an HTTP error.
"""

import datetime

import icalendar
import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from pacte.core.mail import send_pending
from pacte.governance.enums import Attendance, DecisionStatus, MeetingStatus, MemberCategory, MinutesStatus
from pacte.governance.models import Meeting
from tests import browser
from tests.accounts.factories import OrganisationFactory
from tests.browser import CHROMIUM_ARGS, PageWatcher, Person, signed_in_person
from tests.governance.factories import CommitteeFactory, MemberFactory

pytestmark = pytest.mark.browser
chromium_path = browser.chromium_path  # the fixture

COMMITTEE = "COPIL régional Pays de la Loire"
FIRST = "COPIL du printemps"
NEXT = "COPIL d’automne"
AGENDA = ["Bilan des contrats locaux 2024", "Point sur les appels à projets", "Questions diverses"]
DECISION = "Transmettre le bilan des épiceries solidaires aux membres"
MINUTES = "Le COPIL a examiné le bilan 2024 des contrats locaux et arrêté une décision."
CAF = "CAF de Loire-Atlantique"


def local_input(moment: datetime.datetime) -> str:
    """A datetime-local field's value, in Paris time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def plan_meeting(person: Person, title: str, starts_at: datetime.datetime, agenda: list[str]) -> None:
    """From any page: « Gouvernance », the instance, « Nouvelle réunion », the form."""
    page = person.page
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Gouvernance").click()
    page.get_by_role("table").get_by_role("link", name=COMMITTEE).click()
    page.get_by_role("link", name="Nouvelle réunion").click()
    page.get_by_label("Intitulé").fill(title)
    page.get_by_label("Début").fill(local_input(starts_at))
    page.get_by_label("Fin").fill(local_input(starts_at + datetime.timedelta(hours=3)))
    page.get_by_label("Lieu", exact=True).fill("Préfecture de région, Nantes")
    page.get_by_label("Ordre du jour").fill("\n".join(agenda))
    page.get_by_role("button", name="Planifier la réunion").click()
    person.expect_success("La réunion est planifiée. Les membres en activité y sont invités.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def convene(person: Person) -> None:
    page = person.page
    expect(page.locator("#secretariat ~ p")).to_contain_text(
        "2 membres invités avec une adresse électronique"
    )
    page.get_by_role("button", name="Convoquer les membres").click()
    person.expect_success("La convocation est mise en file d'envoi pour 2 membres.")
    expect(page.locator("#secretariat ~ p")).to_contain_text("pour 2 membres")
    expect(page.get_by_role("button", name="Envoyer la modification")).to_be_visible()


def record_attendance(person: Person, members: dict[str, str]) -> None:
    page = person.page
    page.get_by_role("link", name="Présences").click()
    for name, status in members.items():
        page.get_by_label(f"Présence de {name}").select_option(label=status)
    page.get_by_role("button", name="Enregistrer").click()
    person.expect_success("Les présences sont enregistrées.")
    section = page.locator("section[aria-labelledby=presences]")
    badges = section.locator(".fr-badges-group")
    for text in ("3 membres invités", "Présents : 2", "Excusé : 1", "Absent : 0", "Sans réponse : 0"):
        expect(badges).to_contain_text(text)
    by_college = section.get_by_role("table", name="Par collège")
    expected = {  # invited, present, excused, absent
        "Associations de lutte contre la pauvreté": ["1", "1", "0", "0"],
        "Organismes de sécurité sociale": ["1", "1", "0", "0"],
        MemberCategory.LIVED_EXPERIENCE.label: ["1", "0", "1", "0"],
    }
    for college, counts in expected.items():
        row = by_college.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=college, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text(counts)
    expect(page.locator("#content .fr-badge").first).to_have_text("Tenue")


def decide_and_write_minutes(person: Person, owner: str, due: datetime.date) -> None:
    page = person.page
    page.get_by_role("link", name="Nouvelle décision").click()
    page.get_by_label("Décision").fill(DECISION)
    page.get_by_label("Porteur (membre de l'instance)").select_option(label=owner)
    page.get_by_label("Échéance").fill(due.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    person.expect_success("La décision n°1 est enregistrée.")
    decisions = page.get_by_role("table", name="Décisions prises à cette réunion")
    expect(decisions.locator("#decision-1")).to_contain_text(DECISION)
    expect(decisions.locator("#decision-1")).to_contain_text("En retard")

    page.get_by_role("link", name="Compte rendu", exact=True).click()
    page.get_by_label("Compte rendu").fill(MINUTES)
    page.get_by_role("button", name="Enregistrer").click()
    person.expect_success("Le compte rendu est enregistré.")
    minutes = page.locator("section[aria-labelledby=compte-rendu]")
    expect(minutes).to_contain_text("Projet : pas encore visible des membres")
    minutes.get_by_role("button", name="Valider le compte rendu").click()
    person.expect_success("Le compte rendu est validé : les membres de l'instance peuvent le lire.")
    expect(minutes.locator(".fr-badge")).to_have_text("Validé")
    expect(minutes).to_contain_text(MINUTES)


def check_follow_up(person: Person, owner: str, due: datetime.date) -> None:
    """The next meeting's page recalls the open decision of the first one, marked late."""
    follow_up = person.page.get_by_role("table", name="Suivi des décisions précédentes")
    row = follow_up.locator("#decision-1")
    expect(row).to_contain_text(FIRST)
    expect(row).to_contain_text(DECISION)
    expect(row).to_contain_text(owner)
    expect(row).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(row.locator(".fr-badge")).to_have_text(["À faire", "En retard"])
    expect(row).to_have_class("pacte-late")
    expect(person.page.locator("#suivi ~ p")).to_contain_text("encore ouvertes : 1")


def open_first_meeting(person: Person) -> None:
    page = person.page
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Gouvernance").click()
    page.get_by_role("table").get_by_role("link", name=COMMITTEE).click()
    page.locator("section[aria-labelledby=reunions]").get_by_role("link", name=FIRST).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST)


def test_a_commissioner_runs_two_meetings_of_a_public_copil(
    chromium_path,
    live_server,
    transactional_db,
    monkeypatch,
    region,
    loire_atlantique,
    commissioner,
    association_user,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    committee = CommitteeFactory(public=True, territory=region, name=COMMITTEE)
    dora = MemberFactory(
        committee=committee,
        organisation=association_user.organisation,
        person_name="Dora Martin",
        email="dora@example.org",
        category=MemberCategory.ASSOCIATIONS,
    )
    paul = MemberFactory(
        committee=committee,
        organisation=OrganisationFactory(name=CAF, territory=loire_atlantique),
        person_name="Paul Renaud",
        email="paul.renaud@example.org",
        category=MemberCategory.SOCIAL_SECURITY,
    )
    lucie = MemberFactory(committee=committee, lived_experience=True, person_name="Lucie Bernard", email="")
    names = {"commissioner": commissioner.get_full_name(), "member": association_user.get_full_name()}
    owner = dora.display_name
    now = timezone.localtime().replace(second=0, microsecond=0)
    # Under way: convened before its end, its attendance recorded after its start.
    started = now - datetime.timedelta(hours=1)
    next_start = (now + datetime.timedelta(days=14)).replace(hour=14, minute=0)
    due = timezone.localdate() - datetime.timedelta(days=3)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            state = signed_in_person(chromium, live_server.url, commissioner.username, names["commissioner"])
            plan_meeting(state, FIRST, started, AGENDA)
            expect(state.page.locator("section[aria-labelledby=odj] li")).to_have_text(AGENDA)
            convene(state)
            assert send_pending().sent == 2  # the worker's part: the page only queued them
            assert sorted(message.to[0] for message in mail.outbox) == [dora.email, paul.email]
            for message in mail.outbox:
                assert message.subject.startswith(f"Convocation – {COMMITTEE} – {FIRST} – ")
                assert "1. Bilan des contrats locaux 2024" in message.body
                [(filename, content, mimetype)] = message.attachments
                assert (filename, mimetype.split(";")[0]) == ("reunion.ics", "text/calendar")
                [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
                assert str(event["SUMMARY"]) == f"{FIRST} ({COMMITTEE})"
            state.assert_clean("planification et convocation")

            record_attendance(
                state,
                {
                    dora.display_name: Attendance.PRESENT.label,
                    paul.display_name: Attendance.PRESENT.label,
                    lucie.display_name: Attendance.EXCUSED.label,
                },
            )
            decide_and_write_minutes(state, owner, due)
            state.assert_clean("présences, décision et compte rendu")

            plan_meeting(state, NEXT, next_start, ["Suivi des décisions du COPIL du printemps"])
            check_follow_up(state, owner, due)
            state.assert_clean("réunion suivante")

            member = signed_in_person(chromium, live_server.url, association_user.username, names["member"])
            open_first_meeting(member)
            minutes = member.page.locator("section[aria-labelledby=compte-rendu]")
            expect(minutes.locator(".fr-badge")).to_have_text("Validé")
            expect(minutes).to_contain_text(MINUTES)
            expect(member.page.get_by_role("link", name="Compte rendu", exact=True)).to_have_count(0)
            member.assert_clean("lecture du compte rendu")

            context = chromium.new_context(locale="fr-FR", service_workers="block", base_url=live_server.url)
            context.set_default_timeout(10_000)
            page = context.new_page()
            visitor = Person("anonyme", page, PageWatcher(page, live_server.url))
            page.goto("/")
            open_first_meeting(visitor)
            expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
            minutes = page.locator("section[aria-labelledby=compte-rendu]")
            expect(minutes).to_have_text(
                "Compte rendu Le compte rendu est réservé aux membres de l’instance."
            )
            expect(page.get_by_text(MINUTES)).to_have_count(0)
            expect(page.get_by_text("Liste nominative")).to_have_count(0)
            expect(page.locator("#decision-1")).to_contain_text(DECISION)  # a public instance's decision
            page.get_by_role("link", name=COMMITTEE).first.click()
            feed_url = page.get_by_role("link", name="calendrier de l’instance (ICS)").get_attribute("href")
            feed = context.request.get(feed_url)
            assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
            feed_body = feed.body()
            visitor.assert_clean("visite anonyme")
        finally:
            chromium.close()
            connections.close_all()

    events = icalendar.Calendar.from_ical(feed_body).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [f"{FIRST} ({COMMITTEE})", f"{NEXT} ({COMMITTEE})"]
    assert [event.decoded("DTSTART") for event in events] == [started, next_start]
    first, following = Meeting.objects.order_by("starts_at")
    assert (first.status, following.status) == (MeetingStatus.HELD, MeetingStatus.PLANNED)
    assert first.minutes.status == MinutesStatus.VALIDATED
    decision = first.decisions.get()
    assert (decision.owner_member, decision.due_date, decision.status) == (dora, due, DecisionStatus.TODO)
