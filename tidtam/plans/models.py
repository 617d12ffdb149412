"""The annual operating plan: outputs → activities → work items, with targets and milestones."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam import keys
from tidtam.budgets.models import BudgetLine
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import DEFAULT_THRESHOLDS, BandThresholds, ItemKind, is_later_quarter
from tidtam.limits import NAME_MAX, TEXT_MAX, limited
from tidtam.messages import LABELS, message_for
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.policies.models import PolicyFramework, PolicyNode


class OperatingPlan(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="plans"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.plan_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    title = models.CharField("ชื่อแผน", max_length=255)
    strategic_framework = models.ForeignKey(
        PolicyFramework,
        verbose_name="แผนยุทธศาสตร์ของหน่วยงาน",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # The plan's thresholds (the core's BandThresholds): every band, lagging list and
    # explanation of the plan reads them through `thresholds`.
    band_low = models.DecimalField(
        "ช่วงกลางเริ่มที่ร้อยละ",
        max_digits=7,
        decimal_places=4,
        default=DEFAULT_THRESHOLDS.low,
        help_text="ต่ำกว่านี้นับเป็นผลต่ำกว่าเกณฑ์และแสดงในตารางโครงการที่ล่าช้า",
    )
    band_high = models.DecimalField(
        "ช่วงบนเริ่มที่ร้อยละ", max_digits=7, decimal_places=4, default=DEFAULT_THRESHOLDS.high
    )
    explanation_threshold = models.DecimalField(
        "ต้องชี้แจงเหตุผลเมื่อผลต่ำกว่าร้อยละ",
        max_digits=7,
        decimal_places=4,
        default=DEFAULT_THRESHOLDS.explanation,
        help_text="ใส่ 0 ถ้าไม่ต้องการให้ผู้รายงานชี้แจง",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "แผนปฏิบัติราชการประจำปี"
        verbose_name_plural = "แผนปฏิบัติราชการประจำปี"
        ordering = ["organization__code", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="one_plan_per_year"
            ),
            models.UniqueConstraint(fields=["key"], name="plan_key"),
            models.CheckConstraint(
                condition=models.Q(band_low__gte=0)
                & models.Q(band_low__lt=models.F("band_high"))
                & models.Q(explanation_threshold__gte=0),
                name="plan_thresholds_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organization.label} {self.fiscal_year.year})"

    @property
    def thresholds(self) -> BandThresholds:
        """The core's thresholds as this plan sets them."""
        return BandThresholds(
            low=self.band_low, high=self.band_high, explanation=self.explanation_threshold
        )


class Output(models.Model):
    plan = models.ForeignKey(
        OperatingPlan, verbose_name="แผน", on_delete=models.CASCADE, related_name="outputs"
    )
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.output_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    number = models.PositiveIntegerField("ผลผลิตที่")
    name = models.CharField("ชื่อผลผลิต", max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ผลผลิต"
        verbose_name_plural = "ผลผลิต"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="output_number"),
            models.UniqueConstraint(fields=["plan", "key"], name="output_key"),
        ]

    def __str__(self) -> str:
        return f"ผลผลิตที่ {self.number} {self.name}"


class Activity(models.Model):
    output = models.ForeignKey(
        Output, verbose_name="ผลผลิต", on_delete=models.CASCADE, related_name="activities"
    )
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.activity_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    number = models.PositiveIntegerField("กิจกรรมที่")
    name = models.CharField("ชื่อกิจกรรม", max_length=255)
    name_note = models.CharField("หมายเหตุเรื่องชื่อ", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "กิจกรรม"
        verbose_name_plural = "กิจกรรม"
        ordering = ["output", "number"]
        constraints = [
            models.UniqueConstraint(fields=["output", "number"], name="activity_number"),
            models.UniqueConstraint(fields=["output", "key"], name="activity_key"),
        ]

    def __str__(self) -> str:
        return f"ผลผลิตที่ {self.output.number} กิจกรรมที่ {self.number}"


class WorkItem(models.Model):
    class Kind(models.TextChoices):  # labelled from the one catalogue (tidtam.messages)
        PROJECT = ItemKind.PROJECT, LABELS[ItemKind.PROJECT]
        PROGRAMME = ItemKind.PROGRAMME, LABELS[ItemKind.PROGRAMME]
        BUDGET_ITEM = ItemKind.BUDGET_ITEM, LABELS[ItemKind.BUDGET_ITEM]

    plan = models.ForeignKey(
        OperatingPlan, verbose_name="แผน", on_delete=models.CASCADE, related_name="work_items"
    )
    # A project of the agency's strategic plan, outside the activities, is a KPI with its
    # project's name (agreements.Indicator.project_name), not a work item.
    activity = models.ForeignKey(
        Activity, verbose_name="กิจกรรม", on_delete=models.PROTECT, related_name="work_items"
    )
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.work_item_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    number = models.PositiveIntegerField("ลำดับ")
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices)
    name = models.TextField("ชื่อ", **limited(NAME_MAX))
    target_quantity = models.DecimalField(
        "ค่าเป้าหมาย (จำนวน)", max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_unit = models.CharField("หน่วยนับ", max_length=64, blank=True)
    target_text = models.CharField("เป้าหมาย (ข้อความ)", max_length=255, blank=True)
    responsible_units: models.ManyToManyField[Organization, WorkItemResponsibility] = (
        models.ManyToManyField(
            Organization,
            verbose_name="หน่วยงานรับผิดชอบ",
            blank=True,
            related_name="work_items",
            through="WorkItemResponsibility",
        )
    )
    budget_baht = models.DecimalField(
        "งบประมาณ (บาท)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name="รายการงบประมาณที่ใช้คำนวณผลเบิกจ่าย",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    group_name = models.CharField("กลุ่มรายการ", max_length=255, blank=True)
    later_quarter_from = models.PositiveSmallIntegerField(
        "เริ่มดำเนินงานในไตรมาสที่",
        null=True,
        blank=True,
        help_text="ระบุเมื่อโครงการมีแผนดำเนินงานเฉพาะไตรมาสหลัง เช่น 3 = มีแผนในไตรมาส 3-4",
    )
    excluded = models.BooleanField("ไม่นำมาคิดผล", default=False)
    exclusion_reason = models.TextField("เหตุผลที่ไม่นำมาคิดผล", blank=True, **limited(TEXT_MAX))
    policy_nodes = models.ManyToManyField(
        PolicyNode, verbose_name="ความเชื่อมโยงกับแผนระดับชาติ", blank=True, related_name="work_items"
    )
    is_placeholder = models.BooleanField(
        "ข้อมูลแทน",
        default=False,
        help_text="สร้างขึ้นแทนรายการที่เอกสารต้นฉบับไม่ระบุรายละเอียด",
    )
    source_note = models.TextField("ที่มาของข้อมูล", blank=True, **limited(TEXT_MAX))
    history = HistoricalRecords(m2m_fields=[policy_nodes])

    class Meta:
        verbose_name = "โครงการ / แผนงาน / รายการ"
        verbose_name_plural = "โครงการ / แผนงาน / รายการ"
        ordering = ["plan", "activity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "activity", "number"], name="work_item_number"),
            # The plan's items are keyed by it: a year's copy keeps its source's key.
            models.UniqueConstraint(fields=["plan", "key"], name="work_item_key"),
            models.CheckConstraint(
                condition=models.Q(excluded=False) | ~models.Q(exclusion_reason=""),
                name="exclusion_needs_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(target_quantity__isnull=True) | models.Q(target_quantity__gte=0),
                name="target_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_baht__isnull=True) | models.Q(budget_baht__gte=0),
                name="work_item_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(later_quarter_from__isnull=True)
                | models.Q(later_quarter_from__gte=2, later_quarter_from__lte=4),
                name="later_quarter_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """An item sits in an activity of its own plan (the services refuse another plan's; this
        is for the admin's form): its band is counted under its plan by every table."""
        if self.plan_id is None or self.activity_id is None:
            return
        activity = Activity.objects.select_related("output__plan__organization").get(
            pk=self.activity_id
        )
        if activity.output.plan_id != self.plan_id:
            error = DomainError(
                "work_item_activity_other_plan",
                activity=str(activity),
                organization=activity.output.plan.organization.label,
            )
            raise ValidationError({"activity": message_for(error)})

    def is_later_quarter(self, round_: Round) -> bool:
        """True when the item's work starts after the round: it is in its own band."""
        return is_later_quarter(self.later_quarter_from, round_.quarter)


class WorkItemResponsibility(models.Model):
    """A unit responsible for a work item, in the order documents print them ("สสพ./ภทส.")."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="responsibilities"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="+"
    )
    # The person at that unit who reports the item's results; without one, every reporter
    # of the unit may.
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name="ผู้รายงานผล",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_item_responsibilities",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หน่วยงานรับผิดชอบ"
        verbose_name_plural = "หน่วยงานรับผิดชอบ"
        ordering = ["work_item_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["work_item", "organization"], name="responsible_once")
        ]

    def __str__(self) -> str:
        return self.organization.label


class PlannedMilestone(models.Model):
    """What a work item plans to have done by the end of a round (cumulative)."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="milestones"
    )
    round_months = models.PositiveSmallIntegerField("รอบ", choices=Round.Months.choices)
    text = models.TextField("แผนการดำเนินงาน", blank=True, **limited(TEXT_MAX))
    planned_quantity = models.DecimalField(
        "จำนวนตามแผน", max_digits=18, decimal_places=4, null=True, blank=True
    )
    planned_percent = models.DecimalField(
        "ร้อยละตามแผน", max_digits=9, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "แผนรายรอบ"
        verbose_name_plural = "แผนรายรอบ"
        ordering = ["work_item_id", "round_months"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_item", "round_months"], name="milestone_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_quantity__isnull=True)
                | models.Q(planned_quantity__gte=0),
                name="planned_quantity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_item} — {self.get_round_months_display()}"


class WorkItemMonth(models.Model):
    """One month of a work item with a quantity target: the quantity planned for it and the
    quantity done in it (in the item's unit; not cumulative). A monthly plan adds up to the
    item's target and gives the rounds' planned quantities (tidtam.plans.services); the
    results are what the Budget Bureau's สงป. 301 prints month by month."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="months"
    )
    month = models.PositiveSmallIntegerField("เดือนของปีงบประมาณ")  # 1 = October
    planned_quantity = models.DecimalField(
        "จำนวนตามแผนในเดือน", max_digits=18, decimal_places=4, null=True, blank=True
    )
    result_quantity = models.DecimalField(
        "ผลในเดือน", max_digits=18, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "แผนและผลรายเดือนของโครงการ"
        verbose_name_plural = "แผนและผลรายเดือนของโครงการ"
        ordering = ["work_item_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["work_item", "month"], name="work_item_month_once"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="work_item_month_in_year"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(planned_quantity__isnull=True) | models.Q(planned_quantity__gte=0)
                )
                & (models.Q(result_quantity__isnull=True) | models.Q(result_quantity__gte=0)),
                name="work_item_month_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_item} — เดือนที่ {self.month}"
