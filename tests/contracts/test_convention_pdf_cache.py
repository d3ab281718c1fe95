"""Issue 15, finding 5: a signed convention's PDF is rendered once, stored and served from storage (ETag,
Last-Modified, 304); a draft is rendered for its parties only and never stored; rendering for anonymous visitors
is throttled (French 429 with Retry-After)."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from pacte.contracts import services
from tests.contracts.factories import build_contract, notify_ceiling
from tests.helpers import get_whole
from tests.territories.factories import DepartementFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored PDFs in a folder of the test; the throttle's counters start from zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield settings.MEDIA_ROOT
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDF renders of the view; a render gives a small fake PDF made of the document's HTML (so a
    test sees what was rendered without a second of WeasyPrint)."""
    calls = []

    def fake(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 fake " + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n" + html.encode()

    monkeypatch.setattr("pacte.contracts.views.documents.html_to_pdf", fake)
    return calls


def _url(contract) -> str:
    return reverse("contracts:pdf", args=[contract.pk])


def _get(client, url: str, **kwargs):
    return get_whole(client, url, **kwargs)


def _stored(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*.pdf"))


def test_a_signed_convention_is_rendered_once_then_served_from_storage(client, world, media):
    """With WeasyPrint for real: the second request reads the stored file."""
    first = _get(client, _url(world.signed))
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    body = first.body
    assert body.startswith(b"%PDF")
    assert 'filename="convention-departement-85-2024-2027.pdf"' in first["Content-Disposition"]
    [path] = _stored(media)
    assert path.read_bytes() == body
    assert path.relative_to(media).parts[:3] == ("pdf", "conventions", str(world.signed.pk))
    assert path.name.startswith("2024-01-15-")
    second = _get(client, _url(world.signed))
    assert second.status_code == 200
    assert second.body == body
    assert second["ETag"] == first["ETag"]


def test_the_stored_pdf_carries_etag_and_last_modified_and_answers_304(client, world, renders):
    response = _get(client, _url(world.signed))
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"2024-01-15-') and modified.endswith("GMT")
    assert "public" in response["Cache-Control"]
    again = _get(client, _url(world.signed), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = _get(client, _url(world.signed), headers={"if-modified-since": modified})
    assert since.status_code == 304
    stale = _get(client, _url(world.signed), headers={"if-none-match": '"autre-version"'})
    assert stale.status_code == 200
    assert len(renders) == 1


def test_every_visitor_gets_the_same_stored_file(client, world, renders):
    """The signed version is public: its party, a council of another département and an anonymous visitor
    all get the file rendered once."""
    bodies = set()
    for user in (world.local_b, world.local_c, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = _get(client, _url(world.signed))
        assert response.status_code == 200
        bodies.add(response.body)
    assert len(bodies) == 1
    assert len(renders) == 1


def test_a_draft_is_rendered_for_its_parties_only_and_never_stored(client, world, media, renders):
    client.force_login(world.local_a)  # a party of the Loire-Atlantique draft
    for _ in range(2):
        response = _get(client, _url(world.draft))
        assert response.status_code == 200
        assert "projet" in response["Content-Disposition"]
        assert "private" in response["Cache-Control"]
        assert "ETag" not in response
    assert len(renders) == 2
    assert _stored(media) == []
    client.force_login(world.local_c)  # the same role, another département
    assert _get(client, _url(world.draft)).status_code == 404
    client.logout()
    response = _get(client, _url(world.draft))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert len(renders) == 2
    assert _stored(media) == []


def test_a_version_replaced_by_an_amendment_is_rendered_again_and_the_old_file_removed(
    client, world, media, renders
):
    _get(client, _url(world.signed))
    [before] = _stored(media)
    amendment = services.create_amendment(world.signed, None, reason="Ajustement des montants")
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
    response = _get(client, _url(world.signed))
    assert "remplacée par un avenant" in response.body.decode()
    assert len(renders) == 2
    [after] = [path for path in _stored(media) if path.parent == before.parent]
    assert after != before and not before.exists()


def test_a_ceiling_corrected_after_the_signature_is_rendered_again(client, world, renders):
    contract = build_contract(DepartementFactory(code="72", name="Sarthe"), ceiling="1000000")
    _get(client, _url(contract))
    _get(client, _url(contract))
    assert len(renders) == 1
    notify_ceiling(contract, "777000", years=[2025])
    body = _get(client, _url(contract)).body.decode()
    assert "777\u202f000" in body
    assert len(renders) == 2


def test_anonymous_renders_are_throttled_with_a_french_429(client, world, settings, renders):
    settings.PACTE_PDF_RENDERS_PER_ADDRESS = 1
    other = build_contract(DepartementFactory(code="72", name="Sarthe"))
    assert _get(client, _url(world.signed)).status_code == 200
    refused = _get(client, _url(other))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    text = refused.content.decode()
    assert "Trop de documents PDF" in text and "Réessayez dans" in text
    assert len(renders) == 1
    # Serving a stored file is not rendering: still allowed.
    assert _get(client, _url(world.signed)).status_code == 200
    # Another address has its own count; a signed-in user is not throttled.
    assert _get(client, _url(other), REMOTE_ADDR="192.0.2.7").status_code == 200
    third = build_contract(DepartementFactory(code="53", name="Mayenne"))
    client.force_login(world.local_c)
    assert _get(client, _url(third)).status_code == 200
    assert len(renders) == 3


def test_all_anonymous_visitors_together_are_throttled(client, world, settings, renders):
    settings.PACTE_PDF_RENDERS_ANONYMOUS = 1
    other = build_contract(DepartementFactory(code="72", name="Sarthe"))
    assert _get(client, _url(world.signed), REMOTE_ADDR="192.0.2.1").status_code == 200
    assert _get(client, _url(other), REMOTE_ADDR="192.0.2.2").status_code == 429


def test_a_full_disk_still_gives_the_document(client, world, media, renders, monkeypatch):
    def full(name, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pacte.core.pdf_cache.store", full)
    response = _get(client, _url(world.signed))
    assert response.status_code == 200
    assert response.body.startswith(b"%PDF")
    assert _stored(media) == []
