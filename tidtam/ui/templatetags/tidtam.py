"""Template helpers every page uses: a labelled Bootstrap field, Thai dates and numbers, statuses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils import timezone

from tidtam.domain import thai
from tidtam.domain.workflow import Action
from tidtam.messages import LABELS, level_label, met_label, passed_label

register = template.Library()

CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.inclusion_tag("web/field.html")
def field(bound: forms.BoundField, **attrs: Any) -> dict[str, Any]:
    """Label, control, help and the Thai error next to it, linked for screen readers."""
    widget = bound.field.widget
    css = (
        "form-check-input"
        if isinstance(widget, CHECKS)
        else ("form-select" if isinstance(widget, forms.Select) else "form-control")
    )
    if bound.errors:
        css += " is-invalid"
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
    widget_attrs = {"class": css, **attrs}
    if described:
        widget_attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        widget_attrs["aria-invalid"] = "true"
    return {
        "bound": bound,
        "control": bound.as_widget(attrs=widget_attrs),
        "check": isinstance(widget, forms.CheckboxInput),
    }


@register.filter
def level(value: int) -> str:
    """A milestone KPI's level reached in the catalogue's words ({{ 3|level }}: ระดับ 3)."""
    return level_label(value)


@register.filter
def met(value: bool | None) -> str:
    """A yes / no KPI's result in the catalogue's words (ผ่าน / ไม่ผ่าน)."""
    return met_label(value)


@register.filter
def passed(value: bool | None) -> str:
    """Whether a KPI reached its target, in the catalogue's words."""
    return passed_label(value)


@register.filter
def action_label(value: str) -> str:
    """A review step's name in the catalogue's words ({{ "approve"|action_label }})."""
    return LABELS[Action(value)]


@register.filter
def be_date(value: date | datetime | None) -> str:
    """31 มีนาคม 2567."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return thai.format_date_long(value)


@register.filter
def be_datetime(value: datetime | None) -> str:
    """31 มี.ค. 2567 14:05 น."""
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return f"{thai.format_date_short(local.date())} {local:%H:%M} น."


@register.filter
def number(value: Decimal | int | None, places: int = 2) -> str:
    return "-" if value is None else thai.format_number(value, places)


@register.filter
def amount(value: Decimal | int | None) -> str:
    """A count as documents write it: "91", "7.50"."""
    return thai.format_amount(value)


@register.filter
def percent(value: Decimal | None, places: int = 2) -> str:
    return thai.format_percent(value, places)


@register.filter
def be_input(value: object) -> str:
    """A field's value as an input shows it: a date in B.E. (15/04/2567), nothing for None."""
    if value is None:
        return ""
    if isinstance(value, date):
        return thai.format_date_input(value)
    return str(value)


@register.filter
def absolute(value: Decimal | None) -> Decimal | None:
    """A difference without its sign (the words say which way)."""
    return None if value is None else abs(value)
