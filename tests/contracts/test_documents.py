"""Convention PDF and CSV / XLSX exports of contracts, fiches-actions and budgets."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from pacte.contracts import pdf, perms, services
from pacte.contracts.models import BudgetLine, Contract
from pacte.core import pdf as core_pdf
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory


@pytest.fixture
def world():
    region = RegionFactory(code="52", name="Pays de la Loire")
    world = {
        "region": region,
        "sarthe": DepartementFactory(code="72", name="Sarthe", parent=region),
        "mayenne": DepartementFactory(code="53", name="Mayenne", parent=region),
        "axis": AxisFactory(number=1, title="Prévenir la pauvreté dès l'enfance"),
    }
    world["measure"] = MeasureFactory(axis=world["axis"], title="Petits-déjeuners à l'école")
    world["target"] = TargetFactory(
        measure=world["measure"], label="Enfants bénéficiaires des petits-déjeuners", unit="enfants"
    )
    return world


@pytest.fixture
def signed(world):
    return build_contract(
        world["sarthe"],
        actions=[
            action_data(
                world["axis"],
                title="Petits-déjeuners dans les écoles de Sarthe",
                state="40000",
                local="50000",
                other="10000",
                target="250",
                unit="enfants",
                national_target=world["target"],
                measures=[world["measure"]],
            )
        ],
        signed_on=datetime.date(2024, 1, 15),
    )


@pytest.fixture
def draft(world):
    return build_contract(
        world["mayenne"],
        actions=[action_data(world["axis"], title="Maison des parents de Laval")],
        signed=False,
    )


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- Convention PDF ------------------------------------------------------------------------------------


def test_the_html_of_a_signed_convention_holds_its_parties_articles_actions_and_signatures(signed):
    html = pdf.convention_html(signed)
    assert "Sarthe" in html
    assert "Petits-déjeuners dans les écoles de Sarthe" in html
    assert "Pacte des solidarités 2023-2027" in html
    for article in (
        "Objet",
        "Durée",
        "Engagements financiers",
        "rapport d’exécution annuel",
        "mi-parcours",
        "Avenants",
    ):
        assert article in html
    assert "30 juin 2026" in html
    assert "Axe 1 – Prévenir la pauvreté dès l&#x27;enfance" in html
    assert "Petits-déjeuners à l&#x27;école" in html
    assert "Enfants bénéficiaires des petits-déjeuners" in html
    assert "40\u202f000\u202f€" in html and "400\u202f000\u202f€" in html
    assert "CAF" in html
    assert "le 15 janvier 2024" in html
    assert "La préfète" in html and "Le président du conseil départemental" in html
    assert "PROJET" not in html
    assert "donnée fictive" not in html


def test_a_draft_convention_is_marked_as_a_project_with_blank_signature_lines(draft):
    html = pdf.convention_html(draft)
    assert 'class="watermark"' in html and "PROJET" in html
    assert "Nom et qualité" in html
    assert "janvier 2024" not in html


def test_a_demo_convention_says_its_data_are_fictitious(client, world):
    contract = build_contract(world["sarthe"], is_demo=True)
    assert "donnée fictive" in pdf.convention_html(contract)
    header, line = _csv(client.get(reverse("contracts:export_actions", args=[contract.pk, "csv"])))
    assert dict(zip(header, line, strict=True))["Donnée fictive"] == "oui"


def test_the_convention_is_read_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    small = build_contract(world["sarthe"], actions=[action_data(world["axis"])])
    large = build_contract(
        world["mayenne"],
        actions=[action_data(AxisFactory(number=(1, 3, 4)[n % 3]), measures=[]) for n in range(6)],
        signed=False,
    )
    for contract in (small, large):
        contract = Contract.objects.select_related("territory__departement", "amends", "collectivite").get(
            pk=contract.pk
        )
        with django_assert_max_num_queries(9):  # the ceilings and the report campaign: one query each
            html = pdf.convention_html(contract)
        assert contract.territory.name in html


def test_a_superseded_version_says_so(signed, world):
    amendment = services.create_amendment(signed, None, reason="Ajustement des montants")
    amendment.status = "negociation"
    amendment.save()
    services.validate_contract(amendment, None, side="state")
    services.validate_contract(amendment, None, side="local")
    services.sign_contract(
        amendment,
        None,
        signed_on=datetime.date(2025, 2, 1),
        state_signatory="Le préfet",
        local_signatory="Le président",
    )
    signed.refresh_from_db()
    assert "remplacée par un avenant" in pdf.convention_html(signed)
    amendment.refresh_from_db()
    html = pdf.convention_html(amendment)
    assert "avenant n°1" in html and "Ajustement des montants" in html


def test_anyone_downloads_the_pdf_of_a_signed_convention(client, signed):
    response = client.get(reverse("contracts:pdf", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 10_000
    assert 'filename="convention-departement-72-2024-2027.pdf"' in response["Content-Disposition"]


def test_a_party_downloads_the_pdf_of_its_draft(client, draft, world):
    client.force_login(UserFactory(departement_council=True, territory=world["mayenne"]))
    response = client.get(reverse("contracts:pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "projet" in response["Content-Disposition"]


def test_a_draft_pdf_does_not_exist_for_an_outsider(client, draft, world):
    client.force_login(UserFactory(ddets=True, territory=world["sarthe"]))
    assert client.get(reverse("contracts:pdf", args=[draft.pk])).status_code == 404


def test_an_anonymous_visitor_is_asked_to_sign_in_for_a_draft_pdf(client, draft):
    response = client.get(reverse("contracts:pdf", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_unknown_contract_pdf_is_not_found(client, world):
    client.force_login(UserFactory(national=True))
    assert client.get(reverse("contracts:pdf", args=[999999])).status_code == 404


def test_the_pdf_renderer_serves_static_files_and_refuses_any_other_address():
    fetcher = core_pdf.StaticFilesOnly()
    response = fetcher.fetch(core_pdf.BASE_URL + "static/contracts/convention.css")
    assert b"@page" in response.read()
    for url in ("https://fonts.example.org/font.css", "file:///etc/passwd", core_pdf.BASE_URL + "admin/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- Contract list export ---------------------------------------------------------------------------------


def test_the_contract_export_shows_signed_contracts_to_anonymous_visitors(client, signed, draft):
    rows = _csv(client.get(reverse("contracts:export_contracts", args=["csv"])))
    header, *lines = rows
    assert header[0] == "Territoire" and "Part de l'État (%)" in header
    assert [line[0] for line in lines] == ["Sarthe"]
    line = dict(zip(header, lines[0], strict=True))
    assert line["Budget 2024-2027 (€)"] == "400000"
    assert line["dont État (€)"] == "160000"
    assert line["dont autres cofinanceurs (€)"] == "40000"
    assert line["Part de l'État (%)"] == "40"
    assert line["Statut"] == "Signé"
    assert line["Signé le"] == "2024-01-15"


def test_the_contract_export_adds_the_drafts_a_party_follows(client, signed, draft, world):
    client.force_login(UserFactory(departement_council=True, territory=world["mayenne"]))
    rows = _xlsx(client.get(reverse("contracts:export_contracts", args=["xlsx"])))
    assert sorted(row[0] for row in rows[1:]) == ["Mayenne", "Sarthe"]


def test_the_contract_export_hides_the_drafts_of_others(client, signed, draft, world):
    client.force_login(UserFactory(ddets=True, territory=world["sarthe"]))
    rows = _csv(client.get(reverse("contracts:export_contracts", args=["csv"])))
    assert [row[0] for row in rows[1:]] == ["Sarthe"]


def test_the_contract_export_follows_the_list_filters(client, signed, draft, world):
    client.force_login(UserFactory(national=True))
    rows = _csv(client.get(reverse("contracts:export_contracts", args=["csv"]) + "?status=brouillon"))
    assert [row[0] for row in rows[1:]] == ["Mayenne"]


def test_the_contract_export_has_the_same_visibility_as_the_contract_pages(client, world, signed, draft):
    metropole = EpciFactory(metropole=True, name="Le Mans Métropole", parent=world["sarthe"])
    build_contract(metropole, actions=[action_data(world["axis"])], signed=False)
    users = [
        UserFactory(national=True),
        UserFactory(commissioner=True, territory=world["region"]),
        UserFactory(commissioner=True, territory=RegionFactory(code="53", name="Bretagne")),
        UserFactory(ddets=True, territory=world["sarthe"]),
        UserFactory(metropole=True, territory=metropole),
        UserFactory(association=True, territory=world["sarthe"]),
    ]
    for user in users:
        client.force_login(user)
        exported = {
            row[0] for row in _csv(client.get(reverse("contracts:export_contracts", args=["csv"])))[1:]
        }
        visible = {c.territory.name for c in Contract.objects.all() if perms.can_view_contract(user, c)}
        assert exported == visible, user.role


def test_the_contract_export_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    build_contract(world["sarthe"])
    url = reverse("contracts:export_contracts", args=["csv"])
    with django_assert_max_num_queries(6):
        client.get(url)
    for number in range(5):
        build_contract(DepartementFactory(code=f"{80 + number}", parent=world["region"]))
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(_csv(response)) == 7


def test_an_unknown_export_format_is_not_found(client, signed):
    assert client.get(reverse("contracts:export_contracts", args=["pdf"])).status_code == 404
    assert client.get(reverse("contracts:export_actions", args=[signed.pk, "ods"])).status_code == 404
    assert client.get(reverse("contracts:export_budget", args=[signed.pk, "json"])).status_code == 404


# --- Fiches-actions and budget exports -------------------------------------------------------------------


def test_anyone_exports_the_actions_of_a_signed_contract(client, signed):
    response = client.get(reverse("contracts:export_actions", args=[signed.pk, "csv"]))
    assert response.status_code == 200
    assert 'filename="contrat-72-fiches-actions.csv"' in response["Content-Disposition"]
    header, line = _csv(response)
    action = dict(zip(header, line, strict=True))
    assert action["Intitulé"] == "Petits-déjeuners dans les écoles de Sarthe"
    assert action["Mesures du Pacte"] == "Petits-déjeuners à l'école"
    assert "2024 : 250 ; 2025 : 250 ; 2026 : 250 ; 2027 : 250" in action["Indicateurs et cibles annuelles"]
    assert action["Budget 2024-2027 (€)"] == "400000"
    assert action["Part de l'État (%)"] == "40"


def test_the_actions_export_opens_in_a_spreadsheet(client, signed):
    rows = _xlsx(client.get(reverse("contracts:export_actions", args=[signed.pk, "xlsx"])))
    assert rows[0][:3] == ["N°", "Intitulé", "Axe"]
    assert rows[1][0] == 1 and rows[1][11] == 400000


def test_the_budget_export_has_one_row_per_line_with_the_state_share(client, signed):
    response = client.get(reverse("contracts:export_budget", args=[signed.pk, "csv"]))
    header, *rows = _csv(response)
    assert header[:4] == ["N° de fiche-action", "Fiche-action", "Axe", "Année"]
    assert len(rows) == BudgetLine.objects.filter(action__contract=signed).count() == 12
    first = dict(zip(header, rows[0], strict=True))
    assert (first["Année"], first["Financeur"], first["Montant (€)"]) == ("2024", "État", "40000")
    assert first["Part de l'État dans l'année de la fiche-action (%)"] == "40"
    others = [row for row in rows if row[header.index("Nom du cofinanceur")] == "CAF"]
    assert len(others) == 4
    xlsx = _xlsx(client.get(reverse("contracts:export_budget", args=[signed.pk, "xlsx"])))
    assert len(xlsx) == 13 and xlsx[1][6] == 40000


def test_the_exports_of_a_draft_follow_its_visibility(client, draft, world):
    urls = [
        reverse(name, args=[draft.pk, "csv"])
        for name in ("contracts:export_actions", "contracts:export_budget")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    client.force_login(UserFactory(ddets=True, territory=world["sarthe"]))
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(UserFactory(ddets=True, territory=world["mayenne"]))
    assert [client.get(url).status_code for url in urls] == [200, 200]
