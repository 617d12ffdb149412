"""Admin pages for progress entries."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.progress.models import Evidence, ProgressEntry, ReviewStep


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


@admin.register(ReviewStep)
class ReviewStepAdmin(SimpleHistoryAdmin):
    """The review trail is read here, never edited: steps are only added by the workflow."""

    list_display = [
        "at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "content_type",
        "object_id",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["comment"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = [
        "original_name",
        "size",
        "uploaded_by",
        "uploaded_at",
        "content_type",
        "object_id",
    ]
    search_fields = ["original_name", "description"]
    readonly_fields = ["content_type", "object_id", "file", "size", "uploaded_by"]
