"""Issue 15, finding 5: the PDF of the public diagnostic is rendered once per data version and served from
storage (ETag, 304); a signed-in user's PDF is rendered for them and never stored; rendering for anonymous
visitors is throttled (French 429 with Retry-After)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache

from pacte.observation.diagnostic_version import data_version
from tests.accounts.factories import UserFactory
from tests.contracts.factories import build_contract
from tests.helpers import get_whole
from tests.observation.factories import IndicatorFactory, ObservationFactory, values
from tests.territories.factories import DepartementFactory, RegionFactory

URL = "/observation/diagnostic/departement/44.pdf"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored PDFs in a folder of the test; the throttle's counters start from zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDF renders; a render gives a small fake PDF holding the document's HTML (what was rendered
    can be read without a second of WeasyPrint)."""
    calls = []

    def fake(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 fake\n" + html.encode()

    monkeypatch.setattr("pacte.observation.pdf.html_to_pdf", fake)
    return calls


@pytest.fixture
def places():
    region = RegionFactory(code="52", name="Pays de la Loire")
    return {
        "region": region,
        "44": DepartementFactory(code="44", name="Loire-Atlantique", parent=region),
        "85": DepartementFactory(code="85", name="Vendée", parent=region),
    }


@pytest.fixture
def indicators(places):
    rate = IndicatorFactory(code="TP60", label="Taux de pauvreté", order=1)
    restricted = IndicatorFactory(code="NR_RSA", label="Non-recours au RSA", order=2, restricted=True)
    values(rate, [places["44"], places["85"], places["region"]], periods=(2020, 2021))
    ObservationFactory(indicator=rate, national=True, period=2021, value=Decimal("14.5"))
    ObservationFactory(indicator=restricted, territory=places["44"], period=2022, value=Decimal("31"))
    return {"rate": rate, "restricted": restricted}


def _get(client, url: str = URL, **kwargs):
    return get_whole(client, url, **kwargs)


def _stored(media: Path) -> list[Path]:
    return sorted(media.rglob("*.pdf"))


def test_an_unchanged_public_diagnostic_is_rendered_once(client, indicators, media, renders):
    first = _get(client)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert "diagnostic-departement-44-" in first["Content-Disposition"]
    second = _get(client)
    assert second.status_code == 200 and second.body == first.body
    assert len(renders) == 1
    [path] = _stored(media)
    assert path.relative_to(media).parts[:3] == ("pdf", "diagnostics", "departement-44")
    assert "Non-recours au RSA" not in first.body.decode()


def test_the_stored_diagnostic_carries_etag_and_last_modified_and_answers_304(client, indicators, renders):
    response = _get(client)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag and modified.endswith("GMT")
    assert _get(client, headers={"if-none-match": etag}).status_code == 304
    assert _get(client, headers={"if-modified-since": modified}).status_code == 304
    assert len(renders) == 1


def test_a_new_value_an_edit_or_a_deletion_is_a_new_data_version(client, places, indicators, media, renders):
    _get(client)
    new = ObservationFactory(indicator=indicators["rate"], territory=places["85"], period=2022)
    _get(client)
    assert len(renders) == 2
    new.value = Decimal("19.9")
    new.save()
    _get(client)
    assert len(renders) == 3
    new.delete()
    _get(client)
    _get(client)
    assert len(renders) == 4
    assert len(_stored(media)) == 1  # the older versions are removed


def test_an_indicator_change_or_a_signed_contract_is_a_new_data_version(client, places, indicators, renders):
    _get(client)
    rate = indicators["rate"]
    rate.label = "Taux de pauvreté monétaire"
    rate.save()
    assert "Taux de pauvreté monétaire" in _get(client).body.decode()
    build_contract(places["44"])
    _get(client)
    assert len(renders) == 3
    build_contract(places["85"])  # another département's contract: not in this diagnostic
    _get(client)
    assert len(renders) == 3


def test_a_signed_in_user_gets_a_pdf_of_their_own_never_stored(client, places, indicators, media, renders):
    public = _get(client)
    client.force_login(UserFactory(ddets=True, territory=places["44"]))
    for _ in range(2):
        response = _get(client)
        assert response.status_code == 200
        assert "Non-recours au RSA" in response.body.decode()  # a restricted indicator the DDETS sees
        assert "private" in response["Cache-Control"] and "ETag" not in response
    assert len(renders) == 3
    client.force_login(UserFactory(ddets=True, territory=places["85"]))  # the same role, another département
    assert _get(client).status_code == 200
    assert [path.read_bytes() for path in _stored(media)] == [public.body]


def test_anonymous_renders_are_throttled_with_a_french_429(client, places, indicators, settings, renders):
    settings.PACTE_PDF_RENDERS_PER_ADDRESS = 1
    assert _get(client).status_code == 200
    refused = _get(client, "/observation/diagnostic/departement/85.pdf")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Trop de documents PDF" in refused.body.decode()
    assert _get(client).status_code == 200  # the stored one is still served
    assert len(renders) == 1
    client.force_login(UserFactory(ddets=True, territory=places["85"]))
    assert _get(client, "/observation/diagnostic/departement/85.pdf").status_code == 200


def test_the_data_version_is_read_in_a_fixed_number_of_queries(places, indicators, django_assert_num_queries):
    with django_assert_num_queries(5):
        before = data_version(places["44"])
    values(indicators["rate"], [DepartementFactory(parent=places["region"]) for _ in range(20)])
    with django_assert_num_queries(5):
        after = data_version(places["44"])
    assert after != before
