from pacte.contracts.views import consolidation, contracts, documents, execution, pacts

app_name = "contracts"
urlpatterns = (
    consolidation.urlpatterns
    + documents.urlpatterns
    + contracts.urlpatterns
    + pacts.urlpatterns
    + execution.urlpatterns
)
