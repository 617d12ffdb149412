"""Benchmark: importing a round's results workbook of 20,000 rows (read, validate and apply)
against a bare openpyxl read of the same file.

    .venv/bin/python bench/import.py               # national scale (generated if absent)
    .venv/bin/python bench/import.py --scale 0.2   # a smaller dataset, for a quick run

Runs against the configured database (DATABASE_URL, SQLite by default; keep it out of var/ with
TIDTAM_VAR_DIR as bench/README.md says). On the generated national dataset it takes the
generated ministries with the most work items, reopens the round for them and puts its
entries back to draft (a round being reported), writes their results template with
`tidtam.transfer` (one file per ministry, as a ministry's planning office exports it) and
types a new result into every work item's row: --rows rows in all. Then, best of --repeat:

- the limit: openpyxl (read-only, values only) reading every cell of the same files;
- tidtam: `tidtam.transfer.services.read` (calamine, the safety checks, every row read and
  compared with the database) and `apply` (every row through the entries' batch save: the
  version, the round's calendar, percentages and bands by the core, history), the whole import
  in a transaction rolled back afterwards so that every repeat imports the same changes.

It checks that the applied entries hold the typed results, prints both times and their ratio,
and exits 1 when the ratio passes --limit (1.0: validating and applying in tidtam costs no more
than reading the file with openpyxl).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TIDTAM_DEBUG", "0")

import django  # noqa: E402

django.setup()

from dataset import ensure_data  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from tidtam.orgs import access  # noqa: E402
from tidtam.orgs.models import Organization  # noqa: E402
from tidtam.periods.models import Round  # noqa: E402
from tidtam.periods.services import round_open  # noqa: E402
from tidtam.plans.models import WorkItem  # noqa: E402
from tidtam.progress.models import ProgressEntry  # noqa: E402
from tidtam.seeds.generate import GEN_PREFIX  # noqa: E402
from tidtam.transfer import results, services  # noqa: E402

RESULT_COLUMN = results.RESULT
ROUND = 12


def ministries_for(year: int, rows: int) -> list[Organization]:
    """The generated ministries with the most work items, until they have `rows` together."""
    children = access.descendants_map()
    counts = dict(
        WorkItem.objects.filter(plan__fiscal_year__year=year, activity__isnull=False)
        .values_list("plan__organization_id")
        .annotate(n=Count("id"))
    )
    ministries = Organization.objects.filter(code__startswith=GEN_PREFIX, parent__isnull=True)
    sized = sorted(
        (
            (sum(counts.get(o, 0) for o in access.with_descendants({m.pk}, children)), m)
            for m in ministries
        ),
        key=lambda pair: -pair[0],
    )
    chosen, total = [], 0
    for size, ministry in sized:
        if total >= rows:
            break
        chosen.append(ministry)
        total += size
    if total < rows:
        sys.exit(f"the dataset has {total:,} work items, fewer than --rows {rows:,}")
    return chosen


def prepare(year: int, months: int, ministries: list[Organization]) -> None:
    """The round open for the ministries' trees and its entries in draft (being reported)."""
    round_ = Round.objects.get(fiscal_year__year=year, months=months)
    children = access.descendants_map()
    tree = set()
    for ministry in ministries:
        tree |= access.with_descendants({ministry.pk}, children)
        round_open(round_=round_, organization=ministry)
    ProgressEntry.objects.filter(round=round_, work_item__plan__organization__in=tree).update(
        status="draft"
    )


TYPED: dict[str, int] = {}


def workbooks(year: int, months: int, ministries: list[Organization], rows: int) -> list[bytes]:
    """Each ministry's template with a new result typed into its work items' rows."""
    files, typed = [], 0
    for ministry in ministries:
        book = load_workbook(io.BytesIO(services.export("results", ministry.code, year, months)))
        sheet = book[results.SHEET]
        headers = {cell.value: cell.column for cell in sheet[1]}
        for row in range(2, sheet.max_row + 1):
            if typed >= rows:
                break
            if sheet.cell(row=row, column=headers[results.ROW_KIND]).value != results.ITEM:
                continue
            # One more than reported: a change in every typed row.
            now = sheet.cell(row=row, column=headers[RESULT_COLUMN]).value or 0
            sheet.cell(row=row, column=headers[RESULT_COLUMN]).value = int(now) + 1
            TYPED[sheet.cell(row=row, column=headers[results.KEY]).value] = int(now) + 1
            typed += 1
        out = io.BytesIO()
        book.save(out)
        files.append(out.getvalue())
    return files


def openpyxl_read(files: list[bytes]) -> int:
    cells = 0
    for data in files:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
        book.close()
    return cells


class _Rollback(Exception):
    pass


def tidtam_import(files: list[bytes]) -> tuple[float, int, int]:
    """Read, validate and apply every file in one transaction, then roll it back. The seconds
    are the import's and the rollback's (where a real import commits); checking what was
    written, before the rollback, is the bench's own work and is not counted."""
    changed = problems = 0
    start = time.perf_counter()
    try:
        with transaction.atomic():
            for data in files:
                imported = services.read(data, file_name="results.xlsx")
                found = services.apply(imported)
                problems += len(found)
                changed += imported.counts()["change"] + imported.counts()["add"]
            checking = time.perf_counter()
            if not problems:
                stored = dict(
                    ProgressEntry.objects.filter(
                        round__months=ROUND, work_item__key__in=list(TYPED)
                    ).values_list("work_item__key", "result_quantity")
                )
                wrong = [key for key, value in TYPED.items() if stored.get(key) != value]
                assert not wrong, f"{len(wrong)} entries do not hold their typed result"
            checked = time.perf_counter()
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - start - (checked - checking), changed, problems


def best(fn: Any, repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fy", type=int, default=2567)
    parser.add_argument("--round", type=int, default=12)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=1.0)
    args = parser.parse_args()

    global ROUND
    ROUND = args.round
    ensure_data(args.fy, args.scale, args.seed)
    ministries = ministries_for(args.fy, args.rows)
    prepare(args.fy, args.round, ministries)
    files = workbooks(args.fy, args.round, ministries, args.rows)
    size = sum(len(f) for f in files)
    print(
        f"{len(files)} workbook(s) of {', '.join(m.code for m in ministries)}:"
        f" {size / 1024 / 1024:.1f} MB, {args.rows:,} results typed",
        flush=True,
    )
    # Interleaved, best of each: a burst of load on this shared machine hits both sides alike.
    limit_times, tidtam_times = [], []
    for _ in range(args.repeat):
        seconds, cells = best(lambda: openpyxl_read(files), 1)
        limit_times.append(seconds)
        seconds, changed, problems = tidtam_import(files)
        tidtam_times.append(seconds)
    limit_seconds, tidtam_seconds = min(limit_times), min(tidtam_times)
    print(f"openpyxl read-only read of every cell ({cells:,} cells): {limit_seconds:.2f} s")
    print(
        f"tidtam import (read + validate + apply, {changed:,} rows changed, {problems} problems):"
        f" {tidtam_seconds:.2f} s"
    )
    ratio = tidtam_seconds / limit_seconds
    print(f"ratio {ratio:.2f} (limit {args.limit})")
    if problems or changed < args.rows:
        sys.exit(f"the import did not apply every typed result ({changed:,} of {args.rows:,})")
    if ratio > args.limit:
        sys.exit(1)


if __name__ == "__main__":
    main()
