from django.urls import path

from pacte.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:level>/<str:code>/", views.detail, name="detail"),
]
