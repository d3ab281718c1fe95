"""Admin of the governance and the concertation: a support and audit tool.

Rows can be read here with their history (django-simple-history); changes go through the pages, where the
rules are checked (invitations, minutes validation, decisions follow-up, contributions workflow). History is
shown, never reverted.
"""

from django.contrib import admin

from pacte.core.admin import ReadOnlyAdmin, ReadOnlyInline
from pacte.governance.models import (
    AgendaItem,
    Committee,
    ConcertationTheme,
    Contribution,
    Decision,
    Document,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    Stakeholder,
    SteeredContract,
    ThemeSynthesis,
)


class MemberInline(ReadOnlyInline, admin.TabularInline):
    model = Member
    fields = (
        "person_name",
        "organisation",
        "organisation_name",
        "category",
        "role",
        "start_date",
        "end_date",
    )


class SteeredContractInline(ReadOnlyInline, admin.TabularInline):
    model = SteeredContract
    fields = ("contract", "linked_by", "linked_at")


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "territory", "is_public", "is_active", "is_demo")
    list_filter = ("kind", "is_public", "is_active", "is_demo")
    search_fields = ("name", "territory__name")
    inlines = [MemberInline, SteeredContractInline]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "committee", "category", "role", "start_date", "end_date")
    list_filter = ("category", "role")
    search_fields = ("person_name", "organisation__name", "organisation_name", "committee__name")


class AgendaInline(ReadOnlyInline, admin.TabularInline):
    model = AgendaItem


class AttendanceInline(ReadOnlyInline, admin.TabularInline):
    model = MeetingAttendance


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "committee", "starts_at", "status", "invitations_sent_at", "is_demo")
    list_filter = ("status", "committee__kind", "is_demo")
    search_fields = ("title", "committee__name")
    date_hierarchy = "starts_at"
    inlines = [AgendaInline, AttendanceInline]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "meeting", "kind", "as_of", "is_public", "created_at")
    list_filter = ("kind", "is_public")
    exclude = ("snapshot_html",)


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "status", "validated_at")
    list_filter = ("status",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "meeting", "due_date", "status", "is_confidential")
    list_filter = ("status", "is_confidential")
    search_fields = ("text", "meeting__committee__name")


@admin.register(ConcertationTheme)
class ConcertationThemeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "number", "code")


@admin.register(Stakeholder)
class StakeholderAdmin(ReadOnlyAdmin):
    list_display = ("name", "category", "organisation", "is_demo")
    list_filter = ("category", "is_demo")
    search_fields = ("name",)


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("title", "stakeholder", "theme", "status", "filed_at", "published_at")
    list_filter = ("status", "theme")
    search_fields = ("title", "stakeholder__name")
    exclude = ("file",)


@admin.register(ThemeSynthesis)
class ThemeSynthesisAdmin(ReadOnlyAdmin):
    list_display = ("theme", "author", "updated_at")


# --- Regional roadmap ---------------------------------------------------------------------------------------

from pacte.governance.roadmap_models import Roadmap, RoadmapAction, RoadmapObjective  # noqa: E402


class RoadmapObjectiveInline(ReadOnlyInline, admin.TabularInline):
    model = RoadmapObjective
    fields = ("number", "title", "axis")


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ("title", "region", "year", "status", "published_at", "is_demo")
    list_filter = ("status", "year", "is_demo")
    search_fields = ("title", "region__name")
    exclude = ("published_content",)
    inlines = [RoadmapObjectiveInline]


@admin.register(RoadmapAction)
class RoadmapActionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "objective", "due_date", "status", "source_decision")
    list_filter = ("status",)
    search_fields = ("title", "objective__roadmap__region__name")
