"""Stable keys (รหัสอ้างอิง): the identity an import, an export or an API client names a row by.

A key is given once, when the row is made, and never changes: not when the row moves (its
display number does) nor when the year is copied (the copy keeps its source's key, so a KPI or
a work item is the same one year after year). Display numbers stay separate. A key is a prefix
naming the kind and ten characters of Crockford's base 32 (no I, L, O or U to misread).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
MAX_LENGTH = 32


def new_key(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


# One function per kind: a model field's default names it (migrations record the name).
def plan_key() -> str:
    return new_key("PLAN")


def output_key() -> str:
    return new_key("OUT")


def activity_key() -> str:
    return new_key("ACT")


def work_item_key() -> str:
    return new_key("ITEM")


def indicator_key() -> str:
    return new_key("KPI")


def budget_line_key() -> str:
    return new_key("LINE")


def person_key() -> str:
    return new_key("PER")


def filler(app_label: str, *models: tuple[str, str]) -> object:
    """A data migration giving each existing row of these models (name, key prefix) a key of
    its own (adding the field gave every row the same one)."""

    def fill(apps: object, schema_editor: object) -> None:
        for model_name, prefix in models:
            model = apps.get_model(app_label, model_name)  # type: ignore[attr-defined]
            rows = list(model.objects.only("pk"))
            for row in rows:
                row.key = new_key(prefix)
            model.objects.bulk_update(rows, ["key"], batch_size=1000)

    return fill
