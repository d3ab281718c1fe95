"""Admin building blocks shared by the apps: the audit history is shown, never reverted (a revert would
bypass the rules of the services), read-only admins for what changes only through the platform's pages, and the
optimistic locking of the rows an admin page changes through a service; and core's own admin, the queue of
outgoing e-mails."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from pacte import formatting
from pacte.core import mail
from pacte.core.locking import StaleEditError
from pacte.core.models import OutgoingMail


class HistoryAdmin(SimpleHistoryAdmin):
    """Shows the audit history of a row; refuses to revert it."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnly:
    """An admin page that shows rows and never adds, changes or deletes one."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, HistoryAdmin):
    pass


class ReadOnlyInline:
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LockedAdminForm(forms.ModelForm):
    """An admin form (page or inline) carrying the `lock_version` its row was read with, as the hidden
    `expected_version`: if someone saved in between, the form is refused with the French message of
    StaleEditError. The admin's `save_model` (or `save_formset`) hands `cleaned_data["expected_version"]` to the
    service, which claims the version in the admin's transaction."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        expected = cleaned.get("expected_version")
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        if expected is None or list(rows.values_list("lock_version", flat=True)) != [expected]:
            raise ValidationError(StaleEditError.message)
        return cleaned


class LockedAdminMixin:
    """For a ModelAdmin or an inline whose form is a LockedAdminForm: the hidden `expected_version` is part of
    the form only for those who may change the row (a read-only page has no form to carry it)."""

    def get_fields(self, request, obj=None):
        fields = [field for field in super().get_fields(request, obj) if field != "expected_version"]
        return [*fields, "expected_version"] if self.has_change_permission(request, obj) else fields

    def get_fieldsets(self, request, obj=None):
        """Declared fieldsets name `expected_version` where it goes; it is left out of a read-only page."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [field for field in options["fields"] if field != "expected_version"]},
            )
            for name, options in fieldsets
        ]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnly, admin.ModelAdmin):
    """The queue of outgoing e-mails, read only: what was sent, what waits, what failed and why; « Renvoyer
    maintenant » makes the chosen mails due at once, with every attempt available again (the worker sends them)."""

    list_display = ["subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    date_hierarchy = "created_at"
    actions = ["resend_now"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    @admin.action(description="Renvoyer maintenant")
    def resend_now(self, request, queryset):
        count = mail.requeue(queryset)
        self.message_user(
            request,
            f"{formatting.plural(count, 'courriel')} remis en file d'envoi : le worker les envoie dans la minute.",
            messages.SUCCESS,
        )
