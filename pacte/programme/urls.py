from django.urls import path

from pacte.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.index, name="index"),
    path("axes/<int:number>/", views.axis_detail, name="axis"),
    path("mesures/<slug:code>/", views.measure_detail, name="measure"),
    path("cibles/", views.target_list, name="targets"),
    path("calendrier/", views.calendar, name="calendar"),
]
