from django.contrib import admin
from django.urls import include, path

from pacte.api.urls import api
from pacte.programme.views import home

admin.site.site_header = "Pacte des solidarités — administration"
admin.site.site_title = "Pacte — administration"
admin.site.index_title = "Référentiel, territoires, comptes et contrats"

urlpatterns = [
    path("", home, name="home"),
    path("referentiel/", include("pacte.programme.urls")),
    path("territoires/", include("pacte.territories.urls")),
    path("comptes/", include("pacte.accounts.urls")),
    path("contrats/", include("pacte.contracts.urls")),
    path("observation/", include("pacte.observation.urls")),
    path("droits/", include("pacte.screening.urls")),
    path("gouvernance/", include("pacte.governance.urls")),
    path("appels-a-projets/", include("pacte.grants.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "pacte.core.views.page_not_found"
handler500 = "pacte.core.views.server_error"
handler403 = "pacte.core.views.permission_denied"
