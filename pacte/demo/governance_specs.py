"""The format of data/governance.yaml (instances, meetings, decisions, concertation) and the expansion of its
template of axis committees. The file's header comment describes the format for its readers."""

import datetime
import re
from datetime import date
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator, model_validator

from pacte import formatting
from pacte.contracts.enums import ContractKind
from pacte.demo import calendar
from pacte.demo.common import DemoTerritory
from pacte.demo.files import DemoFileError, Spec, YamlFile, YamlPath
from pacte.governance.enums import (
    CommitteeKind,
    ContributionStatus,
    DecisionStatus,
    DocumentKind,
    MemberCategory,
    MemberRole,
    StakeholderCategory,
)

CLOCK = re.compile(r"^(\d{1,2}) h(?: (\d{2}))?$")
RECENT_BASE, RECENT_STEP = 40, 9  # the {recent} of an axis committee: 41 to 80 days


class DecisionSpec(Spec):
    text: str
    due: date | None = None
    due_in_days: int | None = None  # relative to the day of the load (negative: already late)
    status: DecisionStatus
    owner: str | None = None  # key of a member of the committee
    organisation: str | None = None  # name of an organisation of accounts.yaml
    follow_up: str = ""

    def due_date(self, today: date) -> date | None:
        if self.due_in_days is not None:
            return today + datetime.timedelta(days=self.due_in_days)
        return self.due


class ExtractSpec(Spec):
    kind: DocumentKind
    territory: DemoTerritory | None = None


class MeetingSpec(Spec):
    title: str
    day: date | None = None
    in_days: int | None = None  # relative to the day of the load: positive to come, negative past
    start: datetime.time
    end: datetime.time
    place: str | None = None
    visio_url: str | None = None
    details: str | None = None
    participants_count: int | None = None
    agenda: list[str] = []
    present: int | None = None  # the first members invited were present; all of them when absent
    minutes: str = ""
    decisions: list[DecisionSpec] = []
    extracts: list[ExtractSpec] = []
    theme: str | None = None  # code of a concertation theme

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> datetime.time:
        if isinstance(value, datetime.time):
            return value
        match = CLOCK.match(value) if isinstance(value, str) else None
        if match is None:
            raise ValueError("heure attendue sous la forme « 9 h » ou « 14 h 30 »")
        return datetime.time(int(match[1]), int(match[2] or 0))

    @model_validator(mode="after")
    def _one_day(self):
        if (self.day is None) == (self.in_days is None):
            raise ValueError("day (une date) ou in_days (un nombre de jours), l'un des deux")
        return self

    def on(self, today: date) -> date:
        """Its day: the date of the file, or the working day (never a weekend nor a French public holiday)
        `in_days` from `today`, moved away from `today` so that a meeting to come stays to come."""
        return self.day if self.in_days is None else calendar.working_day_in(today, self.in_days)


class MemberSpec(Spec):
    key: str | None = None  # how the decisions of the committee name this member
    category: MemberCategory
    role: MemberRole = MemberRole.MEMBER
    user: str | None = None  # username of an account of accounts.yaml
    organisation: str | None = None  # name of an organisation of accounts.yaml
    organisation_name: str | None = None
    person_name: str | None = None
    email: str | None = None
    function: str | None = None


class SteeredSpec(Spec):
    """A convention of the contracts demo the instance steers: its collectivité's territory and its kind."""

    territory: DemoTerritory
    kind: ContractKind


class CommitteeSpec(Spec):
    name: str
    territory: DemoTerritory | None = None
    kind: CommitteeKind
    description: str | None = None
    theme: str | None = None
    meetings_per_year: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None
    secretariat: str | None = None  # name of an organisation of accounts.yaml
    is_public: bool
    members: list[MemberSpec] = []
    meetings: list[MeetingSpec] = []
    steers: list[SteeredSpec] = []  # the instance is their comité de pilotage


class DepartementSpec(Spec):
    code: str
    name: str
    first_day: date  # the comité of axis n meets n working days later


class Addition(Spec):
    departement: str
    axis: int
    decisions: list[DecisionSpec] = []  # added to the first meeting of the committee
    extracts: list[ExtractSpec] = []  # of the first meeting
    meetings: list[MeetingSpec] = []


class AxisCommittees(Spec):
    departements: list[DepartementSpec]
    committee: dict[str, Any]  # a committee with the placeholders the file's comment lists
    additions: list[Addition] = []


class OwnStakeholder(Spec):
    organisation: str
    category: StakeholderCategory
    contact_name: str
    contact_email: str
    description: str
    author: str


class StakeholderSpec(Spec):
    name: str
    category: StakeholderCategory


class ContributionSpec(Spec):
    stakeholder: str
    theme: str
    title: str
    status: ContributionStatus
    text: str


class SynthesisSpec(Spec):
    theme: str
    text: str


class Concertation(Spec):
    association: OwnStakeholder
    publisher: str
    stakeholders: list[StakeholderSpec]
    contributions: list[ContributionSpec]
    syntheses: list[SynthesisSpec]


class GovernanceFile(Spec):
    regional_copil: CommitteeSpec
    axis_committees: AxisCommittees
    committees: list[CommitteeSpec]
    concertation: Concertation


# --- The axis committees --------------------------------------------------------------------------------


def _filled(value, values: dict[str, str]):
    if isinstance(value, str):
        return value.format_map(values)
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    return value


def _dumped(specs: list[Spec]) -> list[dict[str, Any]]:
    return [spec.model_dump(exclude_unset=True) for spec in specs]


def axis_committee(
    file: YamlFile, template: AxisCommittees, departement: DepartementSpec, axis
) -> CommitteeSpec:
    """The committee of one axis in one département, from the template and its additions."""
    where: YamlPath = ("axis_committees", "committee")
    day = calendar.add_working_days(departement.first_day, axis.number)
    position = template.departements.index(departement)
    values = {
        "departement": departement.name,
        "code": departement.code,
        "axis": str(axis.number),
        "axis_title": axis.title,
        "day": day.isoformat(),
        "month": formatting.month(day),
        # days before the load of its latest meeting: spread over the départements and the axes
        "recent": str(RECENT_BASE + RECENT_STEP * position + axis.number),
    }
    try:
        data = _filled(template.committee, values)
    except (KeyError, IndexError, ValueError) as error:
        raise file.error(
            where, f"texte à trous invalide ({error}) ; trous permis : {', '.join(values)}"
        ) from None
    members = []
    for member in data.get("members", []):
        only_in = member.pop("only_in", None) if isinstance(member, dict) else None
        if only_in is None or departement.code in only_in:
            members.append(member)
    data["members"] = members
    for addition in template.additions:
        if (addition.departement, addition.axis) == (departement.code, axis.number) and data.get("meetings"):
            first = data["meetings"][0]
            first["decisions"] = [*first.get("decisions", []), *_dumped(addition.decisions)]
            first["extracts"] = [*first.get("extracts", []), *_dumped(addition.extracts)]
            data["meetings"] = [*data["meetings"], *_dumped(addition.meetings)]
    try:
        return CommitteeSpec.model_validate(data)
    except ValidationError as exc:
        problems = [file.translate(error, prefix=where) for error in exc.errors()]
        raise DemoFileError(file.path, problems) from exc
