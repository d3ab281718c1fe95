"""Demo mécénat de proximité (data/sponsorship.yaml, « donnée fictive »): companies of the Pays de la Loire
(validated by the commissioner, or waiting for it), the selected candidatures of the grants demo published by
their association, and pledges in each state (proposed, accepted, declined, delivered).

Everything goes through the sponsorship services (`pacte.sponsorship.services`: registration, validation,
publication, pledge, answer, delivery) inside `accounts.notifications.muted()` and one transaction; the company's
e-mails (`sponsorship.mails`) are not queued either: the demo's history mails nobody (the queued messages of the
transaction are dropped). Loaded after the accounts and grants demos, in demo mode only. Repeatable: a company
whose SIRET exists and a project already published are left as they are (a project's pledges are loaded with it).
"""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, ClassVar

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import Field

from pacte.accounts.notifications import muted
from pacte.core.models import OutgoingMail
from pacte.core.validators import siret_problem
from pacte.demo import files
from pacte.demo.common import DemoDataError, LoadReport, checked, require_demo_mode, territory, user
from pacte.demo.files import Spec
from pacte.grants.enums import ApplicationStatus
from pacte.grants.models import Application
from pacte.sponsorship import services
from pacte.sponsorship.enums import PledgeKind, PledgeStatus
from pacte.sponsorship.models import Company, PublishedProject
from pacte.territories.enums import Level

DATA_FILE = "sponsorship.yaml"


class CompanySpec(Spec):
    name: str
    siret_prefix: Annotated[str, Field(pattern=r"^\d{13}$")]
    address: str
    commune: str
    contact_name: str
    contact_email: str
    publish_name: bool = False
    validated: bool = True


class ProjectSpec(Spec):
    application: str
    by: str
    deadline_in_days: int = Field(ge=1)
    money_wanted: Decimal | None = None
    skills_wanted: str = ""
    goods_wanted: str = ""


class PledgeSpec(Spec):
    project: str
    company: str
    kind: PledgeKind
    amount: Decimal | None = None
    description: str = ""
    then: PledgeStatus = PledgeStatus.PROPOSED
    note: str = ""


class SponsorshipFile(Spec):
    validator: str
    recorder: str
    companies: list[CompanySpec]
    projects: list[ProjectSpec]
    pledges: list[PledgeSpec] = []


class SponsorshipDemoReport(LoadReport):
    LABELS: ClassVar = (
        ("entreprises", "entreprise", "entreprises"),
        ("projets", "projet ouvert au mécénat", "projets ouverts au mécénat"),
        ("promesses", "promesse", "promesses"),
    )
    CREATED: ClassVar = "Mécénat de proximité de démonstration chargé (données fictives)"
    NOTHING: ClassVar = "Aucune donnée de mécénat à charger."


def fictitious_siret(prefix: str) -> str:
    """The prefix followed by the one digit that makes a valid SIRET (Luhn key)."""
    return next(prefix + last for last in "0123456789" if siret_problem(prefix + last) is None)


def load_sponsorship_demo(
    today: datetime.date | None = None, path: Path | str = DATA_FILE
) -> SponsorshipDemoReport:
    require_demo_mode()
    document, _ = files.read(path, SponsorshipFile)
    today = today or timezone.localdate()
    report = SponsorshipDemoReport()
    validator, recorder = user(document.validator), user(document.recorder)
    with muted(), transaction.atomic():
        last_queued = OutgoingMail.objects.aggregate(last=Max("pk"))["last"] or 0
        companies = {spec.name: _company(spec, validator, report) for spec in document.companies}
        new_projects = {}
        for spec in document.projects:
            project, created = _project(spec, today, report)
            if created:
                new_projects[spec.application] = project
        for spec in document.pledges:
            if spec.project in new_projects:
                _pledge(spec, new_projects[spec.project], companies, recorder, report)
        # The company's e-mails of the demo's history (validated, pledge answered): nobody to mail.
        OutgoingMail.objects.filter(pk__gt=last_queued).delete()
    return report


def _company(spec: CompanySpec, validator, report: SponsorshipDemoReport) -> Company:
    siret = fictitious_siret(spec.siret_prefix)
    # A demo company is found by its name, so that a reload after a change of its fictitious SIRET (December 2026:
    # the SIREN's own key) keeps it instead of adding a second one; by its SIRET for any other row.
    found = (
        Company.objects.filter(is_demo=True, name=spec.name).first()
        or Company.objects.filter(siret=siret).first()
    )
    if found is not None:
        report.kept["entreprises"] += 1
        return found
    with checked(f"entreprise « {spec.name} »"):
        company = services.register_company(
            name=spec.name,
            siret=siret,
            address=spec.address,
            commune=territory(Level.COMMUNE, spec.commune),
            contact_name=spec.contact_name,
            contact_email=spec.contact_email,
            publish_name=spec.publish_name,
            is_demo=True,
        )
        if spec.validated:
            company = services.decide_company(company, validator, validate=True)
    report.created["entreprises"] += 1
    return company


def _project(spec: ProjectSpec, today: datetime.date, report: SponsorshipDemoReport):
    application = (
        Application.objects.filter(project_title=spec.application, status=ApplicationStatus.SELECTED)
        .select_related("organisation")
        .first()
    )
    if application is None:
        raise DemoDataError(
            f"La candidature retenue « {spec.application} » est absente : chargez d'abord les appels à projets de "
            "démonstration (pacte load_demo)."
        )
    found = PublishedProject.objects.filter(application=application).first()
    if found is not None:
        report.kept["projets"] += 1
        return found, False
    with checked(f"projet « {spec.application} »"):
        project = services.publish_project(
            application,
            user(spec.by),
            deadline=today + datetime.timedelta(days=spec.deadline_in_days),
            association_consent=True,
            money_wanted=spec.money_wanted,
            skills_wanted=spec.skills_wanted,
            goods_wanted=spec.goods_wanted,
            is_demo=True,
        )
    report.created["projets"] += 1
    return project, True


def _pledge(spec: PledgeSpec, project, companies: dict, recorder, report: SponsorshipDemoReport) -> None:
    company = companies.get(spec.company)
    if company is None:
        raise DemoDataError(f"L'entreprise « {spec.company} » n'est pas dans la liste companies du fichier.")
    member = user(_member_of(project))
    with checked(f"promesse de « {spec.company} » pour « {spec.project} »"):
        pledge = services.record_pledge(
            project,
            recorder,
            company=company,
            kind=spec.kind,
            amount=spec.amount,
            description=spec.description,
            is_demo=True,
        )
        if spec.then in (PledgeStatus.ACCEPTED, PledgeStatus.DELIVERED, PledgeStatus.DECLINED):
            accept = spec.then != PledgeStatus.DECLINED
            note = spec.note if spec.then != PledgeStatus.DELIVERED else ""
            pledge = services.answer_pledge(pledge, member, accept=accept, note=note)
        if spec.then == PledgeStatus.DELIVERED:
            services.mark_delivered(pledge, member, note=spec.note or "Don remis (donnée fictive).")
    report.created["promesses"] += 1


def _member_of(project) -> str:
    """The username of a member of the project's association (the one who published it)."""
    if project.published_by_id is None:
        raise DemoDataError(f"Le projet « {project} » n'a pas d'auteur de publication.")
    return project.published_by.username
