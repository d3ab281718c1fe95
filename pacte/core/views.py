from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    return render(request, "core/500.html", status=500)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)
