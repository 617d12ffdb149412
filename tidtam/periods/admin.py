"""Admin pages for fiscal years, rounds and the organisations' schedules of them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.periods.models import FiscalYear, Round, RoundSchedule


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "start_date", "end_date"]
    search_fields = ["year"]
    inlines = [RoundInline]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "months"]
    list_filter = ["fiscal_year"]


@admin.register(RoundSchedule)
class RoundScheduleAdmin(SimpleHistoryAdmin):
    """Read-only: opening a round closes the organisation's other open round of the year and
    only its planners may do it, rules the rounds page (/rounds/) keeps and a plain admin save
    would not."""

    list_display = ["round", "organization", "deadline", "is_open"]
    list_filter = ["is_open", "round__fiscal_year"]
    search_fields = ["organization__name", "organization__short_name", "organization__code"]
    list_select_related = ["round__fiscal_year", "organization"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
