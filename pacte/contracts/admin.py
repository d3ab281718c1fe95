"""Admin of the contracts: a support and audit tool.

Everything can be read here, with its history (django-simple-history). Changes go through the services,
where the rules are checked: the workflow (submission, validations, signature), the fiches-actions with
their budgets and indicators, credits, reports and evaluations change on the contrats pages, never here.
The admin only corrects the title or the object of an avenant of a version that is not signed
(through `services.workflow.update_contract`, with optimistic locking) and a pacte local until it is signed. History
is shown, never reverted: a revert would bypass the rules.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError

from pacte.contracts.models import (
    Action,
    ActionEvaluation,
    ActionIndicator,
    BudgetLine,
    Comment,
    Contract,
    Credit,
    CreditReallocation,
    EvaluatedIndicator,
    EvaluationPart,
    ExecutionReport,
    LocalPact,
    MidTermEvaluation,
    NotifiedAllocation,
    PactAction,
    PactAllocation,
    PactEnvelope,
    PactPriority,
    PactSignatory,
    ReportCampaign,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.services import workflow
from pacte.core.admin import HistoryAdmin, LockedAdminForm, LockedAdminMixin, ReadOnlyAdmin, ReadOnlyInline
from pacte.core.locking import claim_version

REGION_FILTER = ("territory__region", admin.RelatedOnlyFieldListFilter)


# --- Contracts and fiches-actions ------------------------------------------------------------------------


class ContractForm(LockedAdminForm):
    class Meta:
        model = Contract
        fields = ["title", "amendment_reason"]

    def clean_amendment_reason(self) -> str:
        reason = self.cleaned_data.get("amendment_reason", "")
        if self.instance.amendment_number and not reason.strip():
            raise ValidationError("Indiquez l'objet de l'avenant.")
        return reason


class ActionInline(ReadOnlyInline, admin.TabularInline):
    model = Action
    fields = ["number", "title", "axis", "nature", "pilot"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("axis")


class CommentInline(ReadOnlyInline, admin.TabularInline):
    model = Comment
    fields = ["created_at", "author", "action", "body"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author", "action")


@admin.register(Contract)
class ContractAdmin(LockedAdminMixin, HistoryAdmin):
    form = ContractForm
    list_display = [
        "title",
        "kind",
        "collectivite",
        "amendment_number",
        "status",
        "signed_on",
        "is_demo",
    ]
    list_filter = ["kind", "status", "is_demo", REGION_FILTER, "territory__level", "amendment_number"]
    list_select_related = ["territory", "collectivite"]
    search_fields = [
        "title",
        "territory__name",
        "territory__code",
        "amendment_reason",
        "state_signatory",
        "local_signatory",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "collectivite",
                    "territory",
                    "title",
                    ("period_start", "period_end"),
                    "annual_state_ceiling",
                    "is_demo",
                    "expected_version",
                ]
            },
        ),
        ("Avenant", {"fields": ["root", "amends", "amendment_number", "amendment_reason"]}),
        (
            "Négociation et signature",
            {
                "fields": [
                    "status",
                    "submitted_at",
                    ("state_validated_at", "state_validated_by"),
                    ("local_validated_at", "local_validated_by"),
                    "signed_on",
                    "state_signatory",
                    "local_signatory",
                    "signature_recorded_by",
                ]
            },
        ),
        ("Suivi", {"fields": ["created_at", "updated_at", "lock_version"]}),
    ]
    workflow_fields = [
        "kind",
        "collectivite",
        "territory",
        "annual_state_ceiling",
        "period_start",
        "period_end",
        "is_demo",
        "root",
        "amends",
        "amendment_number",
        "status",
        "submitted_at",
        "state_validated_at",
        "state_validated_by",
        "local_validated_at",
        "local_validated_by",
        "signed_on",
        "state_signatory",
        "local_signatory",
        "signature_recorded_by",
        "created_at",
        "updated_at",
        "lock_version",
    ]
    inlines = [ActionInline, CommentInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        if obj is not None and not obj.amendment_number:
            return [*self.workflow_fields, "amendment_reason"]
        return self.workflow_fields

    def has_add_permission(self, request) -> bool:
        return False  # a contract starts on the contrats pages, which check the territory and the period

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        editable = set(ContractForm.Meta.fields) - set(self.get_readonly_fields(request, obj))
        workflow.update_contract(
            obj,
            expected_version=form.cleaned_data["expected_version"],
            **{name: form.cleaned_data[name] for name in form.changed_data if name in editable},
        )
        obj.refresh_from_db()


class IndicatorInline(ReadOnlyInline, admin.TabularInline):
    model = ActionIndicator
    fields = ["label", "unit", "baseline_value", "baseline_year", "yearly_targets", "national_target"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("national_target").prefetch_related("year_targets")
        )

    @admin.display(description="cibles annuelles")
    def yearly_targets(self, indicator: ActionIndicator) -> str:
        return " · ".join(
            f"{target.year} : {target.value.normalize():f}" for target in indicator.year_targets.all()
        )


class BudgetLineInline(ReadOnlyInline, admin.TabularInline):
    model = BudgetLine
    fields = ["year", "funder", "funder_name", "amount"]
    readonly_fields = fields


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "contract", "axis", "nature"]
    list_display_links = ["number", "title"]
    list_filter = [
        "axis",
        "nature",
        "reinforcement",
        "contract__status",
        "contract__is_demo",
        ("contract__territory__region", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["contract__territory", "contract__collectivite", "axis"]
    search_fields = ["title", "pilot", "partners", "target_publics", "contract__territory__name"]
    fields = [
        "contract",
        "number",
        "title",
        "axis",
        "measures",
        ("nature", "reinforcement"),
        "target_publics",
        "pilot",
        "partners",
        "description",
        "updated_at",
    ]
    inlines = [IndicatorInline, BudgetLineInline]


# --- Execution: reports, credits, evaluations ------------------------------------------------------------


class ReportIndicatorValueInline(ReadOnlyInline, admin.TabularInline):
    model = ReportIndicatorValue
    fields = ["indicator", "value"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


class ReportSpendingInline(ReadOnlyInline, admin.TabularInline):
    model = ReportSpending
    fields = ["action", "funder", "funder_name", "amount"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action")


@admin.register(ExecutionReport)
class ExecutionReportAdmin(ReadOnlyAdmin):
    list_display = ["contract", "year", "status", "due_on", "submitted_at", "late", "reviewed_at", "is_demo"]
    list_filter = [
        "status",
        "year",
        "is_demo",
        ("contract__territory__region", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["contract__territory", "contract__collectivite"]
    search_fields = ["contract__territory__name", "qualitative_assessment", "review_comment"]
    fields = [
        ("contract", "version"),
        "year",
        "status",
        "due_on",
        "qualitative_assessment",
        ("submitted_at", "submitted_by"),
        ("reviewed_at", "reviewed_by"),
        "review_comment",
        "is_demo",
    ]
    inlines = [ReportIndicatorValueInline, ReportSpendingInline]

    @admin.display(description="en retard", boolean=True)
    def late(self, report: ExecutionReport) -> bool:
        return report.is_late


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ["contract", "year", "notified", "committed", "paid", "notified_on", "paid_on"]
    list_filter = ["year", ("contract__territory__region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["contract__territory", "contract__collectivite"]
    search_fields = ["contract__territory__name", "contract__territory__code"]


@admin.register(CreditReallocation)
class CreditReallocationAdmin(ReadOnlyAdmin):
    list_display = ["year", "from_contract", "to_contract", "amount", "decided_by", "decided_at"]
    list_filter = ["year"]
    list_select_related = [
        "from_contract__territory",
        "from_contract__collectivite",
        "to_contract__territory",
        "to_contract__collectivite",
        "decided_by",
    ]
    search_fields = ["reason", "from_contract__territory__name", "to_contract__territory__name"]


@admin.register(NotifiedAllocation)
class NotifiedAllocationAdmin(ReadOnlyAdmin):
    """Notified on the pages of national steering (/contrats/plafonds/), where the rules are checked."""

    list_display = ["collectivite", "envelope", "year", "amount", "notified_on", "notified_by", "is_demo"]
    list_filter = [
        "envelope",
        "year",
        "is_demo",
        ("collectivite__main_territory__region", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["collectivite", "notified_by"]
    search_fields = ["collectivite__name", "collectivite__code", "reference"]


@admin.register(ReportCampaign)
class ReportCampaignAdmin(ReadOnlyAdmin):
    """Set on the pages of national steering (/contrats/rapports/campagnes/), which carry the date to every report
    of the year."""

    list_display = ["year", "due_on", "updated_by", "updated_at"]
    list_select_related = ["updated_by"]
    search_fields = ["note"]


class ActionEvaluationInline(ReadOnlyInline, admin.TabularInline):
    model = ActionEvaluation
    fields = ["action", "conclusion", "conclusion_note", "conclusion_by", "conclusion_at"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action", "conclusion_by")


@admin.register(MidTermEvaluation)
class MidTermEvaluationAdmin(ReadOnlyAdmin):
    """Written, filed and closed on the contrats pages (the two sides' parts, the conclusions)."""

    list_display = ["contract", "status", "due_on", "submitted_at", "closed_at", "legacy_form"]
    list_filter = ["status", "legacy_form"]
    list_select_related = ["contract__territory", "contract__collectivite"]
    search_fields = ["contract__territory__name", "findings", "recommendations"]
    inlines = [ActionEvaluationInline]


class EvaluationPartInline(ReadOnlyInline, admin.StackedInline):
    model = EvaluationPart
    fields = ["side", "assessment", "methods", "method_detail", "author", "written_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class EvaluatedIndicatorInline(ReadOnlyInline, admin.TabularInline):
    model = EvaluatedIndicator
    fields = ["indicator", "year", "target", "reached"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


@admin.register(ActionEvaluation)
class ActionEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["action", "evaluation", "conclusion", "conclusion_at"]
    list_filter = ["conclusion"]
    list_select_related = [
        "action",
        "evaluation__contract__territory",
        "evaluation__contract__collectivite",
    ]
    search_fields = ["action__title", "evaluation__contract__territory__name", "conclusion_note"]
    inlines = [EvaluationPartInline, EvaluatedIndicatorInline]


# --- Pactes locaux ---------------------------------------------------------------------------------------


class LocalPactForm(LockedAdminForm):
    class Meta:
        model = LocalPact
        fields = ["title", "diagnostic_summary", "signed_on"]


class PactPriorityInline(admin.StackedInline):
    model = PactPriority
    fields = ["rank", "title", "action_plan", "pilot", "technical_committee"]
    extra = 0
    min_num = 1
    max_num = PactPriority.MAX_PER_PACT
    validate_min = validate_max = True

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is None or obj.signed_on is None

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or obj.signed_on is None

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or obj.signed_on is None


class PactSignatoryInline(ReadOnlyInline, admin.TabularInline):
    """Entered on the pact's page, which checks each organisation and contribution (`services.save_local_pact`)."""

    model = PactSignatory
    fields = ["rank", "organisation", "name", "contribution", "amount"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class PactActionInline(ReadOnlyInline, admin.TabularInline):
    model = PactAction
    fields = [
        "number",
        "title",
        "priority",
        "year",
        "state_amount",
        "other_funding",
        "status",
        "people_reached",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("priority")


@admin.register(LocalPact)
class LocalPactAdmin(LockedAdminMixin, HistoryAdmin):
    form = LocalPactForm
    list_display = ["title", "territory", "signed_on", "is_demo"]
    list_filter = ["is_demo", ("signed_on", admin.EmptyFieldListFilter), REGION_FILTER]
    list_select_related = ["territory"]
    search_fields = ["title", "territory__name", "territory__code", "diagnostic_summary", "signatories__name"]
    fields = [
        "territory",
        ("period_start", "period_end"),
        "title",
        "diagnostic_summary",
        "publics",
        "signed_on",
        "is_demo",
        "expected_version",
    ]
    readonly_fields = ["territory", "period_start", "period_end", "publics", "is_demo"]
    inlines = [PactPriorityInline, PactSignatoryInline, PactActionInline]

    def has_add_permission(self, request) -> bool:
        return False  # a pact starts on the contrats pages, which check the territory and the period

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or obj.signed_on is None)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        claim_version(obj, form.cleaned_data["expected_version"])
        super().save_model(request, obj, form, change)

    @admin.display(description="publics prioritaires")
    def publics(self, pact: LocalPact) -> str:
        return ", ".join(pact.priority_public_labels()) or "–"


class PactAllocationInline(ReadOnlyInline, admin.TabularInline):
    model = PactAllocation
    fields = ["departement", "amount"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("departement")


@admin.register(PactEnvelope)
class PactEnvelopeAdmin(ReadOnlyAdmin):
    """Entered by national steering and shared by the commissioner on the contrats pages (/contrats/pactes/)."""

    list_display = ["region", "year", "amount", "shared_at", "is_demo"]
    list_filter = ["year", "is_demo"]
    list_select_related = ["region"]
    search_fields = ["region__name", "region__code", "reference"]
    inlines = [PactAllocationInline]
