"""Forms of the plan set-up pages: what the planner types, checked before any service runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet

from tidtam.budgets.models import BudgetCategory, BudgetLine, FundSource
from tidtam.domain.fiscal import FISCAL_MONTHS
from tidtam.domain.thai import fiscal_month_name
from tidtam.limits import NAME_MAX, TEXT_MAX
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import Activity, OperatingPlan, WorkItem, WorkItemMonth
from tidtam.plans.services import QuantityMonth
from tidtam.ui.fields import ThaiDecimalField, amount_field

NUMBER_HELP = "พิมพ์ตัวเลขได้ทั้งแบบมีจุลภาคและเลขไทย เช่น 1,345 หรือ ๑,๓๔๕"


def number_errors(places: int) -> dict[str, str]:
    """Thai wording for the decimal checks Django words in English."""
    return {
        "max_decimal_places": f"ทศนิยมได้ไม่เกิน {places} ตำแหน่ง — ปัดตัวเลขให้เหลือ {places} ตำแหน่ง",
        "max_digits": "ตัวเลขยาวเกินที่ระบบเก็บได้ (รวมได้ไม่เกิน %(max)s หลัก) — ตรวจว่าพิมพ์เกินหรือไม่",
        "max_whole_digits": "ตัวเลขหน้าจุดทศนิยมได้ไม่เกิน %(max)s หลัก — ตรวจว่าพิมพ์เกินหรือไม่",
        "min_value": "ต้องเป็นตัวเลขตั้งแต่ 0 ขึ้นไป — ค่านี้ติดลบไม่ได้",
    }


def quantity_field(label: str, **kwargs: Any) -> ThaiDecimalField:
    """A quantity as the models keep it: not negative, up to 4 decimals."""
    return ThaiDecimalField(
        label=label,
        required=False,
        max_digits=18,
        decimal_places=4,
        min_value=0,
        error_messages=number_errors(4),
        **kwargs,
    )


def money_field(label: str, *, required: bool = False, **kwargs: Any) -> ThaiDecimalField:
    """Baht and satang: not negative, 2 decimals."""
    return ThaiDecimalField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=2,
        min_value=0,
        error_messages=number_errors(2),
        **kwargs,
    )


class PlanForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="หน่วยงาน", queryset=Organization.objects.none(), empty_label="— เลือกหน่วยงาน —"
    )
    fiscal_year = forms.ModelChoiceField(
        label="ปีงบประมาณ",
        queryset=FiscalYear.objects.order_by("-year"),
        empty_label="— เลือกปีงบประมาณ —",
        help_text="ถ้ายังไม่มีปีที่ต้องการ ให้เพิ่มปีงบประมาณในหน้ารอบรายงานก่อน",
    )
    title = forms.CharField(label="ชื่อแผน", max_length=255)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["fiscal_year"].label_from_instance = lambda fy: str(fy.year)  # type: ignore[attr-defined]


def _plan_field(name: str) -> ThaiDecimalField:
    field = OperatingPlan._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    return ThaiDecimalField(model_field=field, min_value=0, help_text=field.help_text)


class PlanSettingsForm(forms.Form):
    """The plan's name and thresholds: the bands of ตารางที่ 1, the lagging lists and when a
    reporter must explain a low result."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    title = forms.CharField(label="ชื่อแผน", max_length=255)
    band_low = _plan_field("band_low")
    band_high = _plan_field("band_high")
    explanation_threshold = _plan_field("explanation_threshold")


class OutputForm(forms.Form):
    # The history record the form was opened at: a save over a newer change is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    name = forms.CharField(label="ชื่อผลผลิต", max_length=255)


class ActivityForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    name = forms.CharField(label="ชื่อกิจกรรม", max_length=255)
    name_note = forms.CharField(label="หมายเหตุเรื่องชื่อ", max_length=255, required=False)


class WorkItemAddForm(forms.Form):
    kind = forms.ChoiceField(label="ประเภท", choices=WorkItem.Kind.choices)
    name = forms.CharField(
        label="ชื่อ", max_length=NAME_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


LATER_QUARTER_CHOICES = [
    ("", "ทุกไตรมาส (ประเมินตั้งแต่ไตรมาสที่ 1)"),
    ("2", "มีแผนดำเนินงานตั้งแต่ไตรมาสที่ 2"),
    ("3", "มีแผนดำเนินงานในไตรมาส 3-4"),
    ("4", "มีแผนดำเนินงานในไตรมาสที่ 4"),
]


class WorkItemForm(forms.Form):
    # The history record the form was opened at: a save over another planner's newer change is
    # refused with what changed (tidtam.concurrency).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    name = forms.CharField(
        label="ชื่อ", max_length=NAME_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label="ประเภท", choices=WorkItem.Kind.choices)
    target_quantity = quantity_field("ค่าเป้าหมาย (จำนวน)", help_text=NUMBER_HELP)
    target_unit = forms.CharField(label="หน่วยนับ", max_length=64, required=False)
    target_text = forms.CharField(
        label="เป้าหมาย (ข้อความ)",
        max_length=255,
        required=False,
        help_text="เช่น 1 โครงการ (11 กิจกรรม) หรือ ความสำเร็จร้อยละ 100",
    )
    budget_baht = money_field("งบประมาณ (บาท)", help_text=NUMBER_HELP)
    budget_line = forms.ModelChoiceField(
        label="รายการงบประมาณที่ใช้คำนวณผลเบิกจ่าย",
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label="— ไม่ใช้ผลเบิกจ่าย —",
        help_text="สำหรับรายการงบประมาณ: ร้อยละความก้าวหน้าคิดจากผลเบิกจ่ายของรายการนี้",
    )
    later_quarter_from = forms.TypedChoiceField(
        label="ช่วงที่มีแผนดำเนินงาน",
        choices=LATER_QUARTER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="โครงการที่มีแผนเฉพาะไตรมาสหลังแยกเป็นช่องของตัวเองในตารางที่ 1 จนถึงไตรมาสนั้น",
    )
    group_name = forms.CharField(label="กลุ่มรายการ", max_length=255, required=False)

    def __init__(self, *args: Any, budget_lines: QuerySet[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        field.queryset = budget_lines  # type: ignore[attr-defined]
        field.label_from_instance = lambda line: f"{line.number}. {line.name}"  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        label="แผนการดำเนินงาน",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    planned_quantity = quantity_field("จำนวนตามแผน (สะสม)", help_text="ใช้คำนวณร้อยละเทียบแผนรอบนี้")


def milestone_forms(data: Any, initial: dict[int, dict[str, Any]]) -> dict[int, MilestoneForm]:
    """One milestone form per round (3, 6, 9, 12 months), prefixed m3 … m12."""
    forms_by_round = {}
    for months in Round.Months.values:
        form = MilestoneForm(data, prefix=f"m{months}", initial=initial.get(months, {}))
        # Four forms on one page: each label names its round for screen readers.
        form.fields["text"].label = f"แผนการดำเนินงาน รอบ {months} เดือน"
        form.fields["planned_quantity"].label = f"จำนวนตามแผน รอบ {months} เดือน (สะสม)"
        forms_by_round[months] = form
    return forms_by_round


class MoveForm(forms.Form):
    direction = forms.ChoiceField(label="ทิศทาง", choices=[("up", "เลื่อนขึ้น"), ("down", "เลื่อนลง")])


class MoveToForm(forms.Form):
    target = forms.ChoiceField(label="ย้ายไปที่")

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (pk, f"ผลผลิตที่ {a.output.number} กิจกรรมที่ {a.number} {a.name}")
            for pk, a in self.activities.items()
        ]

    def activity(self) -> Activity:
        return self.activities[self.cleaned_data["target"]]


class ExcludeForm(forms.Form):
    # Not required here: the service says, in Thai and naming the item, why a reason is needed.
    reason = forms.CharField(
        label="เหตุผลที่ไม่นำมาคิดผล",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="จะแสดงในหมายเหตุของรายงาน เช่น ไม่สามารถนำมาคิดได้เพราะเป็นค่าตอบแทนตามสัญญา",
    )


class ResponsibilityForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="หน่วยงานรับผิดชอบ",
        queryset=Organization.objects.none(),
        empty_label="— เลือกหน่วยงาน —",
    )
    person = forms.ModelChoiceField(
        label="ผู้รายงานผล",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— ทุกคนในหน่วยงานรายงานได้ —",
        help_text="เว้นว่างได้: ผู้รายงานผลทุกคนของหน่วยงานนั้นรายงานรายการนี้ได้",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        people: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        person = self.fields["person"]
        person.queryset = people  # type: ignore[attr-defined]
        person.label_from_instance = lambda p: f"{p.full_name} ({p.organization.label})"  # type: ignore[attr-defined]


class RemoveResponsibilityForm(forms.Form):
    organization = forms.ModelChoiceField(label="หน่วยงาน", queryset=Organization.objects.none())

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class CopyYearForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label="คัดลอกไปเป็นแผนของปีงบประมาณ",
        queryset=FiscalYear.objects.none(),
        empty_label="— เลือกปีงบประมาณ —",
        help_text="ถ้ายังไม่มีปีที่ต้องการ ให้เพิ่มปีงบประมาณในหน้ารอบรายงานก่อน",
    )

    def __init__(
        self, *args: Any, years: QuerySet[FiscalYear], planned: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fiscal_year"]
        field.queryset = years  # type: ignore[attr-defined]
        field.label_from_instance = lambda fy: (  # type: ignore[attr-defined]
            f"{fy.year} (มีแผนแล้ว)" if fy.pk in planned else str(fy.year)
        )


class WorkItemLineForm(forms.Form):
    """Where a work item's own budget line sits: its category, source of funds and budget type
    (its name, plan, output and activity are the item's)."""

    category = forms.ModelChoiceField(
        label="หมวดงบ",
        queryset=BudgetCategory.objects.none(),
        empty_label="— เลือกหมวดงบ —",
        help_text="หมวดของหน่วยงานเอง หรือประเภทงบมาตรฐานของสำนักงบประมาณ",
    )
    fund_source = forms.ModelChoiceField(
        label="แหล่งเงิน", queryset=FundSource.objects.none(), empty_label=None, required=False
    )
    expense_type = forms.ChoiceField(
        label="งบรายจ่าย",
        choices=[("", "— ไม่ระบุ —"), *BudgetCategory.StandardType.choices],
        required=False,
    )

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = BudgetCategory.choices_for(organization_id)  # type: ignore[attr-defined]
        self.fields["fund_source"].queryset = FundSource.choices_for(organization_id)  # type: ignore[attr-defined]


QUANTITY_COLUMNS = (
    ("planned", "planned_quantity", "จำนวนตามแผนในเดือน"),
    ("result", "result_quantity", "ผลในเดือน"),
)


class WorkItemMonthsForm(forms.Form):
    """A work item's twelve months: the quantity planned for each and the quantity done in each
    (blank: no plan / not reported yet)."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in FISCAL_MONTHS:
            for column, name, label in QUANTITY_COLUMNS:
                self.fields[f"{column}_{month}"] = amount_field(
                    WorkItemMonth, name, f"{label} เดือน{fiscal_month_name(month)}"
                )

    def grid(self) -> list[tuple[int, str, list[forms.BoundField]]]:
        return [
            (
                month,
                fiscal_month_name(month),
                [self[f"{column}_{month}"] for column, _, _ in QUANTITY_COLUMNS],
            )
            for month in FISCAL_MONTHS
        ]

    def rows(self) -> list[QuantityMonth]:
        data = self.cleaned_data
        return [
            QuantityMonth(
                month=month,
                planned_quantity=data.get(f"planned_{month}"),
                result_quantity=data.get(f"result_{month}"),
            )
            for month in FISCAL_MONTHS
        ]
