"""Candidatures: who may apply, the checks of what an association fills in, saving the draft with its
requested amounts, co-financing and indicators, filing it before the deadline (and after the financial reports
of its past grants, « avant toute nouvelle demande »: `pacte.grants.rules`), and withdrawing it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pacte import formatting
from pacte.accounts.enums import OrganisationKind
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.core.validators import siret_problem
from pacte.grants import notifications, rules, schedule
from pacte.grants.enums import PENDING_STATUSES, ApplicationStatus, FundingStatus
from pacte.grants.models import (
    Application,
    CallForProjects,
    CoFunding,
    ProjectIndicator,
    RequestedAmount,
)
from pacte.grants.services.calls import call_refusal, mark_decided_if_done
from pacte.grants.services.common import ZERO
from pacte.programme.models import Axis, Measure
from pacte.territories.models import Territory


@dataclass
class CoFundingRow:
    funder: str
    amount: Decimal
    status: str = FundingStatus.REQUESTED


@dataclass
class ProjectIndicatorRow:
    label: str
    unit: str
    target: Decimal


@dataclass
class ApplicationData:
    project_title: str
    summary: str
    axis_id: int | None
    territory_id: int | None
    total_cost: Decimal | None
    contact_name: str
    contact_email: str
    measure_id: int | None = None
    siret: str = ""
    contact_phone: str = ""
    amounts: dict[int, Decimal] = field(default_factory=dict)
    cofundings: list[CoFundingRow] = field(default_factory=list)
    indicators: list[ProjectIndicatorRow] = field(default_factory=list)


def organisation_problem(organisation) -> str | None:
    """Why an organisation cannot apply: only associations identified by a SIREN or an RNA number."""
    if organisation is None or organisation.kind != OrganisationKind.ASSOCIATION:
        return "Seule une association peut candidater à un appel à projets."
    if not organisation.siren and not organisation.rna:
        return (
            "Votre association n'est identifiée ni par un SIREN ni par un numéro RNA : demandez à la DDETS de "
            "compléter sa fiche avant de candidater."
        )
    try:
        organisation.clean()
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def _check_application_data(call: CallForProjects, organisation, data: ApplicationData) -> Errors:
    errors = Errors()
    for name in ("project_title", "summary", "contact_name"):
        if not (getattr(data, name) or "").strip():
            errors.add(name, "Ce champ est obligatoire.")
    if data.contact_email:
        try:
            validate_email(data.contact_email)
        except ValidationError:
            errors.add("contact_email", "Saisissez une adresse électronique valide.")
    else:
        errors.add("contact_email", "Ce champ est obligatoire.")
    if data.siret:
        problem = siret_problem(data.siret)
        if problem:
            errors.add("siret", problem)
        elif organisation.siren and not data.siret.startswith(organisation.siren):
            errors.add(
                "siret", f"Le SIRET doit commencer par le SIREN de votre association ({organisation.siren})."
            )
    axis = Axis.objects.filter(pk=data.axis_id).first() if data.axis_id else None
    if axis is None:
        errors.add("axis", "Choisissez l'axe du Pacte auquel le projet contribue.")
    elif call.axes.exists() and not call.axes.filter(pk=axis.pk).exists():
        errors.add("axis", "Cet axe n'est pas visé par l'appel à projets.")
    if data.measure_id:
        measure = Measure.objects.filter(pk=data.measure_id).first()
        if measure is None or (axis is not None and measure.axis_id != axis.pk):
            errors.add("measure", "La mesure choisie n'appartient pas à l'axe du projet.")
    territory = Territory.objects.filter(pk=data.territory_id).first() if data.territory_id else None
    if territory is None:
        errors.add("territory", "Indiquez le territoire où le projet se déroule.")
    elif not call.region.contains(territory):
        errors.add("territory", f"Le territoire d'action doit se trouver en {call.region.name}.")
    if data.total_cost is None or data.total_cost <= 0:
        errors.add("total_cost", "Indiquez le coût total du projet (un montant positif).")
    years = set(call.years)
    for year, amount in data.amounts.items():
        path = f"amounts.{year}"
        if year not in years:
            errors.add(path, f"L'appel à projets finance les années {call.first_year} à {call.years[-1]}.")
        elif amount is not None and amount < 0:
            errors.add(path, f"{year} : un montant ne peut pas être négatif.")
        elif amount and amount > call.max_amount_per_year:
            errors.add(
                path,
                f"{year} : le montant demandé ({formatting.euros(amount)}) dépasse le plafond de l'appel à projets "
                f"({formatting.euros(call.max_amount_per_year)} par projet et par an).",
            )
    for index, row in enumerate(data.cofundings):
        path = f"cofundings[{index}]"
        if not row.funder.strip():
            errors.add(f"{path}.funder", f"Cofinancement n°{index + 1} : nommez le cofinanceur.")
        if row.amount is None or row.amount <= 0:
            errors.add(f"{path}.amount", f"Cofinancement n°{index + 1} : le montant doit être positif.")
        if row.status not in FundingStatus.values:
            errors.add(
                f"{path}.status", f"Cofinancement n°{index + 1} : indiquez s'il est acquis ou sollicité."
            )
    for index, row in enumerate(data.indicators):
        path = f"indicators[{index}]"
        if not row.label.strip():
            errors.add(f"{path}.label", f"Indicateur n°{index + 1} : donnez-lui un intitulé.")
        if not row.unit.strip():
            errors.add(f"{path}.unit", f"Indicateur n°{index + 1} : indiquez son unité.")
        if row.target is None or row.target < 0:
            errors.add(f"{path}.target", f"Indicateur n°{index + 1} : la cible doit être positive ou nulle.")
    if data.total_cost and not errors.messages:
        asked = sum((amount or ZERO for amount in data.amounts.values()), ZERO)
        others = sum((row.amount for row in data.cofundings), ZERO)
        if asked + others > data.total_cost:
            errors.add(
                "total_cost",
                f"La subvention demandée et les cofinancements ({formatting.euros(asked + others)}) dépassent le coût "
                f"total du projet ({formatting.euros(data.total_cost)}).",
            )
    return errors


def _write_rows(application: Application, data: ApplicationData) -> None:
    existing = {row.year: row for row in application.amounts.all()}
    for year, amount in data.amounts.items():
        row = existing.pop(year, None)
        if not amount:
            if row is not None:
                row.delete()
            continue
        if row is None:
            RequestedAmount.objects.create(application=application, year=year, requested=amount)
        elif row.requested != amount:
            row.requested = amount
            row.save()
    for row in existing.values():
        row.delete()
    cofundings = [(r.funder.strip(), r.amount, r.status) for r in data.cofundings]
    if [(c.funder, c.amount, c.status) for c in application.cofundings.all()] != cofundings:
        application.cofundings.all().delete()
        for funder, amount, status in cofundings:
            CoFunding.objects.create(application=application, funder=funder, amount=amount, status=status)
    indicators = [(r.label.strip(), r.unit.strip(), r.target) for r in data.indicators]
    current = list(application.indicators.all())
    if [(i.label, i.unit, i.target) for i in current] != indicators:
        for indicator, (label, unit, target) in zip(current, indicators, strict=False):
            indicator.label, indicator.unit, indicator.target = label, unit, target
            indicator.save()
        for indicator in current[len(indicators) :]:
            indicator.delete()
        for label, unit, target in indicators[len(current) :]:
            ProjectIndicator.objects.create(application=application, label=label, unit=unit, target=target)


@transaction.atomic
def save_application(
    call: CallForProjects,
    user,
    data: ApplicationData,
    *,
    application: Application | None = None,
    expected_version: int | None = None,
    now=None,
    is_demo: bool = False,
) -> Application:
    """Create or change the draft candidature of the user's association."""
    call = CallForProjects.objects.select_for_update().get(pk=call.pk)
    organisation = user.organisation if application is None else application.organisation
    problem = organisation_problem(organisation)
    if problem:
        raise ValidationError({"organisation": problem})
    refusal = call_refusal(call, now)
    if refusal:
        raise ValidationError({"call": refusal})
    if application is not None and not application.is_editable:
        raise ValidationError({"status": "Cette candidature est déposée : elle ne peut plus être modifiée."})
    _check_application_data(call, organisation, data).raise_if_any()
    if application is None:
        number = (call.applications.aggregate(last=Max("number"))["last"] or 0) + 1
        application = Application(
            call=call, number=number, organisation=organisation, created_by=user, is_demo=is_demo
        )
    else:
        claim_version(application, expected_version)
    application.project_title = data.project_title.strip()
    application.summary = data.summary.strip()
    application.axis_id = data.axis_id
    application.measure_id = data.measure_id
    application.territory_id = data.territory_id
    application.total_cost = data.total_cost
    application.siret = data.siret
    application.contact_name = data.contact_name.strip()
    application.contact_email = data.contact_email.strip()
    application.contact_phone = data.contact_phone.strip()
    application.save()
    _write_rows(application, data)
    return application


def submission_problems(application: Application, *, now=None) -> dict[str, list[str]]:
    """What is missing before the candidature may be filed (the same rules as when saving, plus completeness,
    plus the financial reports of the association's past grants that are overdue)."""
    errors = Errors()
    call = application.call
    organisation_issue = organisation_problem(application.organisation)
    if organisation_issue:
        errors.add("organisation", organisation_issue)
    if not application.siret:
        errors.add(
            "siret",
            "Indiquez le SIRET de l'association : une subvention de l'État se verse à un établissement identifié.",
        )
    amounts = list(application.amounts.all())
    if not amounts:
        errors.add("amounts", "Indiquez le montant demandé pour au moins une année.")
    if len(amounts) > call.max_years:
        errors.add("amounts", f"L'appel à projets finance des projets de {call.max_years} an(s) au plus.")
    if not application.indicators.exists():
        errors.add("indicators", "Indiquez au moins un indicateur de résultat avec sa cible.")
    today = timezone.localdate(now) if now else timezone.localdate()
    for row in schedule.overdue(application.organisation_id, today):
        errors.add(
            "reports",
            f"Le compte rendu financier {row.year} de la subvention {row.agreement.number} était attendu au plus "
            f"tard le {formatting.date(row.due_on)} : déposez-le avant toute nouvelle demande de subvention "
            f"(formulaire CERFA n° {rules.REPORT_FORM['number']}).",
        )
    return dict(errors.messages)


@transaction.atomic
def submit_application(application: Application, user, *, now=None) -> Application:
    now = now or timezone.now()
    application = (
        Application.objects.select_for_update().select_related("call", "organisation").get(pk=application.pk)
    )
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError({"status": "Cette candidature est déjà déposée."})
    refusal = call_refusal(application.call, now)
    if refusal:
        raise ValidationError({"call": refusal})
    problems = submission_problems(application, now=now)
    if problems:
        raise ValidationError(problems)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.submitted_by = user
    application.save()
    notifications.application_submitted(application, user)
    return application


@transaction.atomic
def withdraw_application(application: Application, user, *, now=None) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (ApplicationStatus.DRAFT, *PENDING_STATUSES):
        raise ValidationError(
            {"status": "Une candidature décidée ou déjà retirée ne peut plus être retirée."}
        )
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = now or timezone.now()
    application.save()
    mark_decided_if_done(application.call, now or timezone.now())
    return application
