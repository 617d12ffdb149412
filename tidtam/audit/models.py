"""The read log: one row each time someone downloads evidence or a document, or sees phone numbers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tidtam.orgs.models import Organization


class ReadAudit(models.Model):
    """Rows are only ever added (by `record_read`); nobody edits or deletes them, the admin
    included, so the log can be trusted as evidence of who read what."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "ดาวน์โหลดไฟล์หลักฐาน"
        DOCUMENT = "document", "ดาวน์โหลด / เปิดเอกสาร"
        PHONE = "phone", "ดูเบอร์โทรศัพท์ของเจ้าหน้าที่"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้อ่าน",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the row must still say who it was after the account is removed.
    username = models.CharField("ชื่อผู้ใช้", max_length=150)
    at = models.DateTimeField("เมื่อ", default=timezone.now)
    kind = models.CharField("ประเภท", max_length=16, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name="ชนิดข้อมูล", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Text, because render jobs have UUID keys and the other objects integer ones.
    object_id = models.CharField("รหัสข้อมูล", max_length=64, blank=True)
    description = models.CharField("สิ่งที่อ่าน", max_length=500)
    organization = models.ForeignKey(
        Organization,
        verbose_name="หน่วยงานเจ้าของข้อมูล",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "บันทึกการอ่านข้อมูล"
        verbose_name_plural = "บันทึกการอ่านข้อมูล"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-at"], name="readaudit_org_at"),
            models.Index(fields=["user", "-at"], name="readaudit_user_at"),
            models.Index(fields=["kind", "-at"], name="readaudit_kind_at"),
            models.Index(fields=["content_type", "object_id"], name="readaudit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.username}: {self.description}"
