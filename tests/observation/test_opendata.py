"""Open data: the list of downloadable tables, the CSV (long format, `;`, UTF-8 with BOM) and the JSON of
each public indicator with its provenance, filtered by level and year, streamed."""

import csv
import io
import json
from decimal import Decimal

import pytest

from pacte.observation.enums import NationalScope
from pacte.observation.importers.service import import_file
from pacte.observation.models import Observation
from pacte.territories.models import Territory
from tests.accounts.factories import UserFactory
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

HEADER = (
    "indicateur;libelle;territoire;territoire_nom;niveau;periode;valeur;statut;donnee_fictive;source;"
    "millesime;mise_a_jour;champ"
)


@pytest.fixture
def data():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl)
    vendee = DepartementFactory(code="85", name="Vendée", parent=pdl)
    metropole = EpciFactory(
        code="244400404", name="Nantes Métropole", parent=loire_atlantique, metropole=True
    )
    nantes = CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique)
    rate = IndicatorFactory(
        code="TP60",
        label="Taux de pauvreté",
        source="INSEE – Filosofi",
        source_url="https://www.insee.fr/",
        vintage="Filosofi 2021",
        description="Part des personnes sous le seuil.",
    )
    ObservationFactory(
        indicator=rate,
        national=True,
        period=2021,
        value=Decimal("14.5"),
        source="INSEE, ERFS 2021",
        scope=NationalScope.METROPOLITAN,
    )
    ObservationFactory(indicator=rate, territory=loire_atlantique, period=2020, value=Decimal("11.2"))
    ObservationFactory(indicator=rate, territory=loire_atlantique, period=2021, value=Decimal("11.05"))
    ObservationFactory(indicator=rate, territory=vendee, period=2021, secret=True)
    ObservationFactory(indicator=rate, territory=metropole, period=2021, value=Decimal("14.2"), demo=True)
    ObservationFactory(indicator=rate, territory=nantes, period=2021, value=Decimal("17.9"))
    ObservationFactory(indicator=rate, territory=pdl, period=2021, value=Decimal("11"))
    restricted = IndicatorFactory(code="NR_RSA", label="Non-recours au RSA", restricted=True)
    ObservationFactory(indicator=restricted, national=True, period=2022, value=Decimal("34"))
    return {"rate": rate, "restricted": restricted, "44": loire_atlantique}


def _csv(response) -> tuple[str, list[dict]]:
    assert response.streaming
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    return text, list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _json(response) -> dict:
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


# --- The list -------------------------------------------------------------------------------------------


def test_the_list_offers_every_public_indicator_in_csv_and_json(client, data):
    response = client.get("/observation/donnees/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/observation/donnees/TP60.csv" in html
    assert "/observation/donnees/TP60.json" in html
    assert "/observation/donnees/TP60.csv?niveau=commune" in html
    assert "NR_RSA" not in html


def test_the_list_never_offers_restricted_indicators_even_to_national_steering(client, data):
    client.force_login(UserFactory(national=True))
    assert "NR_RSA" not in client.get("/observation/donnees/").content.decode()


# --- CSV ------------------------------------------------------------------------------------------------


def test_the_csv_starts_with_the_bom_and_the_long_format_header(client, data):
    response = client.get("/observation/donnees/TP60.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tp60.csv"'
    text, _rows = _csv(response)
    assert text.splitlines()[0] == HEADER


def test_the_csv_has_one_row_per_value_france_first_with_provenance(client, data):
    _text, rows = _csv(client.get("/observation/donnees/TP60.csv"))
    assert [(row["niveau"], row["territoire"], row["periode"]) for row in rows] == [
        ("france", "FR", "2021"),
        ("commune", "44109", "2021"),
        ("departement", "44", "2020"),
        ("departement", "44", "2021"),
        ("departement", "85", "2021"),
        ("epci", "244400404", "2021"),
        ("region", "52", "2021"),
    ]
    france, _commune, _dep2020, loire_atlantique, vendee, metropole, _region = rows
    assert france["territoire_nom"] == "France"
    assert france["source"] == "INSEE, ERFS 2021"
    assert france["champ"] == "France métropolitaine"  # the ERFS covers metropolitan France only
    assert {row["champ"] for row in rows[1:]} == {""}  # a territory is its own field
    assert loire_atlantique["valeur"] == "11,05"
    assert loire_atlantique["source"] == "INSEE – Filosofi"  # the indicator's when the value has none
    assert loire_atlantique["millesime"] == "Filosofi 2021"
    assert loire_atlantique["mise_a_jour"][:4].isdigit() and "T" in loire_atlantique["mise_a_jour"]
    assert loire_atlantique["donnee_fictive"] == "non"
    assert (vendee["valeur"], vendee["statut"]) == ("", "secret")
    assert metropole["donnee_fictive"] == "oui"


def test_the_csv_is_filtered_by_level_and_period(client, data):
    _text, rows = _csv(
        client.get("/observation/donnees/TP60.csv", {"niveau": "departement", "periode": "2021"})
    )
    assert [row["territoire"] for row in rows] == ["44", "85"]
    _text, rows = _csv(client.get("/observation/donnees/TP60.csv", {"niveau": "metropole"}))
    assert [row["territoire_nom"] for row in rows] == ["Nantes Métropole"]
    _text, rows = _csv(client.get("/observation/donnees/TP60.csv", {"niveau": "france"}))
    assert [row["territoire"] for row in rows] == ["FR"]
    response = client.get("/observation/donnees/TP60.csv", {"niveau": "commune", "periode": "2021"})
    assert response["Content-Disposition"] == 'attachment; filename="tp60-commune-2021.csv"'


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"niveau": "canton"}, "niveau : « canton » n'est pas un niveau connu"),
        ({"periode": "2021a"}, "periode : « 2021a » n'est pas une année (AAAA)."),
        ({"periode": "12"}, "periode : « 12 » n'est pas une année (AAAA)."),
    ],
)
def test_bad_filters_are_refused_in_french_naming_the_parameter(client, data, params, message):
    for extension in ("csv", "json"):
        response = client.get(f"/observation/donnees/TP60.{extension}", params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_restricted_and_unknown_indicators_are_not_published(client, data):
    client.force_login(UserFactory(national=True))
    for url in (
        "/observation/donnees/NR_RSA.csv",
        "/observation/donnees/NR_RSA.json",
        "/observation/donnees/X.csv",
    ):
        assert client.get(url).status_code == 404


def test_the_csv_can_be_imported_again_unchanged(client, data):
    """The download is the importer's long format: re-importing it changes nothing. (The demo row is left
    out: the importer takes every value of a file as a real one.)"""
    text, _rows = _csv(client.get("/observation/donnees/TP60.csv"))
    real = "".join(line for line in text.splitlines(keepends=True) if ";oui;" not in line)
    result = import_file(io.BytesIO(real.encode("utf-8-sig")), file_name="tp60.csv")
    assert (result.created, result.updated, result.rejected, result.unchanged) == (0, 0, 0, 6)


def test_the_field_of_a_national_value_goes_back_in_with_the_file(client, data):
    """The `champ` column round-trips: a national value exported as metropolitan France, its field lost in
    the database, gets it back from the file; a territory's row ignores the column."""
    text, _rows = _csv(client.get("/observation/donnees/TP60.csv"))
    real = "".join(line for line in text.splitlines(keepends=True) if ";oui;" not in line)
    Observation.objects.filter(territory__isnull=True).update(scope="")
    import_file(io.BytesIO(real.encode("utf-8-sig")), file_name="tp60.csv")
    assert (
        Observation.objects.get(territory__isnull=True, indicator=data["rate"]).scope
        == "france_metropolitaine"
    )
    assert set(Observation.objects.filter(territory__isnull=False).values_list("scope", flat=True)) == {""}


def test_an_unknown_field_rejects_its_line_in_french(data):
    text = "indicateur;territoire;niveau;periode;valeur;champ\nTP60;FR;france;2022;14,4;Europe\nTP60;44;;2022;11;\n"
    result = import_file(io.BytesIO(text.encode()), file_name="champ.csv")
    assert [str(reject) for reject in result.rejects] == [
        "ligne 2 : champ « Europe » inconnu : France entière ou France métropolitaine"
    ]
    assert result.created == 1
    assert not Observation.objects.filter(
        territory__isnull=True, period=2022, indicator=data["rate"]
    ).exists()


def test_a_field_written_in_the_short_form_is_read(data):
    text = "indicateur;territoire;periode;valeur;champ\nTP60;FR;2022;14,4;metropole\n"
    import_file(io.BytesIO(text.encode()), file_name="champ.csv")
    national = Observation.objects.get(territory__isnull=True, period=2022, indicator=data["rate"])
    assert national.scope == "france_metropolitaine"


def test_a_big_table_is_streamed_in_chunks(client, data):
    departement = data["44"]
    communes = [
        CommuneFactory.build(code=f"44{number:03d}", name=f"Commune {number}", parent=departement)
        for number in range(200, 900)
    ]
    Territory.objects.bulk_create(communes)
    saved = Territory.objects.filter(level="commune", code__startswith="44").exclude(code="44109")
    Observation.objects.bulk_create(
        Observation(indicator=data["rate"], territory=commune, period=year, value=Decimal("12.5"))
        for commune in saved
        for year in (2020, 2021)
    )
    response = client.get("/observation/donnees/TP60.csv", {"niveau": "commune"})
    chunks = list(response.streaming_content)
    assert len(chunks) > 2
    text = b"".join(chunks).decode("utf-8-sig")
    assert len(text.splitlines()) == 1 + 1 + 700 * 2


# --- JSON -----------------------------------------------------------------------------------------------


def test_the_json_carries_the_provenance_and_the_values(client, data):
    response = client.get("/observation/donnees/TP60.json", {"niveau": "departement"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = _json(response)
    provenance = body["indicateur"]
    assert provenance["code"] == "TP60"
    assert provenance["source"] == "INSEE – Filosofi"
    assert provenance["lien_source"] == "https://www.insee.fr/"
    assert provenance["millesime"] == "Filosofi 2021"
    assert provenance["definition"] == "Part des personnes sous le seuil."
    assert provenance["mise_a_jour"]
    assert body["filtres"] == {"niveau": "departement", "periode": None}
    assert body["valeurs"] == [
        {
            "territoire": "44",
            "territoire_nom": "Loire-Atlantique",
            "niveau": "departement",
            "periode": 2020,
            "valeur": 11.2,
            "statut": "disponible",
            "donnee_fictive": False,
            "source": "INSEE – Filosofi",
            "mise_a_jour": body["valeurs"][0]["mise_a_jour"],
            "champ": "",
        },
        {
            "territoire": "44",
            "territoire_nom": "Loire-Atlantique",
            "niveau": "departement",
            "periode": 2021,
            "valeur": 11.05,
            "statut": "disponible",
            "donnee_fictive": False,
            "source": "INSEE – Filosofi",
            "mise_a_jour": body["valeurs"][1]["mise_a_jour"],
            "champ": "",
        },
        {
            "territoire": "85",
            "territoire_nom": "Vendée",
            "niveau": "departement",
            "periode": 2021,
            "valeur": None,
            "statut": "secret",
            "donnee_fictive": False,
            "source": "INSEE – Filosofi",
            "mise_a_jour": body["valeurs"][2]["mise_a_jour"],
            "champ": "",
        },
    ]


def test_an_empty_selection_is_valid_json(client, data):
    body = _json(client.get("/observation/donnees/TP60.json", {"periode": "1990"}))
    assert body["valeurs"] == []
