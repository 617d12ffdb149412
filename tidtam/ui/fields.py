"""Form fields for what Thai officials type: numbers with commas or Thai digits, B.E. dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tidtam.domain import money, thai
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for


class ThaiDecimalField(forms.DecimalField):
    """Accepts "1,345", "๑,๓๔๕.๕๐" and " 171.52 "; shows the value back as typed.

    `model_field`: the model's DecimalField this field fills. Its digits, decimal places and
    minimum / maximum become this field's, and the core's own check (money.require_fits, the one
    the services use) runs here, so a number the database cannot keep is refused by its field, in
    the same Thai words as a service would, instead of failing in the save (a 30-digit quantity,
    a fifth decimal place).
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, model_field: models.Field[Any, Any] | None = None, **kwargs: Any) -> None:
        self.fits_column = isinstance(model_field, models.DecimalField)
        if isinstance(model_field, models.DecimalField):
            kwargs.setdefault("max_digits", model_field.max_digits)
            kwargs.setdefault("decimal_places", model_field.decimal_places)
            for validator in model_field.validators:
                if isinstance(validator, MinValueValidator):
                    kwargs.setdefault("min_value", validator.limit_value)
                elif isinstance(validator, MaxValueValidator):
                    kwargs.setdefault("max_value", validator.limit_value)
            kwargs.setdefault("label", model_field.verbose_name)
        if kwargs.get("min_value") == 0:
            messages = {"min_value": "ต้องเป็นตัวเลขตั้งแต่ 0 ขึ้นไป — ค่านี้ติดลบไม่ได้"}
            kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.fits_column and isinstance(value, Decimal) and self.max_digits is not None:
            try:
                money.require_fits(
                    value,
                    field=str(self.label or ""),
                    max_digits=self.max_digits,
                    places=self.decimal_places or 0,
                )
            except DomainError as error:
                raise forms.ValidationError(message_for(error), code=error.code) from error

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


def text_field(model_field: models.Field[Any, Any], **kwargs: Any) -> forms.CharField:
    """A text box limited to what the model keeps (see tidtam/limits.py for the lengths chosen)."""
    kwargs.setdefault("label", model_field.verbose_name)
    kwargs.setdefault("required", not model_field.blank)
    return forms.CharField(max_length=model_field.max_length, **kwargs)


def amount_field(
    model: type[models.Model], name: str, label: str | None = None, **kwargs: Any
) -> ThaiDecimalField:
    """An optional box for an amount (money, a quantity) the model keeps in `name`: its digits and places,
    never negative, Thai digits and commas accepted (blank: not given); labelled as the model
    field unless told otherwise."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.DecimalField)
    if label is not None:
        kwargs["label"] = label
    return ThaiDecimalField(model_field=model_field, min_value=0, required=False, **kwargs)
