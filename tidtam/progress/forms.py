"""The round entry forms: a work item's result, a KPI's result, and a review step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.domain.scoring import ResultField
from tidtam.domain.workflow import Action
from tidtam.limits import TEXT_MAX
from tidtam.messages import LABELS, MET_LABELS, NOT_ASSESSED, level_choices
from tidtam.orgs.models import Organization
from tidtam.progress.models import ProgressEntry
from tidtam.ui.fields import ThaiDecimalField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each is checked by the evidence rules when saved."""

    widget = MultipleFileInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Read by tidtam/static/tidtam/upload-limit.js: the size check runs before sending, so
        # an over-size file is named while what was typed is still on the page.
        return {
            **super().widget_attrs(widget),
            "data-max-bytes": str(settings.EVIDENCE_MAX_BYTES),
            "data-max-total-bytes": str(getattr(settings, "REQUEST_MAX_BYTES", "")),
        }

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(EvidenceField, self).clean(f, initial) for f in files]


EVIDENCE_HELP = (
    "แนบได้หลายไฟล์: PDF, Word, Excel, PowerPoint, ภาพ JPG/PNG หรือ ZIP ไม่เกินไฟล์ละ {max_mb} MB"
)


class VersionedForm(forms.Form):
    """A form that says which version of the entry it was opened at, and the files a refused
    save kept for the person (signed names, so nobody can attach another person's file)."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    kept_files = forms.CharField(required=False, widget=forms.HiddenInput)


EXPLANATION_HELP = (
    "ต้องกรอกเมื่อร้อยละเทียบเป้าหมายทั้งปีต่ำกว่าร้อยละ {threshold} (เกณฑ์ของแผน):"
    " สาเหตุ ปัญหาอุปสรรค และแนวทางแก้ไข"
)


class EntryForm(VersionedForm):
    result_text = forms.CharField(
        label="ผลการดำเนินงาน (เทียบแผนรอบนี้)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    result_text_annual = forms.CharField(
        label="ผลการดำเนินงาน (เทียบเป้าหมายทั้งปี)",
        required=False,
        max_length=TEXT_MAX,
        help_text="เว้นว่างได้เมื่อเหมือนช่องก่อนหน้า",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Limits from the model fields, so a number the database cannot keep is refused in Thai here.
    result_quantity = ThaiDecimalField(
        model_field=ProgressEntry._meta.get_field("result_quantity"),
        min_value=0,
        label="ผล (จำนวน)",
        required=False,
        help_text="พิมพ์ตัวเลขได้ทั้งแบบมีจุลภาคและเลขไทย เช่น 1,345 หรือ ๑,๓๔๕",
    )
    override = forms.BooleanField(label="กรอกร้อยละเอง (แทนค่าที่คำนวณ)", required=False)
    percent_round = ThaiDecimalField(
        model_field=ProgressEntry._meta.get_field("percent_round"),
        min_value=0,
        label="ร้อยละเทียบแผนรอบนี้ (กรอกเอง)",
        required=False,
    )
    percent_annual = ThaiDecimalField(
        model_field=ProgressEntry._meta.get_field("percent_annual"),
        min_value=0,
        label="ร้อยละเทียบเป้าหมายทั้งปี (กรอกเอง)",
        required=False,
    )
    percent_note = forms.CharField(
        label="เหตุผลที่กรอกร้อยละเอง",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = forms.CharField(
        label="คำอธิบายกรณีผลต่ำกว่าเกณฑ์",
        required=False,
        max_length=TEXT_MAX,
        help_text=EXPLANATION_HELP.format(threshold="50"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = EvidenceField(label="หลักฐาน", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("override")
            and data.get("percent_annual") is None
            and "percent_annual" not in self.errors
        ):
            self.add_error(
                "percent_annual",
                "เลือกกรอกร้อยละเองแล้ว แต่ยังไม่ได้กรอกร้อยละเทียบเป้าหมายทั้งปี — กรอกตัวเลข หรือเอาเครื่องหมายออก",
            )
        return data


class ResultForm(VersionedForm):
    """A KPI's self-assessed result; which fields show depends on the KPI's kind."""

    value = ThaiDecimalField(
        model_field=IndicatorResult._meta.get_field("value"), label="ผล (ค่า)", required=False
    )
    numerator = ThaiDecimalField(
        model_field=IndicatorResult._meta.get_field("numerator"), label="ตัวตั้ง (A)", required=False
    )
    denominator = ThaiDecimalField(
        model_field=IndicatorResult._meta.get_field("denominator"),
        label="ตัวหาร (B)",
        required=False,
    )
    level_reached = forms.TypedChoiceField(
        label=LABELS[ResultField.LEVEL], required=False, coerce=int, empty_value=None
    )
    met = forms.TypedChoiceField(
        label="ผลการประเมิน",
        required=False,
        choices=[("", NOT_ASSESSED), ("1", MET_LABELS[True]), ("0", MET_LABELS[False])],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    narrative = forms.CharField(
        label="ผลการดำเนินงาน (คำบรรยาย)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = EvidenceField(label="หลักฐาน", required=False)

    FIELDS_OF_KIND = {
        Indicator.MeasureKind.QUANTITY: ("value",),
        Indicator.MeasureKind.CHANGE: ("value",),
        Indicator.MeasureKind.RATIO: ("numerator", "denominator"),
        Indicator.MeasureKind.MILESTONE: ("level_reached",),
        Indicator.MeasureKind.YES_NO: ("met",),
    }

    def __init__(self, *args: Any, indicator: Indicator, levels: int = 5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FIELDS_OF_KIND[Indicator.MeasureKind(indicator.measure_kind)]
        for name in ("value", "numerator", "denominator", "level_reached", "met"):
            if name not in keep:
                del self.fields[name]
        if "level_reached" in self.fields:
            self.fields["level_reached"].choices = level_choices(levels)  # type: ignore[attr-defined]
        if "value" in self.fields and indicator.unit:
            self.fields["value"].label = f"ผล (ค่า, {indicator.unit})"


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (action.value, LABELS[action])
            for action in (Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.REOPEN)
        ]
    )
    comment = forms.CharField(
        label="ความเห็น / เหตุผล",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label="เหตุผลที่อนุญาตให้แก้ไขหลังปิดรอบ",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "ระบุเหตุผลที่อนุญาตให้รายการนี้แก้ไขหลังปิดรอบ (จะบันทึกไว้ในขั้นตอนการตรวจ)"},
    )


class UnitPartForm(forms.Form):
    """One reporting unit's A and B of a ratio KPI (a blank row is left out)."""

    unit = forms.ModelChoiceField(
        label="หน่วยงาน",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="— เลือกหน่วยงาน —",
        error_messages={"invalid_choice": "หน่วยงานนี้ไม่ได้อยู่ในรายการ — เลือกจากรายการ"},
    )
    numerator = ThaiDecimalField(
        model_field=IndicatorResult._meta.get_field("numerator"),
        label="ตัวตั้ง (A)",
        required=False,
        min_value=0,
    )
    denominator = ThaiDecimalField(
        model_field=IndicatorResult._meta.get_field("denominator"),
        label="ตัวหาร (B)",
        required=False,
        min_value=0,
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(name) is not None for name in ("unit", "numerator", "denominator")]
        if any(given) and not all(given):
            for name, present in zip(("unit", "numerator", "denominator"), given, strict=True):
                if not present and name not in self.errors:
                    self.add_error(name, "กรอกให้ครบทั้งหน่วยงาน ตัวตั้ง (A) และตัวหาร (B) หรือเว้นว่างทั้งแถว")
        return data


class BaseUnitPartFormSet(forms.BaseFormSet[UnitPartForm]):
    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        self.units = units
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "units": self.units}


UnitPartFormSet = forms.formset_factory(
    UnitPartForm, formset=BaseUnitPartFormSet, extra=3, max_num=500, validate_max=True
)


class UnitVersionForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
