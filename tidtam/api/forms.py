"""The form of the person's token page: a new token's name, scope and lifetime."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator

from tidtam.api.models import ApiToken

DEFAULT_DAYS = 90


class TokenForm(forms.Form):
    name = forms.CharField(
        label="ชื่อโทเค็น",
        max_length=100,
        help_text="บอกว่าใช้กับโปรแกรมใด เช่น ระบบรายงานของกอง",
        error_messages={"required": "ตั้งชื่อโทเค็นเพื่อให้จำได้ว่าใช้กับโปรแกรมใด"},
    )
    scope = forms.ChoiceField(
        label="สิทธิ์", choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    days = forms.IntegerField(
        label="อายุ (วัน)",
        min_value=1,
        initial=DEFAULT_DAYS,
        error_messages={"invalid": "อายุโทเค็นต้องเป็นจำนวนวัน เช่น 90"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        limit = int(getattr(settings, "API_TOKEN_MAX_DAYS", 365))
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = limit
        days.validators.append(MaxValueValidator(limit, message=f"อายุโทเค็นเลือกได้ไม่เกิน {limit} วัน"))
        days.help_text = f"ครบกำหนดแล้วโทเค็นใช้ไม่ได้ เลือกได้ 1 ถึง {limit} วัน"
