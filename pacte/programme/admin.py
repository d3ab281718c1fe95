"""Admin of the national référentiel. Rows come from data/referentiel.yaml (`pacte load_referentiel`);
an edit made here survives a reload as long as the YAML item of the row does not change. A target is corrected
through `services.update_target`, with the version read with the page (optimistic locking)."""

from django.contrib import admin

from pacte import formatting
from pacte.core.admin import LockedAdminForm, LockedAdminMixin
from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.services import TARGET_FIELDS, update_target


def _save_target(target: Target, form: LockedAdminForm, changed: list[str]) -> None:
    """A new target is created; a changed one goes through the service with the version read."""
    if target.pk is None:
        target.save()
        return
    update_target(
        target,
        expected_version=form.cleaned_data["expected_version"],
        **{name: getattr(target, name) for name in changed if name in TARGET_FIELDS},
    )


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_year", "end_year", "measure_count", "budget"]
    search_fields = ["name", "code"]

    @admin.display(description="budget total", ordering="budget_eur")
    def budget(self, programme: Programme) -> str:
        """The amount as the public pages write it (« 20 Md€ »), not the field's raw digits."""
        return formatting.compact_euros(programme.budget_eur)


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


class TargetInline(LockedAdminMixin, admin.StackedInline):
    model = Target
    form = LockedAdminForm
    fields = [
        ("code", "kind", "order"),
        "label",
        ("unit", "scope", "territory"),
        ("baseline_value", "baseline_year"),
        ("target_value", "target_year", "comparison"),
        ("in_force_on", "borne_by_contracts"),
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
    list_filter = ["axis", "kind", "overseas"]
    list_select_related = ["axis"]
    search_fields = ["code", "title", "description", "number_label"]
    inlines = [TargetInline]

    def save_formset(self, request, form, formset, change) -> None:
        """A target added here belongs to the programme of its measure's axis; a changed one goes through the
        service."""
        formset.save(commit=False)
        forms = {target_form.instance.pk: target_form for target_form in formset.initial_forms}
        for target, changed in formset.changed_objects:
            _save_target(target, forms[target.pk], changed)
        for target in formset.new_objects:
            if target.programme_id is None:
                target.programme = form.instance.axis.programme
            target.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(Target)
class TargetAdmin(LockedAdminMixin, admin.ModelAdmin):
    form = LockedAdminForm
    list_display = [
        "code",
        "label",
        "measure",
        "kind",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "comparison",
        "unit",
        "scope",
        "territory",
        "borne_by_contracts",
        "withdrawn",
    ]
    list_display_links = ["code", "label"]
    list_filter = [
        "kind",
        "comparison",
        "borne_by_contracts",
        "withdrawn",
        "scope",
        "measure__axis",
        "measure__kind",
        "source_file",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "measure",
                    "programme",
                    "code",
                    "kind",
                    "label",
                    "unit",
                    "scope",
                    "territory",
                    "order",
                ]
            },
        ),
        ("Valeur de départ", {"fields": ["baseline_value", "baseline_year", "baseline_source"]}),
        ("Valeur cible", {"fields": ["target_value", "target_year", "comparison", "horizon_source"]}),
        ("Réforme ou paramètre", {"fields": ["in_force_on", "in_force_source"]}),
        ("Contrats locaux", {"fields": ["borne_by_contracts", "contracts_reason"]}),
        ("Source", {"fields": ["source_file", "source_excerpt", "notes", "expected_version"]}),
    ]
    list_select_related = ["measure", "territory"]
    search_fields = ["code", "label", "unit", "source_excerpt", "notes", "measure__code", "measure__title"]
    raw_id_fields = ["measure", "territory"]

    def save_model(self, request, obj, form, change) -> None:
        _save_target(obj, form, form.changed_data)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["date_label", "title", "scope", "status", "date_start", "date_end", "territory"]
    list_display_links = ["date_label", "title"]
    list_filter = ["scope", "status", "precision"]
    list_select_related = ["territory"]
    search_fields = ["code", "title", "date_label"]
    date_hierarchy = "date_start"
    raw_id_fields = ["territory"]
