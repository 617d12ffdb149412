"""Forms of the reporting calendar: a new fiscal year for an organisation, a round's deadline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tidtam.domain import thai
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.ui.fields import BEDateField


class FiscalYearForm(forms.Form):
    year = forms.CharField(
        label="ปีงบประมาณ (พ.ศ.)",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="เช่น 2568 (ใช้เลขไทยได้) ระบบสร้างรอบ 3, 6, 9 และ 12 เดือน กำหนดส่งผล 15 วันหลังสิ้นไตรมาส",
    )
    organization: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="หน่วยงาน",
        queryset=None,
        required=False,
        help_text="ปฏิทินรอบรายงานของหน่วยงานนี้และหน่วยงานในสังกัดที่ไม่ได้กำหนดเอง (เว้นว่าง = หน่วยงานของคุณ)",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Any],
        default: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        field.initial = default
        field.error_messages["invalid_choice"] = (
            "เลือกหน่วยงานไม่ได้ — เลือกหน่วยงานที่คุณเป็นผู้วางแผนจากรายการ"
        )

    def clean_organization(self) -> Any:
        chosen = self.cleaned_data.get("organization") or self.default
        if chosen is None:
            raise forms.ValidationError("ยังไม่ได้เลือกหน่วยงาน — เลือกหน่วยงานที่จะใช้ปฏิทินรอบรายงานนี้")
        return chosen

    def clean_year(self) -> int:
        typed = self.cleaned_data["year"]
        try:
            number = thai.parse_thai_number(typed)
        except DomainError as error:
            raise forms.ValidationError(message_for(error)) from error
        if number != number.to_integral_value():
            raise forms.ValidationError("ปีงบประมาณต้องเป็นจำนวนเต็ม เช่น 2568")
        return int(number)


class RoundDeadlineForm(forms.Form):
    deadline = BEDateField(
        label="กำหนดส่งผล",
        required=False,
        help_text="พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 15/07/2567 หรือ 15 ก.ค. 2567 (เว้นว่างได้ถ้ายังไม่กำหนด)",
    )
