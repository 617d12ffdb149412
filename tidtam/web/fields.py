"""Form fields for what Thai officials type: numbers with commas or Thai digits, B.E. dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from tidtam.domain import thai
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for


class ThaiDecimalField(forms.DecimalField):
    """Accepts "1,345", "๑,๓๔๕.๕๐" and " 171.52 "; shows the value back as typed."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = thai.parse_thai_number(str(value))
        except DomainError as error:
            raise forms.ValidationError(message_for(error), code="invalid") from error
        return number

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No step/min attributes: the browser's number checks would reject Thai digits.
        return {}


class BEDateInput(forms.TextInput):
    def format_value(self, value: Any) -> str | None:
        if isinstance(value, date):
            return thai.format_date_input(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed and shown in B.E. ("15/04/2567"), converted to C.E. once, here."""

    widget = BEDateInput(attrs={"placeholder": "วว/ดด/ปปปป (พ.ศ.)", "autocomplete": "off"})

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return thai.parse_be_date(str(value), field=str(self.label or "วันที่"))
        except DomainError as error:
            raise forms.ValidationError(message_for(error), code="invalid") from error
