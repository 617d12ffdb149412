"""Admin pages for indicators and performance agreements.

KPI results are read-only here: their status and review fields move through the review
workflow, and their stored percent is computed from the value and the indicator's target.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementKPI,
    Indicator,
    IndicatorOwner,
    IndicatorResponsibility,
    IndicatorResult,
    IndicatorSeriesValue,
    KPIGroup,
    ScoringLevel,
)
from tidtam.agreements.services import agreement_weight_problems


class SeriesInline(admin.TabularInline):
    model = IndicatorSeriesValue
    extra = 0


class OwnerInline(admin.TabularInline):
    model = IndicatorOwner
    extra = 0
    autocomplete_fields = ["person"]


class ResultInline(admin.StackedInline):
    """Shown for reference: results are reported and reviewed on the KPI's reporting page."""

    model = IndicatorResult
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ResponsibilityInline(admin.TabularInline):
    model = IndicatorResponsibility
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "organization", "fiscal_year", "measure_kind"]
    list_filter = ["fiscal_year", "organization", "measure_kind"]
    search_fields = ["key", "name", "project_name"]
    autocomplete_fields = ["organization", "work_item", "strategy", "policy_nodes"]
    inlines = [SeriesInline, ResponsibilityInline, OwnerInline, ResultInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once results exist, their stored percents were computed against these: changing
        # them here would leave the percents stale (the agreement editor is the place for it).
        fields = [*super().get_readonly_fields(request, obj), "key"]
        if obj is not None and obj.results.exists():
            fields += ["measure_kind", "direction", "target_value", "base_year", "base_value"]
        return fields


class ClauseInline(admin.TabularInline):
    model = AgreementClause
    extra = 0


class GroupInline(admin.TabularInline):
    model = KPIGroup
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "fiscal_year", "signed_on", "weights_check"]
    list_filter = ["fiscal_year"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization", "receiver", "maker"]
    readonly_fields = ["weights_check"]
    inlines = [ClauseInline, GroupInline]

    @admin.display(description="ตรวจน้ำหนัก")
    def weights_check(self, obj: Agreement) -> str:
        problems = agreement_weight_problems(obj) if obj.pk else []
        return " / ".join(problems) if problems else "น้ำหนักรวมถูกต้อง"


class LevelInline(admin.TabularInline):
    model = ScoringLevel
    extra = 0


class KPIInline(admin.TabularInline):
    model = AgreementKPI
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(KPIGroup)
class KPIGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agreement", "weight"]
    inlines = [KPIInline]


@admin.register(AgreementKPI)
class AgreementKPIAdmin(SimpleHistoryAdmin):
    list_display = ["number", "indicator", "group", "weight"]
    list_filter = ["group__agreement"]
    search_fields = ["indicator__name"]
    inlines = [LevelInline]
