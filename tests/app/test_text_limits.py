"""Every text people type has a length limit, kept by the form and the model alike, said in Thai."""

from __future__ import annotations

import gettext
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

import tidtam
from tidtam.limits import NAME_MAX, TEXT_MAX
from tidtam.plans.forms import ExcludeForm
from tidtam.plans.models import WorkItem
from tidtam.ui.errors import add_save_error

LOCALE = Path(tidtam.__file__).parent / "web" / "locale" / "th" / "LC_MESSAGES"
# Edited only by the system, never typed by a person.
SYSTEM_TEXT = {("reports", "RenderJob", "error")}


def project_forms() -> list[type[forms.Form]]:
    found = []
    for module_info in pkgutil.walk_packages(tidtam.__path__, "tidtam."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_text_box_of_every_form_has_a_maximum_length() -> None:
    missing = []
    for form in project_forms():
        if issubclass(form, AuthenticationForm):
            continue  # Django's sign-in: the user name is limited in __init__ (tidtam/web/forms.py)
        for name, field in getattr(form, "base_fields", {}).items():
            # Hidden fields carry what the page itself wrote (signed names, versions), not typing.
            hidden = isinstance(field.widget, forms.HiddenInput)
            if isinstance(field, forms.CharField) and field.max_length is None and not hidden:
                missing.append(f"{form.__module__}.{form.__name__}.{name}")
    assert len(project_forms()) >= 20
    assert missing == []


def test_every_text_column_people_edit_has_a_limit_the_model_checks() -> None:
    from django.apps import apps

    unlimited = []
    for model in apps.get_models():
        if not model.__module__.startswith("tidtam") or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.TextField):
                continue
            key = (model._meta.app_label, model.__name__, field.name)
            if key in SYSTEM_TEXT:
                continue
            checked = any(
                getattr(v, "limit_value", None) == field.max_length for v in field.validators
            )
            if field.max_length is None or not checked:
                unlimited.append(".".join(key))
    assert unlimited == []


def test_a_20000_character_project_name_is_refused_by_the_model_in_thai() -> None:
    item = WorkItem(name="ก" * 20_000)
    with translation.override("th"), pytest.raises(ValidationError) as caught:
        item.clean_fields(exclude=[f.name for f in WorkItem._meta.fields if f.name != "name"])
    message = caught.value.message_dict["name"][0]
    assert f"เกินที่รับได้ {NAME_MAX} ตัวอักษร" in message
    assert "ยาว 20000 ตัวอักษร" in message
    assert "ให้ย่อ" in message


def test_the_limits_leave_room_for_the_longest_texts_of_the_seeds() -> None:
    # Seed 000's longest project name is 229 characters, its longest note 777.
    assert NAME_MAX >= 2 * 229
    assert TEXT_MAX >= 5 * 777


def test_a_model_validation_error_lands_under_its_form_field() -> None:
    form = ExcludeForm({"reason": "x"})
    assert form.is_valid()
    add_save_error(form, ValidationError({"reason": ["ข้อความยาวเกิน — ให้ย่อ"]}))
    assert form.errors["reason"] == ["ข้อความยาวเกิน — ให้ย่อ"]


def _po_catalog(path: Path) -> dict[object, str]:
    """msgid → msgstr of a .po file (plural entries keyed (msgid, 0), as gettext keys them)."""
    catalog: dict[object, str] = {}
    entries = path.read_text(encoding="utf-8").split("\n\n")
    for entry in entries:
        parts: dict[str, str] = {}
        key = ""
        for line in entry.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'(msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        if not parts.get("msgid"):
            continue
        unescape = lambda s: s.encode("latin-1", "backslashreplace").decode("unicode-escape")  # noqa: E731
        if "msgid_plural" in parts:
            catalog[(unescape(parts["msgid"]), 0)] = parts["msgstr[0]"]
        else:
            catalog[unescape(parts["msgid"])] = parts["msgstr"]
    return catalog


def test_the_compiled_thai_messages_match_their_source() -> None:
    with (LOCALE / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    catalog = {k: v for k, v in mo._catalog.items() if k != ""}  # type: ignore[attr-defined]
    source = _po_catalog(LOCALE / "django.po")
    assert len(source) >= 20
    assert {k: catalog.get(k) for k in source} == source
