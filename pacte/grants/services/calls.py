"""A call's life: drafting it with its criteria, changing it, publishing it, closing it (at its deadline or
early), and recording it decided once nothing is left under instruction. `call_refusal` says why a call does not
accept candidatures now."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.core.validators import siret_problem
from pacte.grants.enums import PENDING_STATUSES, ApplicationStatus, CallStatus
from pacte.grants.models import CallForProjects, Criterion, ReviewScore
from pacte.grants.rules import MAX_YEARS
from pacte.grants.services.common import moment
from pacte.programme.models import Axis, Measure
from pacte.territories.enums import Level
from pacte.territories.models import Territory


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
        errors.add(
            "max_years",
            f"La durée maximale d'un projet va de 1 à {MAX_YEARS} ans (durée des conventions pluriannuelles "
            "d'objectifs).",
        )
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
    """Record the closure of every published call whose deadline passed (run by `pacte grants cloturer`)."""
    now = now or timezone.now()
    expired = CallForProjects.objects.filter(status=CallStatus.PUBLISHED, deadline__lte=now)
    count = 0
    for call in expired:
        close_call(call, now=now)
        count += 1
    return count


def mark_decided_if_done(call: CallForProjects, now) -> None:
    """Record the call decided once none of its candidatures is left under instruction."""
    if call.status == CallStatus.DECIDED:
        return
    pending = call.applications.filter(status__in=PENDING_STATUSES).exists()
    if not pending:
        call.status = CallStatus.DECIDED
        call.decided_at = now
        call.closed_at = call.closed_at or now
        call.save()


def call_refusal(call: CallForProjects, now=None) -> str | None:
    """Why the call does not accept candidatures now, in French, or None."""
    now = now or timezone.now()
    if call.status == CallStatus.DRAFT:
        return "Cet appel à projets n'est pas publié : il n'accepte pas encore de candidatures."
    if call.deadline_passed(now) or call.status in (CallStatus.CLOSED, CallStatus.DECIDED):
        return (
            f"L'appel à projets est clos depuis le {moment(call.deadline)} : "
            "la candidature ne peut plus être déposée."
        )
    if now < call.opens_at:
        return f"L'appel à projets ouvre aux candidatures le {moment(call.opens_at)}."
    return None
