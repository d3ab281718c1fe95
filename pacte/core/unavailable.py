"""The page of a database that does not answer (issue 15, « Pannes » in docs/deploiement.md).

When PostgreSQL stops (or the connection drops, or a lock wait times out), a view raises OperationalError or
InterfaceError. Django's 500 handler then renders `core/error.html`, whose header and site settings read the
database again: the handler fails in turn and the visitor gets the WSGI server's bare English « Internal Server
Error ». `DatabaseUnavailableMiddleware`, first in MIDDLEWARE, answers instead a French 503 with Retry-After,
rendered without the database (a standalone template, no context processor), and a JSON body under /api/. The
transaction of the view was rolled back by `atomic`: nothing is half-written, and the next request opens a new
connection (Django closes an unusable one at the start of each request).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds
TITLE = "Service momentanément indisponible"
MESSAGE = (
    "La base de données ne répond pas : votre dernière action n’a pas été enregistrée (rien n’a été enregistré "
    "à moitié). Réessayez dans quelques instants ; si cela dure, prévenez l’équipe technique."
)
ERRORS = (OperationalError, InterfaceError)


def unavailable(request, error: BaseException) -> HttpResponse:
    # The type only: a driver's message may quote a value of the request.
    logger.error("database unavailable: %s on %s", type(error).__name__, request.method)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        html = loader.render_to_string("core/database_unavailable.html", {"title": TITLE, "message": MESSAGE})
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """First in MIDDLEWARE: catches a database failure raised by the view (`process_exception`) or by anything
    after it, the 500 handler included (`__call__`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except ERRORS as error:
            return unavailable(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, ERRORS):
            return unavailable(request, exception)
        return None
