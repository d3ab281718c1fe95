from django.contrib import admin

from pacte.territories.models import Collectivite, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "epci_type", "population", "is_active"]
    list_filter = ["level", "epci_type", "zone", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "region", "departement", "epci"]
    list_select_related = True
    show_full_result_count = False


@admin.register(Collectivite)
class CollectiviteAdmin(admin.ModelAdmin):
    """Read-only: the collectivités come from data/collectivites.yaml and the COG (territories.collectivites)."""

    list_display = ["name", "kind", "main_territory", "code"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["main_territory"]
    readonly_fields = ["code", "name", "kind", "main_territory", "territories", "legal_basis", "source_url"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
