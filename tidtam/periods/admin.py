"""Admin pages for fiscal years and rounds."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.periods.models import FiscalYear, Round


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
    list_display = ["fiscal_year", "months", "deadline", "is_open"]
    list_filter = ["fiscal_year", "is_open"]
