"""The measures of the overseas plan (issue 18, point 3): the « Outre-mer » tag read from the référentiel's file with
its sourced note, the badge and the filter of the référentiel's pages, the API."""

import pytest
from django.urls import reverse

from pacte.programme.models import Measure
from pacte.programme.services import ReferentielFormatError, load_referentiel, read_referentiel
from tests.helpers import api_get, page
from tests.programme.factories import AxisFactory, MeasureFactory
from tests.territories.factories import RegionFactory

MINIMAL = """\
programme:
  code: pacte-des-solidarites
  name: Pacte de test
  start_year: 2024
  end_year: 2027
  measure_count: 2
  budget_eur: 1000
  source_file: 003_15a36d82a2e300cb.txt
axes:
  - number: 1
    title: Axe unique
measures:
  - code: m-1
    axis: 1
    kind: action_nouvelle
    title: Petits déjeuners
    order: 1
    source_file: 000_ffdb588009e9a993.txt
    overseas: true
    overseas_note: « Un déploiement massif des petits déjeuners à l'école en Outre-Mer » (seed 000).
  - code: m-2
    axis: 1
    kind: action_nouvelle
    title: Autre mesure
    order: 2
    source_file: 000_ffdb588009e9a993.txt
"""


def _write(tmp_path, text: str):
    path = tmp_path / "referentiel.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_referentiel_tags_the_breakfasts_and_malin_overseas_with_their_sources():
    measures = {measure.code: measure for measure in read_referentiel().document.measures}
    tagged = [code for code, measure in measures.items() if measure.overseas]
    assert tagged == ["a1-n4"]
    note = measures["a1-n4"].overseas_note
    assert "petits déjeuners à l'école en Outre-Mer" in note
    assert "Consolidation et extension en Outre-Mer du programme MALIN" in note
    assert "50 millions d'euros par an" in note and "aefinfo.fr" in note
    assert "Non publié : une cible chiffrée outre-mer" in note


@pytest.mark.django_db
def test_the_loader_writes_the_tag_and_its_note(tmp_path):
    load_referentiel(_write(tmp_path, MINIMAL))
    tagged = Measure.objects.get(code="m-1")
    assert tagged.overseas is True
    assert tagged.overseas_note.startswith("« Un déploiement massif")
    assert Measure.objects.get(code="m-2").overseas is False


@pytest.mark.django_db
def test_the_full_referentiel_loads_the_tag():
    RegionFactory(code="52", name="Pays de la Loire")
    load_referentiel()
    assert list(Measure.objects.filter(overseas=True).values_list("code", flat=True)) == ["a1-n4"]


NOTE_LINE = (
    "    overseas_note: « Un déploiement massif des petits déjeuners à l'école en Outre-Mer » (seed 000).\n"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (NOTE_LINE, "", "overseas_note", "dit ce qu'elle fait outre-mer, avec sa source"),
        ("    overseas: true\n", "", "overseas", "une note outre-mer va avec « overseas: true »"),
        ("    overseas: true\n", "    overseas: peut-être\n", "overseas", "measures[0].overseas"),
    ],
)
def test_a_tag_without_its_source_or_a_note_without_its_tag_is_refused(tmp_path, old, new, field, words):
    with pytest.raises(ReferentielFormatError) as caught:
        load_referentiel(_write(tmp_path, MINIMAL.replace(old, new)))
    message = str(caught.value)
    assert field in message
    assert words in message
    assert not Measure.objects.exists()


@pytest.fixture
def measures():
    axis = AxisFactory(number=1)
    tagged = MeasureFactory(
        axis=axis,
        code="a1-n4",
        title="Lutter contre la malnutrition infantile",
        overseas=True,
        overseas_note="Petits déjeuners en Outre-Mer, source : présentation du 18 septembre 2023.\nNon publié : la cible.",
    )
    other = MeasureFactory(axis=axis, code="a1-n2", title="Maisons des parents")
    MeasureFactory(axis=AxisFactory(number=4), code="a4-n2", title="Cantine à 1 €")
    return tagged, other


BADGE = "pacte-badge-outre-mer"


@pytest.mark.django_db
def test_the_referentiel_index_shows_the_badge_and_filters_on_it(client, measures):
    html = page(client, reverse("programme:index"))
    assert html.count(BADGE) == 2  # the callout's legend and the one tagged measure
    assert "Maisons des parents" in html and "Cantine à 1 €" in html
    assert reverse("observation:overseas") in html

    filtered = page(client, reverse("programme:index"), outre_mer="1")
    assert "Lutter contre la malnutrition infantile" in filtered
    assert "Maisons des parents" not in filtered
    assert "Cantine à 1 €" not in filtered  # the axis without a tagged measure is left out
    assert "Filtre : mesures Outre-mer" in filtered


@pytest.mark.django_db
def test_the_filter_says_when_no_measure_is_tagged(client):
    MeasureFactory(code="a1-n2", title="Maisons des parents")
    html = page(client, reverse("programme:index"), outre_mer="1")
    assert "Aucune mesure du référentiel n’est marquée Outre-mer" in html


@pytest.mark.django_db
def test_the_measure_and_axis_pages_show_the_tag_and_its_source(client, measures):
    tagged, other = measures
    html = page(client, reverse("programme:measure", args=[tagged.code]))
    assert BADGE in html
    assert (
        "Petits déjeuners en Outre-Mer, source : présentation du 18 septembre 2023.<br>Non publié : la cible."
        in html
    )
    assert reverse("observation:overseas") in html
    assert BADGE not in page(client, reverse("programme:measure", args=[other.code]))
    assert page(client, reverse("programme:axis", args=[1])).count(BADGE) == 1


@pytest.mark.django_db
def test_the_api_exposes_the_tag_and_filters_on_it(client, measures):
    tagged, _other = measures
    answer = api_get(client, "/api/v1/measures/", overseas="true")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [item["code"] for item in items] == ["a1-n4"]
    assert items[0]["overseas"] is True
    assert items[0]["overseas_note"] == tagged.overseas_note
    others = api_get(client, "/api/v1/measures/", overseas="false").json()["items"]
    assert {item["code"] for item in others} == {"a1-n2", "a4-n2"}
    assert all(item["overseas"] is False and item["overseas_note"] == "" for item in others)
    axis = api_get(client, "/api/v1/axes/1").json()
    assert {measure["code"]: measure["overseas"] for measure in axis["measures"]} == {
        "a1-n4": True,
        "a1-n2": False,
    }
