"""Admin of the appels à projets: a support and audit tool, read-only.

Calls, candidatures, evaluations, grants, payments and reports change on the appels à projets pages,
through the services where the rules are checked (deadline, conflict of interest, budget, payments);
the admin shows every row with its audit history (django-simple-history) and never reverts it. Only the
declared historical figures, which no workflow produces, are edited here.
"""

from django.contrib import admin

from pacte.core.admin import ReadOnlyAdmin
from pacte.grants.models import (
    Application,
    CallForProjects,
    DeclaredFigure,
    GrantAgreement,
    GrantReport,
    Payment,
    Review,
)


@admin.register(CallForProjects)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "region", "status", "deadline", "is_demo")
    list_filter = ("status", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("reference", "title")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organisation", "status", "submitted_at", "decided_at")
    list_filter = ("status", ("call", admin.RelatedOnlyFieldListFilter))
    search_fields = ("project_title", "organisation__name", "siret")
    list_select_related = ("call", "organisation")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("application__call", "reviewer")


@admin.register(GrantAgreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("number", "act", "application", "signed_on", "start_date", "end_date", "is_demo")
    list_filter = ("act",)
    search_fields = ("number", "former_number", "application__organisation__name")
    list_select_related = ("application__call",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "year", "paid_on", "amount")
    list_select_related = ("agreement",)


@admin.register(GrantReport)
class GrantReportAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "year", "status", "submitted_at", "reviewed_at")
    list_filter = ("status",)
    list_select_related = ("agreement",)


@admin.register(DeclaredFigure)
class DeclaredFigureAdmin(admin.ModelAdmin):
    list_display = ("label", "region", "period_start", "period_end", "amount", "project_count", "source_file")
