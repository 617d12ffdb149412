"""Forms of the budget line pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tidtam.budgets.models import BudgetCategory
from tidtam.plans.forms import NUMBER_HELP, money_field


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
