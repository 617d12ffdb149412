"""Forms of the agreement editor: cover, weights, KPIs, levels, owners, policy links, year copy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet

from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, KPIGroup
from tidtam.agreements.services import (
    GroupDraft,
    KpiDraft,
    LevelDraft,
    ReviewDraft,
    weights_version,
)
from tidtam.concurrency import history_version
from tidtam.domain import thai
from tidtam.domain.errors import DomainError
from tidtam.domain.money import ZERO
from tidtam.limits import NAME_MAX, ORDER_MAX, TEXT_MAX
from tidtam.messages import MET_LABELS, NOT_ASSESSED, level_choices, message_for
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear
from tidtam.policies.models import PolicyNode
from tidtam.ui.fields import BEDateField, ThaiDecimalField

DECIMAL_ERRORS = {
    "required": "กรอกตัวเลขในช่องนี้",
    "max_digits": "ตัวเลขยาวเกินไป — กรอกได้ไม่เกิน %(max)s หลัก",
    "max_decimal_places": "ทศนิยมมากเกินไป — กรอกทศนิยมได้ไม่เกิน %(max)s ตำแหน่ง",
    "max_whole_digits": "ตัวเลขหน้าจุดทศนิยมยาวเกินไป — กรอกได้ไม่เกิน %(max)s หลัก",
}
CHOICE_ERRORS = {"invalid_choice": "ไม่มีตัวเลือกนี้ — เลือกจากรายการ"}


def weight_field(label: str, initial: Decimal | None = None) -> ThaiDecimalField:
    return ThaiDecimalField(
        label=label,
        max_digits=7,
        decimal_places=4,
        initial=plain(initial),
        error_messages=DECIMAL_ERRORS,
        widget=forms.TextInput(
            attrs={"class": "form-control text-end", "inputmode": "decimal", "autocomplete": "off"}
        ),
    )


def plain(value: Decimal | None) -> str | None:
    """15.0000 → "15" for an input box (no separators, so it reads back as typed)."""
    if value is None:
        return None
    return format(value.normalize(), "f")


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        where = obj.organization.label if obj.organization_id else ""
        return f"{obj.full_name} ({obj.position or '-'}, {where})"


class AgreementHeaderForm(forms.Form):
    # The history record the form was opened at: a save over a newer change is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    title = forms.CharField(label="ชื่อเอกสาร", max_length=255)
    subtitle = forms.CharField(label="ชื่อรอง", max_length=255, required=False)
    receiver = PersonChoiceField(
        label="ผู้รับคำรับรอง", queryset=Person.objects.none(), error_messages=CHOICE_ERRORS
    )
    receiver_position = forms.CharField(label="ตำแหน่งผู้รับคำรับรอง", max_length=255)
    maker = PersonChoiceField(
        label="ผู้ทำคำรับรอง", queryset=Person.objects.none(), error_messages=CHOICE_ERRORS
    )
    maker_position = forms.CharField(label="ตำแหน่งผู้ทำคำรับรอง", max_length=255)
    period_start = BEDateField(label="เริ่มตั้งแต่วันที่")
    period_end = BEDateField(label="ถึงวันที่")
    signed_on = BEDateField(label="วันที่ลงนาม", required=False, help_text="เว้นว่างถ้ายังไม่ได้ลงนาม")
    scheme = forms.ChoiceField(
        label="เกณฑ์การให้คะแนน", choices=Agreement.Scheme.choices, error_messages=CHOICE_ERRORS
    )
    interpolation = forms.ChoiceField(
        label="การให้คะแนนระหว่างระดับ",
        choices=Agreement.Interpolation.choices,
        error_messages=CHOICE_ERRORS,
    )
    below_lowest_points = ThaiDecimalField(
        label="คะแนนเมื่อต่ำกว่าระดับแรก", max_digits=7, decimal_places=4, error_messages=DECIMAL_ERRORS
    )
    weighting = forms.ChoiceField(
        label="การคำนวณคะแนนถ่วงน้ำหนัก",
        choices=Agreement.Weighting.choices,
        error_messages=CHOICE_ERRORS,
    )
    score_places = forms.TypedChoiceField(
        label="จำนวนทศนิยมของคะแนนที่แสดง",
        choices=[(str(n), f"{n} ตำแหน่ง") for n in range(5)],
        coerce=int,
        error_messages=CHOICE_ERRORS,
        help_text="คะแนนคำนวณเต็มความละเอียดเสมอ และปัดเศษเฉพาะตอนแสดง",
    )

    def __init__(self, *args: Any, agreement: Agreement, people: QuerySet[Person], **kwargs: Any):
        kwargs["initial"] = {
            "title": agreement.title,
            "subtitle": agreement.subtitle,
            "receiver": agreement.receiver_id,
            "receiver_position": agreement.receiver_position,
            "maker": agreement.maker_id,
            "maker_position": agreement.maker_position,
            "period_start": agreement.period_start,
            "period_end": agreement.period_end,
            "signed_on": agreement.signed_on,
            "scheme": agreement.scheme,
            "interpolation": agreement.interpolation,
            "below_lowest_points": plain(agreement.below_lowest_points),
            "weighting": agreement.weighting,
            "score_places": str(agreement.score_places),
            "version": history_version(agreement),
        }
        super().__init__(*args, **kwargs)
        for name in ("receiver", "maker"):
            field = self.fields[name]
            assert isinstance(field, PersonChoiceField)
            field.queryset = people


@dataclass
class KpiRow:
    kpi: AgreementKPI
    weight: forms.BoundField
    delete: forms.BoundField


@dataclass
class GroupRow:
    group: KPIGroup
    name: forms.BoundField
    weight: forms.BoundField
    delete: forms.BoundField
    kpis: list[KpiRow]


class WeightsForm(forms.Form):
    """Every group's name and share and every KPI's weight, one row each, with removal boxes."""

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The groups and weights as they were when the page was opened (services.weights_version).
        self.fields["weights_version"] = forms.CharField(
            required=False,
            max_length=64,
            widget=forms.HiddenInput,
            initial=weights_version(agreement),
        )
        self.groups = list(agreement.groups.all())
        for group in self.groups:
            key = f"group-{group.pk}"
            self.fields[f"{key}-name"] = forms.CharField(
                label=f"ชื่อองค์ประกอบที่ {group.order + 1}",
                max_length=255,
                initial=group.name,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"{key}-weight"] = weight_field(
                f"น้ำหนักขององค์ประกอบ {group.name} (ร้อยละ)", group.weight
            )
            self.fields[f"{key}-delete"] = forms.BooleanField(
                label=f"ลบองค์ประกอบ {group.name} พร้อมตัวชี้วัดในองค์ประกอบ",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            for kpi in group.kpis.all():
                self.fields[f"kpi-{kpi.pk}-weight"] = weight_field(
                    f"น้ำหนักตัวชี้วัดที่ {kpi.number} (ร้อยละ)", kpi.weight
                )
                self.fields[f"kpi-{kpi.pk}-delete"] = forms.BooleanField(
                    label=f"ลบตัวชี้วัดที่ {kpi.number}",
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )

    @property
    def rows(self) -> list[GroupRow]:
        if self.is_bound:
            for name in self.errors:
                attrs = self.fields[name].widget.attrs if name in self.fields else {}
                if name in self.fields and "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                    attrs["aria-invalid"] = "true"
        return [
            GroupRow(
                group=group,
                name=self[f"group-{group.pk}-name"],
                weight=self[f"group-{group.pk}-weight"],
                delete=self[f"group-{group.pk}-delete"],
                kpis=[
                    KpiRow(
                        kpi=kpi,
                        weight=self[f"kpi-{kpi.pk}-weight"],
                        delete=self[f"kpi-{kpi.pk}-delete"],
                    )
                    for kpi in group.kpis.all()
                ],
            )
            for group in self.groups
        ]

    def _value(self, name: str, current: Any, invalid: Any) -> Any:
        """What a box holds: the saved value on a blank form, else the typed one (or `invalid`
        when it is not valid, its error shown beside it)."""
        if not self.is_bound:
            return current
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return invalid if value is None or value == "" else value

    def drafts(self) -> list[GroupDraft]:
        """The weights as typed; a box that is not a number counts as 0 (its error shows)."""
        return [
            GroupDraft(
                group_id=group.pk,
                name=self._value(f"group-{group.pk}-name", group.name, group.name),
                weight=self._value(f"group-{group.pk}-weight", group.weight, ZERO),
                delete=bool(self._value(f"group-{group.pk}-delete", False, False)),
                kpis=tuple(
                    KpiDraft(
                        kpi_id=kpi.pk,
                        weight=self._value(f"kpi-{kpi.pk}-weight", kpi.weight, ZERO),
                        delete=bool(self._value(f"kpi-{kpi.pk}-delete", False, False)),
                    )
                    for kpi in group.kpis.all()
                ),
            )
            for group in self.groups
        ]

    def field_problems(self) -> list[str]:
        """Errors of single boxes, each with its label, for the summary beside the table."""
        return [
            f"{self.fields[name].label}: {' '.join(str(error) for error in errors)}"
            for name, errors in self.errors.items()
        ]


class GroupAddForm(forms.Form):
    name = forms.CharField(
        label="ชื่อองค์ประกอบใหม่",
        max_length=255,
        help_text="องค์ประกอบใหม่เริ่มที่น้ำหนัก 0 — กำหนดน้ำหนักในตารางด้านบนพร้อมกับปรับองค์ประกอบอื่น",
    )


class KpiAddForm(forms.Form):
    name = forms.CharField(
        label="ชื่อตัวชี้วัด", max_length=NAME_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure_kind = forms.ChoiceField(
        label="ลักษณะการวัด", choices=Indicator.MeasureKind.choices, error_messages=CHOICE_ERRORS
    )
    direction = forms.ChoiceField(
        label="ทิศทาง",
        choices=Indicator.Direction.choices,
        initial=Indicator.Direction.HIGHER,
        error_messages=CHOICE_ERRORS,
    )
    unit = forms.CharField(label="หน่วยนับ", max_length=64, required=False)
    target_value = ThaiDecimalField(
        label="ค่าเป้าหมายที่ใช้คำนวณ",
        max_digits=18,
        decimal_places=4,
        required=False,
        error_messages=DECIMAL_ERRORS,
    )
    target_text = forms.CharField(label="ค่าเป้าหมาย (ตามที่แสดง)", max_length=255, required=False)
    base_year = forms.IntegerField(
        label="ปีฐาน (พ.ศ.)",
        required=False,
        min_value=2400,
        max_value=2700,
        help_text="เฉพาะตัวชี้วัดเชิงการเปลี่ยนแปลง: ปีของค่าฐานที่ใช้เทียบ",
        error_messages={
            "invalid": "ปีฐานต้องเป็นปี พ.ศ. 4 หลัก เช่น 2566",
            "min_value": "ปีฐานต้องเป็นปี พ.ศ. เช่น 2566 (ถ้ากรอกเป็น ค.ศ. ให้บวก 543)",
            "max_value": "ปีฐานต้องเป็นปี พ.ศ. เช่น 2566 — ตรวจว่าพิมพ์เกินหรือไม่",
        },
    )
    base_value = ThaiDecimalField(
        label="ค่าฐาน",
        max_digits=18,
        decimal_places=4,
        required=False,
        error_messages=DECIMAL_ERRORS,
        help_text="เฉพาะตัวชี้วัดเชิงการเปลี่ยนแปลง: ร้อยละการเปลี่ยนแปลง = (ผล − ค่าฐาน) ÷ ค่าฐาน × 100",
    )

    def clean_target_value(self) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get("target_value")
        change = self.data.get(self.add_prefix("measure_kind")) == Indicator.MeasureKind.CHANGE
        if value is not None and value < 0 and not change:
            raise forms.ValidationError(
                "ค่าเป้าหมายติดลบไม่ได้ — กรอกตั้งแต่ 0 ขึ้นไป"
                " (ติดลบได้เฉพาะตัวชี้วัดเชิงการเปลี่ยนแปลง เช่น ลดลงร้อยละ 10 คือ −10)"
            )
        return value


class KpiForm(KpiAddForm):
    number = forms.IntegerField(
        label="ตัวชี้วัดที่",
        min_value=1,
        max_value=ORDER_MAX,
        error_messages={
            "required": "กรอกเลขลำดับตัวชี้วัด",
            "invalid": "เลขลำดับต้องเป็นจำนวนเต็ม เช่น 5",
            "min_value": "เลขลำดับต้องตั้งแต่ 1 ขึ้นไป",
            "max_value": f"เลขลำดับต้องไม่เกิน {ORDER_MAX:,} — ตรวจว่าพิมพ์ตัวเลขเกินหรือไม่",
        },
    )
    previous_result = forms.CharField(label="ผลการดำเนินงานปีที่ผ่านมา", max_length=255, required=False)
    linkage_text = forms.CharField(
        label="ความเชื่อมโยงกับนโยบาย / ยุทธศาสตร์ (ตามแบบฟอร์มสรุป)",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    description = forms.CharField(
        label="คำอธิบาย",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="หนึ่งย่อหน้าต่อบรรทัด",
    )
    definitions = forms.CharField(
        label="นิยาม", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    data_sources = forms.CharField(
        label="แหล่งข้อมูล",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    conditions = forms.CharField(
        label="เงื่อนไข",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    steps = forms.CharField(
        label="ขั้นตอนการดำเนินงาน",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    benefit = forms.CharField(
        label="ประโยชน์ที่ประชาชนจะได้รับ",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    # The history records of the indicator and of its place in the agreement the form was opened
    # at: a save over a newer change to either is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    kpi_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    field_order = ["number", "name"]

    @staticmethod
    def initial_for(kpi: AgreementKPI) -> dict[str, Any]:
        indicator = kpi.indicator
        return {
            "version": history_version(indicator),
            "kpi_version": history_version(kpi),
            "number": kpi.number,
            "name": indicator.name,
            "measure_kind": indicator.measure_kind,
            "direction": indicator.direction,
            "unit": indicator.unit,
            "target_value": plain(indicator.target_value),
            "target_text": indicator.target_text,
            "base_year": indicator.base_year,
            "base_value": plain(indicator.base_value),
            "previous_result": indicator.previous_result,
            "linkage_text": kpi.linkage_text,
            "description": indicator.description,
            "definitions": indicator.definitions,
            "data_sources": indicator.data_sources,
            "conditions": indicator.conditions,
            "steps": indicator.steps,
            "benefit": indicator.benefit,
        }


class LevelForm(forms.Form):
    level_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="ชื่อระดับ", max_length=64, required=False)
    points = ThaiDecimalField(
        label="คะแนน", max_digits=7, decimal_places=4, error_messages=DECIMAL_ERRORS
    )
    threshold = ThaiDecimalField(
        label="ค่าที่ต้องได้",
        max_digits=18,
        decimal_places=4,
        required=False,
        help_text="ตัวชี้วัดเชิงปริมาณ อัตราส่วน และร้อยละการเปลี่ยนแปลงต้องกรอกทุกระดับ",
        error_messages=DECIMAL_ERRORS,
    )
    description = forms.CharField(
        label="เกณฑ์ / ค่าเป้าหมาย",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class BaseLevelFormSet(forms.BaseFormSet[LevelForm]):
    def drafts(self) -> list[LevelDraft]:
        """The kept rows in their order (an untouched blank row adds no level)."""
        drafts = []
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            drafts.append(
                LevelDraft(
                    level_id=data.get("level_id"),
                    name=data.get("name", ""),
                    points=data["points"],
                    threshold=data.get("threshold"),
                    description=data.get("description", ""),
                )
            )
        return drafts


LevelFormSet = cast(
    type[BaseLevelFormSet],
    forms.formset_factory(LevelForm, formset=BaseLevelFormSet, extra=1, can_delete=True),
)


def level_initial(kpi: AgreementKPI) -> list[dict[str, Any]]:
    return [
        {
            "level_id": level.pk,
            "name": level.name,
            "points": plain(level.points),
            "threshold": plain(level.threshold),
            "description": level.description,
        }
        for level in kpi.levels.all()
    ]


class OwnerForm(forms.Form):
    person = PersonChoiceField(
        label="ผู้รับผิดชอบ",
        queryset=Person.objects.none(),
        required=False,
        error_messages=CHOICE_ERRORS,
    )
    order = forms.IntegerField(
        label="ลำดับ",
        min_value=1,
        max_value=ORDER_MAX,
        required=False,
        error_messages={
            "invalid": "ลำดับต้องเป็นจำนวนเต็ม เช่น 1",
            "min_value": "ลำดับต้องตั้งแต่ 1 ขึ้นไป",
            "max_value": f"ลำดับต้องไม่เกิน {ORDER_MAX:,} — ตรวจว่าพิมพ์ตัวเลขเกินหรือไม่",
        },
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = people
        field.empty_label = "— ไม่เลือก —"


class BaseOwnerFormSet(forms.BaseFormSet[OwnerForm]):
    def people(self) -> list[Person]:
        """The chosen people by the order typed (rows without one keep their place)."""
        chosen = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data.get("person") or data.get("DELETE"):
                continue
            chosen.append((data.get("order") or index + 1, index, data["person"]))
        return [person for _, _, person in sorted(chosen, key=lambda row: row[:2])]


OwnerFormSet = cast(
    type[BaseOwnerFormSet],
    forms.formset_factory(OwnerForm, formset=BaseOwnerFormSet, extra=2, can_delete=True),
)


def owner_initial(indicator: Indicator) -> list[dict[str, Any]]:
    return [
        {"person": owner.person_id, "order": number}
        for number, owner in enumerate(indicator.owners.all(), start=1)
    ]


class NodeChoiceField(forms.ModelChoiceField[PolicyNode]):
    def label_from_instance(self, obj: PolicyNode) -> str:
        return f"{obj.framework.name}: {obj.code} {obj.name}"


class PolicyLinkForm(forms.Form):
    nodes = forms.ModelMultipleChoiceField(
        label="ความเชื่อมโยงกับนโยบาย",
        queryset=PolicyNode.objects.none(),
        required=False,
        error_messages={"invalid_choice": "ไม่มีหัวข้อนี้ในกรอบนโยบายที่เลือกได้ — เลือกจากรายการ"},
    )
    strategy = NodeChoiceField(
        label="กลยุทธ์ของหน่วยงาน",
        queryset=PolicyNode.objects.none(),
        required=False,
        empty_label="— ไม่ระบุ —",
        error_messages=CHOICE_ERRORS,
    )

    def __init__(
        self,
        *args: Any,
        nodes: QuerySet[PolicyNode],
        strategies: QuerySet[PolicyNode],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        node_field = self.fields["nodes"]
        assert isinstance(node_field, forms.ModelMultipleChoiceField)
        node_field.queryset = nodes
        strategy_field = self.fields["strategy"]
        assert isinstance(strategy_field, NodeChoiceField)
        strategy_field.queryset = strategies.select_related("framework")


class YearField(forms.CharField):
    """A B.E. year typed with Arabic or Thai digits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The length is checked on the text in to_python: the validators see the int it returns.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if self.max_length is not None and len(text) > self.max_length:
            raise forms.ValidationError(
                f"ปีงบประมาณยาวเกิน {self.max_length} ตัวอักษร (พิมพ์มา {len(text)})"
                " — พิมพ์ปี พ.ศ. 4 หลัก เช่น 2568"
            )
        try:
            number = thai.parse_thai_number(text)
        except DomainError as error:
            raise forms.ValidationError(message_for(error)) from error
        if number != number.to_integral_value():
            raise forms.ValidationError("ปีงบประมาณต้องเป็นจำนวนเต็ม เช่น 2568")
        return int(number)


class YearCopyForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="หน่วยงาน",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={
            "required": "เลือกหน่วยงาน",
            "invalid_choice": "ไม่พบหน่วยงานนี้ หรือคุณไม่ได้เป็นผู้วางแผนของหน่วยงานนี้ — เลือกจากรายการ",
        },
    )
    from_year = forms.TypedChoiceField(
        label="คัดลอกจากปีงบประมาณ (พ.ศ.)",
        coerce=int,
        error_messages={"invalid_choice": "ยังไม่มีปีงบประมาณนี้ในระบบ — เลือกจากรายการ"},
    )
    to_year = YearField(
        label="ไปยังปีงบประมาณ (พ.ศ.)",
        max_length=8,
        help_text="ปีใหม่ที่ยังไม่มีคำรับรอง เช่น 2565",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "8"}
        ),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = organizations
        from_year = self.fields["from_year"]
        assert isinstance(from_year, forms.TypedChoiceField)
        from_year.choices = [
            (year, str(year)) for year in FiscalYear.objects.values_list("year", flat=True)
        ]


class ReviewForm(forms.Form):
    """The committee's review of one KPI: the reviewed result in the KPI's own form, a score of
    its own between levels with the reason, a deduction with its rule, and a note."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    value = ThaiDecimalField(
        label="ผลที่คณะกรรมการรับรอง",
        max_digits=18,
        decimal_places=4,
        required=False,
        error_messages=DECIMAL_ERRORS,
    )
    level = forms.TypedChoiceField(
        label="ระดับที่คณะกรรมการรับรอง", required=False, coerce=int, empty_value=None
    )
    met = forms.TypedChoiceField(
        label="คณะกรรมการรับรองว่า",
        required=False,
        choices=[("", NOT_ASSESSED), ("1", MET_LABELS[True]), ("0", MET_LABELS[False])],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    score = ThaiDecimalField(
        label="คะแนนที่คณะกรรมการให้ (ถ้าให้ระหว่างระดับ)",
        max_digits=9,
        decimal_places=4,
        required=False,
        min_value=0,
        error_messages=DECIMAL_ERRORS,
    )
    reason = forms.CharField(
        label="เหตุผลของคะแนน",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deduction = ThaiDecimalField(
        label="คะแนนที่หัก",
        max_digits=9,
        decimal_places=4,
        required=False,
        min_value=0,
        error_messages=DECIMAL_ERRORS,
    )
    rule = forms.CharField(
        label="หลักเกณฑ์การหักคะแนน",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="ความเห็นคณะกรรมการ",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    KIND_FIELD = {
        Indicator.MeasureKind.QUANTITY: "value",
        Indicator.MeasureKind.RATIO: "value",
        Indicator.MeasureKind.CHANGE: "value",
        Indicator.MeasureKind.MILESTONE: "level",
        Indicator.MeasureKind.YES_NO: "met",
    }

    def __init__(self, *args: Any, kpi: AgreementKPI, result: Any, **kwargs: Any) -> None:
        self.kpi = kpi
        if result is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": result.version,
                    "value": plain(result.reviewed_value),
                    "level": result.reviewed_level_reached,
                    "met": {True: "1", False: "0"}.get(result.reviewed_met, ""),
                    "score": plain(result.reviewed_score),
                    "reason": result.reviewed_score_reason,
                    "deduction": plain(result.deduction),
                    "rule": result.deduction_rule,
                    "note": result.review_note,
                },
            )
        else:
            kwargs.setdefault("initial", {"version": 0})
        kwargs["prefix"] = f"kpi-{kpi.pk}"
        super().__init__(*args, **kwargs)
        keep = self.KIND_FIELD[Indicator.MeasureKind(kpi.indicator.measure_kind)]
        for name in ("value", "level", "met"):
            if name != keep:
                del self.fields[name]
        if "level" in self.fields:
            ranks = [level.rank for level in kpi.levels.all()]
            self.fields["level"].choices = level_choices(max(ranks, default=5))  # type: ignore[attr-defined]
        if "value" in self.fields and kpi.indicator.measure_kind != Indicator.MeasureKind.QUANTITY:
            self.fields[
                "value"
            ].help_text = "อัตราส่วน: ร้อยละ · การเปลี่ยนแปลง: ผลของปีนี้ (ระบบคำนวณร้อยละจากค่าฐาน)"

    def draft(self) -> ReviewDraft:
        data = self.cleaned_data
        return ReviewDraft(
            kpi_id=self.kpi.pk,
            value=data.get("value"),
            level=data.get("level"),
            met=data.get("met"),
            score=data.get("score"),
            reason=data.get("reason") or "",
            deduction=data.get("deduction"),
            rule=data.get("rule") or "",
            note=data.get("note") or "",
            version=data.get("version"),
        )


class UnitChoiceField(forms.ModelMultipleChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.label} — {obj.name}" if obj.short_name else obj.name


class StrategicProjectForm(KpiAddForm):
    """A project of the agency's strategic plan and its KPI, one form (the KPI's fields are
    `KpiAddForm`'s)."""

    project_name = forms.CharField(
        label="ชื่อโครงการ", max_length=NAME_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    strategy = NodeChoiceField(
        label="กลยุทธ์",
        queryset=PolicyNode.objects.none(),
        empty_label="— เลือกกลยุทธ์ —",
        error_messages={**CHOICE_ERRORS, "required": "เลือกกลยุทธ์ที่โครงการนี้อยู่"},
    )
    units = UnitChoiceField(
        label="หน่วยงานรับผิดชอบ",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="ผู้รายงานผลของหน่วยงานที่เลือกรายงานผลตัวชี้วัดของโครงการนี้ได้",
        error_messages={"invalid_choice": "หน่วยงานที่เลือกไม่อยู่ในรายการ — เลือกจากรายการ"},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    units_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["project_name", "strategy", "units", "name"]

    def __init__(
        self,
        *args: Any,
        strategies: QuerySet[PolicyNode],
        organizations: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "ตัวชี้วัดของโครงการ"
        strategy_field = self.fields["strategy"]
        assert isinstance(strategy_field, NodeChoiceField)
        strategy_field.queryset = strategies.select_related("framework")
        unit_field = self.fields["units"]
        assert isinstance(unit_field, UnitChoiceField)
        unit_field.queryset = organizations

    @staticmethod
    def initial_for(project: Indicator) -> dict[str, Any]:
        return {
            "project_name": project.project_name,
            "strategy": project.strategy_id,
            "units": [r.organization_id for r in project.responsibilities.all()],
            "name": project.name,
            "measure_kind": project.measure_kind,
            "direction": project.direction,
            "unit": project.unit,
            "target_value": plain(project.target_value),
            "target_text": project.target_text,
            "base_year": project.base_year,
            "base_value": plain(project.base_value),
        }


class AgreementStartForm(forms.Form):
    """A new agreement from scratch: whose, for which year, its title, parties and scheme (the
    groups, KPIs, levels, links and owners are then added on its editor page)."""

    organization = forms.ModelChoiceField(
        label="หน่วยงานผู้ทำคำรับรอง",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={
            "required": "เลือกหน่วยงาน",
            "invalid_choice": "ไม่พบหน่วยงานนี้ หรือคุณไม่ได้เป็นผู้วางแผนของหน่วยงานนี้ — เลือกจากรายการ",
        },
    )
    fiscal_year = YearField(
        label="ปีงบประมาณ (พ.ศ.)",
        max_length=8,
        help_text="ปีที่ยังไม่มีคำรับรอง เช่น 2568",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    title = forms.CharField(
        label="ชื่อเอกสาร",
        max_length=255,
        required=False,
        help_text="เว้นว่างได้: คำรับรองการปฏิบัติราชการของหน่วยงาน ประจำปีงบประมาณ",
    )
    maker = PersonChoiceField(
        label="ผู้ทำคำรับรอง", queryset=Person.objects.none(), error_messages=CHOICE_ERRORS
    )
    maker_position = forms.CharField(label="ตำแหน่งผู้ทำคำรับรอง", max_length=255)
    receiver = PersonChoiceField(
        label="ผู้รับคำรับรอง", queryset=Person.objects.none(), error_messages=CHOICE_ERRORS
    )
    receiver_position = forms.CharField(label="ตำแหน่งผู้รับคำรับรอง", max_length=255)
    scheme = forms.ChoiceField(
        label="เกณฑ์การให้คะแนน", choices=Agreement.Scheme.choices, error_messages=CHOICE_ERRORS
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        people: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["maker"].queryset = people  # type: ignore[attr-defined]
        self.fields["receiver"].queryset = people  # type: ignore[attr-defined]
