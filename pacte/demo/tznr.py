"""Demo territoires zéro non-recours (data/tznr.yaml): two experiments declared on the platform by demo porteurs
in Pays de la Loire, with their budget, actions, contacts and periods (validated, transmitted, in draft), loaded
through the tznr services after the accounts demo, in demo mode. The 39 territories of the arrêté are not demo
data (`pacte setup` loads them with their sources) and get no demo figure. Repeatable: an experiment whose name
exists is left as it is, with what demo users did since."""

import datetime
from decimal import Decimal

from django.db import transaction

from pacte.demo import files
from pacte.demo.common import DemoTerritory, LoadReport, checked, require_demo_mode, territory_of, user
from pacte.demo.files import Spec
from pacte.tznr import services
from pacte.tznr.enums import PeriodStatus
from pacte.tznr.models import Experiment, FollowUpPeriod

DATA_FILE = "tznr.yaml"


class FundingSpec(Spec):
    funder: str
    funder_kind: str
    year: int
    amount: Decimal


class ActionSpec(Spec):
    kind: str
    title: str
    place: str = ""
    start_date: datetime.date | None = None


class ContactSpec(Spec):
    name: str
    function: str = ""
    email: str = ""


class RightSpec(Spec):
    benefit: str
    source: str
    count: int
    monthly_amount: Decimal | None = None


class PeriodSpec(Spec):
    start: datetime.date
    end: datetime.date
    households_met: int
    rights_examined: int
    spent: Decimal
    spending_note: str = ""
    rights: list[RightSpec] = []
    state: str = PeriodStatus.DRAFT
    reviewed_by: str | None = None


class ExperimentSpec(Spec):
    name: str
    declared_by: str
    territories: list[DemoTerritory]
    lead_name: str
    lead_kind: str
    operational_lead: str = ""
    partners: list[str] = []
    description: str = ""
    start_date: datetime.date | None = None
    fundings: list[FundingSpec] = []
    actions: list[ActionSpec] = []
    contacts: list[ContactSpec] = []
    periods: list[PeriodSpec] = []


class TznrFile(Spec):
    experiments: list[ExperimentSpec]


class TznrReport(LoadReport):
    LABELS = (
        ("experiments", "territoire zéro non-recours déclaré", "territoires zéro non-recours déclarés"),
        ("periods", "période de suivi", "périodes de suivi"),
    )


@transaction.atomic
def load_tznr_demo() -> TznrReport:
    require_demo_mode()
    document, _ = files.read(DATA_FILE, TznrFile)
    report = TznrReport()
    for spec in document.experiments:
        if Experiment.objects.filter(name=spec.name).exists():
            report.kept["experiments"] += 1
            continue
        porteur = user(spec.declared_by)
        with checked(f"territoire zéro non-recours « {spec.name} »"):
            experiment = _experiment(porteur, spec)
            for period_spec in spec.periods:
                _period(porteur, experiment, period_spec)
                report.created["periods"] += 1
        report.created["experiments"] += 1
    return report


def _experiment(porteur, spec: ExperimentSpec) -> Experiment:
    data = {
        "name": spec.name,
        "lead_name": spec.lead_name,
        "lead_kind": spec.lead_kind,
        "operational_lead": spec.operational_lead,
        "partners": "\n".join(spec.partners),
        "description": spec.description,
        "start_date": spec.start_date,
    }
    territories = [territory_of(ref) for ref in spec.territories]
    experiment = services.create_experiment(porteur, data, territories, is_demo=True)
    for funding in spec.fundings:
        services.add_funding(porteur, experiment, **funding.model_dump())
    for action in spec.actions:
        services.add_action(porteur, experiment, **action.model_dump())
    for contact in spec.contacts:
        services.add_contact(porteur, experiment, **contact.model_dump())
    return experiment


def _period(porteur, experiment: Experiment, spec: PeriodSpec) -> FollowUpPeriod:
    data = spec.model_dump(
        include={"start", "end", "households_met", "rights_examined", "spent", "spending_note"}
    )
    period = services.open_period(porteur, experiment, data, is_demo=True)
    rows = [right.model_dump() for right in spec.rights]
    services.replace_rights(porteur, period, rows, version=None)
    period.refresh_from_db()
    if spec.state in (PeriodStatus.SUBMITTED, PeriodStatus.VALIDATED):
        services.submit_period(porteur, period, version=period.lock_version)
    if spec.state == PeriodStatus.VALIDATED:
        services.review_period(user(spec.reviewed_by), period, validate=True, version=period.lock_version)
    return period
