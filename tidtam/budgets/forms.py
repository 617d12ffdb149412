"""Forms of the budget line pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from tidtam.budgets.models import (
    BudgetAllocation,
    BudgetCategory,
    BudgetLine,
    BudgetMonth,
    BudgetSpending,
    FundSource,
)
from tidtam.budgets.services import LineDetails, MonthRow, SpendingRow
from tidtam.domain.fiscal import FISCAL_MONTHS
from tidtam.domain.thai import fiscal_month_name
from tidtam.plans.forms import NUMBER_HELP, money_field
from tidtam.ui.fields import BEDateField, amount_field


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
    fund_source = forms.ModelChoiceField(
        label="แหล่งเงิน",
        queryset=FundSource.objects.none(),
        empty_label=None,
        required=False,  # not sent: เงินงบประมาณ
    )
    code = forms.CharField(
        label="รหัสงบประมาณ",
        max_length=64,
        required=False,
        help_text="รหัสตาม พ.ร.บ. งบประมาณ / GFMIS ถ้ามี ไม่ซ้ำกันในปีเดียวกัน",
    )
    programme = forms.CharField(label="แผนงาน", max_length=255, required=False)
    output = forms.CharField(label="ผลผลิต / โครงการ", max_length=255, required=False)
    activity = forms.CharField(label="กิจกรรม", max_length=255, required=False)
    expense_type = forms.ChoiceField(
        label="งบรายจ่าย",
        choices=[("", "— ไม่ระบุ —"), *BudgetCategory.StandardType.choices],
        required=False,
    )
    expense_item = forms.CharField(label="รายการค่าใช้จ่าย", max_length=255, required=False)
    nature = forms.ChoiceField(
        label="ลักษณะรายจ่าย",
        choices=[("", "— ตามงบรายจ่าย (งบลงทุนเป็นรายจ่ายลงทุน) —"), *BudgetCategory.Nature.choices],
        required=False,
    )
    carried_over = forms.BooleanField(
        label="เงินกันไว้เบิกเหลื่อมปี (เงินของปีก่อน แสดงแยกจากงบประมาณของปี)", required=False
    )

    def __init__(
        self,
        *args: Any,
        categories: QuerySet[BudgetCategory],
        fund_sources: QuerySet[FundSource],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = categories  # type: ignore[attr-defined]
        field.label_from_instance = lambda c: (  # type: ignore[attr-defined]
            c.name if c.organization_id else f"{c.name} (ประเภทงบมาตรฐาน)"
        )
        self.fields["fund_source"].queryset = fund_sources  # type: ignore[attr-defined]

    def details(self) -> LineDetails:
        data = self.cleaned_data
        return LineDetails(
            fund_source=data["fund_source"],
            code=data["code"],
            programme=data["programme"],
            output=data["output"],
            activity=data["activity"],
            expense_type=data["expense_type"],
            expense_item=data["expense_item"],
            nature=data["nature"],
            carried_over=data["carried_over"],
        )

    @staticmethod
    def initial_of(line: BudgetLine) -> dict[str, object]:
        return {
            "category": line.category_id,
            "name": line.name,
            "annual_plan_baht": line.annual_plan_baht,
            "fund_source": line.fund_source_id,
            **{
                name: getattr(line, name)
                for name in (
                    "code",
                    "programme",
                    "output",
                    "activity",
                    "expense_type",
                    "expense_item",
                    "nature",
                    "carried_over",
                )
            },
        }


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
                self.fields[f"{column}_{month}"] = amount_field(
                    BudgetMonth, name, f"{label} เดือน{fiscal_month_name(month)}"
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


class RoundSpendingForm(forms.Form):
    """A round's cumulative figures for each line reported by round: disbursed and committed
    from 1 October, and the day they were drawn (blank: the round's last day). Fields are named
    by the line's number (disbursed_3), which a pasted or scripted form can rely on."""

    def __init__(self, *args: Any, lines: list[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            for column, name in (("disbursed", "disbursed_baht"), ("committed", "committed_baht")):
                field = amount_field(BudgetSpending, name)
                field.label = f"{field.label} — {line.number}. {line.name}"
                self.fields[f"{column}_{line.number}"] = field
            self.fields[f"as_of_{line.number}"] = BEDateField(
                label=f"ข้อมูล ณ วันที่ — {line.number}. {line.name}", required=False
            )

    def table(self) -> list[tuple[BudgetLine, list[forms.BoundField]]]:
        return [
            (line, [self[f"{c}_{line.number}"] for c in ("disbursed", "committed", "as_of")])
            for line in self.lines
        ]

    def rows(self) -> list[SpendingRow]:
        data = self.cleaned_data
        return [
            SpendingRow(
                line=line,
                disbursed_baht=data.get(f"disbursed_{line.number}"),
                committed_baht=data.get(f"committed_{line.number}"),
                as_of=data.get(f"as_of_{line.number}"),
            )
            for line in self.lines
        ]


class AllocationForm(forms.Form):
    """The allotment received from each source of funds (blank: none from that source)."""

    def __init__(self, *args: Any, funds: list[FundSource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.funds = funds
        for fund in funds:
            self.fields[f"amount_{fund.pk}"] = amount_field(
                BudgetAllocation, "amount_baht", f"{fund.name} (บาท)", help_text=NUMBER_HELP
            )

    def amounts(self) -> list[tuple[FundSource, Decimal | None]]:
        return [(fund, self.cleaned_data.get(f"amount_{fund.pk}")) for fund in self.funds]
