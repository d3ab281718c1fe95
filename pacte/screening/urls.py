from django.urls import path

from pacte.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.index, name="index"),
    path("simulateur/", views.simulate, name="simulator"),
    path("traitements/nouveau/", views.upload, name="upload"),
    path("traitements/<int:pk>/", views.job_detail, name="job"),
    path("traitements/<int:pk>/etat.json", views.job_status, name="job_status"),
    path("traitements/<int:pk>/resultats.csv", views.job_results, name="job_results"),
    path("traitements/<int:pk>/rejets.csv", views.job_rejects, name="job_rejects"),
    path("traitements/<int:pk>/synthese.csv", views.job_summary, name="job_summary"),
]
