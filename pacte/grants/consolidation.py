"""Consolidated figures of the grants to associations: amounts granted and paid, and the number of projects,
per year, per axis of the Pacte and per département, for France or one région; plus the figures declared
before the platform (`DeclaredFigure`), shown beside them and never added to them.

A fixed number of queries whatever the number of grants (grouped in the database)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from pacte.accounts.scope import territory_q
from pacte.grants.models import DeclaredFigure, GrantAgreement, GrantYear, Payment
from pacte.territories.enums import Level

ZERO = Decimal("0")
EXPORT_TABLES = ("annees", "axes", "departements", "conventions")


@dataclass
class FigureRow:
    """A line of the consolidation: amounts granted (and paid, by year) and the number of projects."""

    label: str
    amount: Decimal = ZERO
    projects: int = 0
    paid: Decimal = ZERO
    code: str = ""


@dataclass
class GrantsConsolidation:
    region: object | None
    by_year: list[FigureRow] = field(default_factory=list)
    by_axis: list[FigureRow] = field(default_factory=list)
    by_departement: list[FigureRow] = field(default_factory=list)
    declared: list[DeclaredFigure] = field(default_factory=list)
    total: FigureRow = field(default_factory=lambda: FigureRow("Total"))
    has_demo: bool = False


def _scope(region, prefix: str) -> Q:
    return region.within_q(f"{prefix}call__region__") if region is not None else Q()


def consolidate(region=None) -> GrantsConsolidation:
    data = GrantsConsolidation(region)
    years = GrantYear.objects.filter(_scope(region, "agreement__application__"))
    payments = Payment.objects.filter(_scope(region, "agreement__application__"))
    paid_by_year = dict(payments.values("year").annotate(total=Sum("amount")).values_list("year", "total"))
    for row in (
        years.values("year")
        .annotate(amount=Sum("amount"), projects=Count("agreement", distinct=True))
        .order_by("year")
    ):
        data.by_year.append(
            FigureRow(str(row["year"]), row["amount"], row["projects"], paid_by_year.get(row["year"], ZERO))
        )
    axis = "agreement__application__axis__"
    for row in (
        years.values(f"{axis}number", f"{axis}title")
        .annotate(amount=Sum("amount"), projects=Count("agreement", distinct=True))
        .order_by(f"{axis}number")
    ):
        data.by_axis.append(
            FigureRow(f"Axe {row[f'{axis}number']} – {row[f'{axis}title']}", row["amount"], row["projects"])
        )
    place = "agreement__application__territory__"
    merged: dict[str, FigureRow] = {}
    for row in years.values(
        f"{place}level",
        f"{place}code",
        f"{place}name",
        f"{place}departement__code",
        f"{place}departement__name",
    ).annotate(amount=Sum("amount"), agreements=Count("agreement", distinct=True)):
        if row[f"{place}level"] == Level.DEPARTEMENT:
            code, name = row[f"{place}code"], row[f"{place}name"]
        elif row[f"{place}departement__code"]:
            code, name = row[f"{place}departement__code"], row[f"{place}departement__name"]
        else:
            code, name = "", "Toute la région"
        target = merged.setdefault(code, FigureRow(name, code=code))
        target.amount += row["amount"]
        target.projects += row["agreements"]
    data.by_departement = sorted(merged.values(), key=lambda row: (row.code == "", row.code))
    totals = years.aggregate(amount=Sum("amount"), projects=Count("agreement", distinct=True))
    data.total = FigureRow(
        "Total",
        totals["amount"] or ZERO,
        totals["projects"] or 0,
        payments.aggregate(total=Sum("amount"))["total"] or ZERO,
    )
    declared = DeclaredFigure.objects.select_related("region")
    if region is not None:
        declared = declared.filter(region=region)
    data.declared = list(declared)
    data.has_demo = GrantAgreement.objects.filter(_scope(region, "application__"), is_demo=True).exists()
    return data


def _sum(model, **filters):
    rows = (
        model.objects.filter(agreement=OuterRef("pk"), **filters)
        .order_by()
        .values("agreement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


def agreements_for(user, region=None):
    """The conventions a State user follows in the consolidation details, with granted and paid totals."""
    agreements = GrantAgreement.objects.filter(territory_q(user, "application__territory__"))
    if region is not None:
        agreements = agreements.filter(_scope(region, "application__"))
    return (
        agreements.select_related(
            "application__organisation",
            "application__call__region",
            "application__territory__departement",
            "application__axis",
        )
        .annotate(granted=_sum(GrantYear), paid=_sum(Payment))
        .order_by("-signed_on", "number")
    )


AGREEMENT_COLUMNS = [
    "convention",
    "association",
    "projet",
    "département",
    "axe",
    "date de la convention",
    "montant attribué (€)",
    "montant versé (€)",
    "donnée fictive",
]
TABLE_COLUMNS = {
    "annees": ["année", "montant attribué (€)", "nombre de projets", "montant versé (€)"],
    "axes": ["axe", "montant attribué (€)", "nombre de projets"],
    "departements": ["code", "département", "montant attribué (€)", "nombre de projets"],
}


def agreement_rows(user, region=None):
    """The conventions of `agreements_for` as rows of the export (`AGREEMENT_COLUMNS`)."""
    for a in agreements_for(user, region):
        application = a.application
        yield [
            a.number,
            application.organisation.name,
            application.project_title,
            (application.territory.departement or application.territory).name,
            application.axis.number,
            a.signed_on,
            a.granted,
            a.paid,
            a.is_demo,
        ]


def table_rows(table: str, region=None) -> list[list]:
    """The rows of one consolidated table (`TABLE_COLUMNS`: annees, axes, departements); KeyError otherwise."""
    if table not in TABLE_COLUMNS:
        raise KeyError(table)
    data = consolidate(region)
    if table == "annees":
        return [[row.label, row.amount, row.projects, row.paid] for row in data.by_year]
    if table == "axes":
        return [[row.label, row.amount, row.projects] for row in data.by_axis]
    return [[row.code, row.label, row.amount, row.projects] for row in data.by_departement]
