"""Whatever a save refuses (a rule, model validation, the database) as the Thai message of a form field.

Forms carry the model's limits so that most bad input stops there; this is the net behind them:
a view catches `SAVE_ERRORS` around its one service call and hands the error to `add_save_error`,
so nothing a person types can turn into HTTP 500 (see ../shared/design.md, "Pitfalls").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError
from django.http import HttpRequest, QueryDict

from tidtam.domain.errors import DomainError
from tidtam.domain.evidence import file_name
from tidtam.messages import message_for

# DataError: a number or text beyond the column (PostgreSQL numeric/varchar overflow);
# IntegrityError: a unique row someone else created at the same moment. Other database errors
# (the server is down) are not the person's input and stay 500s that are logged.
SAVE_ERRORS = (DomainError, ValidationError, DataError, IntegrityError)


def add_save_error(
    form: forms.Form,
    error: Exception,
    *,
    fields: Mapping[str, str | None] | None = None,
    default: str | None = None,
) -> None:
    """Put `error` on the form: on the field it concerns when the form has it, else above the form.

    `fields` maps a DomainError's code (or a model field's name) to the form field that shows it;
    `default` is the field for a DomainError whose code is not mapped.
    """
    fields = fields or {}
    if isinstance(error, DomainError):
        _add(form, fields.get(error.code, default), message_for(error))
    elif isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                target = fields.get(name, name)
                for text in messages:
                    _add(form, target, text)
        else:
            for text in error.messages:
                _add(form, None, text)
    else:
        form.add_error(None, save_error_message(error))


def add_conflict(form: forms.Form, conflict: DomainError, **versions: int | str) -> None:
    """A save refused because someone changed the object after the form was opened: what was
    typed stays, now against the newer versions (`version=…`, and any other version field the
    form carries), so the next save knowingly goes over the other change; the form's template
    shows `form.conflict` (web/_conflict.html)."""
    keep_typed(form, **versions)
    form.conflict = conflict  # type: ignore[attr-defined]
    add_save_error(form, conflict)


def keep_typed(form: forms.Form, **versions: int | str) -> None:
    """The form shows again what was typed, with its version fields set to the newer versions."""
    typed = QueryDict(mutable=True)
    typed.update(form.data)
    for name, version in versions.items():
        typed[name] = str(version)
    form.data = typed


@dataclass(frozen=True)
class Typed:
    """One field of a form that could not be saved at all, as the person filled it in."""

    label: str
    value: str

    @property
    def rows(self) -> int:
        """Lines its read-only box needs to show it whole (up to 8, then it scrolls)."""
        lines = sum(1 + len(line) // 100 for line in self.value.splitlines() or [""])
        return min(8, lines)


def typed_input(forms_: Iterable[forms.BaseForm]) -> list[Typed]:
    """What a person typed into forms that were refused whole (the round closed, or the entry was
    sent or approved, while they typed), by field label in the forms' order: the page shows it
    so that nothing typed is lost. Hidden fields, files and blank fields are left out; a choice
    shows its label as the form offered it."""
    typed = []
    for form in forms_:
        for bound in form:
            if bound.is_hidden or isinstance(bound.field, forms.FileField):
                continue
            text = _as_typed(bound.field, bound.value())
            if text:
                typed.append(Typed(str(bound.label), text))
    return typed


@dataclass(frozen=True)
class Unsaved:
    """Forms refused whole before anything was saved, as web/_unsaved.html shows them: why
    (empty when the page already says it), what was typed, and the files that were not kept."""

    reason: str
    typed: list[Typed]
    files_left: list[str]


def unsaved(
    request: HttpRequest,
    forms_: Iterable[forms.BaseForm],
    reason: str,
    *,
    kept: Iterable[str] = (),
) -> Unsaved:
    """`kept`: names of files an earlier try of the same form kept, which are left too."""
    chosen = [file_name(f.name) for files in request.FILES.lists() for f in files[1]]
    return Unsaved(reason, typed_input(forms_), [*kept, *chosen])


def _as_typed(field: forms.Field, value: object) -> str:
    if value is None or value == "" or value == [] or value is False:
        return ""
    if isinstance(field, forms.BooleanField):
        return "ใช่"
    if isinstance(field, forms.ChoiceField):
        labels: dict[str, str] = {}
        for key, label in cast(Iterable[Any], field.choices):
            # An option group lists its own (key, label) pairs.
            pairs = label if isinstance(label, list | tuple) else [(key, label)]
            labels.update((str(k), str(v)) for k, v in pairs)
        chosen = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(one), str(one)) for one in chosen if str(one))
    return str(value).strip()


def _add(form: forms.Form, name: object, text: str) -> None:
    target = name if isinstance(name, str) and name in form.fields else None
    if target is None and isinstance(name, str) and name != NON_FIELD_ERRORS:
        # A model field without its own form field: name it so the person knows where to look.
        text = f"{_label(form, name)}: {text}" if name else text
    form.add_error(target, text)


def _label(form: forms.Form, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


def save_error_message(error: Exception) -> str:
    """The Thai text for any of SAVE_ERRORS, for pages that show one message above the form."""
    if isinstance(error, DomainError):
        return message_for(error)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, DataError):
        # The database's own wording is English and technical: keep only its first line as detail.
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return message_for(DomainError("database_refused", detail=detail))
    if isinstance(error, IntegrityError):
        return message_for(DomainError("duplicate_row"))
    raise error
