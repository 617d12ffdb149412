"""Indicators (KPIs) with their series and results, and the performance agreements that weigh them."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tidtam import keys
from tidtam.domain import scoring
from tidtam.limits import NAME_MAX, TEXT_MAX, limited
from tidtam.messages import LABELS, SCHEME_LABELS
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import WorkItem
from tidtam.policies.models import PolicyNode
from tidtam.reporting import EntryStatus, PercentMethod


class Indicator(models.Model):
    # The core's kinds and directions, labelled from the one catalogue (tidtam.messages).
    class MeasureKind(models.TextChoices):
        QUANTITY = scoring.MeasureKind.QUANTITY, LABELS[scoring.MeasureKind.QUANTITY]
        RATIO = scoring.MeasureKind.RATIO, LABELS[scoring.MeasureKind.RATIO]
        CHANGE = scoring.MeasureKind.CHANGE, LABELS[scoring.MeasureKind.CHANGE]
        MILESTONE = scoring.MeasureKind.MILESTONE, LABELS[scoring.MeasureKind.MILESTONE]
        YES_NO = scoring.MeasureKind.YES_NO, LABELS[scoring.MeasureKind.YES_NO]

    class Direction(models.TextChoices):
        HIGHER = scoring.Direction.HIGHER, LABELS[scoring.Direction.HIGHER]
        LOWER = scoring.Direction.LOWER, LABELS[scoring.Direction.LOWER]

    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="indicators"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.indicator_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    number = models.PositiveIntegerField("ลำดับ", default=0)
    name = models.TextField("ชื่อตัวชี้วัด", **limited(NAME_MAX))
    measure_kind = models.CharField("ลักษณะการวัด", max_length=16, choices=MeasureKind.choices)
    direction = models.CharField(
        "ทิศทาง", max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    unit = models.CharField("หน่วยนับ", max_length=64, blank=True)
    target_value = models.DecimalField(
        "ค่าเป้าหมายที่ใช้คำนวณ", max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_text = models.CharField("ค่าเป้าหมาย (ตามที่แสดง)", max_length=255, blank=True)
    # A change KPI measures (result − base) / |base| × 100 from its base year's value.
    base_year = models.PositiveSmallIntegerField("ปีฐาน (พ.ศ.)", null=True, blank=True)
    base_value = models.DecimalField(
        "ค่าฐาน", max_digits=18, decimal_places=4, null=True, blank=True
    )
    # A project of the agency's strategic plan is this one row: the project's name and units
    # with its KPI, under its strategy (docs/decisions/0003-strategic-projects.md).
    project_name = models.TextField(
        "โครงการตามแผนยุทธศาสตร์",
        blank=True,
        help_text="ใส่เมื่อตัวชี้วัดนี้เป็นของโครงการตามแผนยุทธศาสตร์ของหน่วยงาน",
        **limited(NAME_MAX),
    )
    responsible_units: models.ManyToManyField[Organization, IndicatorResponsibility] = (
        models.ManyToManyField(
            Organization,
            verbose_name="หน่วยงานรับผิดชอบโครงการ",
            blank=True,
            related_name="strategic_indicators",
            through="IndicatorResponsibility",
        )
    )
    work_item = models.ForeignKey(
        WorkItem,
        verbose_name="โครงการ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    strategy = models.ForeignKey(
        PolicyNode,
        verbose_name="กลยุทธ์ของหน่วยงาน",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategy_indicators",
    )
    policy_nodes = models.ManyToManyField(
        PolicyNode, verbose_name="ความเชื่อมโยงกับนโยบาย", blank=True, related_name="indicators"
    )
    previous_result = models.CharField("ผลการดำเนินงานปีที่ผ่านมา", max_length=255, blank=True)
    description = models.TextField(
        "คำอธิบาย", blank=True, help_text="หนึ่งย่อหน้าต่อบรรทัด", **limited(TEXT_MAX)
    )
    definitions = models.TextField("นิยาม", blank=True, **limited(TEXT_MAX))
    data_sources = models.TextField("แหล่งข้อมูล", blank=True, **limited(TEXT_MAX))
    conditions = models.TextField("เงื่อนไข", blank=True, **limited(TEXT_MAX))
    steps = models.TextField("ขั้นตอนการดำเนินงาน", blank=True, **limited(TEXT_MAX))
    benefit = models.TextField("ประโยชน์ที่ประชาชนจะได้รับ", blank=True, **limited(TEXT_MAX))
    other_sections = models.JSONField("หัวข้ออื่น ๆ", default=list, blank=True)
    history = HistoricalRecords(m2m_fields=[policy_nodes])

    class Meta:
        verbose_name = "ตัวชี้วัด"
        verbose_name_plural = "ตัวชี้วัด"
        ordering = ["organization__code", "fiscal_year__year", "number"]
        constraints = [
            # A KPI is the same one year after year: its copy keeps the key.
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "key"], name="indicator_key"
            ),
            # A change may aim below zero ("reduce by at least 10 %": −10, lower is better).
            models.CheckConstraint(
                condition=models.Q(target_value__isnull=True)
                | models.Q(target_value__gte=0)
                | models.Q(measure_kind="change"),
                name="indicator_target_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(base_year__isnull=True)
                | models.Q(base_year__gte=2400, base_year__lte=2700),
                name="indicator_base_year_is_be",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """What a person knows the KPI by: a strategic-plan project's name, else its own
        (`SHOWN_NAME` in SQL)."""
        return self.project_name or self.name

    @property
    def units_label(self) -> str:
        """The project's units as documents print them ("สสพ./ภทส."); read from
        `responsibilities`, which callers prefetch with their organisations."""
        return "/".join(r.organization.label for r in self.responsibilities.all())


# `Indicator.shown_name` in SQL, to sort and match by.
SHOWN_NAME = Coalesce(
    NullIf("project_name", models.Value("")), "name", output_field=models.TextField()
)


# The KPIs a document prints, and so the ones a reporter is asked for: a KPI of an agreement
# (its scorecard) or one under a strategy of the agency's plan (the quarterly report's strategic
# table; every strategic-plan project is one). A KPI taken out of its agreement after results were
# reported keeps them, but is no one's work any more.
IN_A_DOCUMENT = models.Q(agreement_kpi__isnull=False) | models.Q(strategy__isnull=False)


class IndicatorSeriesValue(models.Model):
    """One cell of a baseline (past years) or roadmap (coming years) table."""

    class Series(models.TextChoices):
        BASELINE = "baseline", "ข้อมูลพื้นฐาน"
        ROADMAP = "roadmap", "แผนระยะยาว (Roadmap)"

    indicator = models.ForeignKey(
        Indicator, verbose_name="ตัวชี้วัด", on_delete=models.CASCADE, related_name="series"
    )
    series = models.CharField("ชุดข้อมูล", max_length=16, choices=Series.choices)
    row_label = models.CharField("หัวแถว", max_length=255, default="ผลการดำเนินงาน")
    row_order = models.PositiveIntegerField("ลำดับแถว", default=0)
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ (พ.ศ.)")
    value = models.DecimalField("ค่า", max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.CharField("ค่า (ตามที่แสดง)", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ข้อมูลพื้นฐาน / แผนระยะยาว"
        verbose_name_plural = "ข้อมูลพื้นฐาน / แผนระยะยาว"
        ordering = ["indicator_id", "series", "row_order", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "series", "row_label", "fiscal_year"], name="series_cell_once"
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2400, fiscal_year__lte=2700),
                name="series_year_is_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.fiscal_year}: {self.text}"


class IndicatorOwner(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name="ตัวชี้วัด", on_delete=models.CASCADE, related_name="owners"
    )
    person = models.ForeignKey(Person, verbose_name="ผู้รับผิดชอบ", on_delete=models.PROTECT)
    order = models.PositiveIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ผู้รับผิดชอบตัวชี้วัด"
        verbose_name_plural = "ผู้รับผิดชอบตัวชี้วัด"
        ordering = ["indicator_id", "order"]
        constraints = [models.UniqueConstraint(fields=["indicator", "person"], name="owner_once")]

    def __str__(self) -> str:
        return f"{self.person} — {self.indicator}"


class IndicatorResponsibility(models.Model):
    """A unit responsible for a strategic-plan project, in the order documents print them
    ("สสพ./ภทส."): its reporters report the project's KPI."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name="ตัวชี้วัด",
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หน่วยงานรับผิดชอบโครงการ"
        verbose_name_plural = "หน่วยงานรับผิดชอบโครงการ"
        ordering = ["indicator_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization"], name="indicator_responsible_once"
            )
        ]

    def __str__(self) -> str:
        return self.organization.label


class IndicatorResult(models.Model):
    """A KPI's result at the end of a round: self-assessed, and as reviewed by a committee."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="ตัวชี้วัด", on_delete=models.CASCADE, related_name="results"
    )
    round = models.ForeignKey(Round, verbose_name="รอบ", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Organization,
        verbose_name="หน่วยงานที่รายงาน",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="ใช้เมื่อรวมผลหลายหน่วยงาน (เช่น อัตราส่วน รวม ΣA/ΣB)",
        # Indexed where it is set (Meta.indexes): an index of every row, nearly all of them
        # without a unit, led SQLite to read a KPI's results through it instead of the KPI's.
        db_index=False,
    )
    value = models.DecimalField("ผล (ค่า)", max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        "ตัวตั้ง (A)", max_digits=18, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        "ตัวหาร (B)", max_digits=18, decimal_places=4, null=True, blank=True
    )
    level_reached = models.PositiveSmallIntegerField(
        LABELS[scoring.ResultField.LEVEL], null=True, blank=True
    )
    met = models.BooleanField(LABELS[scoring.ResultField.MET], null=True, blank=True)
    # As wide as the value: a change from a small base can be 100,000 % and more.
    percent = models.DecimalField("ร้อยละ", max_digits=18, decimal_places=4, null=True, blank=True)
    percent_method = models.CharField(
        "วิธีได้มาของร้อยละ", max_length=16, choices=PercentMethod.choices, blank=True
    )
    narrative = models.TextField("ผลการดำเนินงาน (คำบรรยาย)", blank=True, **limited(TEXT_MAX))
    reviewed_value = models.DecimalField(
        "ผลที่คณะกรรมการรับรอง", max_digits=18, decimal_places=4, null=True, blank=True
    )
    reviewed_level_reached = models.PositiveSmallIntegerField(
        "ระดับที่คณะกรรมการรับรอง", null=True, blank=True
    )
    reviewed_met = models.BooleanField("คณะกรรมการรับรองว่าบรรลุ", null=True, blank=True)
    reviewed_score = models.DecimalField(
        "คะแนนที่คณะกรรมการให้", max_digits=9, decimal_places=4, null=True, blank=True
    )
    reviewed_score_reason = models.TextField(
        "เหตุผลของคะแนนที่คณะกรรมการให้", blank=True, **limited(TEXT_MAX)
    )
    deduction = models.DecimalField(
        "คะแนนที่หัก", max_digits=9, decimal_places=4, null=True, blank=True
    )
    deduction_rule = models.TextField("หลักเกณฑ์การหักคะแนน", blank=True, **limited(TEXT_MAX))
    review_note = models.TextField("ความเห็นคณะกรรมการ", blank=True, **limited(TEXT_MAX))
    status = models.CharField(
        "สถานะ", max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # As on ProgressEntry: the version a form was opened at, and a planner's leave to change
    # this one result after the round closed.
    version = models.PositiveIntegerField("รุ่นของข้อมูล", default=0, editable=False)
    late_edit_allowed = models.BooleanField("แก้ไขได้หลังปิดรอบ", default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ผลตัวชี้วัดรายรอบ"
        verbose_name_plural = "ผลตัวชี้วัดรายรอบ"
        ordering = ["indicator_id", "round__months"]
        indexes = [
            models.Index(fields=["round", "status"], name="result_round_status"),
            models.Index(
                fields=["unit"], condition=models.Q(unit__isnull=False), name="result_unit"
            ),
            models.Index(
                fields=["indicator"],
                condition=models.Q(late_edit_allowed=True),
                name="result_late_edit",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "round", "unit"],
                condition=models.Q(unit__isnull=False),
                name="indicator_result_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "round"],
                condition=models.Q(unit__isnull=True),
                name="indicator_result_once",
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gte=0),
                name="denominator_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("progress:result", args=[self.indicator_id, self.round_id])

    # As a reportable entry (tidtam.reporting.Reportable).
    @property
    def label(self) -> str:
        return str(self.indicator.name)

    @property
    def rules_organization_id(self) -> int:
        return int(self.indicator.organization_id)

    @property
    def is_empty(self) -> bool:
        return (
            not self.narrative.strip()
            and self.value is None
            and self.level_reached is None
            and self.met is None
        )


class Agreement(models.Model):
    class Scheme(models.TextChoices):
        THREE_LEVEL = "three_level", SCHEME_LABELS["three_level"]
        FIVE_LEVEL = "five_level", SCHEME_LABELS["five_level"]

    class Interpolation(models.TextChoices):
        STEP = scoring.Interpolation.STEP, LABELS[scoring.Interpolation.STEP]
        LINEAR = scoring.Interpolation.LINEAR, LABELS[scoring.Interpolation.LINEAR]

    class Weighting(models.TextChoices):
        OF_MAX = scoring.Weighting.OF_MAX, LABELS[scoring.Weighting.OF_MAX]
        WEIGHT_PERCENT = scoring.Weighting.WEIGHT_PERCENT, LABELS[scoring.Weighting.WEIGHT_PERCENT]

    organization = models.ForeignKey(
        Organization,
        verbose_name="หน่วยงาน (ผู้ทำคำรับรอง)",
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    title = models.CharField("ชื่อเอกสาร", max_length=255)
    subtitle = models.CharField("ชื่อรอง", max_length=255, blank=True)
    receiver = models.ForeignKey(
        Person, verbose_name="ผู้รับคำรับรอง", on_delete=models.PROTECT, related_name="+"
    )
    receiver_position = models.CharField("ตำแหน่งผู้รับคำรับรอง", max_length=255)
    maker = models.ForeignKey(
        Person, verbose_name="ผู้ทำคำรับรอง", on_delete=models.PROTECT, related_name="+"
    )
    maker_position = models.CharField("ตำแหน่งผู้ทำคำรับรอง", max_length=255)
    period_start = models.DateField("เริ่มตั้งแต่วันที่")
    period_end = models.DateField("ถึงวันที่")
    signed_on = models.DateField("วันที่ลงนาม", null=True, blank=True)
    scheme = models.CharField(
        "เกณฑ์การให้คะแนน", max_length=16, choices=Scheme.choices, default=Scheme.THREE_LEVEL
    )
    interpolation = models.CharField(
        "การให้คะแนนระหว่างระดับ",
        max_length=8,
        choices=Interpolation.choices,
        default=Interpolation.STEP,
    )
    below_lowest_points = models.DecimalField(
        "คะแนนเมื่อต่ำกว่าระดับแรก", max_digits=7, decimal_places=4, default=0
    )
    weighting = models.CharField(
        "การคำนวณคะแนนถ่วงน้ำหนัก",
        max_length=16,
        choices=Weighting.choices,
        default=Weighting.OF_MAX,
    )
    score_places = models.PositiveSmallIntegerField(
        "จำนวนทศนิยมของคะแนนที่แสดง",
        default=4,
        help_text="0 ถึง 4 ตำแหน่ง; คะแนนคำนวณเต็มความละเอียดเสมอ และปัดเศษเฉพาะตอนแสดง",
    )
    linkage_table = models.JSONField(
        "ตารางความเชื่อมโยง (ตามที่แสดงในเอกสาร)", default=dict, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คำรับรองการปฏิบัติราชการ"
        verbose_name_plural = "คำรับรองการปฏิบัติราชการ"
        ordering = ["organization__code", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="one_agreement_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="agreement_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(score_places__lte=4), name="agreement_score_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization.label}"


class AgreementClause(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name="คำรับรอง", on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.PositiveIntegerField("ข้อ")
    text = models.TextField("ข้อความ", **limited(TEXT_MAX))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ข้อความคำรับรอง"
        verbose_name_plural = "ข้อความคำรับรอง"
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="clause_number")
        ]

    def __str__(self) -> str:
        return f"ข้อ {self.number}"


class KPIGroup(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name="คำรับรอง", on_delete=models.CASCADE, related_name="groups"
    )
    code = models.SlugField("รหัสกลุ่ม", max_length=64)
    name = models.CharField("ชื่อองค์ประกอบ", max_length=255)
    weight = models.DecimalField("น้ำหนัก (ร้อยละ)", max_digits=7, decimal_places=4)
    order = models.PositiveIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "องค์ประกอบการประเมิน"
        verbose_name_plural = "องค์ประกอบการประเมิน"
        ordering = ["agreement_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "code"], name="group_code"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100), name="group_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementKPI(models.Model):
    group = models.ForeignKey(
        KPIGroup, verbose_name="องค์ประกอบ", on_delete=models.CASCADE, related_name="kpis"
    )
    indicator = models.OneToOneField(
        Indicator, verbose_name="ตัวชี้วัด", on_delete=models.PROTECT, related_name="agreement_kpi"
    )
    number = models.PositiveIntegerField("ตัวชี้วัดที่")
    weight = models.DecimalField("น้ำหนัก (ร้อยละ)", max_digits=7, decimal_places=4)
    linkage_text = models.TextField(
        "ความเชื่อมโยงกับนโยบาย / ยุทธศาสตร์ (ตามแบบฟอร์มสรุป)", blank=True, **limited(TEXT_MAX)
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ตัวชี้วัดตามคำรับรอง"
        verbose_name_plural = "ตัวชี้วัดตามคำรับรอง"
        ordering = ["group__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="kpi_number"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100), name="kpi_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return f"ตัวชี้วัดที่ {self.number} {self.indicator.name}"


class ScoringLevel(models.Model):
    kpi = models.ForeignKey(
        AgreementKPI, verbose_name="ตัวชี้วัด", on_delete=models.CASCADE, related_name="levels"
    )
    rank = models.PositiveSmallIntegerField("ระดับที่")
    name = models.CharField("ชื่อระดับ", max_length=64, blank=True)
    points = models.DecimalField("คะแนน", max_digits=7, decimal_places=4)
    description = models.TextField("เกณฑ์ / ค่าเป้าหมาย", blank=True, **limited(TEXT_MAX))
    threshold = models.DecimalField(
        "ค่าที่ต้องได้ (ตัวชี้วัดเชิงปริมาณ)", max_digits=18, decimal_places=4, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "เกณฑ์การให้คะแนน"
        verbose_name_plural = "เกณฑ์การให้คะแนน"
        ordering = ["kpi_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["kpi", "rank"], name="level_rank")]

    def __str__(self) -> str:
        return f"ระดับ {self.rank} ({self.points} คะแนน)"
