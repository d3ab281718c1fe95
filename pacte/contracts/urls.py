from pacte.contracts.views import consolidation, contracts, documents, execution

app_name = "contracts"
urlpatterns = consolidation.urlpatterns + documents.urlpatterns + contracts.urlpatterns + execution.urlpatterns
