from pacte.contracts.views import consolidation, contracts, credits, documents, evaluation, pacts, reports

app_name = "contracts"
urlpatterns = (
    consolidation.urlpatterns
    + documents.urlpatterns
    + contracts.urlpatterns
    + pacts.urlpatterns
    + reports.urlpatterns
    + credits.urlpatterns
    + evaluation.urlpatterns
)
