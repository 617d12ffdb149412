"""Fiscal years (stored as B.E.), their reporting rounds, and each organisation's schedule of them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for


class FiscalYear(models.Model):
    year = models.PositiveIntegerField("ปีงบประมาณ (พ.ศ.)", unique=True)
    start_date = models.DateField("วันเริ่มต้น", editable=False)
    end_date = models.DateField("วันสิ้นสุด", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ปีงบประมาณ"
        verbose_name_plural = "ปีงบประมาณ"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2400, year__lte=2700), name="fiscal_year_is_be"
            )
        ]

    def __str__(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.year}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The dates are derived, stored only so that SQL can filter by them.
        self.start_date = fiscal.fiscal_year_start(self.year)
        self.end_date = fiscal.fiscal_year_end(self.year)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        try:
            fiscal.check_be_year(self.year, field="ปีงบประมาณ")
        except DomainError as error:
            raise ValidationError({"year": message_for(error)}) from error


class Round(models.Model):
    class Months(models.IntegerChoices):
        THREE = 3, "รอบ 3 เดือน (ไตรมาสที่ 1)"
        SIX = 6, "รอบ 6 เดือน (ไตรมาสที่ 2)"
        NINE = 9, "รอบ 9 เดือน (ไตรมาสที่ 3)"
        TWELVE = 12, "รอบ 12 เดือน (ไตรมาสที่ 4)"

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT, related_name="rounds"
    )
    months = models.PositiveSmallIntegerField("รอบ", choices=Months.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "รอบรายงาน"
        verbose_name_plural = "รอบรายงาน"
        ordering = ["fiscal_year__year", "months"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "months"], name="round_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(months__in=fiscal.ROUND_MONTHS), name="round_months_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_months_display()} ปีงบประมาณ {self.fiscal_year.year}"

    @property
    def quarter(self) -> int:
        return self.months // 3

    @property
    def end_date(self) -> date:
        return fiscal.round_window(self.fiscal_year.year, self.months)[1]

    @property
    def quarter_start(self) -> date:
        """The first day of the round's own quarter: figures are drawn as of a day from here to
        `end_date`."""
        return fiscal.round_window(self.fiscal_year.year, self.months, cumulative=False)[0]


class RoundSchedule(models.Model):
    """An organisation's deadline for a round and whether it takes reports now.

    It applies to the organisation and, where they have none of their own, to the organisations
    below it (a ministry sets its departments' internal deadlines). `tidtam.periods.calendar`
    resolves which schedule applies; read it there, not here.
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="หน่วยงาน",
        on_delete=models.PROTECT,
        related_name="round_schedules",
    )
    round = models.ForeignKey(
        Round, verbose_name="รอบรายงาน", on_delete=models.PROTECT, related_name="schedules"
    )
    deadline = models.DateField("กำหนดส่งผล", null=True, blank=True)
    is_open = models.BooleanField("เปิดรับรายงาน", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "กำหนดการรอบรายงานของหน่วยงาน"
        verbose_name_plural = "กำหนดการรอบรายงานของหน่วยงาน"
        ordering = ["round__fiscal_year__year", "round__months", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "round"], name="round_schedule_once_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} ของ {self.organization}"
