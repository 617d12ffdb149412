"""Benchmark: the national roll-up (every organisation by ministry, `tidtam report summary
--org all`) against the sum of the per-organisation builds, and its peak memory.

    .venv/bin/python bench/rollup.py               # national scale (generated if absent)
    .venv/bin/python bench/rollup.py --scale 0.1   # a tenth of it, for a quick run

Runs against the configured database (DATABASE_URL, SQLite by default; keep it out of var/ with
TIDTAM_VAR_DIR as bench/README.md says). On the generated national dataset it builds:

- the limit: the quarterly report of every organisation that has a plan of the year, built
  one after another, their times summed: what the roll-up's reading would cost done one
  organisation at a time, as documents are built today;
- tidtam: the summary of every organisation at once, by ministry, each ministry its units
  added up (counts and amounts read once for all, then added up by the core), in a process of
  its own, whose peak resident memory is read from the system (`ru_maxrss`).

It checks that the national total's bands equal the national band tables' (the database's own
count of every plan, `progress.selectors.band_tables`), prints both
times, their ratio and the peak memory, and exits 1 when the ratio passes --limit (2.0) or the
memory passes --memory-mb (400).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TIDTAM_DEBUG", "0")

import django  # noqa: E402

django.setup()

from dataset import ensure_data  # noqa: E402

from tidtam.domain.rollup import COUNTED_BANDS  # noqa: E402
from tidtam.orgs.models import Organization  # noqa: E402
from tidtam.plans.models import OperatingPlan  # noqa: E402
from tidtam.progress.selectors import band_tables  # noqa: E402
from tidtam.reports.quarterly import quarterly_report  # noqa: E402
from tidtam.reports.summary import EVERY_ORGANIZATION, summary_report  # noqa: E402


def national(year: int, months: int) -> None:
    """The child process: the national roll-up once, its time, total and peak memory as JSON."""
    start = time.perf_counter()
    report = summary_report(EVERY_ORGANIZATION, year, months)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "rows": len(report.rows),
                "bands": report.total.band_counts,
                "plan": str(report.total.plan_baht),
                "kpis": [
                    report.total.kpis_passed,
                    report.total.kpis_failed,
                    report.total.kpis_pending,
                ],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fy", type=int, default=2567)
    parser.add_argument("--round", type=int, default=6)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=2.0)
    parser.add_argument("--memory-mb", type=float, default=400.0)
    parser.add_argument("--national-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.national_only:
        national(args.fy, args.round)
        return

    ensure_data(args.fy, args.scale, args.seed)
    print(f"{Organization.objects.count()} organisations", flush=True)

    # The limit: every organisation's quarterly report, one after another.
    codes = list(
        OperatingPlan.objects.filter(fiscal_year__year=args.fy)
        .order_by("organization__code")
        .values_list("organization__code", flat=True)
    )
    start = time.perf_counter()
    for code in codes:
        quarterly_report(code, args.fy, args.round)
    per_org_seconds = time.perf_counter() - start
    tables = band_tables(fiscal_year=args.fy, round_months=args.round)
    counted = [sum(t.band_totals[b] for t in tables.values()) for b in COUNTED_BANDS]

    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--national-only",
            "--fy",
            str(args.fy),
            "--round",
            str(args.round),
        ],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"quarterly reports of the {len(codes)} organisations with a plan, one after another:"
          f" {per_org_seconds:.2f} s")  # fmt: skip
    print(
        f"national roll-up ({result['rows']} ministries, every organisation):"
        f" {result['seconds']:.2f} s, peak memory {result['peak_mb']:.0f} MB"
    )
    ratio = result["seconds"] / per_org_seconds
    print(f"ratio {ratio:.2f} (limit {args.limit}); memory limit {args.memory_mb:.0f} MB")
    if result["bands"] != counted:
        sys.exit(f"the national roll-up counts {result['bands']}, the band tables {counted}")
    if ratio > args.limit or result["peak_mb"] > args.memory_mb:
        sys.exit(1)


if __name__ == "__main__":
    main()
