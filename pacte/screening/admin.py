"""Admin of the batch screening jobs: their state and counts, read only. The files (personal data) are not
reachable from here; a job is deleted with its files by the purge, not by hand."""

from django.contrib import admin

from pacte.screening.models import ScreeningAggregate, ScreeningJob


class AggregateInline(admin.TabularInline):
    """The lines of a job's summary, counts of households screened only: the figures under statistical secrecy are
    read on the job page (queries.job_summary), never here, where staff would see one household's amounts."""

    model = ScreeningAggregate
    fields = ("level", "code", "territory", "benefit", "households")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScreeningJob)
class ScreeningJobAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "territory",
        "month",
        "status",
        "households",
        "rejected",
        "created_at",
        "finished_at",
    )
    list_filter = ("status",)
    search_fields = ("territory__name", "territory__code")
    readonly_fields = (
        "uploader",
        "territory",
        "month",
        "file_name",
        "file_size",
        "status",
        "error",
        "total_rows",
        "rows",
        "households",
        "rejected",
        "result_rows",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "results_expire_at",
        "results_purged_at",
    )
    fields = readonly_fields
    inlines = [AggregateInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
