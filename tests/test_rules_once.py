"""A rule the core decides is not written again elsewhere: a test fails when the band edges,
the lagging test, the later-quarter test or a per-model branch of the shared entry rules
reappear outside tidtam/domain (and tidtam/reporting.py for the entry rules)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tidtam"

# (what, pattern, where it may appear)
RULES = [
    ("a percent compared with a band edge", r"annual\s*<\s*\d|percent_annual__l[te]", ()),
    ("the band edges as numbers", r"BandThresholds\(\s*Decimal\(", ()),
    ("the later-quarter test", r"later_quarter_from\s*>\s*\w", ()),
    (
        "an entry rule written per model",
        r"isinstance\(\w+, (ProgressEntry|IndicatorResult)\)",
        ("reporting.py", "policy.py"),
    ),
]


def sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and ROOT / "domain" not in path.parents
    ]


@pytest.mark.parametrize(("what", "pattern", "allowed"), RULES, ids=[r[0] for r in RULES])
def test_a_core_rule_is_not_written_twice(
    what: str, pattern: str, allowed: tuple[str, ...]
) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources()
        if path.name not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(pattern, line)
    ]
    assert not found, f"{what} is written outside the core:\n" + "\n".join(found)


def test_the_scan_sees_the_sources() -> None:
    names = {path.name for path in sources()}
    assert {"selectors.py", "quarterly.py", "services.py"} <= names
    # It would catch the rule where it used to be written (tidtam/reports/quarterly.py).
    assert re.search(RULES[0][1], "and p.percentages.annual < 50")
