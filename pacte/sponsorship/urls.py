from pacte.sponsorship.views import urlpatterns  # noqa: F401

app_name = "sponsorship"
