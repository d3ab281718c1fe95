"""Stored PDFs and the throttle on rendering them for anonymous visitors.

Rendering a PDF with WeasyPrint takes about a second of CPU (1.36 s for a convention, 0.77 s for a territorial
diagnostic, issue 15): a handful of anonymous visitors asking for PDFs would slow every page of the site. So a
public PDF is rendered once per *version* of its content and stored; later requests are served from the file.

- `stored(name)` / `store(name, data)`: the file `name` under the default storage (MEDIA_ROOT, which the web
  server never serves: docs/deploiement.md). The caller derives `name` from what the document shows (see
  `version_digest`), so a new version gets a new name and is rendered on its first request; `store` writes
  atomically (a temporary file renamed: a reader never sees half a PDF) and removes the older versions kept
  in the same folder.
- `serve(request, stored, filename)`: the stored file with a strong ETag (the version digest) and
  Last-Modified (when it was stored); a conditional request that matches gets 304 without reading the file.
- `serve_or_render(...)`: the above for a view, rendering and storing on the first request.
- `render_refused(request, client_address)`: None when an anonymous visitor may have one more PDF rendered
  now, else the French 429 page with Retry-After. Counted per client address and for all anonymous visitors
  together over a fixed window (settings below), in Django's default cache: with several server processes,
  the cache must be shared by them (docs/deploiement.md) for the limits to be the site's.

Settings (read with their defaults, so none is required):
`PACTE_PDF_RENDERS_PER_ADDRESS` (6) and `PACTE_PDF_RENDERS_ANONYMOUS` (30) renders per
`PACTE_PDF_RENDER_WINDOW` seconds (60).
"""

import hashlib
import logging
import math
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from pacte.core import throttle
from pacte.formatting import plural

logger = logging.getLogger(__name__)

ROOT = "pdf"  # the folder of the stored PDFs under the default storage
RENDERS_PER_ADDRESS = 6
RENDERS_ANONYMOUS = 30
RENDER_WINDOW = 60  # seconds


# --- Versions -----------------------------------------------------------------------------------------------


def version_digest(*parts: object) -> str:
    """A short digest of what a document shows: any change of `parts` gives another digest (and file name)."""
    text = "\x1f".join(repr(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


_layouts: dict[tuple, str] = {}


def layout_digest(templates: tuple[str, ...], static: tuple[str, ...] = ()) -> str:
    """A digest of the templates' sources and of the static files they use (print stylesheets): a new layout
    deployed gives new names, so the stored PDFs are rendered again with it. Computed once per process."""
    key = (templates, static)
    if key not in _layouts:
        sources = [engines["django"].get_template(name).template.source.encode() for name in templates]
        for name in static:
            found = finders.find(name)
            sources.append(Path(found).read_bytes() if found else name.encode())
        _layouts[key] = hashlib.sha256(b"\x1f".join(sources)).hexdigest()[:16]
    return _layouts[key]


# --- Storage ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredPdf:
    name: str  # under the default storage
    etag: str  # quoted, as sent in the header
    modified: datetime


def _etag(name: str) -> str:
    return f'"{PurePosixPath(name).stem}"'


def stored(name: str) -> StoredPdf | None:
    """The stored file `name`, or None when it was not rendered yet."""
    try:
        if not default_storage.exists(name):
            return None
        return StoredPdf(name, _etag(name), default_storage.get_modified_time(name))
    except FileNotFoundError:  # removed between the two calls (a newer version stored meanwhile)
        return None


def _local_path(name: str) -> Path | None:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:  # a remote storage
        return None


def store(name: str, data: bytes) -> StoredPdf:
    """Writes `data` as `name` (replacing a file of that name) and removes the other files of its folder: the
    older versions of the same document."""
    path = _local_path(name)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rendu-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    else:
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
    folder = str(PurePosixPath(name).parent)
    _directories, files = default_storage.listdir(folder)
    for file_name in files:
        if file_name == PurePosixPath(name).name:
            continue
        other = f"{folder}/{file_name}"
        try:
            # A temporary file is another render under way, unless a crash left it there (an hour old).
            if file_name.startswith(".rendu-") and (
                time.time() - default_storage.get_modified_time(other).timestamp() < 3600
            ):
                continue
            default_storage.delete(other)
        except FileNotFoundError:  # removed meanwhile by another process
            pass
    return StoredPdf(name, _etag(name), default_storage.get_modified_time(name))


# --- Responses ----------------------------------------------------------------------------------------------


def _disposition(response: HttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'inline; filename="{filename}"'


def serve(request, pdf: StoredPdf, filename: str) -> HttpResponse | None:
    """The stored PDF, or 304 when the request's If-None-Match / If-Modified-Since still match it; None when
    the file went away since `stored()` (a newer version replaced it): the caller renders the document."""
    last_modified = math.floor(pdf.modified.timestamp())
    not_modified = get_conditional_response(request, etag=pdf.etag, last_modified=last_modified)
    if not_modified is None:
        try:
            with default_storage.open(pdf.name, "rb") as file:
                data = file.read()  # a few hundred KB: read whole, so that the response has a length
        except FileNotFoundError:  # replaced by a newer version since `stored()`: render again
            return None
        response = HttpResponse(data, content_type="application/pdf")
    else:
        response = not_modified
    response["ETag"] = pdf.etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, no-cache"  # reuse it, after asking whether it changed
    _disposition(response, filename)
    return response


def serve_or_render(
    request, name: str, filename: Callable[[datetime], str], make: Callable[[], bytes], client_address
) -> HttpResponse:
    """The stored PDF `name`; when it is not stored yet, `make()` it (an anonymous visitor's render is
    counted by the throttle: 429 beyond), store it and serve it. `filename(stored_at)` names the download."""
    pdf = stored(name)
    if pdf is not None and (response := serve(request, pdf, filename(pdf.modified))) is not None:
        return response
    if not request.user.is_authenticated:
        refused = render_refused(request, client_address)
        if refused is not None:
            return refused
    data = make()
    try:
        pdf = store(name, data)
    except OSError:  # a full or read-only disk: the visitor still gets the document
        logger.exception("PDF non conservé : %s", name)
        return fresh(data, filename(timezone.now()))
    return serve(request, pdf, filename(pdf.modified)) or fresh(data, filename(pdf.modified))


def fresh(data: bytes, filename: str) -> HttpResponse:
    """A PDF rendered for this request only (a draft, or what a signed-in user sees): never stored."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Cache-Control"] = "private, no-cache"
    _disposition(response, filename)
    return response


# --- Throttle -----------------------------------------------------------------------------------------------


def render_refused(request, client_address: str | None) -> HttpResponse | None:
    """None when this anonymous visitor may have one more PDF rendered now; else the French 429 page."""
    window = int(getattr(settings, "PACTE_PDF_RENDER_WINDOW", RENDER_WINDOW))
    per_address = int(getattr(settings, "PACTE_PDF_RENDERS_PER_ADDRESS", RENDERS_PER_ADDRESS))
    anonymous = int(getattr(settings, "PACTE_PDF_RENDERS_ANONYMOUS", RENDERS_ANONYMOUS))
    now = time.time()
    count, retry_after = throttle.count("rendus-pdf", f"adresse:{client_address or 'inconnue'}", window, now)
    if count <= per_address:
        count, retry_after = throttle.count("rendus-pdf", "anonymes", window, now)
        if count <= anonymous:
            return None
    return too_many_renders(request, retry_after)


def too_many_renders(request, retry_after: int) -> HttpResponse:
    message = (
        "Trop de documents PDF ont été demandés en peu de temps : chaque document est fabriqué à la demande "
        "et la plateforme en limite le nombre pour les visiteurs non connectés. "
        f"Réessayez dans {plural(retry_after, 'seconde')}, ou connectez-vous."
    )
    context = {"title": "Trop de demandes de documents", "message": message, "status": 429}
    response = render(request, "core/error.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
