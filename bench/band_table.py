"""Benchmark: the band tables of all organisations through tidtam's selector vs one SQL query.

    .venv/bin/python bench/band_table.py               # national scale (generated if absent)
    .venv/bin/python bench/band_table.py --scale 0.1   # a tenth of it, for a quick run

Runs against the configured database (DATABASE_URL, SQLite by default). Exit 1 when tidtam is
more than --limit times slower than the hand-written query, or when the two disagree.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# With DEBUG on, Django keeps every query's SQL in memory: both sides would pay for it.
os.environ.setdefault("TIDTAM_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from tidtam.orgs.models import Organization  # noqa: E402
from tidtam.periods.models import FiscalYear, Round  # noqa: E402
from tidtam.plans.models import Activity, OperatingPlan, Output, WorkItem  # noqa: E402
from tidtam.progress.models import ProgressEntry  # noqa: E402
from tidtam.progress.selectors import band_tables  # noqa: E402
from tidtam.seeds.generate import Scale, generate, generated_exists  # noqa: E402

Counts = Counter[tuple[str, str, str, str, str]]


def hand_written_sql() -> str:
    """One query a developer would write by hand: the same counts, grouped in the database."""
    t = {
        name: model._meta.db_table
        for name, model in {
            "item": WorkItem,
            "plan": OperatingPlan,
            "year": FiscalYear,
            "org": Organization,
            "activity": Activity,
            "output": Output,
            "round": Round,
            "entry": ProgressEntry,
        }.items()
    }
    # Table names come from the models; every value is a parameter.
    return f"""
        SELECT o.code, op.number, a.number,
               CASE
                 WHEN w.excluded THEN 'excluded'
                 WHEN w.later_quarter_from > %s THEN 'later_quarter'
                 WHEN e.id IS NULL THEN 'no_entry'
                 WHEN e.band = '' THEN 'no_percent'
                 ELSE e.band
               END AS band,
               w.kind,
               COUNT(*)
          FROM {t["item"]} w
          JOIN {t["plan"]} p ON p.id = w.plan_id
          JOIN {t["year"]} fy ON fy.id = p.fiscal_year_id
          JOIN {t["org"]} o ON o.id = p.organization_id
          JOIN {t["activity"]} a ON a.id = w.activity_id
          JOIN {t["output"]} op ON op.id = a.output_id
          LEFT JOIN {t["round"]} r ON r.fiscal_year_id = fy.id AND r.months = %s
          LEFT JOIN {t["entry"]} e ON e.work_item_id = w.id AND e.round_id = r.id
         WHERE fy.year = %s
         GROUP BY 1, 2, 3, 4, 5
    """


def run_sql(sql: str, year: int, months: int) -> list[tuple[Any, ...]]:
    params: list[int | Decimal] = [months // 3, months, year]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sql_counts(rows: list[tuple[Any, ...]]) -> Counts:
    counts: Counts = Counter()
    for code, output, activity, band, kind, n in rows:
        counts[(code, str(output), str(activity), band, kind)] += n
    return counts


def tidtam_counts(tables: dict[str, Any]) -> Counts:
    counts: Counts = Counter()
    for code, table in tables.items():
        for (output, activity), row in table.rows.items():
            for band, by_kind in row.counts.items():
                for kind, n in by_kind.items():
                    if n:
                        counts[(code, output, activity, band.value, kind.value)] += n
            for item in row.excluded_items:
                counts[(code, output, activity, "excluded", item.kind.value)] += 1
    return counts


def best_of(repeat: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def database_label() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="เทียบเวลาสร้างตารางช่วงผลการดำเนินงานของทุกหน่วยงาน")
    parser.add_argument("--scale", type=float, default=1.0, help="ขนาดข้อมูลจำลองเทียบระดับประเทศ")
    parser.add_argument("--fy", type=int, default=2567, help="ปีงบประมาณ (พ.ศ.)")
    parser.add_argument("--round", type=int, default=6, choices=(3, 6, 9, 12), help="รอบ (เดือน)")
    parser.add_argument("--repeat", type=int, default=7, help="จำนวนครั้งที่จับเวลา (เอาครั้งที่เร็วที่สุด)")
    parser.add_argument("--limit", type=float, default=1.5, help="อัตราส่วนเวลาสูงสุดที่ยอมรับ")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("ฐานข้อมูลยังไม่ได้สร้างตาราง — ให้รัน .venv/bin/python manage.py migrate ก่อน")
        return 2
    if not generated_exists(args.fy):
        print(f"ยังไม่มีข้อมูลจำลองของปีงบประมาณ {args.fy} — กำลังสร้าง (scale {args.scale}) …")
        summary = generate(fiscal_year=args.fy, scale=Scale().scaled(args.scale), seed=args.seed)
        print("\n".join(summary.lines()))
        # Fresh statistics for the planner: right after a bulk load PostgreSQL still believes
        # the tables are small (autovacuum has not run) and both queries get poor plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    items = WorkItem.objects.filter(plan__fiscal_year__year=args.fy, activity__isnull=False)
    n_items = items.count()
    n_plans = OperatingPlan.objects.filter(fiscal_year__year=args.fy).count()
    n_entries = ProgressEntry.objects.filter(
        round__fiscal_year__year=args.fy, round__months=args.round
    ).count()
    sql = hand_written_sql()

    def through_tidtam() -> dict[str, Any]:
        return band_tables(fiscal_year=args.fy, round_months=args.round)

    def through_sql() -> list[tuple[Any, ...]]:
        return run_sql(sql, args.fy, args.round)

    # Once each before timing: the first run pays for cold caches and compiling.
    ours = tidtam_counts(through_tidtam())
    theirs = sql_counts(through_sql())
    tidtam_seconds = best_of(args.repeat, through_tidtam)
    sql_seconds = best_of(args.repeat, through_sql)
    ratio = tidtam_seconds / sql_seconds
    same = ours == theirs
    passed = same and ratio <= args.limit

    print(f"ฐานข้อมูล (database): {database_label()}")
    print(
        f"จำนวนแถว (rows): โครงการ/แผนงาน/รายการ {n_items:,} ใน {n_plans:,} แผน; "
        f"ผลรายรอบของรอบ {args.round} เดือน {n_entries:,}; กลุ่มที่นับได้ {len(theirs):,}"
    )
    print(f"tidtam: {tidtam_seconds:.4f} วินาที (ดีที่สุดจาก {args.repeat} ครั้ง)")
    print(f"SQL: {sql_seconds:.4f} วินาที (ดีที่สุดจาก {args.repeat} ครั้ง)")
    print(f"อัตราส่วน (ratio): {ratio:.2f}")
    print(f"เกณฑ์ (limit): {Decimal(str(args.limit))}")
    if not same:
        diff = sorted(set(ours.items()) ^ set(theirs.items()))[:10]
        print(f"ผลนับไม่ตรงกัน {len(set(ours.items()) ^ set(theirs.items())):,} กลุ่ม เช่น {diff}")
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
