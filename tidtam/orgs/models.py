"""Organisations as a tree, the people in them, and their roles per organisation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tidtam import keys
from tidtam.limits import TEXT_MAX, limited


class Organization(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", "กระทรวง"
        DEPARTMENT = "department", "ส่วนราชการระดับกรม"
        PUBLIC_ORGANIZATION = "public_organization", "องค์การมหาชน"
        BUREAU = "bureau", "สำนัก"
        DIVISION = "division", "กอง / กลุ่ม / ฝ่าย"
        UNIT = "unit", "หน่วยงานย่อย"

    code = models.SlugField("รหัสหน่วยงาน", max_length=64, unique=True)
    # Official codes other systems know the agency by (blank where not known).
    budget_bureau_code = models.CharField("รหัสหน่วยงานของสำนักงบประมาณ", max_length=32, blank=True)
    gfmis_code = models.CharField("รหัสหน่วยงาน GFMIS", max_length=32, blank=True)
    name = models.CharField("ชื่อหน่วยงาน", max_length=255)
    short_name = models.CharField("ชื่อย่อ", max_length=64, blank=True)
    kind = models.CharField("ประเภท", max_length=32, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self",
        verbose_name="สังกัด",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("ใช้งานอยู่", default=True)
    # Segregation of duties: whoever submitted an entry may not approve it too. On by default;
    # an organisation too small for two people may switch it off for its own plans and KPIs.
    segregate_duties = models.BooleanField(
        "ผู้อนุมัติต้องไม่ใช่ผู้ส่งผล",
        default=True,
        help_text="เมื่อเปิดไว้ ผู้ที่ส่งผลรายการใดจะอนุมัติรายการนั้นเองไม่ได้",
    )
    note = models.TextField("หมายเหตุ", blank=True, **limited(TEXT_MAX))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_bureau_code"],
                condition=~models.Q(budget_bureau_code=""),
                name="organization_budget_bureau_code",
            ),
            models.UniqueConstraint(
                fields=["gfmis_code"],
                condition=~models.Q(gfmis_code=""),
                name="organization_gfmis_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def label(self) -> str:
        """The short name where the organisation has one: what documents print."""
        return self.short_name or self.name

    def ancestors(self) -> Iterator[Organization]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="บัญชีผู้ใช้",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    key = models.CharField(
        "รหัสอ้างอิง",
        max_length=keys.MAX_LENGTH,
        default=keys.person_key,
        editable=False,
        help_text="รหัสถาวรสำหรับนำเข้า ส่งออก และ API: ไม่เปลี่ยนเมื่อย้ายลำดับหรือคัดลอกไปปีใหม่",
    )
    prefix = models.CharField("คำนำหน้า", max_length=32, blank=True)
    first_name = models.CharField("ชื่อ", max_length=128)
    last_name = models.CharField("นามสกุล", max_length=128, blank=True)
    position = models.CharField("ตำแหน่ง", max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="people"
    )
    # Office numbers only: a personal mobile is personal data the agency should not publish.
    office_phone = models.CharField(
        "โทรศัพท์สำนักงาน", max_length=64, blank=True, help_text="หมายเลขสำนักงาน ไม่ใช่โทรศัพท์มือถือส่วนตัว"
    )
    email = models.EmailField("อีเมล", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "บุคลากร"
        verbose_name_plural = "บุคลากร"
        ordering = ["first_name", "last_name"]
        constraints = [models.UniqueConstraint(fields=["key"], name="person_key")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.prefix}{self.first_name} {self.last_name}".strip()


class RoleAssignment(models.Model):
    class Role(models.TextChoices):
        PLANNER = "planner", "ผู้วางแผน (นโยบายและแผน)"
        REPORTER = "reporter", "ผู้รายงานผล / ผู้รับผิดชอบตัวชี้วัด"
        APPROVER = "approver", "ผู้อนุมัติ / ผู้กำกับดูแลตัวชี้วัด"
        EXECUTIVE = "executive", "ผู้บริหาร"
        AUDITOR = "auditor", "ผู้ตรวจสอบ"
        ADMINISTRATOR = "administrator", "ผู้ดูแลระบบ"

    person = models.ForeignKey(
        Person, verbose_name="บุคลากร", on_delete=models.CASCADE, related_name="roles"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="หน่วยงาน", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField("บทบาท", max_length=32, choices=Role.choices)
    # A role may hold for a period (an acting appointment, a year's committee): outside it the
    # person has no such role (tidtam.orgs.access.reach_of reads only the roles in force).
    valid_from = models.DateField("ตั้งแต่วันที่", null=True, blank=True)
    valid_until = models.DateField("ถึงวันที่", null=True, blank=True, help_text="เว้นว่าง: ไม่มีกำหนดสิ้นสุด")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "บทบาท"
        verbose_name_plural = "บทบาทของบุคลากร"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"], name="role_once_per_person_and_org"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="role_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.organization.label})"

    @staticmethod
    def in_force(day: date) -> models.Q:
        """The roles that hold on the day."""
        return (models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)) & (
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)
        )
