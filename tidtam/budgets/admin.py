"""Admin pages for budget categories, lines, spending and Cabinet targets."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.budgets.models import BudgetCategory, BudgetLine, BudgetSpending, CabinetTarget


class SpendingInline(admin.TabularInline):
    model = BudgetSpending
    extra = 0


@admin.register(BudgetCategory)
class BudgetCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "organization", "standard_type", "nature"]
    list_filter = ["standard_type", "nature"]
    search_fields = ["name", "code"]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "organization", "fiscal_year", "category", "annual_plan_baht"]
    list_filter = ["fiscal_year", "organization"]
    search_fields = ["name"]
    autocomplete_fields = ["organization", "category"]
    inlines = [SpendingInline]


@admin.register(CabinetTarget)
class CabinetTargetAdmin(SimpleHistoryAdmin):
    list_display = [
        "fiscal_year",
        "quarter",
        "overall_percent",
        "recurrent_percent",
        "investment_percent",
    ]
    list_filter = ["fiscal_year"]
