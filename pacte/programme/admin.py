"""Admin of the national référentiel. Rows come from data/referentiel.yaml (`pacte load_referentiel`);
an edit made here survives a reload as long as the YAML item of the row does not change."""

from django.contrib import admin

from pacte.programme.models import Axis, Measure, Milestone, Programme, Target


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_year", "end_year", "measure_count", "budget_eur"]
    search_fields = ["name", "code"]


class MeasureInline(admin.TabularInline):
    model = Measure
    fields = ["code", "kind", "number_label", "title", "order"]
    extra = 0
    show_change_link = True


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme"]
    list_display_links = ["number", "title"]
    list_select_related = ["programme"]
    search_fields = ["title", "summary", "reforms_summary"]
    inlines = [MeasureInline]


class TargetInline(admin.StackedInline):
    model = Target
    fields = [
        ("code", "kind", "order"),
        "label",
        ("unit", "scope", "territory"),
        ("baseline_value", "baseline_year"),
        ("target_value", "target_year"),
        "source_file",
        "source_excerpt",
        "notes",
    ]
    raw_id_fields = ["territory"]
    extra = 0
    show_change_link = True


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "axis", "kind", "number_label", "order"]
    list_display_links = ["code", "title"]
    list_filter = ["axis", "kind"]
    list_select_related = ["axis"]
    search_fields = ["code", "title", "description", "number_label"]
    inlines = [TargetInline]

    def save_formset(self, request, form, formset, change) -> None:
        """A target added here belongs to the programme of its measure's axis."""
        for target in formset.save(commit=False):
            if isinstance(target, Target) and target.programme_id is None:
                target.programme = form.instance.axis.programme
            target.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label",
        "measure",
        "kind",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "unit",
        "scope",
        "territory",
    ]
    list_display_links = ["code", "label"]
    list_filter = ["kind", "scope", "measure__axis", "measure__kind", "source_file"]
    list_select_related = ["measure", "territory"]
    search_fields = ["code", "label", "unit", "source_excerpt", "notes", "measure__code", "measure__title"]
    raw_id_fields = ["measure", "territory"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["date_label", "title", "scope", "status", "date_start", "date_end", "territory"]
    list_display_links = ["date_label", "title"]
    list_filter = ["scope", "status", "precision"]
    list_select_related = ["territory"]
    search_fields = ["code", "title", "date_label"]
    date_hierarchy = "date_start"
    raw_id_fields = ["territory"]
