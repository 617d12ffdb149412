"""The audit app: the read log and the staff's second factor (TOTP)."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tidtam.audit"
    verbose_name = "บันทึกการเข้าถึงข้อมูล"
