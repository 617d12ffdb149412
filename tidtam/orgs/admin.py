"""Admin pages for organisations, people and roles."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from tidtam.audit.services import record_read, record_reads
from tidtam.orgs.models import Organization, Person, RoleAssignment


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "budget_bureau_code", "gfmis_code", "name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "organization", "office_phone"]
    list_filter = ["organization"]
    search_fields = ["key", "first_name", "last_name", "position"]
    readonly_fields = ["key"]
    autocomplete_fields = ["organization", "user"]
    inlines = [RoleInline]

    # Officials' phone numbers are personal data: every page that shows them is in the read log.
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and request.method == "GET":
            shown = [person for person in changelist.result_list if person.office_phone]
            record_reads(user=request.user, kind="phone", objects=shown)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        person = getattr(response, "context_data", {}).get("original")
        if person is not None and request.method == "GET" and person.office_phone:
            record_read(user=request.user, kind="phone", obj=person)
        return response
