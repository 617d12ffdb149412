"""Admin pages for progress entries."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.progress.models import ProgressEntry


@admin.register(ProgressEntry)
class ProgressEntryAdmin(SimpleHistoryAdmin):
    list_display = [
        "work_item",
        "round",
        "percent_round",
        "percent_annual",
        "percent_method",
        "status",
    ]
    list_filter = ["round", "status", "percent_method"]
    search_fields = ["work_item__name", "result_text", "explanation"]
    autocomplete_fields = ["work_item"]
    readonly_fields = ["updated_by"]
