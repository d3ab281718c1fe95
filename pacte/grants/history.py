"""The audit history of a candidature and of what hangs from it (amounts asked, co-financing, indicators,
evaluations' status, the convention, its yearly amounts, payments and reports), read from simple-history's
tables: who changed what, when, old value → new value. Scores themselves stay on the evaluation page."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from pacte import formatting
from pacte.core.history import HISTORY_TYPES, person_name
from pacte.grants.models import (
    Application,
    CoFunding,
    GrantAgreement,
    GrantReport,
    GrantYear,
    Payment,
    ProjectIndicator,
    RequestedAmount,
    Review,
)

HIDDEN = {"id", "application", "agreement", "lock_version", "call", "organisation", "reviewer", "number"}
REVIEW_FIELDS = {"status", "submitted_at"}


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    what: str
    changes: list[tuple[str, str, str]]


def _fmt(model, name: str, value) -> str:
    if value is None or value == "":
        return "–"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return formatting.number(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _label(model, record) -> str:
    if model is Application:
        return "Candidature"
    if model is RequestedAmount:
        return f"Montant demandé {record.year}"
    if model is CoFunding:
        return f"Cofinancement « {record.funder} »"
    if model is ProjectIndicator:
        return f"Indicateur « {record.label} »"
    if model is Review:
        return f"Évaluation de {person_name(record.reviewer) if record.reviewer_id else 'un évaluateur'}"
    if model is GrantAgreement:
        return f"Convention {record.number}"
    if model is GrantYear:
        return f"Montant attribué {record.year}"
    if model is Payment:
        return f"Versement {record.year}"
    return f"Compte rendu {record.year}"


def _changes(model, record, previous) -> list[tuple[str, str, str]]:
    if record.history_type == "-":
        return []
    names = [f.name for f in model._meta.fields if f.editable and f.name not in HIDDEN]
    if model is Review:
        names = [name for name in names if name in REVIEW_FIELDS]
    names = [
        name for name in names if not model._meta.get_field(name).is_relation or name in ("axis", "measure")
    ]
    result = []
    for name in names:
        attname = model._meta.get_field(name).attname
        new = getattr(record, attname)
        old = getattr(previous, attname) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is not None and old == new:
            continue
        if name in ("axis", "measure"):
            old, new = (getattr(previous, name, None) if previous else None), getattr(record, name)
        result.append(
            (str(model._meta.get_field(name).verbose_name), _fmt(model, name, old), _fmt(model, name, new))
        )
    return result


def application_history(application: Application) -> list[Entry]:
    """Newest first. A fixed number of queries (one per kind of row)."""
    agreement_ids = list(
        GrantAgreement.history.filter(application_id=application.pk).values_list("id", flat=True)
    )
    sources = [
        (Application, Application.history.filter(id=application.pk).select_related("axis", "measure")),
        (RequestedAmount, RequestedAmount.history.filter(application_id=application.pk)),
        (CoFunding, CoFunding.history.filter(application_id=application.pk)),
        (ProjectIndicator, ProjectIndicator.history.filter(application_id=application.pk)),
        (Review, Review.history.filter(application_id=application.pk).select_related("reviewer")),
        (GrantAgreement, GrantAgreement.history.filter(id__in=agreement_ids)),
        (GrantYear, GrantYear.history.filter(agreement_id__in=agreement_ids)),
        (Payment, Payment.history.filter(agreement_id__in=agreement_ids)),
        (GrantReport, GrantReport.history.filter(agreement_id__in=agreement_ids)),
    ]
    entries = []
    for model, queryset in sources:
        last: dict[int, object] = {}
        for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
            changes = _changes(model, record, last.get(record.id))
            last[record.id] = record
            if record.history_type == "~" and not changes:
                continue
            entries.append(
                Entry(
                    when=record.history_date,
                    who=person_name(record.history_user) or "Opération automatique",
                    kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                    what=_label(model, record),
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
