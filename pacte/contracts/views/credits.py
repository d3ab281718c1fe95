"""Views of the State credits of a convention (notified, committed, paid) and the reallocations between the
conventions of a région.

`pk` may be any version of a convention: credits belong to its root contract.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from pacte.contracts import perms, queries
from pacte.contracts.credit_forms import (
    CreditForm,
    ReallocationForm,
)
from pacte.contracts.models import Credit
from pacte.contracts.services import credits as credit_services
from pacte.contracts.views.common import (
    breadcrumb,
    contract_title,
    convention_breadcrumb,
    followed_convention,
)
from pacte.core.exports import export_response
from pacte.core.forms import errors_on
from pacte.core.history import person_name
from pacte.core.locking import StaleEditError


def _export_format(request) -> str | None:
    return request.GET.get("format") or None


def _local_date(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


# --- State credits ----------------------------------------------------------------------------------------


CREDITS_HEADER = [
    "Année",
    "Plafond notifié (€)",
    "Réalloué vers ce contrat (€)",
    "Réalloué à d'autres contrats (€)",
    "Plafond effectif (€)",
    "Crédits notifiés (€)",
    "Notifiés le",
    "Crédits engagés (€)",
    "Engagés le",
    "Crédits versés (€)",
    "Versés le",
    "Non engagés (€)",
    "Condition de versement",
]


def _credit_export_row(row: queries.CreditRow) -> list:
    credit = row.credit or Credit(year=row.year)
    return [
        row.year,
        row.base_ceiling,
        row.moved_in,
        row.moved_out,
        row.ceiling,
        credit.notified,
        credit.notified_on,
        credit.committed,
        credit.committed_on,
        credit.paid,
        credit.paid_on,
        row.uncommitted,
        row.payment_condition,
    ]


@login_required
def credits(request, pk: int):
    root = followed_convention(request, pk)
    rows = queries.credit_rows(root)
    fmt = _export_format(request)
    if fmt:
        stem = f"credits-etat-{root.territory.code}"
        return export_response(fmt, stem, CREDITS_HEADER, (_credit_export_row(row) for row in rows))
    context = {
        "title": f"Crédits de l'État – {contract_title(root)}",
        "root": root,
        "rows": rows,
        "can_manage": perms.can_manage_credits(request.user, root),
        "can_reallocate": perms.can_reallocate_credits(request.user, root, root),
        "breadcrumb_data": convention_breadcrumb(root, "Crédits de l'État"),
    }
    return render(request, "contracts/credit_list.html", context)


@login_required
def credit_edit(request, pk: int, year: int):
    root = followed_convention(request, pk)
    if year not in root.years:
        raise Http404
    if not perms.can_manage_credits(request.user, root):
        raise PermissionDenied
    credit = Credit.objects.filter(contract=root, year=year).first()
    form = CreditForm(request.POST if request.method == "POST" else None, credit=credit)
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["lock_version"]
        with errors_on(form) as outcome:
            if credit is not None and expected is None:
                raise StaleEditError  # the form was opened before these credits were first recorded
            credit_services.record_credit(root, year, **form.amounts(), expected_version=expected)
        if outcome.ok:
            messages.success(request, f"Les crédits {year} sont enregistrés.")
            return redirect("contracts:credits", pk=root.pk)
    row = next(row for row in queries.credit_rows(root) if row.year == year)
    context = {
        "title": f"Crédits de l'État {year} – {contract_title(root)}",
        "root": root,
        "year": year,
        "row": row,
        "form": form,
        "breadcrumb_data": convention_breadcrumb(
            root,
            str(year),
            {"url": reverse("contracts:credits", kwargs={"pk": root.pk}), "title": "Crédits de l'État"},
        ),
    }
    return render(request, "contracts/credit_form.html", context)


# --- Reallocations ----------------------------------------------------------------------------------------


REALLOCATIONS_HEADER = [
    "Année",
    "Contrat d'origine",
    "Contrat bénéficiaire",
    "Région",
    "Montant (€)",
    "Motif",
    "Décidé par",
    "Décidé le",
]


@login_required
def reallocations(request):
    scope = perms.visible_reallocations_q(request.user)
    if scope is None:
        raise PermissionDenied
    rows = queries.reallocations(scope)
    fmt = _export_format(request)
    if fmt:
        export_rows = (
            [
                row.year,
                row.from_contract.territory.name,
                row.to_contract.territory.name,
                row.from_contract.territory.region.name if row.from_contract.territory.region else "",
                row.amount,
                row.reason,
                person_name(row.decided_by),
                timezone.localdate(row.decided_at),
            ]
            for row in rows
        )
        return export_response(fmt, "reallocations-credits", REALLOCATIONS_HEADER, export_rows)
    context = {
        "title": "Réallocations de crédits",
        "reallocations": rows,
        "can_reallocate": perms.can_view_consolidation(request.user),
        "breadcrumb_data": breadcrumb("Réallocations de crédits"),
    }
    return render(request, "contracts/reallocation_list.html", context)


@login_required
def reallocate(request):
    if not perms.can_view_consolidation(request.user):
        raise PermissionDenied
    initial = (
        {"from_contract": request.GET.get("contrat")} if request.GET.get("contrat", "").isdigit() else {}
    )
    form = ReallocationForm(
        request.POST if request.method == "POST" else None,
        contracts=queries.reallocatable_contracts(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["from_contract"], form.cleaned_data["to_contract"]
        if not perms.can_reallocate_credits(request.user, source, target):
            form.add_error(
                None, "Vous ne pouvez réallouer des crédits qu'entre des contrats de votre région."
            )
        else:
            with errors_on(form) as outcome:
                credit_services.reallocate_credits(
                    source,
                    target,
                    form.cleaned_data["year"],
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                    envelope=form.cleaned_data["envelope"],
                )
            if outcome.ok:
                messages.success(
                    request,
                    f"Les crédits {form.cleaned_data['year']} sont réalloués de {contract_title(source)} "
                    f"à {contract_title(target)}.",
                )
                return redirect("contracts:reallocations")
    context = {
        "title": "Réallouer des crédits",
        "form": form,
        "breadcrumb_data": breadcrumb(
            "Nouvelle réallocation",
            {"url": reverse("contracts:reallocations"), "title": "Réallocations de crédits"},
        ),
    }
    return render(request, "contracts/reallocation_form.html", context)


urlpatterns = [
    path("<int:pk>/credits/", credits, name="credits"),
    path("<int:pk>/credits/<int:year>/", credit_edit, name="credit_edit"),
    path("reallocations/nouvelle/", reallocate, name="reallocate"),
    path("reallocations/", reallocations, name="reallocations"),
]
