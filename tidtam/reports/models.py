"""What the reports app keeps: the ITA item codes per year, and rendered documents for download."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.limits import TEXT_MAX, limited
from tidtam.orgs.models import Organization


class ITAItem(models.Model):
    """An item of the integrity and transparency assessment (ITA/OIT) in a given year.

    The codes change every year (O11 in 2567 may be O10 in another year), so they are data.
    """

    class Publication(models.TextChoices):
        ANNUAL_PLAN = "ita-plan", "แผนการดำเนินงานและการใช้จ่ายงบประมาณประจำปี"
        PROGRESS = "ita-progress", "รายงานการกำกับติดตามการดำเนินงานและการใช้จ่ายงบประมาณ รอบ 6 เดือน"
        ANNUAL_REPORT = "ita-annual", "รายงานผลการดำเนินงานประจำปี"

    year = models.PositiveIntegerField("ปีการประเมิน (พ.ศ.)")
    publication = models.CharField("เอกสาร", max_length=16, choices=Publication.choices)
    code = models.CharField("รหัสข้อ", max_length=16)
    title = models.CharField("ชื่อข้อตามแบบการประเมิน", max_length=255)
    asks = models.TextField("สิ่งที่ข้อนี้ต้องการ", blank=True, **limited(TEXT_MAX))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ข้อการเปิดเผยข้อมูล ITA"
        verbose_name_plural = "ข้อการเปิดเผยข้อมูล ITA"
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "publication"], name="ita_item_once_per_year"),
            models.CheckConstraint(condition=models.Q(year__gte=2400), name="ita_item_year_be"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.year}) {self.title}"


class RenderJob(models.Model):
    """One request to render a document in a format, run as a background task.

    The file is kept so that the person (and others allowed to see the organisation) can
    download it again; progress and the current stage are shown while it runs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังจัดทำ"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.CharField("เอกสาร", max_length=32)
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.CASCADE, related_name="render_jobs"
    )
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ (พ.ศ.)")
    round_months = models.PositiveSmallIntegerField("รอบ (เดือน)", null=True, blank=True)
    # Of the organisation with every unit below it (the documents that can be: `with_subtree`).
    subtree = models.BooleanField("รวมหน่วยงานในสังกัด", default=False)
    format = models.CharField("รูปแบบไฟล์", max_length=8)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ขอ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="render_jobs",
    )
    status = models.CharField("สถานะ", max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("ความคืบหน้า (ร้อยละ)", default=0)
    stage = models.CharField("ขั้นตอน", max_length=255, blank=True)
    file = models.FileField("ไฟล์", upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField("ชื่อไฟล์", max_length=255, blank=True)
    error = models.TextField("ข้อผิดพลาด", blank=True)
    task_result_id = models.CharField("รหัสงานเบื้องหลัง", max_length=64, blank=True)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)
    # The running worker stamps this with every stage and every few seconds; a running job whose
    # stamp is older than RENDER_JOB_STALE_SECONDS lost its worker (killed, machine restarted).
    heartbeat_at = models.DateTimeField("สัญญาณล่าสุดจากผู้จัดทำ", null=True, blank=True)
    # Which run owns the job: each claim adds one, and a run writes only while it still matches,
    # so a worker thought dead that wakes up cannot overwrite a retry's result.
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่เริ่มจัดทำ", default=0)

    class Meta:
        verbose_name = "งานจัดทำเอกสาร"
        verbose_name_plural = "งานจัดทำเอกสาร"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="render_job_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.organization_id} {self.fiscal_year} ({self.format})"
