import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from pacte import formatting
from pacte.core.locking import StaleEditError
from pacte.core.mail import send_pending
from pacte.core.models import OutgoingMail
from pacte.governance import perms, queries
from pacte.governance.enums import (
    Attendance,
    ContributionStatus,
    DecisionStatus,
    DocumentKind,
    MeetingStatus,
    MemberCategory,
    MinutesStatus,
)
from pacte.governance.models import ConcertationTheme, Meeting
from pacte.governance.services import (
    attendance,
    calendar_tokens,
    committees,
    concertation,
    decisions,
    documents,
    invitations,
    meetings,
)
from pacte.governance.services import minutes as minutes_service
from pacte.governance.services.common import NEW
from tests.governance.factories import (
    PDF,
    CommitteeFactory,
    ContributionFactory,
    DecisionFactory,
    MeetingFactory,
    MemberFactory,
    StakeholderFactory,
    ThemeFactory,
    invited_meeting,
)


def _when(days: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def test_the_themes_load_from_the_data_file_and_reloading_changes_nothing():
    first = concertation.load_concertation_themes()
    again = concertation.load_concertation_themes()
    assert (first.created, again.created, again.updated, again.unchanged) == (8, 0, 0, 8)
    assert ConcertationTheme.objects.filter(kind="theme").count() == 4
    assert ConcertationTheme.objects.filter(kind="transverse").count() == 4


def test_a_new_meeting_invites_the_members_active_on_its_day(committee, seated):
    MemberFactory(committee=committee, former=True)
    meeting = meetings.create_meeting(
        committee,
        title="COPIL",
        starts_at=_when(10),
        ends_at=_when(10, 16),
        agenda=["Bilan", "", "Feuille de route"],
    )
    assert [a.member for a in meeting.attendances.all()] == [seated]
    assert list(meeting.agenda_items.values_list("order", "title")) == [(1, "Bilan"), (2, "Feuille de route")]


def test_a_meeting_ending_before_it_starts_is_refused_naming_the_field(committee):
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 9))
    assert "ends_at" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_change_of_date_raises_the_calendar_sequence_but_not_a_change_of_details(committee):
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    meetings.update_meeting(meeting, expected_version=meeting.lock_version, details="Badge à l'accueil")
    assert meeting.sequence == 0
    meetings.update_meeting(
        meeting, expected_version=meeting.lock_version, starts_at=_when(11), ends_at=_when(11, 16)
    )
    assert meeting.sequence == 1


def test_two_people_editing_a_meeting_at_once_do_not_overwrite_each_other(committee):
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    read = meeting.lock_version
    meetings.update_meeting(Meeting.objects.get(pk=meeting.pk), expected_version=read, title="Premier")
    with pytest.raises(StaleEditError):
        meetings.update_meeting(Meeting.objects.get(pk=meeting.pk), expected_version=read, title="Second")
    assert Meeting.objects.get(pk=meeting.pk).title == "Premier"


def test_convening_sends_one_email_per_member_with_an_address_and_the_ics(committee, seated):
    MemberFactory(committee=committee, email="", person_name="Sans adresse")
    meeting = meetings.create_meeting(
        committee,
        title="COPIL de printemps",
        starts_at=_when(10),
        ends_at=_when(10, 16),
        place="Nantes",
        agenda=["Bilan 2025"],
    )
    sent, modification = invitations.convene(meeting, base_url="https://pacte.example")
    assert (sent, modification) == (1, False)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED and meeting.invitations_count == 1
    # Queued by the action, sent by the worker.
    assert (OutgoingMail.objects.count(), mail.outbox) == (1, [])
    assert send_pending().sent == 1
    message = mail.outbox[0]
    assert message.to == ["dora@example.org"]
    assert message.subject.startswith("Convocation – COPIL régional Pays de la Loire – COPIL de printemps")
    assert "Bilan 2025" in message.body and "Nantes" in message.body
    day = timezone.localdate() + datetime.timedelta(days=10)
    assert f"Date : {formatting.long_date(day)}, de 14\u00a0h à 16\u00a0h (heure de Paris)" in message.body
    assert message.subject.endswith(f" – {formatting.short_date(day)}")
    assert "https://pacte.example/gouvernance/reunions/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "reunion.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(meeting.uid))


def test_resending_after_a_change_says_modifiee(committee, seated):
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    invitations.convene(meeting)
    meetings.update_meeting(meeting, expected_version=meeting.lock_version, place="Angers")
    assert meeting.changed_since_invitations
    sent, modification = invitations.convene(Meeting.objects.get(pk=meeting.pk))
    assert modification and sent == 1
    send_pending()
    assert mail.outbox[-1].subject.startswith("Réunion modifiée")
    assert "modifiée" in mail.outbox[-1].body


def test_convening_without_any_address_is_refused_and_sends_nothing(committee):
    MemberFactory(committee=committee, email="")
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    with pytest.raises(ValidationError) as error:
        invitations.convene(meeting)
    assert "adresse" in error.value.message_dict["members"][0]
    assert not OutgoingMail.objects.exists()


def test_cancelling_a_convened_meeting_tells_the_members_and_cancels_the_event(committee, seated):
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    invitations.convene(meeting)
    sent = meetings.cancel_meeting(Meeting.objects.get(pk=meeting.pk), reason="Préfet indisponible")
    assert sent == 1
    send_pending()
    cal = Calendar.from_ical(mail.outbox[-1].attachments[0][1])
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_a_cancellation_needs_a_reason(committee):
    meeting = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError) as error:
        meetings.cancel_meeting(meeting, reason="  ")
    assert "reason" in error.value.message_dict


def test_attendance_counts_by_college_and_organisation(committee, seated):
    MemberFactory(committee=committee, lived_experience=True, person_name="Groupe d'appui")
    meeting = invited_meeting(committee=committee, past=True)
    rows = {a.member.category: a.pk for a in meeting.attendances.select_related("member")}
    attendance.record_attendance(
        meeting,
        {
            rows[MemberCategory.ASSOCIATIONS]: Attendance.PRESENT,
            rows[MemberCategory.LIVED_EXPERIENCE]: Attendance.EXCUSED,
        },
    )
    counts = queries.attendance_counts(
        meeting.attendances.select_related("member__organisation", "member__user")
    )
    assert dict(counts.by_status)["Présent"] == 1 and dict(counts.by_status)["Excusé"] == 1
    by_category = dict(counts.by_category)
    assert by_category["Personnes concernées (expérience vécue de la pauvreté)"]["excuse"] == 1
    assert meeting.status == MeetingStatus.HELD


def test_nobody_is_present_at_a_meeting_that_has_not_started(committee, seated):
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    invited = meeting.attendances.get()
    with pytest.raises(ValidationError):
        attendance.record_attendance(meeting, {invited.pk: Attendance.PRESENT})


def test_open_decisions_of_earlier_meetings_follow_into_the_next_one(committee):
    old = MeetingFactory(committee=committee, past=True)
    late = DecisionFactory(meeting=old, late=True)
    DecisionFactory(meeting=old, done=True)
    other_committee_decision = DecisionFactory()
    upcoming = MeetingFactory(committee=committee)
    follow_up = list(queries.open_decisions_before(upcoming))
    assert follow_up == [late]
    assert late.is_late and other_committee_decision not in follow_up


def test_closing_a_decision_records_the_day_and_reopening_clears_it(committee):
    decision = DecisionFactory(meeting=MeetingFactory(committee=committee, past=True))
    decisions.update_decision(decision, expected_version=decision.lock_version, status=DecisionStatus.DONE)
    assert decision.closed_on == timezone.localdate()
    decisions.update_decision(
        decision, expected_version=decision.lock_version, status=DecisionStatus.IN_PROGRESS
    )
    assert decision.closed_on is None


def test_a_decision_owner_must_sit_in_the_instance(committee):
    meeting = MeetingFactory(committee=committee, past=True)
    stranger = MemberFactory()
    with pytest.raises(ValidationError) as error:
        decisions.add_decision(meeting, text="Réunir le GT", owner_member=stranger)
    assert "owner_member" in error.value.message_dict


def test_decisions_are_numbered_per_meeting(committee):
    meeting = MeetingFactory(committee=committee, past=True)
    assert [decisions.add_decision(meeting, text=f"D{i}").number for i in range(3)] == [1, 2, 3]


def test_minutes_are_written_after_the_meeting_and_a_change_reopens_their_validation(committee, commissioner):
    upcoming = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError):
        minutes_service.save_minutes(upcoming, text="Trop tôt", by=commissioner, expected_version=NEW)
    meeting = MeetingFactory(committee=committee, past=True)
    minutes = minutes_service.save_minutes(meeting, text="Relevé", by=commissioner, expected_version=NEW)
    minutes_service.validate_minutes(minutes, by=commissioner, expected_version=minutes.lock_version)
    assert minutes.status == MinutesStatus.VALIDATED
    minutes = minutes_service.save_minutes(
        meeting, text="Relevé corrigé", by=commissioner, expected_version=minutes.lock_version
    )
    assert minutes.status == MinutesStatus.DRAFT and minutes.validated_by is None


def test_two_secretaries_writing_the_first_minutes_at_once_do_not_overwrite_each_other(
    committee, commissioner
):
    meeting = MeetingFactory(committee=committee, past=True)
    minutes_service.save_minutes(meeting, text="Version A", by=commissioner, expected_version=NEW)
    with pytest.raises(StaleEditError):
        minutes_service.save_minutes(meeting, text="Version B", by=commissioner, expected_version=NEW)
    assert meeting.minutes.text == "Version A"


def test_an_upload_of_the_wrong_type_or_a_fake_pdf_is_refused_naming_the_file(committee, commissioner):
    meeting = MeetingFactory(committee=committee)
    with pytest.raises(ValidationError) as error:
        documents.attach_file(
            meeting, upload=SimpleUploadedFile("virus.exe", b"MZ"), title="", is_public=False, by=commissioner
        )
    assert "virus.exe" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        documents.attach_file(
            meeting,
            upload=SimpleUploadedFile("faux.pdf", b"hello"),
            title="",
            is_public=False,
            by=commissioner,
        )
    document = documents.attach_file(
        meeting, upload=SimpleUploadedFile("ordre.pdf", PDF), title="", is_public=False, by=commissioner
    )
    assert document.title == "ordre.pdf" and bytes(document.file.content) == PDF


def test_an_extract_is_frozen_as_of_the_meeting_day(committee, commissioner, loire_atlantique):
    meeting = MeetingFactory(committee=committee, past=True)
    document = documents.attach_extract(
        meeting, kind=DocumentKind.DIAGNOSTIC, territory=loire_atlantique, by=commissioner
    )
    assert document.as_of == meeting.meeting_date
    assert "Loire-Atlantique" in document.snapshot_html
    barometer = documents.attach_extract(meeting, kind=DocumentKind.BAROMETER, by=commissioner)
    assert barometer.territory is None and "Baromètre" in barometer.snapshot_html


def test_cadence_is_late_when_fewer_meetings_were_held_than_expected(committee):
    committee.created_at = timezone.now() - datetime.timedelta(days=800)
    only = MeetingFactory(committee=committee, past=True)
    assert queries.cadence(committee, [only]).state == "en_retard"
    second = MeetingFactory(
        committee=committee, past=True, starts_at=timezone.now() - datetime.timedelta(days=200)
    )
    check = queries.cadence(committee, [only, second])
    assert check.state == "respectee" and check.held_last_year == 2
    assert check.expected == "2 à 3 réunions par an"


def test_a_calendar_token_works_until_revoked_and_a_new_one_replaces_the_old(commissioner):
    raw = calendar_tokens.issue_calendar_token(commissioner)
    assert calendar_tokens.calendar_token_user(raw) == commissioner
    new = calendar_tokens.issue_calendar_token(commissioner)
    assert calendar_tokens.calendar_token_user(raw) is None
    calendar_tokens.revoke_calendar_tokens(commissioner)
    assert calendar_tokens.calendar_token_user(new) is None


def test_a_contribution_goes_from_draft_to_published_with_its_history(association_user):
    stakeholder = StakeholderFactory(organisation=association_user.organisation)
    theme = ThemeFactory()
    contribution = concertation.save_contribution(
        stakeholder,
        by=association_user,
        theme=theme,
        title="Nos propositions",
        text="Texte",
        upload=SimpleUploadedFile("propositions.pdf", PDF),
    )
    concertation.file_contribution(contribution, by=association_user)
    concertation.publish_contribution(contribution, by=association_user)
    assert contribution.status == ContributionStatus.PUBLISHED
    assert [h.status for h in contribution.history.order_by("history_id")] == [
        "brouillon",
        "deposee",
        "publiee",
    ]


def test_a_filed_contribution_can_no_longer_be_rewritten():
    contribution = ContributionFactory(filed=True)
    with pytest.raises(ValidationError):
        concertation.save_contribution(
            contribution.stakeholder,
            by=None,
            theme=contribution.theme,
            title="X",
            text="Y",
            contribution=contribution,
        )


def test_a_contribution_attachment_must_be_a_pdf(association_user):
    stakeholder = StakeholderFactory(organisation=association_user.organisation)
    with pytest.raises(ValidationError) as error:
        concertation.save_contribution(
            stakeholder,
            by=association_user,
            theme=ThemeFactory(),
            title="T",
            text="X",
            upload=SimpleUploadedFile("note.docx", b"PK"),
        )
    assert "file" in error.value.message_dict


def test_every_state_change_of_a_meeting_is_in_its_history(committee, seated):
    meeting = meetings.create_meeting(committee, title="COPIL", starts_at=_when(10), ends_at=_when(10, 16))
    invitations.convene(meeting)
    meetings.cancel_meeting(Meeting.objects.get(pk=meeting.pk), reason="Report")
    statuses = list(meeting.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[0] == "planifiee" and "convoquee" in statuses and statuses[-1] == "annulee"


def test_a_secretariat_organisation_is_a_manager_without_a_role_in_scope(committee, association_user):
    assert not perms.can_manage_committee(association_user, committee)
    committee.secretariat = association_user.organisation
    committee.save()
    assert perms.can_manage_committee(association_user, committee)


def test_a_committee_of_a_public_kind_without_an_axis_is_refused_for_axis_committees(region):
    with pytest.raises(ValidationError) as error:
        committees.create_committee(kind="comite_suivi_axe", name="Comité axe", territory=region)
    assert "axis" in error.value.message_dict


def test_national_instances_have_no_territory():
    committee = CommitteeFactory(national=True)
    assert committee.territory is None
