from pacte.contracts.views import (
    allocations,
    compliance,
    consolidation,
    contracts,
    credits,
    documents,
    evaluation,
    pacts,
    reports,
)

app_name = "contracts"
urlpatterns = (
    consolidation.urlpatterns
    + documents.urlpatterns
    + contracts.urlpatterns
    + pacts.urlpatterns
    + reports.urlpatterns
    + credits.urlpatterns
    + evaluation.urlpatterns
    + allocations.urlpatterns
    + compliance.urlpatterns
)
