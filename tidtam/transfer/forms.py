"""The forms of the import and export page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import ROUND_MONTHS, check_be_year
from tidtam.messages import message_for
from tidtam.orgs.models import Organization
from tidtam.transfer.services import TITLES
from tidtam.transfer.workbook import MAX_BYTES

ROUND_CHOICES = [("", "-"), *((str(m), f"{m} เดือน") for m in ROUND_MONTHS)]


def _year(value: int | None) -> int | None:
    if value is None:
        return None
    try:
        return check_be_year(value, field="ปีงบประมาณ")
    except DomainError as error:
        raise forms.ValidationError(message_for(error)) from None


class _Target(forms.Form):
    organization = forms.ModelChoiceField(
        label="หน่วยงาน", queryset=Organization.objects.none(), required=False
    )
    fiscal_year = forms.IntegerField(label="ปีงบประมาณ (พ.ศ.)", required=False)
    round_months = forms.TypedChoiceField(
        label="รอบ", choices=ROUND_CHOICES, coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        field.label_from_instance = lambda obj: f"{obj.label} — {obj.name}"  # type: ignore[method-assign]

    def clean_fiscal_year(self) -> int | None:
        return _year(self.cleaned_data.get("fiscal_year"))


class ExportForm(_Target):
    kind = forms.ChoiceField(label="แบบฟอร์ม", choices=list(TITLES.items()))

    field_order = ["kind", "organization", "fiscal_year", "round_months"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organization"):
            self.add_error("organization", "เลือกหน่วยงาน")
        if not data.get("fiscal_year") and "fiscal_year" not in self.errors:
            self.add_error("fiscal_year", "กรอกปีงบประมาณ พ.ศ. เช่น 2567")
        if data.get("kind") == "results" and not data.get("round_months"):
            self.add_error("round_months", message_for(DomainError("import_round_missing")))
        return data


class UploadForm(_Target):
    file = forms.FileField(label="ไฟล์ Excel (.xlsx)", required=False)

    field_order = ["file", "organization", "fiscal_year", "round_months"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            raise forms.ValidationError(message_for(DomainError("import_no_file")))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                message_for(
                    DomainError(
                        "import_too_big",
                        size=upload.size // 1024 // 1024,
                        limit=MAX_BYTES // 1024 // 1024,
                    )
                )
            )
        return upload
