"""HTML to PDF with WeasyPrint, without ever reaching the network.

`html_to_pdf()` renders a page of the platform (a contract's convention, a territorial diagnostic) to PDF bytes.
The URL fetcher serves the platform's own static files (print stylesheets) and refuses every other address;
fonts are the system's. A render costs about a second of CPU: the public PDFs (a signed convention, the public
territorial diagnostic) are rendered once per version and stored, and rendering for anonymous visitors is
throttled (`pacte.core.pdf_cache`).
"""

import mimetypes
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Base address of the documents: relative links resolve under it and only its static files are served.
BASE_URL = "http://pacte.localhost/"


class StaticFilesOnly(URLFetcher):
    """Serves the static files of the platform (collected or found in the apps); refuses any other URL."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        static_base = urljoin(BASE_URL, settings.STATIC_URL)
        if url.startswith(static_base):
            path = _static_path(url[len(static_base) :].split("?")[0])
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise ValueError(
            f"Ressource refusée (seuls les fichiers statiques de la plateforme sont servis) : {url}"
        )


def _static_path(name: str) -> Path | None:
    if not name or ".." in Path(name).parts:
        return None
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a remote storage: fall back on the apps' files
        pass
    found = finders.find(name)
    return Path(found) if found else None


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
