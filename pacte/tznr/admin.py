"""Admin of the territoires zéro non-recours: a support and audit tool, read-only (every change goes through the
pages and their services, where the scope, the periods' steps and the figures are checked)."""

from django.contrib import admin

from pacte.core.admin import ReadOnlyAdmin
from pacte.tznr.models import Experiment, FollowUpPeriod


@admin.register(Experiment)
class ExperimentAdmin(ReadOnlyAdmin):
    list_display = ("name", "article", "region", "lead_name", "porteur", "status", "identified", "is_demo")
    list_filter = ("article", "status", "identified", "is_demo")
    search_fields = ("name", "lead_name")


@admin.register(FollowUpPeriod)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("experiment", "start", "end", "status", "is_demo")
    list_filter = ("status",)
