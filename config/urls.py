from django.contrib import admin
from django.urls import include, path

from pacte.api.urls import api
from pacte.core.health import health
from pacte.programme.views import home
from pacte.screening.jobs import last_worker_beat

admin.site.site_header = "Pacte des solidarités — administration"
admin.site.site_title = "Pacte — administration"
admin.site.index_title = "Référentiel, territoires, comptes et contrats"

urlpatterns = [
    path("", home, name="home"),
    # Health for monitoring (pacte/core/health.py); the worker's sign of life is the screening app's.
    path("sante/", health, {"last_beat": last_worker_beat}, name="health"),
    path("referentiel/", include("pacte.programme.urls")),
    path("territoires/", include("pacte.territories.urls")),
    path("comptes/", include("pacte.accounts.urls")),
    path("contrats/", include("pacte.contracts.urls")),
    path("observation/", include("pacte.observation.urls")),
    path("droits/", include("pacte.screening.urls")),
    path("gouvernance/", include("pacte.governance.urls")),
    path("appels-a-projets/", include("pacte.grants.urls")),
    path("mecenat/", include("pacte.sponsorship.urls")),
    path("zero-non-recours/", include("pacte.tznr.urls")),
    path("mon-espace/", include("pacte.workspace.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "pacte.core.views.page_not_found"
handler500 = "pacte.core.views.server_error"
handler403 = "pacte.core.views.permission_denied"
