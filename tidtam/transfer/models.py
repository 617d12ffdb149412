"""An upload being imported: the file, who sent it, what it was read as, its preview (what
will be added, changed and left alone, every problem by sheet and row) and whether it was
applied. Read and applied by background tasks (tidtam.transfer.tasks) with progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        READING = "reading", "กำลังตรวจ"
        READY = "ready", "ตรวจแล้ว รอยืนยัน"
        PROBLEMS = "problems", "มีปัญหา ยังไม่บันทึก"
        APPLYING = "applying", "กำลังบันทึก"
        APPLIED = "applied", "บันทึกแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้นำเข้า",
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    file_name = models.CharField("ชื่อไฟล์", max_length=255)
    content = models.BinaryField("ไฟล์")
    # For a plain sheet in the seed documents' layout: whose and which year and round.
    org_code = models.CharField("รหัสหน่วยงาน", max_length=64, blank=True)
    fiscal_year = models.PositiveIntegerField("ปีงบประมาณ (พ.ศ.)", null=True, blank=True)
    round_months = models.PositiveSmallIntegerField("รอบ (เดือน)", null=True, blank=True)
    status = models.CharField("สถานะ", max_length=16, choices=Status.choices, default=Status.QUEUED)
    title = models.CharField("ข้อมูลที่นำเข้า", max_length=255, blank=True)
    counts = models.JSONField("จำนวนรายการ", default=dict, blank=True)
    changes = models.JSONField("รายการที่จะเปลี่ยน", default=list, blank=True)
    problems = models.JSONField("ปัญหา", default=list, blank=True)
    created_at = models.DateTimeField("อัปโหลดเมื่อ", auto_now_add=True)
    checked_at = models.DateTimeField("ตรวจเสร็จเมื่อ", null=True, blank=True)
    applied_at = models.DateTimeField("บันทึกเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การนำเข้าไฟล์ Excel"
        verbose_name_plural = "การนำเข้าไฟล์ Excel"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.READING, self.Status.APPLYING)
