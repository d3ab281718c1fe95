"""Public pages kept per data version and shared by the server processes (issue 15: 200 requests/s on 2 cores).

Most requests come from anonymous visitors and read published data only: the home page, the référentiel, the
territories, the signed contracts and their fiches-actions, the observation pages (indicator maps, barometer,
diagnostics) and the API. Rendering one takes from 5 to 80 ms of CPU; serving it again takes well under 1 ms.
`PublicPageCacheMiddleware` keeps the answer of such a page and serves it again while nothing it may depend on
has changed. The key of a page is made of:

- the **data version** (`pacte.core.data_version`): a new one after any write to the database;
- the **release**: a digest of the code, templates and static files (`release()`), so a deployment never serves
  a page of the previous version;
- the **day** in Paris: pages compare dates with today (deadlines, meetings to come, « en retard »);
- the address (scheme, host, path and query string) and the htmx headers (a fragment is not the page).

An entry lives at most `PACTE_PAGE_CACHE_SECONDS` seconds (300 by default; 0 turns the cache off), which also
bounds what a write made outside Django could leave behind. The entries go to the `pages` cache
(`PACTE_PAGE_CACHE_DIR`, a folder shared by the server processes, docs/deploiement.md).

A page is served from the cache, or stored, only for an anonymous visitor who sends neither a session cookie
nor a flash message cookie nor an Authorization header, on GET (and HEAD), for the views of `CACHED_VIEWS` and
the API. An answer is stored only when it is a 200, not streamed, sets no cookie, did not put a CSRF token in
the page, left the session and the flash messages alone, and does not say `private`, `no-cache` or `no-store`.
What a signed-in user sees is never stored here (`cached_per_version` keeps a computation for them instead: the
national consolidation).
"""

import hashlib
import logging
import pickle
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone

from pacte.core import data_version

ALIAS = "pages"
logger = logging.getLogger(__name__)
HEADER = "X-Pacte-Cache"

CACHED_VIEWS = frozenset(
    {
        "home",
        "programme:index",
        "programme:axis",
        "programme:measure",
        "programme:targets",
        "programme:calendar",
        "territories:index",
        "territories:detail",
        "contracts:list",
        "contracts:detail",
        "contracts:action",
        "contracts:pact_list",
        "contracts:pact",
        "contracts:pact_action",
        "observation:index",
        "observation:indicator",
        "observation:diagnostic_choice",
        "observation:diagnostic",
        "observation:barometer",
        "observation:barometer_target",
        "observation:opendata",
        "observation:overseas",
        "governance:roadmaps",
        "governance:roadmap_public",
        "sponsorship:index",
        "tznr:register",
        "tznr:experiment",
        "sponsorship:project",
    }
)
API_NAMESPACE = "api"

_SOURCES = ("*.py", "*.html", "*.txt", "*.css", "*.js", "*.json", "*.yaml", "*.csv")
_release: str | None = None


def release() -> str:
    """A digest of the platform's files (name, size, modification time) and of the last collectstatic: it
    changes with every deployment. Computed once per process (about a thousand `stat` calls)."""
    global _release
    if _release is None:
        digest = hashlib.sha256()
        root = Path(__file__).resolve().parent.parent
        for pattern in _SOURCES:
            for path in sorted(root.rglob(pattern)):
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        manifest = (
            Path(settings.STATIC_ROOT) / "staticfiles.json"
        )  # collectstatic: the dependencies' files too
        if manifest.exists():
            digest.update(f"manifest:{manifest.stat().st_mtime_ns}".encode())
        _release = digest.hexdigest()[:16]
    return _release


def seconds() -> int:
    return getattr(settings, "PACTE_PAGE_CACHE_SECONDS", 300)


def version_key(*parts: object) -> str:
    """A key of the pages cache for `parts` in the current data version, release and day."""
    text = "|".join(
        str(part) for part in (release(), data_version.current(), timezone.localdate().isoformat(), *parts)
    )
    return "v:" + hashlib.sha256(text.encode()).hexdigest()


def cached_per_version(name: str, compute: Callable, *parts: object):
    """`compute()`, or its result kept for the same `name`, `parts`, data version, release and day.

    For a computation whose result depends on the data and on `parts` alone (not on who asks: the caller checks
    the permissions first), such as the consolidation of a scope."""
    if seconds() <= 0:
        return compute()
    store = caches[ALIAS]
    key = version_key("calcul", name, *parts)
    try:
        kept = store.get(key)
    except OSError as error:
        logger.error("kept computation not read: %s", error)
        kept = None
    if kept is not None:
        return pickle.loads(kept)
    result = compute()
    try:
        store.set(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), seconds())
    except OSError as error:
        logger.error("computation not kept: %s", error)
    return result


def _cacheable_view(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    if match.view_name in CACHED_VIEWS:
        return True
    return API_NAMESPACE in match.namespaces and "HTTP_AUTHORIZATION" not in request.META


def page_key(request) -> str | None:
    """The key of the page asked for, or None when this request must not be served from the cache."""
    if seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if not _cacheable_view(request):
        return None
    return version_key(
        "page",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    )


def _storable(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if any(word in response.get("Cache-Control", "") for word in ("private", "no-cache", "no-store")):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    return not getattr(request.user, "is_authenticated", False)


class PublicPageCacheMiddleware:
    """Serve a public page kept for the current data version, or keep the page just rendered (module docstring).

    Last in MIDDLEWARE: the middlewares before it (security headers, sessions, CSRF…) treat a page served from
    the cache as any other answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        key = page_key(request)
        if key is None:
            return None
        try:
            kept = caches[ALIAS].get(key)
        except OSError as error:  # the page is rendered as if nothing were kept
            logger.error("kept page not read: %s", error)
            return None
        if kept is None:
            request._pacte_page_key = key
            return None
        status, headers, content = kept
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_pacte_page_key", None)
        if key is not None and _storable(request, response):
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            try:
                caches[ALIAS].set(key, (response.status_code, headers, response.content), seconds())
            except OSError as error:  # a full disk: the page is served, not kept
                logger.error("page not kept: %s", error)
            else:
                response[HEADER] = "miss"
        return response
