from django.contrib import admin

from pacte.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "epci_type", "population", "is_active"]
    list_filter = ["level", "epci_type", "zone", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "region", "departement", "epci"]
    list_select_related = True
    show_full_result_count = False
