from pacte.observation.views import barometer, diagnostics, imports, indicators, opendata, overseas

app_name = "observation"
urlpatterns = (
    indicators.urlpatterns
    + diagnostics.urlpatterns
    + barometer.urlpatterns
    + imports.urlpatterns
    + opendata.urlpatterns
    + overseas.urlpatterns
)
