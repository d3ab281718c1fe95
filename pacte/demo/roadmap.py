"""Demo regional roadmap (data/roadmap.yaml, « donnée fictive »): the roadmap of the Pays de la Loire for the
year of the load, its objectives and actions (some brought from a decision of a regional working group of the
governance demo, one late), published once by the commissioner.

Everything goes through the roadmap services (`pacte.governance.services.roadmap`), inside
`accounts.notifications.muted()` (called by `load_demo`; muted here too when called alone) and one transaction.
Loaded after the accounts and governance demos, in demo mode only. Repeatable: a roadmap that exists for the
région and the year is left as it is, with what demo users changed since.
"""

import datetime
from pathlib import Path
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from pydantic import model_validator

from pacte.accounts.notifications import muted
from pacte.demo import files
from pacte.demo.common import (
    DemoDataError,
    LoadReport,
    checked,
    organisation,
    require_demo_mode,
    territory,
    user,
)
from pacte.demo.files import Spec
from pacte.governance.models import Decision
from pacte.governance.roadmap_models import Roadmap, RoadmapActionStatus
from pacte.governance.services import roadmap as services
from pacte.programme.models import Axis
from pacte.territories.enums import Level

DATA_FILE = "roadmap.yaml"


class DecisionRef(Spec):
    committee: str
    meeting: str
    number: int


class ActionSpec(Spec):
    title: str | None = None
    description: str = ""
    owner: str | None = None  # name of an organisation of accounts.yaml
    owner_text: str = ""
    partners: list[str] = []
    partners_text: str = ""
    due_in_days: int | None = None
    status: RoadmapActionStatus = RoadmapActionStatus.TO_START
    from_decision: DecisionRef | None = None

    @model_validator(mode="after")
    def _titled(self):
        if self.from_decision is None and not self.title:
            raise ValueError("une action sans from_decision a besoin d'un title")
        return self


class ObjectiveSpec(Spec):
    title: str
    axis: int | None = None
    actions: list[ActionSpec]


class RoadmapFile(Spec):
    region: str
    publisher: str
    publish: bool = True
    objectives: list[ObjectiveSpec]


class RoadmapDemoReport(LoadReport):
    LABELS: ClassVar = (
        ("feuilles", "feuille de route", "feuilles de route"),
        ("objectifs", "objectif", "objectifs"),
        ("actions", "action", "actions"),
        ("depuis_decisions", "action issue d'une décision", "actions issues d'une décision"),
        ("publications", "publication", "publications"),
    )
    CREATED: ClassVar = "Feuille de route régionale de démonstration chargée (données fictives)"
    NOTHING: ClassVar = "Aucune feuille de route de démonstration à charger."


def _decision(ref: DecisionRef) -> Decision:
    found = (
        Decision.objects.select_related("meeting__committee")
        .filter(meeting__committee__name=ref.committee, meeting__title=ref.meeting, number=ref.number)
        .first()
    )
    if found is None:
        raise DemoDataError(
            f"La décision n°{ref.number} de « {ref.meeting} » ({ref.committee}) est absente : chargez d'abord "
            "la gouvernance de démonstration (pacte load_demo)."
        )
    return found


def load_roadmap_demo(today: datetime.date | None = None, path: Path | str = DATA_FILE) -> RoadmapDemoReport:
    require_demo_mode()
    document, _ = files.read(path, RoadmapFile)
    today = today or timezone.localdate()
    report = RoadmapDemoReport()
    region = territory(Level.REGION, document.region)
    if Roadmap.objects.filter(region=region, year=today.year).exists():
        report.kept["feuilles"] += 1
        return report
    publisher = user(document.publisher)
    with muted(), transaction.atomic():
        _load(document, region, publisher, today, report)
    return report


def _load(document: RoadmapFile, region, publisher, today: datetime.date, report: RoadmapDemoReport) -> None:
    with checked("feuille de route"):
        roadmap = services.create_roadmap(region, today.year, is_demo=True)
    report.created["feuilles"] += 1
    for objective_spec in document.objectives:
        axis = Axis.objects.filter(number=objective_spec.axis).first() if objective_spec.axis else None
        with checked(f"objectif « {objective_spec.title} »"):
            objective = services.save_objective(roadmap, title=objective_spec.title, axis=axis)
        report.created["objectifs"] += 1
        for spec in objective_spec.actions:
            _action(objective, spec, roadmap, today, publisher, report)
    if document.publish:
        roadmap.refresh_from_db()
        with checked("publication de la feuille de route"):
            services.publish(roadmap, by=publisher, expected_version=roadmap.lock_version)
        report.created["publications"] += 1


def _action(objective, spec: ActionSpec, roadmap, today, publisher, report: RoadmapDemoReport) -> None:
    if spec.from_decision is not None:
        decision = _decision(spec.from_decision)
        if decision.meeting.meeting_date.year == roadmap.year:
            with checked(f"action issue de la décision n°{decision.number} de « {decision.meeting.title} »"):
                services.action_from_decision(
                    decision, objective=objective, title=spec.title or "", actor=publisher
                )
            report.created["actions"] += 1
            report.created["depuis_decisions"] += 1
            return
        # A load at the very start of a year: the decision belongs to last year's roadmap; its text is kept.
        spec = spec.model_copy(
            update={
                "title": spec.title or decision.text.splitlines()[0],
                "description": decision.text,
                "due_in_days": (decision.due_date - today).days if decision.due_date else None,
                "status": services.DECISION_TO_ACTION[decision.status],
                "from_decision": None,
            }
        )
    owner = organisation(spec.owner) if spec.owner else None
    with checked(f"action « {spec.title} »"):
        services.save_action(
            objective,
            title=spec.title,
            description=spec.description,
            owner_organisation=owner,
            owner_text=spec.owner_text,
            partners=[organisation(name) for name in spec.partners],
            partners_text=spec.partners_text,
            due_date=today + datetime.timedelta(days=spec.due_in_days)
            if spec.due_in_days is not None
            else None,
            status=spec.status,
            actor=publisher,
        )
    report.created["actions"] += 1
