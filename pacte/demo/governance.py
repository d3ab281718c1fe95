"""Demo governance and concertation (data/governance.yaml): the instances of the Pays de la Loire and the
national ones, their members, meetings, decisions and extracts, and the concertation's stakeholders,
contributions and synthesis.

Committees, members, meetings, decisions, extracts, the association's stakeholder and the filing and
publishing of contributions go through the governance services. Where governance has no service, the rows
are written here: the `is_demo` flag and a decision's follow-up, a held meeting's status and invitations,
validated minutes, the other stakeholders, a contribution's draft and the synthesis.

An instance may be the comité de pilotage of conventions of the contracts demo (`steers`, loaded before):
the link goes through the governance services (`link_contract`), which check the kinds and the territory.

Past meetings are held (attendance, minutes); the recent meetings, the meetings to come and the decisions
due are dated from the day of the load (`today`), on working days (pacte/demo/calendar.py). A held meeting's
invitations are the members seated on its day; the first `present` of them in the file's order came; its
minutes are written and validated by a member present. Loaded after the accounts demo, in demo mode only. Repeatable: a row that exists under its natural
key (instance name + territory, meeting title in its instance, decision number in its meeting, stakeholder
name, contribution title) is left as it is, with what demo users changed since.
"""

import datetime
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pacte.contracts.models import Contract
from pacte.demo import files
from pacte.demo.common import (
    LoadReport,
    at,
    checked,
    organisation,
    require_demo_mode,
    territory,
    territory_of,
    user,
)
from pacte.demo.files import YamlFile, YamlPath
from pacte.demo.governance_specs import (
    CommitteeSpec,
    Concertation,
    DecisionSpec,
    GovernanceFile,
    MeetingSpec,
    MemberSpec,
    SteeredSpec,
    axis_committee,
)
from pacte.governance import services
from pacte.governance.enums import (
    Attendance,
    ContributionStatus,
    DecisionStatus,
    MeetingStatus,
    MemberRole,
    MinutesStatus,
)
from pacte.governance.models import (
    Committee,
    ConcertationTheme,
    Contribution,
    Decision,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    Stakeholder,
    SteeredContract,
    ThemeSynthesis,
)
from pacte.programme.models import Axis
from pacte.territories.enums import Level

DATA_FILE = "governance.yaml"
MEMBERS_SINCE = date(2023, 9, 1)
INVITED_BEFORE = datetime.timedelta(days=21)  # invitations of a held meeting went three weeks before
MINUTES_VALIDATED_AFTER = datetime.timedelta(days=10)
VALIDATED_BY = datetime.time(9)  # minutes of a meeting held a few days ago: validated by the load's morning
STAKEHOLDER_EMAIL = "contact@demo.pacte.invalid"


@dataclass
class GovernanceDemoReport(LoadReport):
    LABELS: ClassVar = (
        ("instances", "instance", "instances"),
        ("membres", "membre", "membres"),
        ("reunions", "réunion", "réunions"),
        ("decisions", "décision", "décisions"),
        ("comptes_rendus", "compte rendu", "comptes rendus"),
        ("documents", "document", "documents"),
        ("pilotages", "contrat piloté", "contrats pilotés"),
        ("parties_prenantes", "partie prenante", "parties prenantes"),
        ("contributions", "contribution", "contributions"),
        ("syntheses", "synthèse", "synthèses"),
    )
    CREATED: ClassVar = "Gouvernance et concertation de démonstration chargées (données fictives)"
    NOTHING: ClassVar = "Aucune donnée de gouvernance à charger."


class GovernanceLoader:
    """Creates each row of the file unless it exists, through the governance services, and counts."""

    def __init__(self, report: GovernanceDemoReport, file: YamlFile, today: date):
        self.report = report
        self.file = file
        self.today = today
        self.themes = {theme.code: theme for theme in ConcertationTheme.objects.all()}

    def theme(self, code: str, where: YamlPath) -> ConcertationTheme:
        if code not in self.themes:
            raise self.file.error(
                where, f"thème de la concertation « {code} » inconnu ({', '.join(self.themes)})"
            )
        return self.themes[code]

    # --- One instance and what it holds ------------------------------------------------------------------

    def load(self, spec: CommitteeSpec, where: YamlPath, *, place=None, **extra) -> Committee:
        """The committee of `spec` (on `place`, or on its own territory), its members and its meetings."""
        fields = {
            key: value
            for key, value in (("description", spec.description), ("theme", spec.theme))
            if value is not None
        }
        if spec.meetings_per_year:
            fields["meetings_per_year_min"], fields["meetings_per_year_max"] = spec.meetings_per_year
        if spec.secretariat:
            fields["secretariat"] = organisation(spec.secretariat)
        committee = self.committee(
            spec.name,
            place if place is not None else territory_of(spec.territory),
            kind=spec.kind,
            is_public=spec.is_public,
            **fields,
            **extra,
        )
        # Members sit from the first meeting of the file when it is older than MEMBERS_SINCE.
        since = min([MEMBERS_SINCE, *(meeting.on(self.today) for meeting in spec.meetings)])
        members = {}
        for member_spec in spec.members:
            member = self.member(committee, member_spec, since)
            if member_spec.key:
                members[member_spec.key] = member
        for index, meeting_spec in enumerate(spec.meetings):
            self.meeting(committee, meeting_spec, members, (*where, "meetings", index))
        for steered in spec.steers:
            self.steer(committee, steered)
        return committee

    def steer(self, committee: Committee, spec: SteeredSpec) -> None:
        """The instance becomes the comité de pilotage of a convention of the contracts demo, through the
        governance services (their rules: kind of instance, kind of contract, territory). A convention the
        contracts demo did not load (a real one kept in its place, or the contracts not loaded) is left alone."""
        contract = Contract.objects.filter(
            territory=territory_of(spec.territory), kind=spec.kind, root__isnull=True, is_demo=True
        ).first()
        if contract is None:
            return
        if SteeredContract.objects.filter(committee=committee, contract=contract).exists():
            self.report.kept["pilotages"] += 1
            return
        with checked(f"comité de pilotage « {committee.name} »"):
            services.link_contract(committee, contract)
        self.report.created["pilotages"] += 1

    def committee(self, name: str, place, **fields) -> Committee:
        committee = Committee.objects.filter(name=name, territory=place).first()
        if committee is not None:
            self.report.kept["instances"] += 1
            return committee
        committee = services.create_committee(name=name, territory=place, **fields)
        Committee.objects.filter(pk=committee.pk).update(is_demo=True)
        self.report.created["instances"] += 1
        return committee

    def member(self, committee: Committee, spec: MemberSpec, since: date = MEMBERS_SINCE) -> Member:
        fields = {
            key: value
            for key, value in spec.model_dump(
                include={"person_name", "organisation_name", "email", "function"}
            ).items()
            if value is not None
        }
        if spec.user:
            fields["user"] = user(spec.user)
        if spec.organisation:
            fields["organisation"] = organisation(spec.organisation)
        key = {
            k: fields[k]
            for k in ("user", "organisation", "person_name", "organisation_name")
            if fields.get(k)
        }
        member = committee.members.filter(**key).first()
        if member is not None:
            self.report.kept["membres"] += 1
            return member
        member = services.save_member(
            committee, category=spec.category, role=spec.role, start_date=since, **fields
        )
        Member.objects.filter(pk=member.pk).update(is_demo=True)
        self.report.created["membres"] += 1
        return member

    def meeting(self, committee: Committee, spec: MeetingSpec, members: dict, where: YamlPath) -> Meeting:
        day = spec.on(self.today)
        meeting = committee.meetings.filter(title=spec.title).first()
        if meeting is not None:
            self.report.kept["reunions"] += 1
        else:
            fields = {
                key: value
                for key, value in spec.model_dump(
                    include={"place", "visio_url", "details", "participants_count"}
                ).items()
                if value is not None
            }
            if spec.theme:
                fields["concertation_theme"] = self.theme(spec.theme, (*where, "theme"))
            meeting = services.create_meeting(
                committee,
                title=spec.title,
                starts_at=at(day, spec.start),
                ends_at=at(day, spec.end),
                agenda=list(spec.agenda),
                **fields,
            )
            Meeting.objects.filter(pk=meeting.pk).update(is_demo=True)
            meeting.is_demo = True  # recording the attendance saves the meeting: keep the flag
            self.report.created["reunions"] += 1
            if day < self.today:
                self._held(meeting, spec.present, spec.minutes)
            for number, decision in enumerate(spec.decisions, start=1):
                self.decision(meeting, number, decision, members, (*where, "decisions", number - 1))
        for extract in spec.extracts:
            self.extract(meeting, extract.kind, territory_of(extract.territory))
        return meeting

    def _held(self, meeting: Meeting, present: int | None, minutes: str) -> None:
        """The meeting was held: its invited members (those seated on its day) were convened three weeks
        before; the first `present` of them, in the order of the file, came (all of them when `present` is
        not given), the others were excused or absent; the minutes are written and validated by a member
        present (its president or secretariat first).

        Written here rather than through `record_attendance`: the demo's day may differ from the clock
        (tests pin it), and the service refuses a presence before the meeting has begun by the clock."""
        attendances = list(meeting.attendances.select_related("member__user").order_by("member_id"))
        came = []
        for index, attendance in enumerate(attendances):
            if present is None or index < present:
                status = Attendance.PRESENT
                came.append(attendance.member)
            else:
                status = Attendance.EXCUSED if index % 2 else Attendance.ABSENT
            MeetingAttendance.objects.filter(pk=attendance.pk).update(status=status)
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD,
            invitations_sent_at=meeting.starts_at - INVITED_BEFORE,
            invitations_count=len(attendances),
            invitations_sequence=meeting.sequence,
        )
        if minutes:
            leaders = (MemberRole.CHAIR, MemberRole.SECRETARIAT)
            writers = [member for member in came if member.user_id]
            writers.sort(key=lambda member: member.role not in leaders)
            writer = writers[0].user if writers else None
            Minutes.objects.create(
                meeting=meeting,
                text=minutes,
                status=MinutesStatus.VALIDATED,
                written_by=writer,
                validated_by=writer,
                validated_at=min(meeting.ends_at + MINUTES_VALIDATED_AFTER, at(self.today, VALIDATED_BY)),
            )
            self.report.created["comptes_rendus"] += 1

    def decision(
        self, meeting: Meeting, number: int, spec: DecisionSpec, members: dict, where: YamlPath
    ) -> None:
        if spec.owner is not None and spec.owner not in members:
            raise self.file.error(
                (*where, "owner"), f"aucun membre de l'instance ne porte la clé « {spec.owner} »"
            )
        if Decision.objects.filter(meeting=meeting, number=number).exists():
            self.report.kept["decisions"] += 1
            return
        due = spec.due_date(self.today)
        decision = services.add_decision(
            meeting,
            text=spec.text,
            owner_member=members.get(spec.owner),
            owner_organisation=organisation(spec.organisation) if spec.organisation else None,
            due_date=due,
            status=spec.status,
        )
        closed = (
            min(due, self.today)
            if due and spec.status not in (DecisionStatus.TODO, DecisionStatus.IN_PROGRESS)
            else None
        )
        Decision.objects.filter(pk=decision.pk).update(
            is_demo=True, follow_up=spec.follow_up, closed_on=closed
        )
        self.report.created["decisions"] += 1

    def extract(self, meeting: Meeting, kind: str, place=None) -> None:
        if meeting.documents.filter(kind=kind, territory=place).exists():
            self.report.kept["documents"] += 1
            return
        services.attach_extract(meeting, kind=kind, territory=place, by=None)
        self.report.created["documents"] += 1

    # --- The concertation ----------------------------------------------------------------------------------

    def concertation(self, spec: Concertation) -> None:
        """The stakeholders, their contributions (filed and published as the file says) and the syntheses."""
        own, stakeholders = self._stakeholders(spec)
        publisher, author = user(spec.publisher), user(spec.association.author)
        for index, row in enumerate(spec.contributions):
            self._contribution(
                row, stakeholders, ("concertation", "contributions", index), own, author, publisher
            )
        for index, row in enumerate(spec.syntheses):
            theme = self.theme(row.theme, ("concertation", "syntheses", index, "theme"))
            if ThemeSynthesis.objects.filter(theme=theme).exists():
                self.report.kept["syntheses"] += 1
            else:
                ThemeSynthesis.objects.create(theme=theme, text=row.text, author=publisher, is_demo=True)
                self.report.created["syntheses"] += 1

    def _stakeholders(self, spec: Concertation) -> tuple[Stakeholder, dict[str, Stakeholder]]:
        """The association's stakeholder (through the services) and the others, by name."""
        association = organisation(spec.association.organisation)
        own = (
            Stakeholder.objects.filter(organisation=association).first()
            or Stakeholder.objects.filter(name=association.name).first()
        )
        if own is None:
            own = services.save_stakeholder(
                name=association.name,
                organisation=association,
                **spec.association.model_dump(
                    include={"category", "contact_name", "contact_email", "description"}
                ),
            )
            Stakeholder.objects.filter(pk=own.pk).update(is_demo=True)
            self.report.created["parties_prenantes"] += 1
        else:
            self.report.kept["parties_prenantes"] += 1
        stakeholders = {own.name: own}
        for row in spec.stakeholders:
            stakeholder = Stakeholder.objects.filter(name=row.name).first()
            if stakeholder is None:
                stakeholder = services.save_stakeholder(
                    name=row.name, category=row.category, contact_email=STAKEHOLDER_EMAIL, is_demo=True
                )
                self.report.created["parties_prenantes"] += 1
            else:
                self.report.kept["parties_prenantes"] += 1
            stakeholders[row.name] = stakeholder
        return own, stakeholders

    def _contribution(self, row, stakeholders: dict, where: YamlPath, own, author, publisher) -> None:
        if row.stakeholder not in stakeholders:
            raise self.file.error((*where, "stakeholder"), f"partie prenante « {row.stakeholder} » inconnue")
        stakeholder = stakeholders[row.stakeholder]
        if Contribution.objects.filter(stakeholder=stakeholder, title=row.title).exists():
            self.report.kept["contributions"] += 1
            return
        contribution = Contribution.objects.create(
            stakeholder=stakeholder,
            theme=self.theme(row.theme, (*where, "theme")),
            title=row.title,
            text=row.text,
            is_demo=True,
            filed_by=author if stakeholder == own else None,
        )
        if row.status != ContributionStatus.DRAFT:
            services.file_contribution(contribution, by=contribution.filed_by)
        if row.status == ContributionStatus.PUBLISHED:
            services.publish_contribution(contribution, by=publisher)
        self.report.created["contributions"] += 1


@transaction.atomic
def load_governance_demo(today: date | None = None, path: Path | str = DATA_FILE) -> GovernanceDemoReport:
    require_demo_mode()
    document, file = files.read(path, GovernanceFile)
    if not Axis.objects.exists():
        raise ImproperlyConfigured("Le référentiel est absent : chargez-le d'abord (pacte load_referentiel).")
    services.load_concertation_themes()
    report = GovernanceDemoReport()
    loader = GovernanceLoader(report, file, today or timezone.localdate())
    loader.load(document.regional_copil, ("regional_copil",))
    template = document.axis_committees
    axes = list(Axis.objects.order_by("number"))
    for departement in template.departements:
        place = territory(Level.DEPARTEMENT, departement.code)
        for axis in axes:
            spec = axis_committee(file, template, departement, axis)
            loader.load(spec, ("axis_committees", "committee"), place=place, axis=axis)
    for index, spec in enumerate(document.committees):
        loader.load(spec, ("committees", index))
    loader.concertation(document.concertation)
    return report
