"""Admin pages for organisations, people and roles."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.orgs.models import Organization, Person, RoleAssignment


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "organization", "office_phone"]
    list_filter = ["organization"]
    search_fields = ["first_name", "last_name", "position"]
    autocomplete_fields = ["organization", "user"]
    inlines = [RoleInline]
