"""Admin of the observation: indicator definitions are edited here (or in data/indicateurs.yaml, which
wins on the next `pacte load_observation` for the fields it sets); values come from imports and are only
corrected here; imports are read-only records."""

from django.contrib import admin

from pacte.observation.models import ImportBatch, Indicator, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "kind", "unit", "source", "vintage", "is_public", "national_target"]
    list_filter = ["kind", "is_public"]
    search_fields = ["code", "label", "source"]
    autocomplete_fields = ["national_target"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "territory", "period", "value", "status", "is_demo", "updated_at"]
    list_filter = ["indicator", "period", "status", "is_demo", "territory__level"]
    list_select_related = ["indicator", "territory"]
    search_fields = ["territory__code", "territory__name", "indicator__code"]
    raw_id_fields = ["territory", "batch"]
    readonly_fields = ["batch", "updated_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "file_format",
        "status",
        "started_at",
        "user",
        "created",
        "updated",
        "rejected",
    ]
    list_filter = ["status", "file_format"]
    search_fields = ["file_name", "file_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
