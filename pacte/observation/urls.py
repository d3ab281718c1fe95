from pacte.observation.views import barometer, diagnostics, imports, indicators, opendata

app_name = "observation"
urlpatterns = (
    indicators.urlpatterns
    + diagnostics.urlpatterns
    + barometer.urlpatterns
    + imports.urlpatterns
    + opendata.urlpatterns
)
