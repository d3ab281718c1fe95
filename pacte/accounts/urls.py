from django.urls import path

from pacte.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    # ProConnect (pacte/accounts/oidc.py): the button, the redirect_uri and the post_logout_redirect_uri given to
    # the ProConnect team when the client is registered (docs/deploiement.md, « ProConnect »).
    path("proconnect/connexion/", views.ProConnectLoginView.as_view(), name="proconnect_login"),
    path("proconnect/retour/", views.ProConnectCallbackView.as_view(), name="proconnect_callback"),
    path("proconnect/fin-de-session/", views.proconnect_logout, name="proconnect_logout"),
    path("proconnect/deconnexion/", views.proconnect_logout_callback, name="proconnect_logout_callback"),
    path("profil/", views.profile, name="profile"),
    path("profil/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profil/notifications/", views.notification_settings, name="notification_settings"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reinitialiser/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("jetons/<int:pk>/revoquer/", views.revoke_token, name="revoke_token"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
]
