"""Admin pages for the operating plan tree."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemResponsibility,
)
from tidtam.progress.models import ProgressEntry


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


class ProgressInline(admin.StackedInline):
    model = ProgressEntry
    extra = 0
    exclude = ["updated_by"]


@admin.register(OperatingPlan)
class OperatingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "fiscal_year"]
    list_filter = ["fiscal_year", "organization"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [OutputInline]


@admin.register(Output)
class OutputAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan"]
    search_fields = ["name"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "name", "output"]
    list_filter = ["output__plan"]
    search_fields = ["name", "output__name"]


@admin.register(WorkItem)
class WorkItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "activity", "target_text", "excluded", "is_placeholder"]
    list_filter = ["plan", "kind", "excluded", "is_placeholder"]
    search_fields = ["name", "group_name"]
    autocomplete_fields = ["plan", "activity", "policy_nodes", "strategy", "budget_line"]
    inlines = [ResponsibilityInline, MilestoneInline, ProgressInline]
