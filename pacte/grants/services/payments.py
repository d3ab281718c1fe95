"""Payments of a grant: never more than what remains of a year's grant, never before the convention; while the
previous year's report is not validated, a year after the first may only receive its advance (a share of the
year's grant, `GRANTS_ADVANCE_SHARE`, 50 % by default), the balance once the report is validated. The rules and
their sources: `pacte.grants.rules`."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from pacte import formatting
from pacte.core.enums import ReportStatus
from pacte.core.errors import Errors
from pacte.grants import rules
from pacte.grants.models import GrantAgreement, Payment
from pacte.grants.services.common import ZERO


def awaited_report(year: int, grant_years, validated_years) -> int | None:
    """The year whose validated report the payment of `year` waits for: the previous year of the convention
    while its report is not validated; None when nothing is awaited (the first year, or the report validated)."""
    previous = year - 1
    return previous if previous in grant_years and previous not in validated_years else None


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
    convention; while the previous year's report is not validated, no more than the advance (the set share of
    the year's grant)."""
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
        errors.add("paid_on", "Un versement ne peut pas précéder la date de la convention ou de l'arrêté.")
    errors.raise_if_any()
    paid = agreement.payments.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    if paid + amount > years[year]:
        errors.add(
            "amount",
            f"Le versement dépasserait la subvention {year} ({formatting.euros(years[year])}) : {formatting.euros(paid)} déjà versés, "
            f"reste {formatting.euros(years[year] - paid)}.",
        )
    validated = set(agreement.reports.filter(status=ReportStatus.VALIDATED).values_list("year", flat=True))
    awaited = awaited_report(year, years, validated)
    if awaited is not None and not errors.messages:
        share = rules.advance_share()
        cap = rules.advance_cap(years[year], share)
        if paid + amount > cap:
            errors.add(
                "amount",
                f"Tant que le compte rendu {awaited} n'est pas validé, seule une avance de "
                f"{formatting.percent(share * 100, 0)} de la subvention {year} peut être versée : "
                f"{formatting.euros(cap)} au plus, {formatting.euros(paid)} déjà versés (reste "
                f"{formatting.euros(max(cap - paid, ZERO))}). Le solde suit la validation du compte rendu {awaited}.",
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
