"""Budget categories, an organisation's budget lines per year, and what was paid or committed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

from tidtam import keys
from tidtam.domain import disbursement
from tidtam.domain.budget import BudgetFigures
from tidtam.domain.disbursement import (
    MONTHS_IN_YEAR,
    MonthlyPlan,
    planned_by_date,
    planned_by_month,
)
from tidtam.limits import TEXT_MAX, limited
from tidtam.messages import LABELS
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round


class BudgetCategory(models.Model):
    """A kind of budget: the Budget Bureau's standard types, or an agency's own grouping."""

    class StandardType(models.TextChoices):
        PERSONNEL = "personnel", "งบบุคลากร"
        OPERATING = "operating", "งบดำเนินงาน"
        INVESTMENT = "investment", "งบลงทุน"
        SUBSIDY = "subsidy", "งบเงินอุดหนุน"
        OTHER = "other", "งบรายจ่ายอื่น"

    class Nature(models.TextChoices):
        RECURRENT = "recurrent", "รายจ่ายประจำ"
        INVESTMENT = "investment", "รายจ่ายลงทุน"

    organization = models.ForeignKey(
        Organization,
        verbose_name="หน่วยงาน",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="เว้นว่างสำหรับประเภทงบมาตรฐานของสำนักงบประมาณ",
    )
    code = models.SlugField("รหัส", max_length=64)
    name = models.CharField("ชื่อหมวด / ประเภทงบ", max_length=255)
    standard_type = models.CharField(
        "ประเภทงบตามสำนักงบประมาณ", max_length=32, choices=StandardType.choices, blank=True
    )
    nature = models.CharField("ลักษณะรายจ่าย", max_length=32, choices=Nature.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หมวด / ประเภทงบประมาณ"
        verbose_name_plural = "หมวด / ประเภทงบประมาณ"
        ordering = ["organization__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=models.Q(organization__isnull=False),
                name="category_code_per_org",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organization__isnull=True),
                name="standard_category_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def choices_for(cls, organization_id: int) -> models.QuerySet[BudgetCategory]:
        """The organisation's own categories first, then the Budget Bureau's standard types."""
        return cls.objects.filter(
            models.Q(organization_id=organization_id) | models.Q(organization__isnull=True)
        ).order_by("organization_id", "code")


class FundSource(models.Model):
    """Where money comes from: เงินงบประมาณ, เงินนอกงบประมาณ, เงินรายได้, เงินกองทุน… (data; the
    standard ones have no organisation, an agency may add its own)."""

    BUDGET = "budget"  # the standard ones: tidtam.budgets.apps.STANDARD_FUND_SOURCES

    organization = models.ForeignKey(
        Organization,
        verbose_name="หน่วยงาน",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="เว้นว่างสำหรับแหล่งเงินมาตรฐาน",
    )
    code = models.SlugField("รหัส", max_length=64)
    name = models.CharField("แหล่งเงิน", max_length=255)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "แหล่งเงิน"
        verbose_name_plural = "แหล่งเงิน"
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=models.Q(organization__isnull=False),
                name="fund_source_code_per_org",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organization__isnull=True),
                name="standard_fund_source_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def choices_for(cls, organization_id: int) -> models.QuerySet[FundSource]:
        """The sources a line of the organisation may name: the standard ones, then its own."""
        return cls.objects.filter(
            models.Q(organization_id=organization_id) | models.Q(organization__isnull=True)
        ).order_by("organization_id", "order", "code")

    @classmethod
    def standard(cls, code: str = BUDGET) -> FundSource:
        """A standard fund source (made by `tidtam migrate`: tidtam.budgets.apps)."""
        return cls.objects.get(organization__isnull=True, code=code)


class BudgetAllocation(models.Model):
    """The money an organisation received for a fiscal year from one source (its allotment, as
    its own figure: the lines' rounded parts may not add up to it, and the documents say so)."""

    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="allocations"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    fund_source = models.ForeignKey(FundSource, verbose_name="แหล่งเงิน", on_delete=models.PROTECT)
    amount_baht = models.DecimalField("งบประมาณที่ได้รับจัดสรร (บาท)", max_digits=16, decimal_places=2)
    note = models.TextField("หมายเหตุ", blank=True, **limited(TEXT_MAX))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "งบประมาณที่ได้รับจัดสรร"
        verbose_name_plural = "งบประมาณที่ได้รับจัดสรร"
        ordering = ["organization__code", "fiscal_year__year", "fund_source__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "fund_source"], name="allocation_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_baht__gte=0), name="allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year.year}: {self.fund_source}"


# The lines of a year's budget: money carried over from the year before is shown apart and is
# never in the year's totals.
OF_THE_YEAR = models.Q(carried_over=False)


def monthly_plan_of(months: Iterable[Any]) -> MonthlyPlan | None:
    """A line's monthly plan from its months (each with `month` and `planned_baht`: rows of
    BudgetMonth, or values read for many lines at once); None when no month has a plan."""
    amounts = [Decimal("0.00")] * MONTHS_IN_YEAR
    for month in months:
        amounts[month.month - 1] = month.planned_baht
    return MonthlyPlan(tuple(amounts)) if any(amounts) else None


class BudgetLine(models.Model):
    """A line of an organisation's budget for a year: where it sits in the Budget Bureau's
    structure (แผนงาน → ผลผลิต / โครงการ → กิจกรรม → งบรายจ่าย → รายการ), its source of funds,
    the agency's own category, and its annual plan; its monthly plan and results are
    `BudgetMonth` rows."""

    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="budget_lines"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    category = models.ForeignKey(
        BudgetCategory, verbose_name="หมวดงบ", on_delete=models.PROTECT, related_name="lines"
    )
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.budget_line_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    number = models.PositiveIntegerField("ลำดับ")
    code = models.CharField(
        "รหัสงบประมาณ",
        max_length=64,
        blank=True,
        help_text="รหัสตามพระราชบัญญัติงบประมาณ / GFMIS ถ้ามี (ไม่ซ้ำกันในหน่วยงานและปีเดียวกัน)",
    )
    name = models.CharField("ชื่อรายการงบประมาณ", max_length=255)
    programme = models.CharField("แผนงาน", max_length=255, blank=True)
    output = models.CharField("ผลผลิต / โครงการ", max_length=255, blank=True)
    activity = models.CharField("กิจกรรม", max_length=255, blank=True)
    expense_type = models.CharField(
        "งบรายจ่าย",
        max_length=32,
        choices=BudgetCategory.StandardType.choices,
        blank=True,
    )
    expense_item = models.CharField("รายการค่าใช้จ่าย", max_length=255, blank=True)
    nature = models.CharField(
        "ลักษณะรายจ่าย", max_length=32, choices=BudgetCategory.Nature.choices, blank=True
    )
    fund_source = models.ForeignKey(
        FundSource, verbose_name="แหล่งเงิน", on_delete=models.PROTECT, related_name="lines"
    )
    carried_over = models.BooleanField(
        "เงินกันไว้เบิกเหลื่อมปี",
        default=False,
        help_text="เงินของปีก่อนที่กันไว้เบิกในปีนี้: แสดงแยก ไม่รวมกับงบประมาณของปี",
    )
    annual_plan_baht = models.DecimalField("แผนการใช้จ่ายทั้งปี (บาท)", max_digits=16, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "รายการงบประมาณ"
        verbose_name_plural = "รายการงบประมาณ"
        ordering = ["organization__code", "fiscal_year__year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "number"], name="budget_line_number"
            ),
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "key"], name="budget_line_key"
            ),
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "code"],
                condition=~models.Q(code=""),
                name="budget_line_code",
            ),
            models.CheckConstraint(
                condition=models.Q(annual_plan_baht__gte=0), name="budget_line_plan_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name} ({self.fiscal_year.year})"

    def monthly_plan(self) -> MonthlyPlan | None:
        """Its planned disbursement per month, or None when it has no monthly plan (then the
        plan due by a month is a linear share of the year). Reads `months`, prefetched or not."""
        return monthly_plan_of(self.months.all())

    def figures_in_round(
        self, spending: BudgetSpending | None, round_: Round
    ) -> tuple[BudgetFigures, date]:
        """Its figures for a round, and the day they are as of: the day its figures were
        drawn, else the round's last day; its plan due by that day follows its monthly plan."""
        day = (spending.as_of if spending is not None else None) or round_.end_date
        due = planned_by_date(
            self.annual_plan_baht, self.monthly_plan(), round_.fiscal_year.year, day
        )
        figures = self.figures(spending)
        return (
            BudgetFigures(figures.plan, figures.disbursed, figures.committed, planned_to_date=due),
            day,
        )

    def figures(
        self, spending: BudgetSpending | None, *, months: int | None = None
    ) -> BudgetFigures:
        """The line's figures: its annual plan and what it spent by a round; a round with no
        spending reported yet has spent nothing (0.00), never "no figure". With `months`, the
        plan due by the end of that fiscal month too (its monthly plan's, or a linear share)."""
        nothing = Decimal("0.00")
        due = None
        if months is not None:
            due = planned_by_month(self.annual_plan_baht, self.monthly_plan(), months)
        return BudgetFigures(
            plan=self.annual_plan_baht,
            disbursed=spending.disbursed_baht if spending else nothing,
            committed=spending.committed_baht if spending else nothing,
            planned_to_date=due,
        )


class BudgetMonth(models.Model):
    """One month of a line: the disbursement planned for it, what was disbursed in it, and what
    was committed (ordered or contracted and not yet paid) at its end. Months without results
    have none (not 0.00: nothing reported yet)."""

    line = models.ForeignKey(
        BudgetLine, verbose_name="รายการงบประมาณ", on_delete=models.CASCADE, related_name="months"
    )
    month = models.PositiveSmallIntegerField("เดือนของปีงบประมาณ")  # 1 = October
    planned_baht = models.DecimalField(
        "แผนการเบิกจ่าย (บาท)", max_digits=16, decimal_places=2, default=0
    )
    disbursed_baht = models.DecimalField(
        "เบิกจ่ายในเดือน (บาท)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    committed_baht = models.DecimalField(
        "ก่อหนี้ผูกพัน ณ สิ้นเดือน (บาท)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "แผนและผลการเบิกจ่ายรายเดือน"
        verbose_name_plural = "แผนและผลการเบิกจ่ายรายเดือน"
        ordering = ["line_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="budget_month_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="budget_month_in_year"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_baht__gte=0)
                & (models.Q(disbursed_baht__isnull=True) | models.Q(disbursed_baht__gte=0))
                & (models.Q(committed_baht__isnull=True) | models.Q(committed_baht__gte=0)),
                name="budget_month_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.name} — เดือนที่ {self.month}"


class BudgetSpending(models.Model):
    """Cumulative amounts from the start of the fiscal year to a day of a round (its last day
    unless the figures were drawn earlier); for a line reported by month, written from its
    months (tidtam.budgets.services)."""

    line = models.ForeignKey(
        BudgetLine, verbose_name="รายการงบประมาณ", on_delete=models.CASCADE, related_name="spending"
    )
    round = models.ForeignKey(Round, verbose_name="รอบ", on_delete=models.PROTECT)
    disbursed_baht = models.DecimalField(
        "เบิกจ่ายสะสม (บาท)", max_digits=16, decimal_places=2, default=0
    )
    committed_baht = models.DecimalField(
        "ก่อหนี้ผูกพัน (บาท)", max_digits=16, decimal_places=2, default=0
    )
    as_of = models.DateField(
        "ข้อมูล ณ วันที่",
        null=True,
        blank=True,
        help_text="วันที่ดึงตัวเลข (ภายในรอบ); เว้นว่างคือวันสุดท้ายของรอบ",
    )
    note = models.TextField("หมายเหตุ", blank=True, **limited(TEXT_MAX))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ผลการใช้จ่ายงบประมาณ"
        verbose_name_plural = "ผลการใช้จ่ายงบประมาณ"
        ordering = ["line_id", "round__months"]
        constraints = [
            models.UniqueConstraint(fields=["line", "round"], name="spending_once_per_round"),
            models.CheckConstraint(
                condition=models.Q(disbursed_baht__gte=0, committed_baht__gte=0),
                name="spending_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.name} — {self.round}"


class CabinetTarget(models.Model):
    """The Cabinet's cumulative disbursement target for a fiscal year's quarter."""

    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    quarter = models.PositiveSmallIntegerField("ไตรมาส")
    overall_percent = models.DecimalField("เป้าหมายภาพรวม (ร้อยละ)", max_digits=9, decimal_places=4)
    recurrent_percent = models.DecimalField(
        "เป้าหมายรายจ่ายประจำ (ร้อยละ)", max_digits=9, decimal_places=4, null=True, blank=True
    )
    investment_percent = models.DecimalField(
        "เป้าหมายรายจ่ายลงทุน (ร้อยละ)", max_digits=9, decimal_places=4, null=True, blank=True
    )

    class Measure(models.TextChoices):
        DISBURSED = disbursement.Measure.DISBURSED, LABELS[disbursement.Measure.DISBURSED]
        SPENT = disbursement.Measure.SPENT, LABELS[disbursement.Measure.SPENT]

    measure = models.CharField(
        "วัดจาก",
        max_length=16,
        choices=Measure.choices,
        default=Measure.DISBURSED,
        help_text="มติคณะรัฐมนตรีกำหนดเป้าหมายจากผลการเบิกจ่าย",
    )
    source = models.CharField("ที่มา (มติคณะรัฐมนตรี)", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "เป้าหมายการเบิกจ่ายตามมติคณะรัฐมนตรี"
        verbose_name_plural = "เป้าหมายการเบิกจ่ายตามมติคณะรัฐมนตรี"
        ordering = ["fiscal_year__year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "quarter"], name="cabinet_target_once"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="cabinet_target_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"ไตรมาสที่ {self.quarter}/{self.fiscal_year.year}: ร้อยละ {self.overall_percent}"
