"""Personal API tokens: a person's key to /api/v1/, stored only as a hash of its secret."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam.messages import API_SCOPE_LABELS


class ApiToken(models.Model):
    """A token reads, or reads and writes, as its person would on the pages (their reach and
    roles), until it expires or is revoked. The secret is shown once, when it is made; only its
    SHA-256 is kept (a 256-bit random secret needs no slow hash), and the prefix names it on the
    person's page and in messages."""

    class Scope(models.TextChoices):
        READ = "read", API_SCOPE_LABELS["read"]
        WRITE = "write", API_SCOPE_LABELS["write"]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="เจ้าของโทเค็น",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("ชื่อโทเค็น", max_length=100)
    scope = models.CharField("สิทธิ์", max_length=8, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField("รหัสนำหน้า", max_length=16, editable=False)
    secret_hash = models.CharField("ค่าแฮชของโทเค็น", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    expires_at = models.DateTimeField("หมดอายุเมื่อ")
    revoked_at = models.DateTimeField("ยกเลิกเมื่อ", null=True, blank=True)
    last_used_at = models.DateTimeField("ใช้ล่าสุดเมื่อ", null=True, blank=True, editable=False)
    # The rate limit's window (its start, in seconds since the epoch) and the requests counted in
    # it, written by one UPDATE per request (`tidtam.api.tokens.api_token_count`).
    window_start = models.BigIntegerField("เริ่มช่วงนับคำขอ", default=0, editable=False)
    window_count = models.PositiveIntegerField("จำนวนคำขอในช่วง", default=0, editable=False)
    # Written with update() on use: they stay out of the history (one record per request).
    history = HistoricalRecords(excluded_fields=["last_used_at", "window_start", "window_count"])

    class Meta:
        verbose_name = "โทเค็น API"
        verbose_name_plural = "โทเค็น API"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})"

    def active_at(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
