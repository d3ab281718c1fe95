"""One budget reads the same through every channel: a fiche-action whose State funding is 12 250 € of
100 000 € each year (49 000 € of 400 000 € over 2024-2027) is 12,3 % State-funded on the list of contracts,
the contract page, the fiche-action page, the convention, the CSV and XLSX exports, the API and the
consolidation. 12,25 rounds half up to 12,3: banker's rounding (12,2), which the contract page and the API
used, or a float, would show another figure."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from pacte import formatting
from pacte.contracts import pdf
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract
from tests.helpers import api_get, page
from tests.programme.factories import AxisFactory

SHARE = formatting.percent(Decimal("12.3"))  # « 12,3 % »
WRONG_SHARES = ("12,2", "12.2", "12,25", "12.25")
STATE, TOTAL, YEAR_STATE, YEAR_TOTAL = 49_000, 400_000, 12_250, 100_000


@pytest.fixture
def contract(loire_atlantique):
    axis = AxisFactory(number=1)
    return build_contract(loire_atlantique, actions=[action_data(axis, state="12250", local="87750")])


def _shows_the_one_share(html: str) -> None:
    assert SHARE in html
    for wrong in WRONG_SHARES:
        assert wrong not in html, wrong


def _csv(response) -> tuple[list[str], list[list[str]]]:
    assert response.status_code == 200
    header, *rows = csv.reader(
        io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff")), delimiter=";"
    )
    return header, rows


def _xlsx(response) -> tuple[list, list[list]]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = ([cell.value for cell in row] for row in sheet.iter_rows())
    return header, rows


def test_the_state_share_is_computed_once(contract):
    """The arithmetic itself: 12,25 % rounds half up to 12,3 % (not to the even 12,2 %)."""
    assert formatting.share(YEAR_STATE, YEAR_TOTAL) == Decimal("12.3")
    assert formatting.share(STATE, TOTAL) == Decimal("12.3")


def test_the_pages_show_the_same_amounts_and_share(client, contract):
    listed = page(client, reverse("contracts:list"))
    assert formatting.euros(STATE) in listed and formatting.euros(TOTAL) in listed

    detail = page(client, contract.get_absolute_url())
    _shows_the_one_share(detail)
    assert formatting.euros(STATE) in detail and formatting.euros(TOTAL) in detail
    assert formatting.euros(YEAR_STATE) in detail and formatting.euros(YEAR_TOTAL) in detail
    assert detail.count(SHARE) == 1 + 4 + 1  # the fiche-action's row, each year, the period

    action = page(client, reverse("contracts:action", args=[contract.pk, 1]))
    _shows_the_one_share(action)
    assert formatting.euros(TOTAL) in action and action.count(SHARE) == 4 + 1


def test_the_convention_shows_the_same_amounts_and_share(contract):
    html = pdf.convention_html(contract)
    _shows_the_one_share(html)
    assert (
        f"{formatting.euros(TOTAL)}, dont {formatting.euros(STATE)} à la charge de l’État ({SHARE})" in html
    )
    assert formatting.euros(YEAR_STATE) in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports_give_the_same_amounts_and_share(client, contract, fmt):
    read = _csv if fmt == "csv" else _xlsx
    share, state, total = ("12,3", "49000", "400000") if fmt == "csv" else (12.3, 49000, 400000)

    for url in (
        reverse("contracts:export_contracts", args=[fmt]),  # the list of contracts
        reverse("contracts:export_actions", args=[contract.pk, fmt]),  # the fiches-actions of the contract
    ):
        header, rows = read(client.get(url))
        row = dict(zip(header, rows[0], strict=True))
        figures = (row["Part de l'État (%)"], row["dont État (€)"], row["Budget 2024-2027 (€)"])
        assert figures == (share, state, total), url

    header, rows = read(client.get(reverse("contracts:export_budget", args=[contract.pk, fmt])))
    shares = {
        dict(zip(header, row, strict=True))["Part de l'État dans l'année de la fiche-action (%)"]
        for row in rows
    }
    assert shares == {share}


def test_the_api_gives_the_same_amounts_and_share_as_decimals(client, contract):
    body = api_get(client, f"/api/v1/contracts/{contract.pk}").json()
    totals = body["totals"]
    assert (totals["state"], totals["total"], totals["state_share"]) == ("49000.00", "400000.00", "12.3")
    assert {year["state_share"] for year in totals["years"]} == {"12.3"}
    assert {(year["state"], year["total"]) for year in totals["years"]} == {("12250.00", "100000.00")}
    lines = api_get(client, f"/api/v1/contracts/{contract.pk}/budget-lines/").json()["items"]
    assert sum(Decimal(line["amount"]) for line in lines) == TOTAL
    assert sum(Decimal(line["amount"]) for line in lines if line["funder"] == "etat") == STATE


def test_the_consolidation_gives_the_same_amounts_and_share(client, contract):
    national = UserFactory(national=True)
    html = page(client, reverse("contracts:consolidation"), national)
    _shows_the_one_share(html)
    assert formatting.euros(TOTAL) in html

    url = reverse("contracts:consolidation_export", args=["france", "contrats", "csv"])
    header, rows = _csv(client.get(url))
    row = dict(zip(header, rows[0], strict=True))
    assert (row["Part de l'État (%)"], row["État (€)"], row["Total (€)"]) == ("12,3", "49000", "400000")
    url = reverse("contracts:consolidation_export", args=["france", "axes", "xlsx"])
    header, rows = _xlsx(client.get(url))
    period = next(
        dict(zip(header, row, strict=True)) for row in rows if row[:2] == ["Tous les axes", "2024-2027"]
    )
    assert (period["Part de l'État (%)"], period["État (€)"], period["Total (€)"]) == (12.3, 49000, 400000)
