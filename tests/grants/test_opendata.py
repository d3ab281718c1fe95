"""The grants open data validated by frictionless against the committed SCDL « subventions » Table Schema."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from frictionless import Resource, Schema, validate

from pacte.grants import opendata, services
from pacte.grants.models import GrantAgreement
from tests.grants.factories import ApplicationFactory, select


def _validate(text: str):
    resource = Resource(
        data=text.encode("utf-8"),
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(dict(opendata.schema())),
    )
    return validate(resource)


@pytest.fixture
def grants(call, commissioner, loire_atlantique):
    """Two conventions: one of two years (échelonné), one of a single year paid once (unique)."""
    two_years = ApplicationFactory(call=call, territory=loire_atlantique, project_title="Épicerie, solidaire")
    one_year = ApplicationFactory(call=call, territory=loire_atlantique, amounts={2025: "12500.50"})
    services.close_call(call, commissioner)
    select(two_years, commissioner, decision_reference="ARR-52-2025-001")
    select(one_year, commissioner)
    agreement = GrantAgreement.objects.get(application=one_year)
    services.record_payment(
        agreement, commissioner, year=2025, amount=Decimal("12500.50"), paid_on=datetime.date(2025, 4, 2)
    )
    return GrantAgreement.objects.order_by("pk")


def test_the_export_follows_the_schema_columns_in_order(grants):
    text = opendata.csv_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0].split(",") == opendata.columns()
    assert opendata.columns()[:3] == ["nomAttribuant", "idAttribuant", "dateConvention"]
    assert len(rows) == 2
    by_conditions = {row["conditionsVersement"]: row for row in rows}
    first, second = by_conditions["échelonné"], by_conditions["unique"]
    assert first["montant"] == "40000.00"
    assert first["datesPeriodeVersement"] == "2025-01-01/2026-12-31"
    assert first["referenceDecision"] == "ARR-52-2025-001" and first["objet"] == "Épicerie, solidaire"
    assert second["montant"] == "12500.50"
    assert second["datesPeriodeVersement"] == "2025-04-02"
    assert second["referenceDecision"] == grants[1].number and grants[1].number.startswith("CAO-")
    assert {row["nature"] for row in rows} == {"aide en numéraire"}
    assert {row["notificationUE"] for row in rows} == {"non"}


def test_the_export_is_valid_against_the_committed_schema(grants):
    report = _validate(opendata.csv_text())
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 2


def test_a_broken_row_makes_the_file_invalid(grants):
    text = opendata.csv_text()
    first_row = opendata.published_agreements()[0]  # CSV row 2
    broken = text.replace(first_row.application.siret, "12345", 1).replace("aide en numéraire", "prêt", 1)
    report = _validate(broken)
    assert not report.valid
    errors = report.flatten(["rowNumber", "fieldName", "type"])
    assert [2, "idBeneficiaire", "constraint-error"] in errors
    assert [2, "nature", "constraint-error"] in errors


def test_the_csv_is_public_and_downloads_as_a_file(client, grants):
    response = client.get(reverse("grants:opendata_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="subventions.csv"' in response["Content-Disposition"]
    assert _validate(response.content.decode("utf-8")).valid


def test_the_open_data_page_says_demo_grants_are_fictitious(client, grants):
    grants.update(is_demo=True)
    response = client.get(reverse("grants:opendata"))
    assert "donnée fictive" in response.content.decode()
