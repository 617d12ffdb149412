"""The `tidtam` console command: Django's management commands under the product's name."""

from __future__ import annotations

import gc
import os
import re
import sys
from typing import Any, NoReturn

# argparse words its refusals in English; these say the same in Thai, with the fix.
_ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"the following arguments are required: (?P<names>.+)"),
        "ยังไม่ได้ระบุ {names} — ให้ระบุให้ครบ",
    ),
    (
        re.compile(r"argument (?P<name>\S+): invalid int value: '(?P<value>.*)'"),
        'ค่า "{value}" ของ {name} ไม่ใช่จำนวนเต็ม — ให้ระบุเป็นตัวเลขจำนวนเต็ม เช่น 2567',
    ),
    (
        re.compile(r"argument (?P<name>\S+): invalid float value: '(?P<value>.*)'"),
        'ค่า "{value}" ของ {name} ไม่ใช่ตัวเลข — ให้ระบุเป็นตัวเลข เช่น 0.5',
    ),
    (
        re.compile(
            r"argument (?P<name>\S+): invalid choice: '(?P<value>.*)' \(choose from (?P<c>.*)\)"
        ),
        'ไม่มี "{value}" ให้เลือกใน {name} — ให้เลือกจาก {c}',
    ),
    (
        re.compile(r"argument (?P<name>\S+): expected one argument"),
        "{name} ต้องตามด้วยค่าหนึ่งค่า — ให้ใส่ค่าต่อท้าย {name}",
    ),
    (
        re.compile(r"unrecognized arguments: (?P<names>.+)"),
        "ไม่รู้จัก {names} — ให้ตรวจการสะกด",
    ),
)


def thai_usage_error(prog: str, message: str) -> str:
    """argparse's English refusal as a Thai sentence that says what is wrong and how to fix it."""
    command = prog.removeprefix("tidtam ").strip() or prog
    for pattern, template in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message.strip())
        if match:
            text = template.format(**match.groupdict())
            break
    else:
        text = f"คำสั่งไม่ถูกต้อง ({message})"
    return f'{prog}: {text} ดูวิธีใช้ด้วย "tidtam {command} --help"'


def _thai_error(self: Any, message: str) -> NoReturn:
    if not getattr(self, "called_from_command_line", False):
        # call_command (tests, other code) gets Django's CommandError, as before.
        from django.core.management.base import CommandError

        raise CommandError(thai_usage_error(self.prog, message))
    sys.stderr.write(thai_usage_error(self.prog, message) + "\n")
    sys.exit(2)


# Python looks for cyclic garbage every 700 new objects by default (2,000 from 3.13), and walks
# everything alive every 100 such passes. tidtam makes millions of short-lived objects (a
# migration renders its model states thousands of times; a page, a report, an import builds
# rows, forms and templates): with the default, `tidtam migrate` from empty took 1.16-1.28 times
# the CPU it takes now, for 138 MB at its peak instead of 182 (bench/gc_threshold.py), and
# collections took 8 % of a test process. Every tidtam process looks every 10,000 new objects
# instead: its commands (`main`), the web app under gunicorn (config/wsgi.py) and the test
# processes (tests/conftest.py). Those that run for days hardly grow: the worker rendering 100
# documents peaked at 129 MB against 128, a process serving 1,500 pages at 94 MB against 93,
# each for 4-7 % less CPU.
GC_THRESHOLD = (10_000, 10, 10)


def collect_garbage_less_often() -> None:
    gc.set_threshold(*GC_THRESHOLD)


def main(argv: list[str] | None = None) -> None:
    collect_garbage_less_often()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line
    from django.core.management.base import CommandParser

    CommandParser.error = _thai_error  # type: ignore[method-assign]
    execute_from_command_line(["tidtam", *(sys.argv[1:] if argv is None else argv)])
