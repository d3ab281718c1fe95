"""Business operations on appels à projets: drafting and publishing a call, closing it (at its deadline or
early), candidatures and their submission, reviewer assignments and evaluations, the decision and the
convention it creates, payments and yearly reports.

Every operation that writes runs in one transaction and checks its rules first: a refused operation raises a
`django.core.exceptions.ValidationError` whose message dict names the field (`amounts.2025`,
`cofundings[1].amount`, `scores.3`) and says why in French, and nothing is written. Views, commands and the
demo loader call these functions; they never change state themselves.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import formats, timezone

from pacte import formatting
from pacte.accounts.enums import OrganisationKind
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.grants.enums import (
    MAX_YEARS,
    PENDING_STATUSES,
    ApplicationStatus,
    CallStatus,
    FundingStatus,
    ReportStatus,
    ReviewStatus,
)
from pacte.grants.models import (
    Application,
    CallForProjects,
    CoFunding,
    Criterion,
    GrantAgreement,
    GrantReport,
    GrantYear,
    Payment,
    ProjectIndicator,
    ReportIndicatorValue,
    RequestedAmount,
    Review,
    ReviewerAssignment,
    ReviewScore,
    weighted_score,
)
from pacte.programme.models import Axis, Measure
from pacte.territories.enums import Level
from pacte.territories.models import Territory

ZERO = Decimal("0")


def _moment(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j F Y')} à {local:%H:%M}"


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET (14 digits with a valid Luhn key), or None."""
    if not (value.isdigit() and len(value) == 14):
        return "Le SIRET compte 14 chiffres (le SIREN suivi des 5 chiffres du numéro d'établissement)."
    total = 0
    for index, digit in enumerate(reversed(value)):
        number = int(digit) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    if total % 10 and not value.startswith("356000000"):  # La Poste's establishments escape the key
        return "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les 14 chiffres."
    return None


# --- Calls --------------------------------------------------------------------------------------------


@dataclass
class CriterionRow:
    label: str
    weight: int = 1
    max_score: int = 5
    description: str = ""


@dataclass
class CallData:
    title: str
    description: str
    eligibility: str
    total_budget: Decimal
    max_amount_per_year: Decimal
    first_year: int
    max_years: int
    opens_at: datetime
    deadline: datetime
    funder_siret: str = ""
    axis_ids: list[int] = field(default_factory=list)
    measure_ids: list[int] = field(default_factory=list)
    criteria: list[CriterionRow] = field(default_factory=list)


def _check_call_data(data: CallData) -> None:
    errors = Errors()
    for name in ("title", "description", "eligibility"):
        if not (getattr(data, name) or "").strip():
            errors.add(name, "Ce champ est obligatoire.")
    if data.total_budget is None or data.total_budget <= 0:
        errors.add("total_budget", "L'enveloppe totale doit être un montant positif.")
    if data.max_amount_per_year is None or data.max_amount_per_year <= 0:
        errors.add("max_amount_per_year", "Le montant maximal par projet doit être un montant positif.")
    elif data.total_budget and data.max_amount_per_year > data.total_budget:
        errors.add(
            "max_amount_per_year", "Le montant maximal par projet ne peut pas dépasser l'enveloppe totale."
        )
    if not 1 <= (data.max_years or 0) <= MAX_YEARS:
        errors.add("max_years", f"La durée d'un projet va de 1 à {MAX_YEARS} ans.")
    if data.opens_at and data.deadline and data.deadline <= data.opens_at:
        errors.add("deadline", "La date limite de dépôt doit suivre l'ouverture des candidatures.")
    if data.funder_siret:
        problem = siret_problem(data.funder_siret)
        if problem:
            errors.add("funder_siret", problem)
    if Axis.objects.filter(pk__in=data.axis_ids).count() != len(set(data.axis_ids)):
        errors.add("axes", "Un axe choisi n'existe pas.")
    if Measure.objects.filter(pk__in=data.measure_ids).count() != len(set(data.measure_ids)):
        errors.add("measures", "Une mesure choisie n'existe pas.")
    labels = set()
    for index, row in enumerate(data.criteria):
        path = f"criteria[{index}]"
        if not row.label.strip():
            errors.add(f"{path}.label", f"Critère n°{index + 1} : donnez-lui un intitulé.")
        elif row.label.strip().lower() in labels:
            errors.add(f"{path}.label", f"Critère n°{index + 1} : « {row.label} » figure déjà.")
        labels.add(row.label.strip().lower())
        if not 1 <= (row.weight or 0) <= 100:
            errors.add(f"{path}.weight", f"Critère n°{index + 1} : la pondération va de 1 à 100.")
        if not 1 <= (row.max_score or 0) <= 100:
            errors.add(f"{path}.max_score", f"Critère n°{index + 1} : la note maximale va de 1 à 100.")
    errors.raise_if_any()


def _reference(region: Territory, year: int) -> str:
    base = f"AAP-{region.code}-{year}"
    existing = set(
        CallForProjects.objects.filter(reference__startswith=base).values_list("reference", flat=True)
    )
    if base not in existing:
        return base
    suffix = 2
    while f"{base}-{suffix}" in existing:
        suffix += 1
    return f"{base}-{suffix}"


def _write_criteria(call: CallForProjects, rows: list[CriterionRow]) -> None:
    current = list(call.criteria.order_by("order"))
    same = [(c.label, c.description, c.weight, c.max_score) for c in current] == [
        (r.label.strip(), r.description.strip(), r.weight, r.max_score) for r in rows
    ]
    if same:
        return
    if ReviewScore.objects.filter(criterion__call=call).exists():
        raise ValidationError(
            {
                "criteria": "Des évaluations ont commencé : les critères de cet appel à projets ne peuvent plus changer."
            }
        )
    call.criteria.all().delete()
    for order, row in enumerate(rows, start=1):
        Criterion.objects.create(
            call=call,
            order=order,
            label=row.label.strip(),
            description=row.description.strip(),
            weight=row.weight,
            max_score=row.max_score,
        )


@transaction.atomic
def create_call(user, data: CallData, *, is_demo: bool = False) -> CallForProjects:
    """A draft call of the user's région, owned by its organisation (the préfecture de région)."""
    if (
        user.territory is None
        or user.territory.level not in (Level.REGION, Level.COM)
        or not user.organisation_id
    ):
        raise ValidationError(
            {
                "region": "Un appel à projets est porté par le commissaire d'une région, rattaché à sa préfecture."
            }
        )
    _check_call_data(data)
    call = CallForProjects.objects.create(
        region=user.territory,
        owner=user.organisation,
        reference=_reference(user.territory, data.first_year),
        title=data.title.strip(),
        description=data.description.strip(),
        eligibility=data.eligibility.strip(),
        total_budget=data.total_budget,
        max_amount_per_year=data.max_amount_per_year,
        first_year=data.first_year,
        max_years=data.max_years,
        opens_at=data.opens_at,
        deadline=data.deadline,
        funder_siret=data.funder_siret,
        is_demo=is_demo,
    )
    call.axes.set(data.axis_ids)
    call.measures.set(data.measure_ids)
    _write_criteria(call, data.criteria)
    return call


# The plain fields of a call, as the services write them and the edit form shows them.
CALL_FIELDS = (
    "title",
    "description",
    "eligibility",
    "total_budget",
    "max_amount_per_year",
    "first_year",
    "max_years",
    "opens_at",
    "deadline",
    "funder_siret",
)


@transaction.atomic
def update_call(
    call: CallForProjects, data: CallData, *, expected_version: int | None = None
) -> CallForProjects:
    """Change a draft or open call. Once published, its first year and duration stay (candidatures ask
    amounts for those years) and its deadline cannot move into the past."""
    call = CallForProjects.objects.select_for_update().get(pk=call.pk)
    if call.current_status not in (CallStatus.DRAFT, CallStatus.PUBLISHED):
        raise ValidationError({"status": "Cet appel à projets est clos : il ne peut plus être modifié."})
    _check_call_data(data)
    if call.status == CallStatus.PUBLISHED:
        errors = Errors()
        if (data.first_year, data.max_years) != (call.first_year, call.max_years):
            errors.add(
                "first_year", "L'appel à projets est publié : ses années de financement ne changent plus."
            )
        if data.deadline <= timezone.now():
            errors.add("deadline", "La date limite de dépôt ne peut pas être dans le passé.")
        if not data.criteria:
            errors.add("criteria", "Un appel à projets publié garde au moins un critère de sélection.")
        errors.raise_if_any()
    claim_version(call, expected_version)
    for name in CALL_FIELDS:
        value = getattr(data, name)
        setattr(call, name, value.strip() if isinstance(value, str) else value)
    call.save()
    call.axes.set(data.axis_ids)
    call.measures.set(data.measure_ids)
    _write_criteria(call, data.criteria)
    return call


@transaction.atomic
def publish_call(call: CallForProjects, user, *, now=None) -> CallForProjects:
    now = now or timezone.now()
    call = CallForProjects.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.DRAFT:
        raise ValidationError({"status": "Cet appel à projets est déjà publié."})
    errors = Errors()
    if not call.criteria.exists():
        errors.add("criteria", "Ajoutez au moins un critère de sélection avant de publier.")
    if call.deadline <= now:
        errors.add("deadline", "La date limite de dépôt est passée : reportez-la avant de publier.")
    if not call.funder_siret:
        errors.add(
            "funder_siret",
            "Indiquez le SIRET de l'attribuant : il figure dans les données ouvertes des subventions.",
        )
    errors.raise_if_any()
    call.status = CallStatus.PUBLISHED
    call.published_at = now
    call.save()
    return call


@transaction.atomic
def close_call(call: CallForProjects, user=None, *, now=None) -> CallForProjects:
    """Record the closure of a published call: at its deadline, or earlier when the commissioner closes it
    (the deadline then becomes now). Filed candidatures go under instruction; drafts stay drafts and can no
    longer be filed."""
    now = now or timezone.now()
    call = CallForProjects.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.PUBLISHED:
        raise ValidationError({"status": "Seul un appel à projets ouvert peut être clos."})
    if call.deadline > now:
        call.deadline = now
    call.status = CallStatus.CLOSED
    call.closed_at = now
    call.save()
    for application in call.applications.filter(status=ApplicationStatus.SUBMITTED):
        application.status = ApplicationStatus.UNDER_REVIEW
        application.save()
    return call


def close_expired_calls(*, now=None) -> int:
    """Record the closure of every published call whose deadline passed (run by `pacte grants close`)."""
    now = now or timezone.now()
    expired = CallForProjects.objects.filter(status=CallStatus.PUBLISHED, deadline__lte=now)
    count = 0
    for call in expired:
        close_call(call, now=now)
        count += 1
    return count


def _mark_decided_if_done(call: CallForProjects, now) -> None:
    if call.status == CallStatus.DECIDED:
        return
    pending = call.applications.filter(status__in=PENDING_STATUSES).exists()
    if not pending:
        call.status = CallStatus.DECIDED
        call.decided_at = now
        call.closed_at = call.closed_at or now
        call.save()


# --- Reviewers ----------------------------------------------------------------------------------------------


@transaction.atomic
def assign_reviewer(call: CallForProjects, reviewer, *, by=None) -> ReviewerAssignment:
    if call.status == CallStatus.DECIDED:
        raise ValidationError({"reviewer": "Cet appel à projets est décidé : il n'y a plus rien à évaluer."})
    if not (reviewer.is_active and reviewer.role):
        raise ValidationError(
            {"reviewer": "Cette personne n'a pas de compte actif avec un rôle sur la plateforme."}
        )
    assignment, created = ReviewerAssignment.objects.get_or_create(
        call=call, reviewer=reviewer, defaults={"assigned_by": by}
    )
    if not created:
        raise ValidationError({"reviewer": f"{reviewer} évalue déjà cet appel à projets."})
    return assignment


@transaction.atomic
def remove_reviewer(assignment: ReviewerAssignment) -> None:
    submitted = Review.objects.filter(
        application__call=assignment.call, reviewer=assignment.reviewer, status=ReviewStatus.SUBMITTED
    )
    if submitted.exists():
        raise ValidationError(
            {
                "reviewer": "Cette personne a déjà soumis des évaluations : elle reste désignée pour les garder."
            }
        )
    Review.objects.filter(application__call=assignment.call, reviewer=assignment.reviewer).delete()
    assignment.delete()


# --- Candidatures -------------------------------------------------------------------------------------------


@dataclass
class CoFundingRow:
    funder: str
    amount: Decimal
    status: str = FundingStatus.REQUESTED


@dataclass
class IndicatorRow:
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
    indicators: list[IndicatorRow] = field(default_factory=list)


def call_refusal(call: CallForProjects, now=None) -> str | None:
    """Why the call does not accept candidatures now, in French, or None."""
    now = now or timezone.now()
    if call.status == CallStatus.DRAFT:
        return "Cet appel à projets n'est pas publié : il n'accepte pas encore de candidatures."
    if call.deadline_passed(now) or call.status in (CallStatus.CLOSED, CallStatus.DECIDED):
        return (
            f"L'appel à projets est clos depuis le {_moment(call.deadline)} : "
            "la candidature ne peut plus être déposée."
        )
    if now < call.opens_at:
        return f"L'appel à projets ouvre aux candidatures le {_moment(call.opens_at)}."
    return None


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


def submission_problems(application: Application) -> dict[str, list[str]]:
    """What is missing before the candidature may be filed (the same rules as when saving, plus completeness)."""
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
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.submitted_by = user
    application.save()
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
    _mark_decided_if_done(application.call, now or timezone.now())
    return application


# --- Evaluations -------------------------------------------------------------------------------------------


@dataclass
class ScoreRow:
    score: int | None
    comment: str = ""


@transaction.atomic
def save_review(
    application: Application,
    reviewer,
    *,
    scores: dict[int, ScoreRow],
    comment: str = "",
    no_conflict_declared: bool = False,
    submit: bool = False,
    expected_version: int | None = None,
    now=None,
) -> Review:
    """Save (and with `submit`, hand in) the reviewer's scores. The reviewer must be assigned to the call,
    the call closed, the candidature under instruction and not of the reviewer's own organisation; handing
    in needs every criterion scored and the declaration of no conflict of interest."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    call = application.call
    if not call.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError({"reviewer": "Vous n'êtes pas désigné(e) pour évaluer cet appel à projets."})
    if reviewer.organisation_id and reviewer.organisation_id == application.organisation_id:
        raise ValidationError(
            {
                "reviewer": "Conflit d'intérêts : vous ne pouvez pas évaluer une candidature de votre propre "
                "organisation."
            }
        )
    if not call.is_closed:
        raise ValidationError(
            {
                "status": "L'évaluation commence à la clôture de l'appel à projets, une fois les candidatures déposées."
            }
        )
    if application.status not in PENDING_STATUSES:
        raise ValidationError(
            {"status": "Cette candidature n'est pas en instruction : elle ne s'évalue plus."}
        )
    review = Review.objects.filter(application=application, reviewer=reviewer).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ValidationError({"status": "Votre évaluation est déjà soumise."})
    criteria = {criterion.pk: criterion for criterion in call.criteria.all()}
    errors = Errors()
    for criterion_id, row in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.add(f"scores.{criterion_id}", "Ce critère n'appartient pas à l'appel à projets.")
        elif row.score is not None and not 0 <= row.score <= criterion.max_score:
            errors.add(
                f"scores.{criterion_id}",
                f"« {criterion.label} » : la note va de 0 à {criterion.max_score}.",
            )
    if submit:
        for criterion in criteria.values():
            row = scores.get(criterion.pk)
            if row is None or row.score is None:
                errors.add(
                    f"scores.{criterion.pk}", f"« {criterion.label} » : notez ce critère avant de soumettre."
                )
        if not no_conflict_declared:
            errors.add(
                "no_conflict_declared",
                "Déclarez l'absence de conflit d'intérêts avec l'association avant de soumettre votre évaluation.",
            )
    errors.raise_if_any()
    if review is None:
        review = Review.objects.create(application=application, reviewer=reviewer)
    else:
        claim_version(review, expected_version)
    review.comment = comment.strip()
    review.no_conflict_declared = no_conflict_declared
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
    review.save()
    existing = {score.criterion_id: score for score in review.scores.all()}
    for criterion_id, row in scores.items():
        current = existing.get(criterion_id)
        if row.score is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            ReviewScore.objects.create(
                review=review, criterion_id=criterion_id, score=row.score, comment=row.comment
            )
        elif (current.score, current.comment) != (row.score, row.comment):
            current.score, current.comment = row.score, row.comment
            current.save()
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.UNDER_REVIEW
        application.save()
    return review


@dataclass
class CriterionAverage:
    criterion: Criterion
    average: Decimal | None


@dataclass
class ReviewSummary:
    count: int
    average: Decimal | None
    spread: Decimal | None  # highest minus lowest weighted score, from two evaluations on
    lowest: Decimal | None
    highest: Decimal | None
    by_criterion: list[CriterionAverage]
    scores: list[tuple[Review, Decimal | None]]


def review_summary(application: Application, criteria: list[Criterion] | None = None) -> ReviewSummary:
    """The weighted score of each submitted evaluation (out of 20), their average and spread, and the
    average of each criterion. Uses the prefetched `reviews__scores__criterion` when present."""
    reviews = [review for review in application.reviews.all() if review.status == ReviewStatus.SUBMITTED]
    weighted = [(review, weighted_score(review.scores.all())) for review in reviews]
    values = [value for _review, value in weighted if value is not None]
    average = (sum(values, ZERO) / len(values)).quantize(Decimal("0.01")) if values else None
    spread = (max(values) - min(values)) if len(values) >= 2 else None
    criteria = criteria if criteria is not None else list(application.call.criteria.all())
    by_criterion = []
    for criterion in criteria:
        marks = [s.score for review in reviews for s in review.scores.all() if s.criterion_id == criterion.pk]
        mean = (Decimal(sum(marks)) / len(marks)).quantize(Decimal("0.01")) if marks else None
        by_criterion.append(CriterionAverage(criterion, mean))
    return ReviewSummary(
        count=len(values),
        average=average,
        spread=spread,
        lowest=min(values) if values else None,
        highest=max(values) if values else None,
        by_criterion=by_criterion,
        scores=weighted,
    )


# --- Decision and convention -------------------------------------------------------------------------------


def granted_in_call(call: CallForProjects, *, exclude: Application | None = None) -> Decimal:
    years = GrantYear.objects.filter(agreement__application__call=call)
    if exclude is not None:
        years = years.exclude(agreement__application=exclude)
    return years.aggregate(total=Sum("amount"))["total"] or ZERO


@transaction.atomic
def decide_application(
    application: Application,
    user,
    *,
    selected: bool,
    motivation: str,
    granted: dict[int, Decimal] | None = None,
    signed_on: date | None = None,
    decision_reference: str = "",
    conditions: str = "",
    now=None,
    is_demo: bool = False,
) -> Application:
    """Select (with the amount granted each year and the convention it creates) or reject a candidature.
    Each year's grant is at most what was asked and the call's ceiling per project; all grants of the call
    stay within its budget. Once nothing is left under instruction, the call is decided."""
    now = now or timezone.now()
    call = CallForProjects.objects.select_for_update().get(pk=application.call_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    errors = Errors()
    if not call.is_closed:
        errors.add("status", "La décision se prend une fois l'appel à projets clos.")
    if application.status not in PENDING_STATUSES:
        errors.add("status", "Cette candidature n'est pas en instruction : elle est déjà décidée ou retirée.")
    errors.raise_if_any()
    motivation = motivation.strip()
    if not motivation:
        errors.add("motivation", "Motivez la décision : elle est communiquée à l'association.")
    granted = {year: amount for year, amount in (granted or {}).items() if amount}
    if selected:
        requested = {row.year: row.requested for row in application.amounts.all()}
        if not granted:
            errors.add("granted", "Indiquez le montant attribué pour au moins une année.")
        for year, amount in sorted(granted.items()):
            path = f"granted.{year}"
            if amount < 0:
                errors.add(path, f"{year} : un montant ne peut pas être négatif.")
            elif year not in requested:
                errors.add(path, f"{year} : l'association n'a rien demandé pour cette année.")
            elif amount > requested[year]:
                errors.add(
                    path,
                    f"{year} : {formatting.euros(amount)} dépasse le montant demandé ({formatting.euros(requested[year])}).",
                )
            elif amount > call.max_amount_per_year:
                errors.add(
                    path,
                    f"{year} : {formatting.euros(amount)} dépasse le plafond par projet et par an ({formatting.euros(call.max_amount_per_year)}).",
                )
        if signed_on is None:
            errors.add("signed_on", "Indiquez la date de la convention.")
        errors.raise_if_any()
        already = granted_in_call(call, exclude=application)
        total = sum(granted.values(), ZERO)
        if already + total > call.total_budget:
            errors.add(
                "granted",
                f"L'enveloppe de l'appel à projets ({formatting.euros(call.total_budget)}) serait dépassée : "
                f"{formatting.euros(already)} déjà attribués, {formatting.euros(total)} pour ce projet "
                f"(reste {formatting.euros(call.total_budget - already)}).",
            )
    errors.raise_if_any()
    application.status = ApplicationStatus.SELECTED if selected else ApplicationStatus.REJECTED
    application.motivation = motivation
    application.decided_at, application.decided_by = now, user
    application.save()
    if selected:
        years = sorted(granted)
        agreement = GrantAgreement.objects.create(
            application=application,
            number=f"CPO-{call.reference.removeprefix('AAP-')}-{application.number:03d}",
            decision_reference=decision_reference.strip(),
            signed_on=signed_on,
            start_date=date(years[0], 1, 1),
            end_date=date(years[-1], 12, 31),
            conditions=conditions.strip(),
            is_demo=is_demo,
        )
        for year in years:
            GrantYear.objects.create(agreement=agreement, year=year, amount=granted[year])
    _mark_decided_if_done(call, now)
    return application


# --- Payments and reports ---------------------------------------------------------------------------------


@transaction.atomic
def record_payment(
    agreement: GrantAgreement,
    user,
    *,
    year: int,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
) -> Payment:
    """A payment of a year's grant: never more than what remains of that year's grant, never before the
    convention, and a year after the first needs the previous year's report validated."""
    agreement = GrantAgreement.objects.select_for_update().get(pk=agreement.pk)
    years = {row.year: row.amount for row in agreement.years.all()}
    errors = Errors()
    if year not in years:
        errors.add("year", f"La convention ne prévoit pas de subvention en {year}.")
    if amount is None or amount <= 0:
        errors.add("amount", "Le montant versé doit être positif.")
    if paid_on is None:
        errors.add("paid_on", "Indiquez la date du versement.")
    elif paid_on < agreement.signed_on:
        errors.add("paid_on", "Un versement ne peut pas précéder la date de la convention.")
    errors.raise_if_any()
    paid = agreement.payments.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    if paid + amount > years[year]:
        errors.add(
            "amount",
            f"Le versement dépasserait la subvention {year} ({formatting.euros(years[year])}) : {formatting.euros(paid)} déjà versés, "
            f"reste {formatting.euros(years[year] - paid)}.",
        )
    previous = year - 1
    if (
        previous in years
        and not agreement.reports.filter(year=previous, status=ReportStatus.VALIDATED).exists()
    ):
        errors.add(
            "year",
            f"Le versement de la subvention {year} suppose le compte rendu {previous} validé.",
        )
    errors.raise_if_any()
    return Payment.objects.create(
        agreement=agreement,
        year=year,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_by=user,
    )


@transaction.atomic
def open_report(agreement: GrantAgreement, year: int, *, is_demo: bool = False) -> GrantReport:
    if not agreement.years.filter(year=year).exists():
        raise ValidationError({"year": f"La convention ne prévoit pas de subvention en {year}."})
    report, _created = GrantReport.objects.get_or_create(
        agreement=agreement, year=year, defaults={"is_demo": is_demo}
    )
    return report


@transaction.atomic
def save_report(
    report: GrantReport,
    *,
    narrative: str,
    amount_spent: Decimal | None,
    values: dict[int, Decimal | None],
    expected_version: int | None = None,
) -> GrantReport:
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError({"status": "Ce compte rendu est déposé : il ne peut plus être modifié."})
    indicators = {i.pk: i for i in report.agreement.application.indicators.all()}
    errors = Errors()
    if amount_spent is not None and amount_spent < 0:
        errors.add("amount_spent", "Un montant ne peut pas être négatif.")
    for indicator_id, value in values.items():
        if indicator_id not in indicators:
            errors.add(f"values.{indicator_id}", "Cet indicateur n'est pas celui du projet.")
        elif value is not None and value < 0:
            errors.add(
                f"values.{indicator_id}", f"« {indicators[indicator_id].label} » : la valeur est négative."
            )
    errors.raise_if_any()
    claim_version(report, expected_version)
    report.narrative = narrative.strip()
    report.amount_spent = amount_spent
    report.save()
    existing = {value.indicator_id: value for value in report.values.all()}
    for indicator_id, value in values.items():
        row = existing.get(indicator_id)
        if value is None:
            if row is not None:
                row.delete()
        elif row is None:
            ReportIndicatorValue.objects.create(report=report, indicator_id=indicator_id, value=value)
        elif row.value != value:
            row.value = value
            row.save()
    return report


@transaction.atomic
def submit_report(report: GrantReport, user, *, now=None) -> GrantReport:
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError({"status": "Ce compte rendu est déjà déposé."})
    errors = Errors()
    if not report.narrative.strip():
        errors.add("narrative", "Rédigez le compte rendu de l'action avant de le déposer.")
    if report.amount_spent is None:
        errors.add("amount_spent", "Indiquez les dépenses réalisées.")
    indicators = set(report.agreement.application.indicators.values_list("pk", flat=True))
    if indicators - set(report.values.values_list("indicator_id", flat=True)):
        errors.add("values", "Indiquez la valeur atteinte de chaque indicateur.")
    errors.raise_if_any()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = now or timezone.now(), user
    report.save()
    return report


@transaction.atomic
def review_report(report: GrantReport, user, *, validate: bool, comment: str = "", now=None) -> GrantReport:
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": "Seul un compte rendu déposé peut être validé ou renvoyé."})
    if not validate and not comment.strip():
        raise ValidationError(
            {"review_comment": "Expliquez ce qui doit être complété avant de renvoyer le compte rendu."}
        )
    report.status = ReportStatus.VALIDATED if validate else ReportStatus.SENT_BACK
    report.review_comment = comment.strip()
    report.reviewed_at, report.reviewed_by = now or timezone.now(), user
    report.save()
    return report
