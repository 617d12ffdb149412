"""Forms of the budget line pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet

from tidtam.budgets.models import BudgetCategory, BudgetMonth
from tidtam.budgets.services import MonthRow
from tidtam.domain.fiscal import FISCAL_MONTHS
from tidtam.domain.thai import fiscal_month_name
from tidtam.plans.forms import NUMBER_HELP, money_field
from tidtam.ui.fields import ThaiDecimalField


class BudgetLineForm(forms.Form):
    # The history record the form was opened at: a save over a newer change is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        label="หมวดงบ",
        queryset=BudgetCategory.objects.none(),
        empty_label="— เลือกหมวดงบ —",
        help_text="หมวดของหน่วยงานเอง หรือประเภทงบมาตรฐานของสำนักงบประมาณ",
    )
    name = forms.CharField(label="ชื่อรายการงบประมาณ", max_length=255)
    annual_plan_baht = money_field("แผนการใช้จ่ายทั้งปี (บาท)", required=True, help_text=NUMBER_HELP)

    def __init__(self, *args: Any, categories: QuerySet[BudgetCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = categories  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: (  # type: ignore[attr-defined]
            c.name if c.organization_id else f"{c.name} (ประเภทงบมาตรฐาน)"
        )


MONTH_COLUMNS = (
    ("planned", "planned_baht", "แผนการเบิกจ่าย"),
    ("disbursed", "disbursed_baht", "เบิกจ่ายในเดือน"),
    ("committed", "committed_baht", "ก่อหนี้ผูกพัน ณ สิ้นเดือน"),
)


class BudgetMonthsForm(forms.Form):
    """A line's twelve months: the plan, what was disbursed in each, and what was committed at
    each month's end. Blank results: not reported yet; a blank plan is 0."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in FISCAL_MONTHS:
            for column, name, label in MONTH_COLUMNS:
                model_field = BudgetMonth._meta.get_field(name)
                assert isinstance(model_field, models.DecimalField)
                self.fields[f"{column}_{month}"] = ThaiDecimalField(
                    model_field=model_field,
                    label=f"{label} เดือน{fiscal_month_name(month)}",
                    required=False,
                )

    def grid(self) -> list[tuple[int, str, list[forms.BoundField]]]:
        """(month, its name, its three fields) in the order of the fiscal year."""
        return [
            (
                month,
                fiscal_month_name(month),
                [self[f"{column}_{month}"] for column, _, _ in MONTH_COLUMNS],
            )
            for month in FISCAL_MONTHS
        ]

    def rows(self) -> list[MonthRow]:
        data = self.cleaned_data
        return [
            MonthRow(
                month=month,
                planned_baht=data.get(f"planned_{month}") or Decimal("0.00"),
                disbursed_baht=data.get(f"disbursed_{month}"),
                committed_baht=data.get(f"committed_{month}"),
            )
            for month in FISCAL_MONTHS
        ]
