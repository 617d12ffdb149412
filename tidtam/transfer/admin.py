from django.contrib import admin

from tidtam.transfer.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "person", "status", "created_at", "applied_at"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = [
        "person",
        "file_name",
        "org_code",
        "fiscal_year",
        "round_months",
        "status",
        "title",
        "counts",
        "changes",
        "problems",
        "created_at",
        "checked_at",
        "applied_at",
    ]
