"""State credits of a convention (notified, committed, paid, per year) and their reallocation between
conventions of a région."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from pacte import formatting
from pacte.contracts import kinds, notifications
from pacte.contracts.models import Contract, Credit, CreditReallocation, ExecutionReport
from pacte.contracts.services.allocations import notified_ceiling
from pacte.contracts.services.common import ZERO, check_year, current_version
from pacte.contracts.services.execution import first_report_year
from pacte.core.enums import ReportStatus
from pacte.core.errors import Errors
from pacte.core.locking import claim_version


def effective_ceiling(contract: Contract, year: int) -> Decimal:
    """The ceiling notified to the convention's collectivité for the year (its kind's envelopes; nothing notified
    counts as 0), plus credits reallocated to it, minus credits moved away."""
    root = contract.root_contract
    moved_in = root.reallocations_in.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    moved_out = root.reallocations_out.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    return (notified_ceiling(root, year) or ZERO) + moved_in - moved_out


def payment_allowed(root: Contract, year: int, previous_report: ExecutionReport | None) -> bool:
    """The credits of a year are paid once the report of the year before is validated; the first year the
    convention reports on (the year of its signature: `execution.first_report_year`) has no condition.
    `previous_report` is the convention's report of `year - 1` (None: not opened)."""
    if year <= (first_report_year(root) or root.period_start):
        return True
    return previous_report is not None and previous_report.status == ReportStatus.VALIDATED


@transaction.atomic
def record_credit(
    contract: Contract,
    year: int,
    *,
    notified: Decimal,
    committed: Decimal,
    paid: Decimal,
    notified_on: date | None = None,
    committed_on: date | None = None,
    paid_on: date | None = None,
    expected_version: int | None = None,
) -> Credit:
    """Record the State credits of a year: committed ≤ notified ≤ ceiling, paid ≤ committed, and a
    payment for a year after the first needs the previous year's report validated."""
    root = Contract.objects.select_for_update().get(pk=contract.root_contract.pk)
    errors = Errors()
    check_year(errors, "year", year)
    if current_version(root) is None:
        errors.add("contract", "Les crédits se notifient sur un contrat signé.")
    for name, value in (("notified", notified), ("committed", committed), ("paid", paid)):
        if value is None or value < 0:
            errors.add(name, "Un montant ne peut pas être négatif.")
    errors.raise_if_any()
    ceiling = effective_ceiling(root, year)
    if notified > ceiling:
        errors.add(
            "notified",
            f"Les crédits notifiés dépassent le plafond notifié de {year}, réallocations comprises "
            f"({formatting.euros(ceiling)}).",
        )
    if committed > notified:
        errors.add("committed", "Les crédits engagés ne peuvent pas dépasser les crédits notifiés.")
    if paid > committed:
        errors.add("paid", "Les crédits versés ne peuvent pas dépasser les crédits engagés.")
    for name, amount, day in (
        ("notified_on", notified, notified_on),
        ("committed_on", committed, committed_on),
        ("paid_on", paid, paid_on),
    ):
        if amount and day is None:
            errors.add(name, "Indiquez la date.")
    previous = ExecutionReport.objects.filter(contract=root, year=year - 1)
    if paid and not payment_allowed(root, year, previous.first()):
        errors.add(
            "paid", f"Le versement des crédits {year} suppose le rapport d'exécution {year - 1} validé."
        )
    errors.raise_if_any()
    credit = Credit.objects.filter(contract=root, year=year).first()
    if credit is None:
        credit = Credit(contract=root, year=year)
    else:
        claim_version(credit, expected_version)
    previous_notified = credit.notified if credit.pk else ZERO
    credit.notified, credit.committed, credit.paid = notified, committed, paid
    credit.notified_on, credit.committed_on, credit.paid_on = notified_on, committed_on, paid_on
    credit.save()
    notifications.credits_notified(credit, previous_notified)
    return credit


@transaction.atomic
def reallocate_credits(
    from_contract: Contract,
    to_contract: Contract,
    year: int,
    *,
    amount: Decimal,
    reason: str,
    user,
    envelope: str = "",
) -> CreditReallocation:
    """Move credits of a year that one convention will not commit to another convention of the same région,
    inside one envelope both draw on (`envelope`: chosen when they share two, as two single global conventions
    do)."""
    source = Contract.objects.select_for_update().get(pk=from_contract.root_contract.pk)
    target = to_contract.root_contract
    errors = Errors()
    check_year(errors, "year", year)
    if source.pk == target.pk:
        errors.add("to_contract", "Choisissez un autre contrat que celui d'origine.")
    if source.territory.region_id != target.territory.region_id:
        errors.add("to_contract", "Les crédits se réallouent entre contrats d'une même région.")
    shared = [name for name in kinds.envelopes_of(source.kind) if name in kinds.envelopes_of(target.kind)]
    if not shared:
        errors.add(
            "to_contract",
            f"Les crédits se réallouent à l'intérieur d'une même enveloppe : « {source.get_kind_display()} » et "
            f"« {target.get_kind_display()} » n'en partagent aucune.",
        )
    elif envelope and envelope not in shared:
        errors.add("envelope", "Les deux conventions ne puisent pas toutes deux dans cette enveloppe.")
    elif not envelope and len(shared) > 1:
        errors.add("envelope", "Choisissez l'enveloppe dont les crédits sont réalloués.")
    else:
        envelope = envelope or shared[0]
    if amount is None or amount <= 0:
        errors.add("amount", "Le montant réalloué doit être positif.")
    if not (reason or "").strip():
        errors.add("reason", "Indiquez le motif de la réallocation.")
    errors.raise_if_any()
    committed = (
        Credit.objects.filter(contract=source, year=year).values_list("committed", flat=True).first() or ZERO
    )
    available = effective_ceiling(source, year) - committed
    if amount > available:
        errors.add(
            "amount",
            f"Seuls {formatting.euros(available)} de crédits {year} ne sont pas engagés sur le contrat "
            "d'origine.",
        )
    errors.raise_if_any()
    return CreditReallocation.objects.create(
        envelope=envelope,
        year=year,
        from_contract=source,
        to_contract=target,
        amount=amount,
        reason=reason.strip(),
        decided_by=user,
    )
