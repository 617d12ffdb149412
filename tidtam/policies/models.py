"""Policy frameworks (national strategy, master plans, the agency's own plan…) as versioned trees."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.limits import NAME_MAX, limited
from tidtam.orgs.models import Organization


class PolicyFramework(models.Model):
    class Level(models.IntegerChoices):
        NATIONAL_STRATEGY = 1, "ระดับที่ 1 ยุทธศาสตร์ชาติ"
        NATIONAL_PLAN = 2, "ระดับที่ 2 แผนแม่บท แผนพัฒนาฯ แผนการปฏิรูปประเทศ นโยบาย"
        AGENCY_PLAN = 3, "ระดับที่ 3 แผนของหน่วยงาน"
        ASSESSMENT = 4, "เกณฑ์การประเมิน (เช่น PMQA)"

    code = models.SlugField("รหัสกรอบนโยบาย", max_length=64)
    version = models.CharField("ฉบับ", max_length=64, help_text="เช่น 2561-2580 หรือ 2566")
    name = models.CharField("ชื่อ", max_length=255)
    level = models.PositiveSmallIntegerField("ระดับ", choices=Level.choices)
    owner = models.ForeignKey(
        Organization,
        verbose_name="หน่วยงานเจ้าของแผน",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="เว้นว่างสำหรับแผนระดับชาติ",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "กรอบนโยบาย / แผน"
        verbose_name_plural = "กรอบนโยบาย / แผน"
        ordering = ["level", "code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version")
        ]

    def __str__(self) -> str:
        return self.name


class PolicyNode(models.Model):
    framework = models.ForeignKey(
        PolicyFramework, verbose_name="กรอบนโยบาย", on_delete=models.PROTECT, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="หัวข้อแม่",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField("รหัส / เลขข้อ", max_length=64)
    name = models.TextField("ชื่อ", **limited(NAME_MAX))
    order = models.PositiveIntegerField("ลำดับ", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หัวข้อในกรอบนโยบาย"
        verbose_name_plural = "หัวข้อในกรอบนโยบาย"
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="node_code_in_framework")
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.code} {self.name}"
