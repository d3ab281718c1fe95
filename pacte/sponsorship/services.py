"""State changes of the mécénat de proximité: one transaction each, French errors per field
(`pacte.core.errors.Errors`); the views ask `perms` first, the services check the data."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from pacte.core.errors import Errors
from pacte.core.validators import siret_problem
from pacte.grants.enums import ApplicationStatus
from pacte.sponsorship import mails, notifications, perms
from pacte.sponsorship.enums import CompanyStatus, PledgeKind, PledgeStatus, PublicationStatus
from pacte.sponsorship.models import Company, Pledge, PublishedProject
from pacte.territories.enums import Level


def _strip(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def register_company(
    *,
    name: str,
    siret: str,
    address: str,
    commune,
    contact_name: str,
    contact_email: str,
    publish_name: bool = False,
    is_demo: bool = False,
) -> Company:
    """A company asks to take part: it waits for the validation of the commissioner of its région."""
    errors = Errors()
    siret = "".join(_strip(siret).split())
    if not _strip(name):
        errors.add("name", "Indiquez la raison sociale de l'entreprise.")
    problem = siret_problem(siret)
    if problem:
        errors.add("siret", problem)
    elif Company.objects.filter(siret=siret).exists():
        errors.add("siret", "Une entreprise de ce SIRET est déjà inscrite.")
    if not _strip(address):
        errors.add("address", "Indiquez l'adresse de l'entreprise.")
    if commune is None or commune.level != Level.COMMUNE:
        errors.add("commune", "Choisissez la commune de l'entreprise.")
    if not _strip(contact_name):
        errors.add("contact_name", "Indiquez la personne à contacter.")
    if not _strip(contact_email):
        errors.add("contact_email", "Indiquez l'adresse électronique de contact.")
    errors.raise_if_any()
    company = Company.objects.create(
        name=_strip(name),
        siret=siret,
        address=_strip(address),
        commune=commune,
        contact_name=_strip(contact_name),
        contact_email=_strip(contact_email),
        publish_name=publish_name,
        is_demo=is_demo,
    )
    notifications.company_registered(company)
    return company


@transaction.atomic
def decide_company(company: Company, user, *, validate: bool, reason: str = "") -> Company:
    company = Company.objects.select_for_update().select_related("commune").get(pk=company.pk)
    if not perms.can_decide_company(user, company):
        raise PermissionDenied
    if not validate and not _strip(reason):
        errors = Errors()
        errors.add("reason", "Indiquez le motif du refus : il est communiqué à l'entreprise.")
        errors.raise_if_any()
    company.status = CompanyStatus.VALIDATED if validate else CompanyStatus.REFUSED
    company.status_reason = "" if validate else _strip(reason)
    company.decided_at = timezone.now()
    company.decided_by = user
    company.save()
    mails.company_decided(company)
    return company


@transaction.atomic
def publish_project(
    application,
    user,
    *,
    deadline: date | None,
    association_consent: bool,
    money_wanted: Decimal | None = None,
    skills_wanted: str = "",
    goods_wanted: str = "",
    is_demo: bool = False,
) -> PublishedProject:
    """The association publishes its selected project with what it needs; its consent is required."""
    if not perms.is_member_of(user, application):
        raise PermissionDenied
    errors = Errors()
    if application.status != ApplicationStatus.SELECTED:
        errors.add("application", "Seul un projet retenu à un appel à projets peut être ouvert au mécénat.")
    elif PublishedProject.objects.filter(application=application).exists():
        errors.add("application", "Ce projet est déjà ouvert au mécénat.")
    if not association_consent:
        errors.add(
            "association_consent",
            "Cochez l'accord de l'association : sans lui, le projet ne peut pas être publié.",
        )
    if deadline is None:
        errors.add("deadline", "Indiquez la date limite.")
    elif deadline < timezone.localdate():
        errors.add("deadline", "La date limite est déjà passée.")
    if money_wanted is not None and money_wanted <= 0:
        errors.add("money_wanted", "Le montant recherché doit être positif (ou laissé vide).")
    if not (money_wanted or _strip(skills_wanted) or _strip(goods_wanted)):
        errors.add(
            "money_wanted",
            "Indiquez au moins un besoin : un montant, des compétences ou des biens recherchés.",
        )
    errors.raise_if_any()
    return PublishedProject.objects.create(
        application=application,
        deadline=deadline,
        association_consent=True,
        money_wanted=money_wanted or None,
        skills_wanted=_strip(skills_wanted),
        goods_wanted=_strip(goods_wanted),
        published_by=user,
        is_demo=is_demo,
    )


@transaction.atomic
def withdraw_project(project: PublishedProject, user) -> PublishedProject:
    """The association takes its project off the public page (its consent withdrawn); pledges stay."""
    project = PublishedProject.objects.select_for_update().select_related("application").get(pk=project.pk)
    if not perms.can_withdraw_project(user, project):
        raise PermissionDenied
    project.status = PublicationStatus.WITHDRAWN
    project.association_consent = False
    project.save()
    return project


@transaction.atomic
def record_pledge(
    project: PublishedProject,
    user,
    *,
    company: Company | None,
    kind: str,
    amount: Decimal | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Pledge:
    """The commissioner records the pledge of a validated company (which has no account)."""
    project = PublishedProject.objects.select_related("application__call__region").get(pk=project.pk)
    if not perms.can_record_pledge(user, project):
        raise PermissionDenied
    errors = Errors()
    if company is None:
        errors.add("company", "Choisissez l'entreprise.")
    elif not company.is_validated:
        errors.add("company", "Cette entreprise n'est pas validée : elle ne peut pas encore s'engager.")
    if kind not in PledgeKind.values:
        errors.add("kind", "Choisissez la nature du mécénat.")
    if kind == PledgeKind.MONEY:
        if amount is None or amount <= 0:
            errors.add("amount", "Indiquez le montant du mécénat financier (positif).")
    elif not _strip(description):
        errors.add("description", "Décrivez les compétences ou les biens proposés.")
    if project.deadline < timezone.localdate():
        errors.add("project", "La date limite du projet est passée : il n'accepte plus de promesses.")
    errors.raise_if_any()
    pledge = Pledge.objects.create(
        company=company,
        project=project,
        kind=kind,
        amount=amount if amount else None,
        description=_strip(description),
        recorded_by=user,
        is_demo=is_demo,
    )
    notifications.pledge_recorded(pledge, user)
    return pledge


@transaction.atomic
def answer_pledge(pledge: Pledge, user, *, accept: bool, note: str = "") -> Pledge:
    pledge = (
        Pledge.objects.select_for_update()
        .select_related("company", "project__application__organisation", "project__application__call__region")
        .get(pk=pledge.pk)
    )
    if not perms.can_answer_pledge(user, pledge):
        raise PermissionDenied
    pledge.status = PledgeStatus.ACCEPTED if accept else PledgeStatus.DECLINED
    pledge.decided_at = timezone.now()
    pledge.decision_note = _strip(note)
    pledge.save()
    mails.pledge_answered(pledge)
    notifications.pledge_answered(pledge, user)
    return pledge


@transaction.atomic
def mark_delivered(pledge: Pledge, user, *, note: str) -> Pledge:
    pledge = (
        Pledge.objects.select_for_update()
        .select_related("project__application__call__region")
        .get(pk=pledge.pk)
    )
    if not perms.can_mark_delivered(user, pledge):
        raise PermissionDenied
    if not _strip(note):
        errors = Errors()
        errors.add("note", "Indiquez ce qui a été donné (montant versé, jours de compétences, biens remis).")
        errors.raise_if_any()
    pledge.status = PledgeStatus.DELIVERED
    pledge.delivered_at = timezone.now()
    pledge.delivered_note = _strip(note)
    pledge.save()
    return pledge
