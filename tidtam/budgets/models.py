"""Budget categories, an organisation's budget lines per year, and what was paid or committed."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.domain.budget import BudgetFigures
from tidtam.limits import TEXT_MAX, limited
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


class BudgetLine(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="budget_lines"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    category = models.ForeignKey(
        BudgetCategory, verbose_name="หมวดงบ", on_delete=models.PROTECT, related_name="lines"
    )
    number = models.PositiveIntegerField("ลำดับ")
    name = models.CharField("ชื่อรายการงบประมาณ", max_length=255)
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
            models.CheckConstraint(
                condition=models.Q(annual_plan_baht__gte=0), name="budget_line_plan_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name} ({self.fiscal_year.year})"

    def figures(self, spending: BudgetSpending | None) -> BudgetFigures:
        """The line's figures for a round: its annual plan and what it spent; a round with no
        spending reported yet has spent nothing (0.00), never "no figure"."""
        nothing = Decimal("0.00")
        return BudgetFigures(
            plan=self.annual_plan_baht,
            disbursed=spending.disbursed_baht if spending else nothing,
            committed=spending.committed_baht if spending else nothing,
        )


class BudgetSpending(models.Model):
    """Cumulative amounts from the start of the fiscal year to the end of a round."""

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
