"""What an agency has published for the public: a document of a year, as it stood when a
planner published it (the public reads that copy, not today's figures), with who and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.orgs.models import Organization
from tidtam.reports.models import ITAItem


class Publication(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveIntegerField("ปีงบประมาณ (พ.ศ.)")
    document = models.CharField("เอกสาร", max_length=16, choices=ITAItem.Publication.choices)
    # The document's typed content (tidtam.reports.content) as JSON, as it was published.
    content = models.JSONField("เนื้อหาที่เผยแพร่")
    # Its PDF, made from `content` the first time someone asks for it, then kept.
    pdf = models.FileField("ไฟล์ PDF", upload_to="publications/%Y/", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้เผยแพร่",
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("เผยแพร่เมื่อ")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ยกเลิกการเผยแพร่",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawn_at = models.DateTimeField("ยกเลิกการเผยแพร่เมื่อ", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "เอกสารที่เผยแพร่"
        verbose_name_plural = "เอกสารที่เผยแพร่"
        ordering = ["organization__code", "-year", "document"]
        constraints = [
            # One public copy of a document at a time; the ones it replaced stay, withdrawn.
            models.UniqueConstraint(
                fields=["organization", "year", "document"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="publication_once_in_public",
            ),
            models.CheckConstraint(condition=models.Q(year__gte=2400), name="publication_year_be"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.year} {self.document}"
