from django.shortcuts import render

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
    500: (
        "Erreur inattendue",
        "Le service a rencontré un problème. L’équipe en est informée ; réessayez dans quelques instants.",
    ),
}


def _error(request, status: int):
    title, message = ERRORS[status]
    return render(
        request, "core/error.html", {"title": title, "message": message, "status": status}, status=status
    )


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return _error(request, 500)


def permission_denied(request, exception=None):
    return _error(request, 403)
