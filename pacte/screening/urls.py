from django.urls import path

from pacte.screening.views import batches, tools

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
]
