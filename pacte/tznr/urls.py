from django.urls import path

from pacte.tznr import views

app_name = "tznr"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.<str:fmt>", views.register_export, name="register_export"),
    path("nouveau/", views.experiment_create, name="experiment_create"),
    path("couts/", views.costs, name="costs"),
    path("couts/export.<str:fmt>", views.costs_export, name="costs_export"),
    path("<int:pk>/", views.experiment, name="experiment"),
    path("<int:pk>/modifier/", views.experiment_edit, name="experiment_edit"),
    path("<int:pk>/historique/", views.experiment_history, name="experiment_history"),
    path("<int:pk>/<str:kind>/ajouter/", views.line_add, name="line_add"),
    path("<int:pk>/<str:kind>/<int:line>/supprimer/", views.line_remove, name="line_remove"),
    path("<int:pk>/periodes/nouvelle/", views.period_create, name="period_create"),
    path("<int:pk>/periodes/<int:period>/", views.period, name="period"),
    path("<int:pk>/periodes/<int:period>/modifier/", views.period_edit, name="period_edit"),
    path("<int:pk>/periodes/<int:period>/droits/", views.period_rights, name="period_rights"),
    path("<int:pk>/periodes/<int:period>/import/", views.period_import, name="period_import"),
    path("<int:pk>/periodes/<int:period>/transmettre/", views.period_submit, name="period_submit"),
    path("<int:pk>/periodes/<int:period>/examen/", views.period_review, name="period_review"),
]
