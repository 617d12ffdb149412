"""Admin pages for progress entries: read here, changed only through the reporting pages.

The admin is not a second write path: a status typed here would skip the review trail, and a
percent typed here would disagree with the figures it is computed from. Entries, review steps
and evidence are therefore read-only; an entry nobody has reviewed yet can still be deleted.
"""

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from tidtam.progress.models import EntryStatus, Evidence, ProgressEntry, ReviewStep


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Shown, never added or changed here (the history page still opens)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        # simple-history's "revert to this version" would write the old row back: refuse it.
        from django.core.exceptions import PermissionDenied

        if request.method == "POST":
            raise PermissionDenied("ข้อมูลนี้ย้อนกลับจากหน้าผู้ดูแลระบบไม่ได้ — ให้แก้ไขผ่านหน้ารายงานผล")
        return super().history_form_view(request, object_id, version_id, extra_context)


def entry_reviewed(entry: ProgressEntry) -> bool:
    """Whether the entry has left its first draft: any review step, or a status past draft."""
    if entry.status != EntryStatus.DRAFT:
        return True
    content_type = ContentType.objects.get_for_model(ProgressEntry)
    return ReviewStep.objects.filter(content_type=content_type, object_id=entry.pk).exists()


def entry_has_evidence(entry: ProgressEntry) -> bool:
    content_type = ContentType.objects.get_for_model(ProgressEntry)
    return Evidence.objects.filter(content_type=content_type, object_id=entry.pk).exists()


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ReadOnlyAdmin):
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
    readonly_fields = ["reporting_page"]

    @admin.display(description="แก้ไขผล / ส่ง / อนุมัติ")
    def reporting_page(self, obj: ProgressEntry) -> str:
        url = reverse("progress:entry", args=[obj.work_item_id, obj.round_id])
        return format_html(
            '<a href="{}">เปิดหน้ารายงานผลของรายการนี้</a> (หน้าผู้ดูแลระบบแสดงอย่างเดียว:'
            " การแก้ไขต้องผ่านขั้นตอนรายงานและตรวจผล)",
            url,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Per entry only (no bulk delete, which cannot check each entry): a draft that nobody
        # reviewed and that has no evidence leaves no trail behind when deleted.
        if obj is None or not super(ReadOnlyAdmin, self).has_delete_permission(request, obj):
            return False
        return not entry_reviewed(obj) and not entry_has_evidence(obj)


@admin.register(ReviewStep)
class ReviewStepAdmin(ReadOnlyAdmin):
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


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    """Files are added and removed on the reporting page, where the entry's state is checked."""

    list_display = [
        "original_name",
        "size",
        "uploaded_by",
        "uploaded_at",
        "content_type",
        "object_id",
    ]
    search_fields = ["original_name", "description"]
