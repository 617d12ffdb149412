"""Progress entries: what each work item achieved by the end of each round."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tidtam.domain.progress import Band
from tidtam.domain.workflow import Action
from tidtam.limits import TEXT_MAX, limited
from tidtam.messages import LABELS
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.reporting import EntryStatus, PercentMethod

# The bands a percent can fall in (the later-quarter band is the item's, not its percent's).
PERCENT_BANDS = [Band.BELOW_50.value, Band.FROM_50.value, Band.FROM_80.value]


class ProgressEntry(models.Model):
    work_item = models.ForeignKey(
        WorkItem, verbose_name="โครงการ", on_delete=models.CASCADE, related_name="progress"
    )
    round = models.ForeignKey(Round, verbose_name="รอบ", on_delete=models.PROTECT)
    result_text = models.TextField("ผลการดำเนินงาน (เทียบแผนรอบนี้)", blank=True, **limited(TEXT_MAX))
    result_text_annual = models.TextField(
        "ผลการดำเนินงาน (เทียบเป้าหมายทั้งปี)",
        blank=True,
        help_text="เว้นว่างเมื่อเหมือนช่องก่อนหน้า",
        **limited(TEXT_MAX),
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
    # The band of the exact annual percent under the plan's thresholds, decided by the core
    # at every save (and again when the figures or thresholds it came from change), so that
    # SQL counts stored bands and never compares a rounded copy. Empty when there is no
    # percent.
    band = models.CharField(
        "ช่วงผลการดำเนินงาน", max_length=16, blank=True, default="", editable=False
    )
    percent_method = models.CharField(
        "วิธีได้มาของร้อยละ",
        max_length=16,
        choices=PercentMethod.choices,
        default=PercentMethod.COMPUTED,
    )
    percent_note = models.TextField("เหตุผลที่กรอกร้อยละเอง", blank=True, **limited(TEXT_MAX))
    explanation = models.TextField("คำอธิบายกรณีผลต่ำกว่าเกณฑ์", blank=True, **limited(TEXT_MAX))
    status = models.CharField(
        "สถานะ", max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # Raised by one at every change, so that a form opened at one version cannot silently
    # overwrite what another person saved since (see tidtam.concurrency).
    version = models.PositiveIntegerField("รุ่นของข้อมูล", default=0, editable=False)
    # A planner may let one entry be changed after its organisation's round has closed; the
    # reason is stamped as a review step.
    late_edit_allowed = models.BooleanField("แก้ไขได้หลังปิดรอบ", default=False, editable=False)
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
        ordering = ["work_item_id", "round__months"]
        indexes = [
            # "My work": what came back, what waits for approval, in the round.
            models.Index(fields=["round", "status"], name="progress_round_status"),
            # Entries a planner let in after their round closed (few, asked on every my work).
            models.Index(
                fields=["work_item"],
                condition=models.Q(late_edit_allowed=True),
                name="progress_late_edit",
            ),
        ]
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
            models.CheckConstraint(
                condition=models.Q(band__in=["", *PERCENT_BANDS]), name="entry_band_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_item} — {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("progress:entry", args=[self.work_item_id, self.round_id])

    # As a reportable entry (tidtam.reporting.Reportable).
    @property
    def label(self) -> str:
        return self.work_item.name

    @property
    def rules_organization_id(self) -> int:
        return int(self.work_item.plan.organization_id)

    @property
    def is_empty(self) -> bool:
        return (
            not self.result_text.strip()
            and self.result_quantity is None
            and self.percent_annual is None
        )


class ReviewAction(models.TextChoices):
    SUBMIT = Action.SUBMIT, LABELS[Action.SUBMIT]
    RETURN = Action.RETURN, LABELS[Action.RETURN]
    APPROVE = Action.APPROVE, LABELS[Action.APPROVE]
    REOPEN = Action.REOPEN, LABELS[Action.REOPEN]
    UNLOCK = Action.UNLOCK, LABELS[Action.UNLOCK]


class ReviewStep(models.Model):
    """One step of an entry's review (a work item's or a KPI's), stamped with who and when.

    Steps are only ever added: they are the entry's review trail.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    action = models.CharField("ขั้นตอน", max_length=16, choices=ReviewAction.choices)
    from_status = models.CharField("สถานะเดิม", max_length=16, choices=EntryStatus.choices)
    to_status = models.CharField("สถานะใหม่", max_length=16, choices=EntryStatus.choices)
    comment = models.TextField("ความเห็น / เหตุผล", blank=True, **limited(TEXT_MAX))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ดำเนินการ",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("เมื่อ", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ขั้นตอนการตรวจผล"
        verbose_name_plural = "ขั้นตอนการตรวจผล"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class EvidenceStorage(FileSystemStorage):
    """Outside MEDIA_ROOT and STATIC_ROOT: no URL serves these files, only the download view.

    The folder is read from settings at each use, so a deployment (or a test) can move it.
    """

    @property
    def base_location(self) -> str:
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def evidence_storage() -> FileSystemStorage:
    return EvidenceStorage()


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random stored name: Thai file names would lose their vowels in Django's clean-up, and
    the person's own name is kept in `original_name` for the download."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    now = timezone.now()
    return f"{now:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Evidence(models.Model):
    """A file that backs an entry's result: several per entry, kept outside the web root."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    file = models.FileField("ไฟล์", storage=evidence_storage, upload_to=evidence_path)
    original_name = models.CharField("ชื่อไฟล์", max_length=255)
    size = models.PositiveBigIntegerField("ขนาด (ไบต์)")
    description = models.CharField("คำอธิบาย", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้แนบ",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("แนบเมื่อ", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หลักฐาน"
        verbose_name_plural = "หลักฐาน"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name
