"""Every Thai label of a stored value is written once, in tidtam/messages.py: Django's choices,
forms, templates and renderers take it from there, so a page, a form and a document never name
one value in different words."""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest

from tidtam import messages
from tidtam.domain.progress import ItemKind
from tidtam.domain.scoring import Direction, Interpolation, MeasureKind, ResultField
from tidtam.domain.workflow import Action, Status

ROOT = Path(__file__).resolve().parent.parent / "tidtam"
CATALOGUE = ROOT / "messages.py"

# The labels that are phrases: a copy of one is a copy of the label. Single common words
# (โครงการ, รายการ, อนุมัติ) are also headings and buttons; for those the choices of every model
# field are compared with the catalogue below.
LABELS = sorted(
    label
    for label in {
        *messages.LABELS.values(),
        *messages.PERCENT_METHOD_LABELS.values(),
        *messages.SCHEME_LABELS.values(),
        f"{messages.MET_LABELS[True]},{messages.MET_LABELS[False]}",  # a yesno filter
    }
    if " " in label or len(label) >= 10
)
# Words these values were once given in other places (they drifted apart).
DRIFTED = ["มี / ไม่มี", "บรรลุ / ไม่บรรลุ", "บรรลุ", "ไม่บรรลุ", "อัตราส่วน (A/B × 100)"]


def _sources() -> list[Path]:
    files = [*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]
    return [f for f in files if f != CATALOGUE and "migrations" not in f.parts]


def _quoted(text: str) -> re.Pattern[str]:
    """The text as a whole literal: in quotes, or alone between tags or commas of a filter."""
    escaped = re.escape(text)
    return re.compile(rf"""(["'>,]){escaped}(["'<,])""")


@pytest.mark.parametrize("label", LABELS + DRIFTED)
def test_a_label_is_written_only_in_the_catalogue(label: str) -> None:
    pattern = _quoted(label)
    found = [
        f"{path.relative_to(ROOT.parent)}:{n}"
        for path in _sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, f"{label!r} is written outside tidtam/messages.py: {found}"


@pytest.mark.parametrize(
    "kind", [MeasureKind, Direction, Interpolation, ResultField, ItemKind, Status, Action]
)
def test_every_core_value_has_a_label(kind: type[enum.Enum]) -> None:
    assert all(messages.LABELS.get(member) for member in kind)


CATALOGUED: list[tuple[type[enum.Enum], dict[str, str]]] = [
    (kind, {m.value: messages.LABELS[m] for m in kind})
    for kind in (MeasureKind, Direction, Interpolation, ItemKind, Status, Action)
]


def test_every_model_field_of_a_catalogued_value_takes_the_catalogues_labels() -> None:
    """Each field whose choices are a core enum's values (or a part of them: a review step's
    from / to status) is labelled as the catalogue labels them."""
    from django.apps import apps

    checked = 0
    for model in apps.get_models():
        if not model.__module__.startswith("tidtam."):
            continue
        for field in model._meta.get_fields():
            choices = dict(getattr(field, "choices", None) or [])
            if not choices:
                continue
            for _kind, labels in CATALOGUED:
                if set(choices) <= set(labels):
                    wrong = {v: t for v, t in choices.items() if t != labels[v]}
                    assert not wrong, f"{model.__name__}.{field.name}: {wrong}"
                    checked += 1
    assert checked >= 10  # measure kind, direction, interpolation, kinds, statuses, actions…


@pytest.mark.django_db
def test_the_models_choices_are_the_catalogues() -> None:
    from tidtam.agreements.models import Agreement, Indicator
    from tidtam.progress.models import PercentMethod

    for choices, kind in (
        (Indicator.MeasureKind, MeasureKind),
        (Indicator.Direction, Direction),
        (Agreement.Interpolation, Interpolation),
    ):
        assert dict(choices.choices) == {m.value: messages.LABELS[m] for m in kind}
    assert dict(PercentMethod.choices) == messages.PERCENT_METHOD_LABELS
    assert dict(Agreement.Scheme.choices) == messages.SCHEME_LABELS
    assert messages.value_label(MeasureKind, "yes_no") == "ผ่าน / ไม่ผ่าน"
    assert messages.value_label(MeasureKind, "old_kind") == "old_kind"  # a code from older data
    assert messages.met_label(None) == "-" and messages.met_label(False) == "ไม่ผ่าน"
