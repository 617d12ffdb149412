"""Admin pages for policy frameworks and their nodes."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.policies.models import PolicyFramework, PolicyNode


class NodeInline(admin.TabularInline):
    model = PolicyNode
    extra = 0
    fields = ["code", "name", "parent", "order"]
    autocomplete_fields = ["parent"]


@admin.register(PolicyFramework)
class PolicyFrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "version", "level", "owner"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    inlines = [NodeInline]


@admin.register(PolicyNode)
class PolicyNodeAdmin(SimpleHistoryAdmin):
    list_display = ["framework", "code", "name", "parent"]
    list_filter = ["framework"]
    search_fields = ["code", "name", "framework__name"]
    autocomplete_fields = ["framework", "parent"]
