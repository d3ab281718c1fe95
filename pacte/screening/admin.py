"""Admin of the batch screening jobs: their state and counts, read only. The files (personal data) are not
reachable from here; a job is deleted with its files by the purge, not by hand. The links of jobs to territoires
zéro non-recours are listed too: read only, and a wrong link may be removed (the job stays)."""

from django.contrib import admin

from pacte.screening.models import ExperimentScreening, ScreeningAggregate, ScreeningJob


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


@admin.register(ExperimentScreening)
class ExperimentScreeningAdmin(admin.ModelAdmin):
    """Which job measures which experiment, « avant » or « après ». Made on the experiment's page, where the
    rights and the territory are checked (`tznr_link.attach_job`); here it can only be read or removed."""

    list_display = ("experiment", "job", "moment", "attached_by", "attached_at")
    list_filter = ("moment",)
    list_select_related = ("experiment", "job__territory", "attached_by")
    search_fields = ("experiment__name", "job__territory__name", "job__territory__code")
    readonly_fields = ("experiment", "job", "moment", "attached_by", "attached_at")
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
