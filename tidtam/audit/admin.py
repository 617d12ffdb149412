"""The read log in the admin: read only, for everyone, superusers included."""

from django.contrib import admin
from django.http import HttpRequest

from tidtam.audit.models import ReadAudit


@admin.register(ReadAudit)
class ReadAuditAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "kind", "description", "organization"]
    list_filter = ["kind", "organization"]
    search_fields = ["username", "description"]
    date_hierarchy = "at"
    list_select_related = ["organization"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
