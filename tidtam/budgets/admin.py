"""Admin pages for budget categories, lines, spending and Cabinet targets.

Spending feeds the stored percentages of the budget items that follow a line, so the admin
saves it through `budget_spending_save` (which refreshes them), never row by row.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tidtam.audit.admin_rules import ServiceSavesAdmin
from tidtam.budgets.models import (
    BudgetAllocation,
    BudgetCategory,
    BudgetLine,
    BudgetMonth,
    BudgetSpending,
    CabinetTarget,
    FundSource,
)
from tidtam.budgets.services import budget_spending_save
from tidtam.budgets.signals import spending_changed

ROUND_CHANGED = (
    'รอบของผลการใช้จ่ายที่บันทึกแล้วเปลี่ยนไม่ได้ (แถว "{spending}") — '
    "ให้แก้จำนวนเงินของรอบนั้น หรือเพิ่มแถวใหม่สำหรับรอบอื่น"
)


class SpendingInline(admin.TabularInline):
    model = BudgetSpending
    extra = 0
    # The budget items' stored percent of a round is computed from its spending row: a deleted
    # row would leave them with nothing to be computed from.
    can_delete = False


class MonthInline(admin.TabularInline):
    """Shown, not edited: a line's months are saved on its month page, through the service
    that keeps the rounds' figures in step with them."""

    model = BudgetMonth
    extra = 0
    can_delete = False
    fields = ("month", "planned_baht", "disbursed_baht", "committed_baht")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(FundSource)
class FundSourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "organization", "order"]
    search_fields = ["name", "code"]


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "fiscal_year", "fund_source", "amount_baht"]
    list_filter = ["fiscal_year", "fund_source"]
    autocomplete_fields = ["organization"]


@admin.register(BudgetCategory)
class BudgetCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "organization", "standard_type", "nature"]
    list_filter = ["standard_type", "nature"]
    search_fields = ["name", "code"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ServiceSavesAdmin):
    list_display = ["number", "name", "organization", "fiscal_year", "category", "annual_plan_baht"]
    list_filter = ["fiscal_year", "organization"]
    search_fields = ["key", "code", "name"]
    readonly_fields = ["key"]
    autocomplete_fields = ["organization", "category"]
    inlines = [MonthInline, SpendingInline]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not BudgetSpending:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads these lists, as a formset's own save() fills them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or not row.cleaned_data:
                continue
            data = row.cleaned_data
            if row.instance.pk and "round" in row.changed_data:
                raise ValidationError(ROUND_CHANGED.format(spending=row.instance))
            existed = bool(row.instance.pk)
            spending = budget_spending_save(
                line=form.instance,
                round_=data["round"],
                disbursed_baht=data["disbursed_baht"],
                committed_baht=data["committed_baht"],
                note=data.get("note", ""),
                as_of=data.get("as_of"),
            )
            if existed:
                formset.changed_objects.append((spending, row.changed_data))
            else:
                formset.new_objects.append(spending)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseInlineFormSet], change: bool
    ) -> None:
        # The annual plan is the denominator of every round's stored percent.
        super().save_related(request, form, formsets, change)
        spending_changed.send(sender=None, line=form.instance, round_=None)


@admin.register(CabinetTarget)
class CabinetTargetAdmin(SimpleHistoryAdmin):
    list_display = [
        "fiscal_year",
        "quarter",
        "overall_percent",
        "recurrent_percent",
        "investment_percent",
        "measure",
    ]
    list_filter = ["fiscal_year"]
