"""The commissioner's decision on a candidature: selected, with the amount granted each year and the act it
creates (a convention pluriannuelle d'objectifs over several years; over one year a convention annuelle or an
arrêté attributif, the convention being required above 23 000 € a year for the association), or rejected; both
motivated. The rules and their sources: `pacte.grants.rules`."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from pacte import formatting
from pacte.core.errors import Errors
from pacte.grants import notifications, rules
from pacte.grants.enums import PENDING_STATUSES, ApplicationStatus, AwardAct
from pacte.grants.models import Application, CallForProjects, GrantAgreement, GrantYear
from pacte.grants.services.calls import mark_decided_if_done
from pacte.grants.services.common import ZERO


def granted_in_call(call: CallForProjects, *, exclude: Application | None = None) -> Decimal:
    years = GrantYear.objects.filter(agreement__application__call=call)
    if exclude is not None:
        years = years.exclude(agreement__application=exclude)
    return years.aggregate(total=Sum("amount"))["total"] or ZERO


def granted_to_beneficiary(
    organisation_id: int, owner_id: int, years, *, exclude: Application | None = None
) -> dict[int, Decimal]:
    """What one attribuant (the organisation owning the calls) already grants one association, per year of
    `years`, over all its calls: the 23 000 € threshold is « par porteur de projet et non par action financée »."""
    rows = GrantYear.objects.filter(
        year__in=list(years),
        agreement__application__organisation_id=organisation_id,
        agreement__application__call__owner_id=owner_id,
    )
    if exclude is not None:
        rows = rows.exclude(agreement__application=exclude)
    totals = dict(rows.values("year").annotate(total=Sum("amount")).values_list("year", "total"))
    return {year: totals.get(year, ZERO) for year in years}


def _check_act(errors: Errors, application: Application, call, act: str, granted: dict[int, Decimal]) -> None:
    """An arrêté attributif only for a one-year grant that keeps the association at or below 23 000 € that year
    from this attribuant; anything else is a convention."""
    if act not in AwardAct.values:
        errors.add("act", "Choisissez l'acte attributif : une convention ou un arrêté attributif.")
        return
    if act != AwardAct.ORDER or not granted:
        return
    if len(granted) > 1:
        errors.add(
            "act",
            "Une subvention de plusieurs années fait l'objet d'une convention pluriannuelle d'objectifs : "
            "choisissez « Convention ».",
        )
        return
    ((year, amount),) = granted.items()
    totals = granted_to_beneficiary(application.organisation_id, call.owner_id, [year], exclude=application)
    already = totals[year]
    if rules.needs_convention({year: already + amount}):
        errors.add(
            "act",
            f"Au-delà de {formatting.euros(rules.CONVENTION_THRESHOLD)} par an pour une même association, une "
            f"convention est obligatoire (loi n° 2000-321, art. 10 ; décret n° 2001-495) : en {year}, "
            f"{application.organisation.name} recevrait {formatting.euros(already + amount)} de "
            f"{call.owner.name} ({formatting.euros(already)} déjà attribués, {formatting.euros(amount)} pour ce "
            "projet). Choisissez « Convention ».",
        )


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
    act: str = AwardAct.CONVENTION,
    now=None,
    is_demo: bool = False,
) -> Application:
    """Select (with the amount granted each year and the act it creates) or reject a candidature. Each year's
    grant is at most what was asked and the call's ceiling per project; all grants of the call stay within its
    budget; an arrêté attributif (`act`) only for one year and at most 23 000 € that year for the association
    from this attribuant, a convention otherwise. Once nothing is left under instruction, the call is decided."""
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
            errors.add("signed_on", "Indiquez la date de la convention ou de l'arrêté.")
        errors.raise_if_any()
        _check_act(errors, application, call, act, granted)
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
            number=rules.agreement_number(
                call.reference, application.number, multi_year=len(years) > 1, order=act == AwardAct.ORDER
            ),
            act=act,
            decision_reference=decision_reference.strip(),
            signed_on=signed_on,
            start_date=date(years[0], 1, 1),
            end_date=date(years[-1], 12, 31),
            conditions=conditions.strip(),
            is_demo=is_demo,
        )
        for year in years:
            GrantYear.objects.create(agreement=agreement, year=year, amount=granted[year])
    mark_decided_if_done(call, now)
    notifications.application_decided(application, user)
    return application
