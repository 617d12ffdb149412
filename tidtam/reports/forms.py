"""The form people fill in to ask for a document."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import ROUND_MONTHS
from tidtam.messages import message_for
from tidtam.orgs.access import organizations_visible
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear
from tidtam.reports.documents import DOCUMENTS, FORMATS
from tidtam.reports.services import FORMAT_LABELS


class DocumentRequestForm(forms.Form):
    document = forms.ChoiceField(
        label="เอกสาร",
        choices=[(doc.code, doc.title) for doc in DOCUMENTS.values()],
        error_messages={"invalid_choice": "ไม่มีเอกสารนี้ — เลือกเอกสารจากรายการ"},
    )
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label="หน่วยงาน",
        queryset=None,
        to_field_name="code",
        empty_label=None,
        error_messages={
            "required": "เลือกหน่วยงานที่จะออกเอกสาร",
            "invalid_choice": (
                "ไม่พบหน่วยงานนี้ หรือคุณไม่มีสิทธิ์ดูเอกสารของหน่วยงานนี้"
                " — เลือกหน่วยงานจากรายการ ถ้าควรมีสิทธิ์ให้แจ้งผู้ดูแลระบบ"
            ),
        },
    )
    fiscal_year = forms.TypedChoiceField(
        label="ปีงบประมาณ (พ.ศ.)",
        coerce=int,
        error_messages={"invalid_choice": "ยังไม่มีปีงบประมาณนี้ในระบบ — เลือกปีงบประมาณจากรายการ"},
    )
    round_months = forms.TypedChoiceField(
        label="รอบการรายงาน",
        choices=[("", "—"), *((m, f"รอบ {m} เดือน") for m in ROUND_MONTHS)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="ใช้เฉพาะรายงานรายไตรมาสและผลการประเมินรายรอบ",
        error_messages={"invalid_choice": "รอบการรายงานต้องเป็น 3, 6, 9 หรือ 12 เดือน"},
    )
    subtree = forms.BooleanField(
        label="รวมหน่วยงานในสังกัด",
        required=False,
        help_text=(
            "รายการของทุกแผนของหน่วยงานและหน่วยงานที่อยู่ใต้หน่วยงานนั้น แต่ละแถวบอกชื่อหน่วยงาน"
            " (รายงานรายไตรมาส และเอกสาร ITA)"
        ),
    )
    fmt = forms.ChoiceField(
        label="รูปแบบไฟล์",
        choices=[(fmt, FORMAT_LABELS[fmt]) for fmt in FORMATS],
        initial="docx",
        error_messages={"invalid_choice": "เลือกรูปแบบไฟล์จากรายการ"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = organizations_visible(user).order_by("code")
        years = list(FiscalYear.objects.order_by("-year").values_list("year", flat=True))
        fiscal_year = self.fields["fiscal_year"]
        assert isinstance(fiscal_year, forms.TypedChoiceField)
        fiscal_year.choices = [(year, str(year)) for year in years]
        if years:
            fiscal_year.initial = years[0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        doc = DOCUMENTS.get(cleaned.get("document", ""))
        if doc is not None and doc.needs_round and not cleaned.get("round_months"):
            self.add_error("round_months", f"{doc.title} ต้องเลือกรอบการรายงาน (3, 6, 9 หรือ 12 เดือน)")
        if doc is not None:
            try:
                doc.check_subtree(bool(cleaned.get("subtree")))
            except DomainError as error:
                self.add_error("subtree", message_for(error))
        fmt = cleaned.get("fmt")
        if doc is not None and fmt and fmt not in doc.formats:
            self.add_error(
                "fmt",
                f"{doc.title} ทำได้เป็น {' หรือ '.join(FORMAT_LABELS[f] for f in doc.formats)}"
                " — เลือกรูปแบบไฟล์นั้น",
            )
        return cleaned
