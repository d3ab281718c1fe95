from django.conf import settings
from django.shortcuts import render

from pacte.core import logs

REPORTED = "Le service a rencontré un problème. L’équipe technique en est informée ; réessayez dans quelques instants."
LOGGED = (
    "Le service a rencontré un problème, enregistré dans le journal du serveur. Réessayez dans quelques instants ; "
    "si cela dure, signalez-le à l’équipe technique en citant la référence ci-dessous."
)


ERRORS = {
    403: (
        "Accès refusé",
        "Vous n’avez pas accès à cette page avec votre compte. Si vous pensez que c’est une erreur, contactez le "
        "pilotage de votre territoire.",
    ),
    404: (
        "Page introuvable",
        "La page que vous cherchez n’existe pas ou a été déplacée. Vérifiez l’adresse ou revenez à l’accueil.",
    ),
    500: ("Erreur inattendue", REPORTED),
}


def _error(request, status: int):
    title, message = ERRORS[status]
    return render(
        request, "core/error.html", {"title": title, "message": message, "status": status}, status=status
    )


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    """The 500 page says the team knows only when the error is reported to it (ADMINS or Sentry, see
    pacte/core/logs.py); it always gives the request's id, the reference of its lines in the server's log."""
    reported = bool(settings.ADMINS) or logs.sentry_enabled()
    context = {
        "title": ERRORS[500][0],
        "message": REPORTED if reported else LOGGED,
        "status": 500,
        "reference": getattr(request, "request_id", None) or logs.request_id(),
    }
    return render(request, "core/error.html", context, status=500)


def permission_denied(request, exception=None):
    return _error(request, 403)
