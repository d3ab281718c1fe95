"""The yearly reports of a convention: opened and written by the association, filed, then validated or sent
back by the State."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.grants.models import GrantAgreement, GrantReport, GrantReportValue


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
            GrantReportValue.objects.create(report=report, indicator_id=indicator_id, value=value)
        elif row.value != value:
            row.value = value
            row.save()
    return report


@transaction.atomic
def submit_report(report: GrantReport, user, *, now=None) -> GrantReport:
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    report.check_editable()
    errors = Errors()
    if not report.narrative.strip():
        errors.add("narrative", "Rédigez le compte rendu de l'action avant de le déposer.")
    if report.amount_spent is None:
        errors.add("amount_spent", "Indiquez les dépenses réalisées.")
    indicators = set(report.agreement.application.indicators.values_list("pk", flat=True))
    if indicators - set(report.values.values_list("indicator_id", flat=True)):
        errors.add("values", "Indiquez la valeur atteinte de chaque indicateur.")
    errors.raise_if_any()
    report.file(user, now=now)
    return report


@transaction.atomic
def review_report(report: GrantReport, user, *, validate: bool, comment: str = "", now=None) -> GrantReport:
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    report.review(user, validate=validate, comment=comment, now=now)
    return report
