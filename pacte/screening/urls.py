from django.urls import path

from pacte.screening.views import batches, tools, tznr

app_name = "screening"
urlpatterns = [
    path("", tools.index, name="index"),
    path("simulateur/", tools.simulate, name="simulator"),
    path("traitements/nouveau/", batches.upload, name="upload"),
    path("traitements/<int:pk>/", batches.job_detail, name="job"),
    path("traitements/<int:pk>/etat.json", batches.job_status, name="job_status"),
    path("traitements/<int:pk>/resultats.csv", batches.job_results, name="job_results"),
    path("traitements/<int:pk>/rejets.csv", batches.job_rejects, name="job_rejects"),
    path("traitements/<int:pk>/synthese.csv", batches.job_summary, name="job_summary"),
    path("zero-non-recours/<int:pk>/rattacher/", tznr.attach, name="tznr_attach"),
    path("zero-non-recours/<int:pk>/detacher/<int:link>/", tznr.detach, name="tznr_detach"),
]
