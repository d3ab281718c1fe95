"""The grants in the national schema for subsidies: SCDL « subventions » (Socle commun des données locales,
schema.data.gouv.fr), version 2.0.1, committed under `data/` with its provenance. The column names and their
order are read from that file, so the export cannot drift from it.

One row per convention (a convention pluriannuelle d'objectifs is one subsidy of several years):
`montant` is the total granted over its years, `conditionsVersement` is « échelonné » when it spans several
years (« unique » otherwise) and `datesPeriodeVersement` the period of the convention, or the date of the
single payment once made. Comma-separated UTF-8 with a point as decimal separator, as the schema requires.
A text a spreadsheet could take for a formula gets a single quote in front (`core.spreadsheet.neutralise`).
"""

import csv
import io
import json
from functools import cache
from pathlib import Path

from django.db.models import Sum

from pacte.core.spreadsheet import neutralise
from pacte.grants.enums import PaymentConditions
from pacte.grants.models import GrantAgreement

SCHEMA_PATH = Path(__file__).parent / "data" / "scdl-subventions-2.0.1.schema.json"
NATURE = "aide en numéraire"
OBJECT_MAX = 256


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def columns() -> list[str]:
    return [column["name"] for column in schema()["fields"]]


def published_agreements():
    """The conventions of decided, selected projects, with both SIRET known (the schema requires them)."""
    return (
        GrantAgreement.objects.exclude(application__siret="")
        .exclude(application__call__funder_siret="")
        .select_related("application__organisation", "application__call__owner")
        .prefetch_related("payments")
        .annotate(total=Sum("years__amount"))
        .order_by("signed_on", "number")
    )


def has_demo() -> bool:
    """Whether the file holds fictitious grants (a demo instance), which the page then says."""
    return GrantAgreement.objects.filter(is_demo=True).exists()


def _period(agreement: GrantAgreement) -> str:
    payments = list(agreement.payments.all())
    if agreement.payment_conditions == PaymentConditions.UNIQUE and len(payments) == 1:
        return payments[0].paid_on.isoformat()
    return f"{agreement.start_date.isoformat()}/{agreement.end_date.isoformat()}"


def row(agreement: GrantAgreement) -> dict[str, str]:
    application = agreement.application
    call = application.call
    objet = neutralise(application.project_title)
    if len(objet) > OBJECT_MAX:
        objet = objet[: OBJECT_MAX - 1] + "…"
    return {
        "nomAttribuant": call.owner.name,
        "idAttribuant": call.funder_siret,
        "dateConvention": agreement.signed_on.isoformat(),
        "referenceDecision": agreement.decision_reference or agreement.number,
        "nomBeneficiaire": application.organisation.name,
        "idBeneficiaire": application.siret,
        "objet": objet,
        "montant": f"{agreement.total:.2f}",
        "nature": NATURE,
        "conditionsVersement": str(agreement.payment_conditions),
        "datesPeriodeVersement": _period(agreement),
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
    }


def write_csv(stream, agreements=None) -> None:
    names = columns()
    writer = csv.DictWriter(stream, fieldnames=names, lineterminator="\r\n")
    writer.writeheader()
    for agreement in agreements if agreements is not None else published_agreements():
        writer.writerow({name: neutralise(value) for name, value in row(agreement).items() if name in names})


def csv_text(agreements=None) -> str:
    buffer = io.StringIO()
    write_csv(buffer, agreements)
    return buffer.getvalue()
