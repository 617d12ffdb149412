"""Forms of the people page: an invitation and a person's roles."""

from __future__ import annotations

from django import forms

from tidtam.orgs.models import Person, RoleAssignment
from tidtam.ui.fields import BEDateField

ROLE_CHOICES = RoleAssignment.Role.choices


class InviteForm(forms.Form):
    name_prefix = forms.CharField(label="คำนำหน้า", max_length=32, required=False)
    first_name = forms.CharField(label="ชื่อ", max_length=128)
    last_name = forms.CharField(label="นามสกุล", max_length=128, required=False)
    position = forms.CharField(label="ตำแหน่ง", max_length=255, required=False)
    email = forms.EmailField(
        label="อีเมล",
        max_length=150,  # it becomes the user name, which holds 150 characters
        help_text="ใช้เป็นชื่อผู้ใช้ ระบบส่งลิงก์ตั้งรหัสผ่านไปที่อีเมลนี้",
        error_messages={"invalid": "อีเมลไม่ถูกต้อง — พิมพ์ในรูปแบบ name@example.go.th"},
    )
    roles = forms.MultipleChoiceField(
        label="บทบาทในหน่วยงานนี้",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "เลือกบทบาทอย่างน้อยหนึ่งบทบาท"},
    )


class RolesForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "ไม่พบบุคลากรนี้ในหน่วยงาน — เปิดหน้านี้ใหม่"},
    )
    roles = forms.MultipleChoiceField(
        label="บทบาท", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    valid_until = BEDateField(label="ถึงวันที่ (ถ้ามี)", required=False)

    def __init__(self, *args: object, people: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
