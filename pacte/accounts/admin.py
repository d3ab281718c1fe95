from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models

from pacte.accounts import services
from pacte.accounts.models import ApiToken, Notification, Organisation, User
from pacte.core.admin import LockedAdminForm, LockedAdminMixin


@admin.register(Organisation)
class OrganisationAdmin(LockedAdminMixin, admin.ModelAdmin):
    """A change goes through `services.update_organisation`, with the version read with the page."""

    form = LockedAdminForm
    list_display = ["name", "kind", "territory", "siren", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "siren", "rna"]
    raw_id_fields = ["territory"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        services.update_organisation(
            obj,
            expected_version=form.cleaned_data["expected_version"],
            **{
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.ORGANISATION_FIELDS
            },
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "territory", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "is_demo"]
    raw_id_fields = ["organisation", "territory"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Rôle sur la plateforme", {"fields": ["role", "organisation", "territory"]}),
        ("Notifications", {"fields": ["notification_frequency"]}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["key_hint", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        return False  # tokens are issued on the "Mon compte" page, where their value is shown once


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The events kept for the daily digests, read-only: `pacte notifications resume` sends and deletes them."""

    list_display = ["subject", "user", "event", "created_at", "sent_at"]
    list_filter = ["event", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "user__username"]
    readonly_fields = ["user", "event", "subject", "url", "created_at", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
