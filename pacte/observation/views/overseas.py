"""The overseas page of the Pacte (`/observation/outre-mer/`): the measures tagged « Outre-mer », the contracts and
local pacts of the overseas territories, the indicators of the five DROM with their statistical scope, the
contributions of the overseas contracts to the barometer and the overseas specifics of access to rights.

Public: an anonymous visitor sees what the public pages show (signed contracts, public indicators); a signed-in user
also sees what the rules of pacte.contracts and pacte.observation let them see (the drafts they follow, the
indicators not yet public for the Pacte's steering, the State's part of the pacts they follow). Everything is read
by `pacte.observation.overseas.build_overseas`."""

from django.shortcuts import render
from django.urls import path

from pacte.observation import overseas, perms
from pacte.observation.views.common import INDEX

TITLE = "Le Pacte des solidarités outre-mer"


def index(request):
    data = overseas.build_overseas(request.user)
    context = {
        "title": TITLE,
        "data": data,
        "include_restricted": perms.can_view_restricted_indicators(request.user),
        "ciom": overseas.CIOM,
        "ciom_envelope": overseas.CIOM_ENVELOPE_EUR,
        "sources": {
            "filosofi": overseas.FILOSOFI,
            "bdf_method": overseas.BDF_METHOD,
            "local_thresholds": overseas.LOCAL_THRESHOLDS,
            "com": overseas.COM_SCOPE,
        },
        "rights_facts": overseas.RIGHTS_FACTS,
        "published_signatures": overseas.PUBLISHED_SIGNATURES,
        "out_of_scope": overseas.OUT_OF_INSEE_SCOPE,
        "breadcrumb_data": {"links": [INDEX], "current": "Outre-mer"},
    }
    return render(request, "observation/overseas.html", context)


urlpatterns = [path("outre-mer/", index, name="overseas")]
