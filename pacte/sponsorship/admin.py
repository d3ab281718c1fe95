"""Admin of the mécénat de proximité: a support and audit tool, read-only (every change goes through the pages
and their services, where the SIRET, the consents and the steps of a pledge are checked)."""

from django.contrib import admin

from pacte.core.admin import ReadOnlyAdmin
from pacte.sponsorship.models import Company, Pledge, PublishedProject


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ("name", "siret", "commune", "status", "publish_name", "is_demo")
    list_filter = ("status", "publish_name")
    search_fields = ("name", "siret")


@admin.register(PublishedProject)
class PublishedProjectAdmin(ReadOnlyAdmin):
    list_display = ("application", "status", "association_consent", "deadline", "is_demo")
    list_filter = ("status",)


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ("company", "project", "kind", "amount", "status", "proposed_at")
    list_filter = ("status", "kind")
