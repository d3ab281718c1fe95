"""Every page with an allowed user, a user of the same role outside the scope, and an anonymous visitor."""

import datetime
import html

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pacte.core.mail import send_pending
from pacte.core.models import OutgoingMail
from pacte.governance.enums import DecisionStatus, MeetingStatus, MinutesStatus
from pacte.governance.models import Decision, Document, Meeting, Minutes
from pacte.governance.services.common import NEW
from pacte.governance.services.meetings import update_meeting
from tests.accounts.factories import UserFactory
from tests.governance.factories import (
    PDF,
    CommitteeFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    invited_meeting,
)
from tests.helpers import assert_access, is_login

MANAGER_PAGES = [
    ("governance:committee_edit", "committee"),
    ("governance:member_create", "committee"),
    ("governance:meeting_create", "committee"),
    ("governance:committee_history", "committee"),
    ("governance:meeting_edit", "upcoming"),
    ("governance:meeting_attendance", "meeting"),
    ("governance:document_add", "meeting"),
    ("governance:minutes_edit", "meeting"),
    ("governance:decision_create", "meeting"),
]


@pytest.mark.parametrize(("name", "target"), MANAGER_PAGES)
def test_management_pages_answer_the_commissioner_of_the_region_only(
    client, request, commissioner, other_commissioner, name, target
):
    obj = request.getfixturevalue(target)
    url = reverse(name, args=[obj.pk])
    assert is_login(client.get(url))
    client.force_login(other_commissioner)
    assert client.get(url).status_code == 404  # a private instance does not exist for them
    client.force_login(commissioner)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("name", "target"), MANAGER_PAGES)
def test_a_member_who_does_not_manage_the_instance_gets_403(
    client, request, seated, association_user, name, target
):
    obj = request.getfixturevalue(target)
    client.force_login(association_user)
    assert client.get(reverse(name, args=[obj.pk])).status_code == 403


def test_the_ddets_manages_its_departements_committees_not_the_regional_one(
    client, committee, ddets, loire_atlantique
):
    local = CommitteeFactory(territory=loire_atlantique, name="Comité de suivi axe 1 – 44")
    client.force_login(ddets)
    assert client.get(reverse("governance:committee_edit", args=[local.pk])).status_code == 200
    assert client.get(reverse("governance:committee", args=[committee.pk])).status_code == 404


def test_a_private_instance_is_seen_by_its_members_and_managers_only(
    client, committee, seated, association_user, outsider_association, commissioner
):
    url = reverse("governance:committee", args=[committee.pk])
    assert is_login(client.get(url))
    client.force_login(outsider_association)
    assert client.get(url).status_code == 404
    client.force_login(association_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "dora@example.org" not in response.content.decode()  # e-mails: secretariat and managers only
    client.force_login(commissioner)
    assert "dora@example.org" in client.get(url).content.decode()


def test_a_public_instance_shows_organisations_but_not_people_to_the_public(client, region, association_user):
    public = CommitteeFactory(territory=region, public=True, name="Conférence régionale")
    MemberFactory(committee=public, person_name="Jeanne Secret", organisation=association_user.organisation)
    response = client.get(reverse("governance:committee", args=[public.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert association_user.organisation.name in body and "Jeanne Secret" not in body


def test_minutes_are_for_members_and_never_for_the_public(client, region, commissioner, association_user):
    public = CommitteeFactory(territory=region, public=True)
    MemberFactory(committee=public, organisation=association_user.organisation)
    meeting = MeetingFactory(committee=public, past=True)
    Minutes.objects.create(meeting=meeting, text="Propos confidentiels", status=MinutesStatus.VALIDATED)
    url = reverse("governance:meeting", args=[meeting.pk])
    assert "Propos confidentiels" not in client.get(url).content.decode()
    client.force_login(association_user)
    assert "Propos confidentiels" in client.get(url).content.decode()


def test_draft_minutes_are_for_the_managers_only(client, meeting, commissioner, association_user):
    Minutes.objects.create(meeting=meeting, text="Projet de compte rendu")
    url = reverse("governance:meeting", args=[meeting.pk])
    client.force_login(association_user)
    assert "Projet de compte rendu" not in client.get(url).content.decode()
    client.force_login(commissioner)
    assert "Projet de compte rendu" in client.get(url).content.decode()


def test_public_decisions_are_public_and_confidential_ones_are_not(client, region):
    public = CommitteeFactory(territory=region, public=True)
    meeting = MeetingFactory(committee=public, past=True)
    DecisionFactory(meeting=meeting, text="Lancer le GT accès aux droits")
    DecisionFactory(meeting=meeting, text="Point budgétaire interne", confidential=True)
    body = client.get(reverse("governance:committee_decisions", args=[public.pk])).content.decode()
    assert "Lancer le GT accès aux droits" in body and "Point budgétaire interne" not in body
    csv = client.get(
        reverse("governance:committee_decisions", args=[public.pk]) + "?format=csv"
    ).content.decode()
    assert "Lancer le GT" in csv and "Point budgétaire" not in csv


def test_the_next_meeting_shows_the_open_decisions_of_the_previous_with_late_ones_highlighted(
    client, meeting, upcoming, commissioner
):
    DecisionFactory(meeting=meeting, late=True, text="Cartographier les accueils sociaux")
    DecisionFactory(meeting=meeting, done=True, text="Diffuser le panorama INSEE")
    client.force_login(commissioner)
    body = client.get(reverse("governance:meeting", args=[upcoming.pk])).content.decode()
    follow_up = body.split('id="suivi"')[1].split('id="presences"')[0]
    assert "Cartographier les accueils sociaux" in follow_up and "En retard" in follow_up
    assert "Diffuser le panorama INSEE" not in follow_up


def test_a_meeting_ending_before_it_starts_gets_a_french_message_naming_the_field(
    client, committee, commissioner
):
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:meeting_create", args=[committee.pk]),
        {"title": "COPIL", "starts_at": "2030-03-10T14:00", "ends_at": "2030-03-10T10:00"},
    )
    assert response.status_code == 200
    assert "La fin de la réunion doit suivre son début." in response.content.decode()
    assert not Meeting.objects.exists()


def test_planning_convening_and_changing_a_meeting_through_the_pages(client, committee, seated, commissioner):
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:meeting_create", args=[committee.pk]),
        {
            "title": "COPIL de juin",
            "starts_at": "2030-06-10T14:00",
            "ends_at": "2030-06-10T16:30",
            "place": "Préfecture de région, Nantes",
            "agenda": "Bilan des pactes locaux\nFeuille de route des GT",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert timezone.localtime(meeting.starts_at).hour == 14
    response = client.post(reverse("governance:meeting_convene", args=[meeting.pk]), follow=True)
    # Queued, not sent: the page says so, and the message goes out when the queue is sent.
    shown = html.unescape(response.content.decode())
    assert "La convocation est mise en file d'envoi pour 1 membre." in shown
    assert "Convocation mise en file d’envoi le " in shown
    assert (OutgoingMail.objects.count(), mail.outbox) == (1, [])
    send_pending()
    assert len(mail.outbox) == 1 and "Feuille de route des GT" in mail.outbox[0].body
    meeting.refresh_from_db()
    client.post(
        reverse("governance:meeting_edit", args=[meeting.pk]),
        {
            "title": "COPIL de juin",
            "starts_at": "2030-06-11T14:00",
            "ends_at": "2030-06-11T16:30",
            "place": "Préfecture de région, Nantes",
            "agenda": "Bilan des pactes locaux\nFeuille de route des GT",
            "lock_version": meeting.lock_version,
        },
    )
    response = client.post(reverse("governance:meeting_convene", args=[meeting.pk]), follow=True)
    shown = html.unescape(response.content.decode())
    assert "La modification de la réunion est mise en file d'envoi pour 1 membre." in shown
    send_pending()
    assert mail.outbox[-1].subject.startswith("Réunion modifiée")


def test_an_outsider_cannot_convene(client, upcoming, other_commissioner, association_user):
    client.force_login(other_commissioner)
    assert client.post(reverse("governance:meeting_convene", args=[upcoming.pk])).status_code == 404
    client.force_login(association_user)
    assert client.post(reverse("governance:meeting_convene", args=[upcoming.pk])).status_code == 403
    assert not OutgoingMail.objects.exists()


def test_cancelling_without_a_reason_says_so(client, upcoming, commissioner):
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:meeting_cancel", args=[upcoming.pk]), {"reason": ""}, follow=True
    )
    assert "Motif de l&#x27;annulation" in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status != MeetingStatus.CANCELLED


def test_recording_attendance_marks_the_meeting_held(client, meeting, commissioner):
    client.force_login(commissioner)
    attendance = meeting.attendances.get()
    client.post(
        reverse("governance:meeting_attendance", args=[meeting.pk]), {f"presence_{attendance.pk}": "present"}
    )
    attendance.refresh_from_db()
    assert attendance.status == "present"
    body = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "Associations de lutte contre la pauvreté" in body


def test_uploaded_documents_are_private_and_served_to_members_only(
    client, meeting, commissioner, association_user, outsider_association
):
    client.force_login(commissioner)
    client.post(
        reverse("governance:document_add", args=[meeting.pk]),
        {"fichier-title": "Diaporama", "fichier-file": SimpleUploadedFile("diaporama.pdf", PDF)},
    )
    document = Document.objects.get()
    url = reverse("governance:document", args=[document.pk])
    client.logout()
    assert is_login(client.get(url))
    client.force_login(outsider_association)
    assert client.get(url).status_code == 404
    client.force_login(association_user)
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_a_wrong_file_type_is_refused_with_the_field_named(client, meeting, commissioner):
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:document_add", args=[meeting.pk]),
        {"fichier-file": SimpleUploadedFile("macro.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "« macro.exe » n&#x27;est pas d&#x27;un type accepté" in response.content.decode()


def test_a_frozen_extract_is_shown_as_attached(client, meeting, commissioner, loire_atlantique):
    client.force_login(commissioner)
    client.post(
        reverse("governance:document_add", args=[meeting.pk]),
        {"extrait-kind": "diagnostic", "extrait-territory": loire_atlantique.pk},
    )
    document = Document.objects.get()
    response = client.get(reverse("governance:document", args=[document.pk]))
    assert response.status_code == 200 and "Loire-Atlantique" in response.content.decode()


def test_minutes_editing_refuses_a_stale_version(client, meeting, commissioner):
    client.force_login(commissioner)
    url = reverse("governance:minutes_edit", args=[meeting.pk])
    client.post(url, {"text": "Première version", "lock_version": NEW})
    response = client.post(url, {"text": "Version concurrente", "lock_version": NEW})
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    assert Minutes.objects.get().text == "Première version"
    minutes = Minutes.objects.get()
    client.post(
        reverse("governance:minutes_validate", args=[meeting.pk]), {"lock_version": minutes.lock_version}
    )
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.VALIDATED and minutes.validated_by == commissioner


def test_the_owner_of_a_decision_updates_its_status_but_nothing_else(
    client, meeting, seated, association_user, outsider_association
):
    decision = DecisionFactory(meeting=meeting, owner_member=seated, text="Recenser les lieux d'accueil")
    url = reverse("governance:decision_edit", args=[decision.pk])
    client.force_login(outsider_association)
    assert client.get(url).status_code == 404
    client.force_login(association_user)
    response = client.post(
        url + "?retour=mes-decisions",
        {
            "status": DecisionStatus.IN_PROGRESS,
            "follow_up": "Premier recensement fait",
            "text": "Changé",
            "lock_version": decision.lock_version,
        },
    )
    assert response["Location"] == reverse("governance:my_decisions")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS and decision.text == "Recenser les lieux d'accueil"


def test_my_decisions_lists_the_decisions_of_my_organisation_with_csv(
    client, meeting, seated, association_user
):
    DecisionFactory(
        meeting=meeting,
        owner_organisation=association_user.organisation,
        text="Organiser un atelier",
        late=True,
    )
    DecisionFactory(meeting=meeting, text="Décision d'un autre")
    url = reverse("governance:my_decisions")
    assert is_login(client.get(url))
    client.force_login(association_user)
    body = client.get(url).content.decode()
    assert "Organiser un atelier" in body and "Décision d&#x27;un autre" not in body and "En retard" in body
    csv = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Instance;Réunion") and "Organiser un atelier" in csv


def test_creating_an_instance_is_for_state_services_in_their_scope(
    client, region, other_region, commissioner, association_user
):
    url = reverse("governance:committee_create")
    assert is_login(client.get(url))
    client.force_login(association_user)
    assert client.get(url).status_code == 403
    client.force_login(commissioner)
    data = {
        "kind": "gt_regional",
        "name": "GT accès aux droits",
        "territory": other_region.pk,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "territory" in response.context["form"].errors
    response = client.post(url, {**data, "territory": region.pk, "theme": "Accès aux droits"})
    assert response.status_code == 302


def test_the_committee_list_shows_public_instances_to_everyone(client, committee, region):
    public = CommitteeFactory(territory=region, public=True, name="Conférence régionale des acteurs")
    body = client.get(reverse("governance:committees")).content.decode()
    assert public.name in body and committee.name not in body


def test_the_history_page_shows_who_changed_a_meeting(client, upcoming, commissioner):
    client.force_login(commissioner)
    update_meeting(upcoming, expected_version=upcoming.lock_version, place="Angers")
    body = client.get(reverse("governance:committee_history", args=[upcoming.committee.pk])).content.decode()
    assert "Angers" in body


def test_decisions_list_of_a_private_instance_is_hidden(client, committee, other_commissioner, commissioner):
    url = reverse("governance:committee_decisions", args=[committee.pk])
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner, refused=404)


def test_a_single_meeting_ics_follows_the_instance_visibility(
    client, upcoming, commissioner, other_commissioner
):
    url = reverse("governance:meeting_ics", args=[upcoming.pk])
    assert is_login(client.get(url))
    client.force_login(other_commissioner)
    assert client.get(url).status_code == 404
    client.force_login(commissioner)
    assert client.get(url)["Content-Type"].startswith("text/calendar")


def test_the_decision_form_of_a_manager_refuses_an_owner_from_another_instance(client, meeting, commissioner):
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {"text": "Décision", "status": "a_faire", "owner_member": MemberFactory().pk},
    )
    assert response.status_code == 200 and "owner_member" in response.context["form"].errors
    assert not Decision.objects.exists()


def test_a_manager_records_a_decision_through_its_form(client, meeting, seated, commissioner):
    """The form sends every field, the follow-up included (it once made the page answer 500)."""
    client.force_login(commissioner)
    response = client.post(
        reverse("governance:decision_create", args=[meeting.pk]),
        {
            "text": "Diffuser le bilan",
            "owner_member": seated.pk,
            "due_date": "2025-03-31",
            "status": "a_faire",
            "follow_up": "Bilan en cours de rédaction",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.number, decision.owner_member, decision.follow_up) == (
        1,
        seated,
        "Bilan en cours de rédaction",
    )


def test_a_user_without_role_is_treated_as_the_public(client, committee):
    client.force_login(UserFactory())
    assert client.get(reverse("governance:committee", args=[committee.pk])).status_code == 404
    assert client.get(reverse("governance:calendar_token")).status_code == 403


def test_a_member_seat_is_edited_by_managers_only(
    client, committee, seated, commissioner, other_commissioner
):
    url = reverse("governance:member_edit", args=[committee.pk, seated.pk])
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner, refused=404)
    response = client.post(
        url,
        {
            "organisation": seated.organisation_id,
            "person_name": "Dora Martin",
            "category": "associations",
            "role": "membre",
            "start_date": "2023-01-01",
            "end_date": "2022-01-01",
            "lock_version": seated.lock_version,
        },
    )
    assert response.status_code == 200 and "La fin du mandat précède son début." in response.content.decode()


def test_the_meeting_page_writes_dates_times_and_counts_the_french_way(
    client, committee, seated, commissioner
):
    starts = timezone.make_aware(datetime.datetime(2030, 1, 1, 14, 30))
    meeting = invited_meeting(
        committee=committee, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1, minutes=30)
    )
    client.force_login(commissioner)
    body = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "mardi 1er janvier 2030, 14\u00a0h\u00a030 – 16\u00a0h" in body
    assert (
        "1 membre invité" in body and "Sans réponse : 1" in body and "Présent : 0" in body
    )  # singular below two
    assert "1 membre invité avec une adresse électronique" in body


def test_a_meeting_page_shows_reserved_decisions_to_members_only(client, region, association_user):
    public = CommitteeFactory(territory=region, public=True)
    MemberFactory(committee=public, organisation=association_user.organisation)
    earlier = MeetingFactory(committee=public, past=True)
    later = MeetingFactory(committee=public)
    DecisionFactory(meeting=earlier, text="Décision publique", late=True)
    DecisionFactory(meeting=earlier, text="Décision réservée", confidential=True)
    for meeting in (earlier, later):  # the decisions taken, then their follow-up at the next meeting
        url = reverse("governance:meeting", args=[meeting.pk])
        client.logout()
        body = client.get(url).content.decode()
        assert "Décision publique" in body and "Décision réservée" not in body
        client.force_login(association_user)
        body = client.get(url).content.decode()
        assert "Décision publique" in body and "Décision réservée" in body


def test_the_managers_update_decisions_from_the_instances_list_of_decisions(
    client, meeting, commissioner, association_user
):
    decision = DecisionFactory(meeting=meeting, text="Cartographier les accueils")
    url = reverse("governance:committee_decisions", args=[meeting.committee.pk])
    edit = reverse("governance:decision_edit", args=[decision.pk])
    client.force_login(association_user)
    assert edit not in client.get(url).content.decode()
    client.force_login(commissioner)
    assert edit in client.get(url).content.decode()


def test_a_stale_meeting_form_keeps_what_the_other_person_saved(client, upcoming, commissioner):
    client.force_login(commissioner)
    read = upcoming.lock_version
    update_meeting(upcoming, expected_version=read, place="Angers")
    response = client.post(
        reverse("governance:meeting_edit", args=[upcoming.pk]),
        {
            "title": upcoming.title,
            "starts_at": timezone.localtime(upcoming.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(upcoming.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "place": "Nantes",
            "lock_version": read,
        },
    )
    assert response.status_code == 200 and "modifiées par quelqu’un d’autre" in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.place == "Angers"


def test_a_refused_action_without_a_form_is_told_on_the_next_page(client, meeting, commissioner):
    """Convening a meeting that is over: the services' message comes back as an error message."""
    client.force_login(commissioner)
    response = client.post(reverse("governance:meeting_convene", args=[meeting.pk]), follow=True)
    assert "Cette réunion est passée : elle ne peut plus être convoquée." in response.content.decode()
    assert not OutgoingMail.objects.exists()
