"""Admin pages for the operating plan tree."""

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.audit.admin_rules import ServiceSavesAdmin
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemMonth,
    WorkItemResponsibility,
)
from tidtam.plans.services import refresh_work_item_entries


class OutputInline(admin.TabularInline):
    model = Output
    extra = 0


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


class ResponsibilityInline(admin.TabularInline):
    model = WorkItemResponsibility
    extra = 0
    autocomplete_fields = ["organization"]


class MilestoneInline(admin.TabularInline):
    model = PlannedMilestone
    extra = 0


class MonthInline(admin.TabularInline):
    """Shown for reference only: a work item's months change on its month page, through the
    service that keeps them adding up to the target and writes the rounds' milestones."""

    model = WorkItemMonth
    extra = 0
    can_delete = False
    fields = ("month", "planned_quantity", "result_quantity")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ProgressInline(admin.StackedInline):
    """Shown for reference only: entries change through the reporting pages (progress/admin.py)."""

    # The progress app's model, named through the relation: plans does not import progress.
    model = WorkItem._meta.get_field("progress").related_model  # type: ignore[assignment]
    extra = 0
    exclude = ["updated_by"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OperatingPlan)
class OperatingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "fiscal_year"]
    list_filter = ["fiscal_year", "organization"]
    search_fields = ["key", "title", "organization__name"]
    readonly_fields = ["key"]
    autocomplete_fields = ["organization"]
    inlines = [OutputInline]


@admin.register(Output)
class OutputAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan"]
    search_fields = ["key", "name"]
    readonly_fields = ["key"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "name", "output"]
    list_filter = ["output__plan"]
    search_fields = ["key", "name", "output__name"]
    readonly_fields = ["key"]


@admin.register(WorkItem)
class WorkItemAdmin(ServiceSavesAdmin):
    list_display = ["name", "kind", "activity", "target_text", "excluded", "is_placeholder"]
    list_filter = ["plan", "kind", "excluded", "is_placeholder"]
    search_fields = ["key", "name", "group_name"]
    readonly_fields = ["key"]
    autocomplete_fields = ["plan", "activity", "policy_nodes", "budget_line"]
    inlines = [ResponsibilityInline, MilestoneInline, MonthInline, ProgressInline]

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseInlineFormSet], change: bool
    ) -> None:
        # The target, the budget line and the milestones' planned quantities are what the
        # entries' stored percentages are computed against: recompute them as the plan pages do.
        super().save_related(request, form, formsets, change)
        refresh_work_item_entries(work_item=form.instance)
