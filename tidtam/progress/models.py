"""Progress entries: what each work item achieved by the end of each round."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = "submitted", "ส่งแล้ว"
    RETURNED = "returned", "ส่งกลับให้แก้ไข"
    APPROVED = "approved", "อนุมัติแล้ว"


class PercentMethod(models.TextChoices):
    COMPUTED = "computed", "คำนวณจากจำนวนผลเทียบเป้าหมาย"
    BUDGET_LINE = "budget_line", "คำนวณจากผลเบิกจ่ายเทียบแผนการใช้จ่าย"
    ENTERED = "entered", "กรอกโดยผู้รายงาน"


class ProgressEntry(models.Model):
    work_item = models.ForeignKey(
        WorkItem, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="progress"
    )
    round = models.ForeignKey(Round, verbose_name="รอบ", on_delete=models.PROTECT)
    result_text = models.TextField("ผลการดำเนินงาน (เทียบแผนรอบนี้)", blank=True)
    result_text_annual = models.TextField(
        "ผลการดำเนินงาน (เทียบเป้าหมายทั้งปี)", blank=True, help_text="เว้นว่างเมื่อเหมือนช่องก่อนหน้า"
    )
    result_quantity = models.DecimalField(
        "ผล (จำนวน)", max_digits=18, decimal_places=4, null=True, blank=True
    )
    percent_round = models.DecimalField(
        "ร้อยละเทียบแผนรอบนี้", max_digits=9, decimal_places=4, null=True, blank=True
    )
    percent_annual = models.DecimalField(
        "ร้อยละเทียบเป้าหมายทั้งปี", max_digits=9, decimal_places=4, null=True, blank=True
    )
    percent_method = models.CharField(
        "วิธีได้มาของร้อยละ",
        max_length=16,
        choices=PercentMethod.choices,
        default=PercentMethod.COMPUTED,
    )
    percent_note = models.TextField("เหตุผลที่กรอกร้อยละเอง", blank=True)
    explanation = models.TextField("คำอธิบายกรณีผลต่ำกว่าร้อยละ 50", blank=True)
    status = models.CharField(
        "สถานะ", max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="บันทึกล่าสุดโดย",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ผลการดำเนินงานรายรอบ"
        verbose_name_plural = "ผลการดำเนินงานรายรอบ"
        ordering = ["work_item", "round__months"]
        constraints = [
            models.UniqueConstraint(fields=["work_item", "round"], name="progress_once_per_round"),
            models.CheckConstraint(
                condition=(models.Q(percent_round__isnull=True) | models.Q(percent_round__gte=0))
                & (models.Q(percent_annual__isnull=True) | models.Q(percent_annual__gte=0)),
                name="percent_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(percent_method="entered") | ~models.Q(percent_note=""),
                name="entered_percent_needs_note",
            ),
            models.CheckConstraint(
                condition=models.Q(result_quantity__isnull=True) | models.Q(result_quantity__gte=0),
                name="result_quantity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_item} — {self.round}"
