"""Benchmark: the REST API's list endpoints at national scale against the same pages read by hand.

    .venv/bin/python bench/api.py                 # national scale (generated if absent)
    .venv/bin/python bench/api.py --scale 0.1     # a tenth of it, for a quick run

Runs against the configured database (DATABASE_URL, SQLite by default), in process through the
whole Django stack (middleware, the bearer token, the rate-limit counter, the person's reach,
the schemas, the JSON): a request as gunicorn would hand it over, without the network.

For each list (a page of 50, or 200 filtered by organisation, year and round) and each person
(a superuser who reads the country, a ministry's planner, a unit's reporter) it prints the best
of --repeat, its median and its queries. The superuser's national lists are also read by hand:
one COUNT and one page of the same columns in the same order through `cursor.execute`, turned
into the same JSON with `json.dumps` — what a list costs without a framework. Exit 1 when a list
is slower than the load bench's page target (--target-ms, 300 ms at p95 on deadline day; here
each request alone), when the API is more than --limit times the hand-written page, or when the
two disagree on the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# With DEBUG on, Django keeps every query's SQL in memory: both sides would pay for it.
os.environ.setdefault("TIDTAM_DEBUG", "0")
# The bench sends thousands of requests a minute with one token; the limit has its own test.
os.environ.setdefault("TIDTAM_API_RATE_LIMIT", "1000000000")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402

from tidtam.api.tokens import api_token_create  # noqa: E402
from tidtam.orgs.models import Organization, Person, RoleAssignment  # noqa: E402
from tidtam.plans.models import OperatingPlan, WorkItem  # noqa: E402
from tidtam.progress.models import ProgressEntry  # noqa: E402
from tidtam.seeds.generate import Scale, generate, generated_exists  # noqa: E402

PREFIX = "bench-api-"


def best_and_median(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def database_label() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def people(fy: int) -> dict[str, str]:
    """Tokens of a superuser, a ministry's planner and a unit's reporter (made once, kept)."""
    User = get_user_model()
    made: dict[str, Any] = {}
    superuser = User.objects.filter(username=f"{PREFIX}superuser").first()
    if superuser is None:
        superuser = User.objects.create_superuser(f"{PREFIX}superuser", password=None)
    made["superuser"] = superuser
    ministry = (
        Organization.objects.filter(code__startswith="gen-", parent__isnull=True)
        .order_by("pk")
        .first()
    )
    plan = (
        OperatingPlan.objects.filter(fiscal_year__year=fy, organization__code__startswith="gen-")
        .order_by("pk")
        .first()
    )
    if ministry is None or plan is None:
        raise SystemExit("ไม่มีข้อมูลจำลองระดับประเทศ (gen-…) — รัน tidtam generate ก่อน")
    for label, role, org in (
        ("ministry-planner", RoleAssignment.Role.PLANNER, ministry),
        ("reporter", RoleAssignment.Role.REPORTER, plan.organization),
    ):
        user = User.objects.filter(username=f"{PREFIX}{label}").first()
        if user is None:
            user = User.objects.create_user(f"{PREFIX}{label}", password=None)
            person = Person.objects.create(user=user, first_name=label, organization=org)
            RoleAssignment.objects.create(person=person, organization=org, role=role)
        made[label] = user
    return {
        label: api_token_create(user=user, name="bench", scope="read", days=1).secret
        for label, user in made.items()
    }


def hand_written(fy: int, months: int, limit: int, after: int) -> Callable[[], str]:
    """A national page of entries with the API's columns, by hand: COUNT, the page after an id
    (the keyset a client walks a list by), json.dumps."""
    entry, item, round_, year = (
        ProgressEntry._meta.db_table,
        WorkItem._meta.db_table,
        "periods_round",
        "periods_fiscalyear",
    )
    where = f"FROM {entry} e JOIN {round_} r ON r.id = e.round_id JOIN {year} y ON y.id = r.fiscal_year_id WHERE y.year = %s AND r.months = %s"
    count_sql = f"SELECT COUNT(*) {where}"
    page_sql = (
        "SELECT e.id, e.work_item_id, i.key, e.round_id, y.year, r.months, e.status, e.version,"
        " e.result_text, e.result_text_annual, e.result_quantity, e.percent_method,"
        " e.percent_round, e.percent_annual, e.band, e.percent_note, e.explanation,"
        f" e.late_edit_allowed {where.replace('WHERE', f'JOIN {item} i ON i.id = e.work_item_id WHERE')}"
        " AND e.id > %s ORDER BY e.id LIMIT %s"
    )
    names = [
        "id",
        "work_item_id",
        "work_item_key",
        "round_id",
        "fiscal_year",
        "round_months",
        "status",
        "version",
        "result_text",
        "result_text_annual",
        "result_quantity",
        "percent_method",
        "percent_round",
        "percent_annual",
        "band",
        "percent_note",
        "explanation",
        "late_edit_allowed",
    ]

    def run() -> str:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, [fy, months])
            count = cursor.fetchone()[0]
            cursor.execute(page_sql, [fy, months, after, limit])
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return json.dumps(
            {"count": count, "limit": limit, "offset": 0, "items": rows},
            default=str,
            ensure_ascii=False,
        )

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="เวลาของรายการใน REST API ระดับประเทศ")
    parser.add_argument("--scale", type=float, default=1.0, help="ขนาดข้อมูลจำลองเทียบระดับประเทศ")
    parser.add_argument("--fy", type=int, default=2567, help="ปีงบประมาณ (พ.ศ.)")
    parser.add_argument("--round", type=int, default=6, choices=(3, 6, 9, 12))
    parser.add_argument("--repeat", type=int, default=9, help="จำนวนครั้งที่จับเวลาต่อรายการ")
    parser.add_argument("--target-ms", type=float, default=300.0, help="เวลาสูงสุดต่อคำขอ (มิลลิวินาที)")
    parser.add_argument("--limit", type=float, default=4.0, help="อัตราส่วนสูงสุดเทียบกับ SQL ที่เขียนเอง")
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
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    tokens = people(args.fy)
    gen_org = (
        OperatingPlan.objects.filter(
            fiscal_year__year=args.fy, organization__code__startswith="gen-"
        )
        .order_by("pk")
        .values_list("organization__code", flat=True)
        .first()
    )
    fy, months = args.fy, args.round
    # Deep in a national list: a client walking it sends the last id of the page before.
    deep_item = (
        WorkItem.objects.filter(plan__fiscal_year__year=fy)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[50_000 * WorkItem.objects.count() // 100_000]
    deep_entry = (
        ProgressEntry.objects.filter(round__fiscal_year__year=fy, round__months=months)
        .order_by("pk")
        .values_list("pk", flat=True)
    )[40_000 * ProgressEntry.objects.count() // 400_000]
    lists: list[tuple[str, str, str]] = [
        ("superuser", "/organizations", "limit=50"),
        ("superuser", "/plans", f"fy={fy}&limit=50"),
        ("superuser", "/work-items", f"fy={fy}&limit=50"),
        ("superuser", "/work-items", f"fy={fy}&limit=50&offset=10000"),
        ("superuser", "/work-items", f"fy={fy}&limit=50&after={deep_item}"),
        ("superuser", "/entries", f"fy={fy}&round={months}&limit=50"),
        ("superuser", "/entries", f"fy={fy}&round={months}&limit=200&offset=10000"),
        ("superuser", "/entries", f"fy={fy}&round={months}&limit=200&after={deep_entry}"),
        ("superuser", "/indicators", f"fy={fy}&limit=50"),
        ("superuser", "/results", f"fy={fy}&round={months}&limit=50"),
        ("superuser", "/budget-lines", f"fy={fy}&limit=50"),
        ("superuser", "/entries", f"org={gen_org}&fy={fy}&round={months}&limit=200"),
        ("ministry-planner", "/work-items", f"fy={fy}&limit=50"),
        ("ministry-planner", "/entries", f"fy={fy}&round={months}&limit=200"),
        ("ministry-planner", "/budget-lines", f"fy={fy}&limit=50"),
        ("reporter", "/work-items", f"fy={fy}&limit=50"),
        ("reporter", "/entries", f"fy={fy}&round={months}&limit=50"),
        ("reporter", "/indicators", f"fy={fy}&limit=50"),
    ]
    client = Client()

    def call(who: str, path: str, query: str) -> Any:
        response = client.get(
            f"/api/v1{path}?{query}",
            HTTP_AUTHORIZATION=f"Bearer {tokens[who]}",
            HTTP_HOST="127.0.0.1",
        )
        if response.status_code != 200:
            raise SystemExit(
                f"{who} {path}?{query}: {response.status_code} {response.content[:300]!r}"
            )
        return response

    print(f"ฐานข้อมูล (database): {database_label()}")
    print(
        f"ข้อมูล (rows): โครงการ/รายการ {WorkItem.objects.filter(plan__fiscal_year__year=fy).count():,}"
        f"; ผลรายรอบของรอบ {months} เดือน "
        f"{ProgressEntry.objects.filter(round__fiscal_year__year=fy, round__months=months).count():,}"
        f"; หน่วยงาน {Organization.objects.count():,}"
    )
    trivial = lambda: call("superuser", "/documents", "")  # noqa: E731
    trivial()
    trivial_best, trivial_median = best_and_median(args.repeat, trivial)
    print(
        f"คำขอที่แทบไม่ทำอะไร (trivial: /documents, the token, the rate limit, JSON): "
        f"{trivial_best * 1000:.1f} ms ดีที่สุด, {trivial_median * 1000:.1f} ms มัธยฐาน"
    )
    print(
        f"{'ผู้ใช้ / who':<17} {'รายการ / list':<58} {'rows':>6} {'best ms':>8} {'p50 ms':>7} {'queries':>7}"
    )
    failed = []
    for who, path, query in lists:
        response = call(who, path, query)  # once before timing: cold caches, compiled queries
        queries: list[str] = []

        def counted(execute: Any, sql: str, *rest: Any, seen: list[str] = queries) -> Any:
            seen.append(sql)
            return execute(sql, *rest)

        # Django empties connection.queries when a request starts: count them as they go.
        with connection.execute_wrapper(counted):
            call(who, path, query)
        best, median = best_and_median(args.repeat, partial(call, who, path, query))
        rows = len(response.json()["items"]) if isinstance(response.json(), dict) else 0
        print(
            f"{who:<17} {path + '?' + query:<58} {rows:>6} {best * 1000:>8.1f} "
            f"{median * 1000:>7.1f} {len(queries):>7}"
        )
        if median * 1000 > args.target_ms:
            failed.append(f"{who} {path}?{query}: {median * 1000:.0f} ms > {args.target_ms:.0f} ms")

    print("เทียบกับ SQL ที่เขียนเอง (the same national page of entries by hand):")
    for limit, after in ((50, 0), (200, deep_entry)):
        query = f"fy={fy}&round={months}&limit={limit}&after={after}"
        ours = call("superuser", "/entries", query).json()
        by_hand = hand_written(fy, months, limit, after)
        theirs = json.loads(by_hand())
        same = ours["count"] == theirs["count"] and [r["id"] for r in ours["items"]] == [
            r["id"] for r in theirs["items"]
        ]
        api_best, _ = best_and_median(args.repeat, partial(call, "superuser", "/entries", query))
        sql_best, _ = best_and_median(args.repeat, by_hand)
        ratio = api_best / sql_best
        print(
            f"  entries limit={limit} after={after}: API {api_best * 1000:.1f} ms, "
            f"SQL + json.dumps {sql_best * 1000:.1f} ms, อัตราส่วน (ratio) {ratio:.2f}, "
            f"เกณฑ์ (limit) {Decimal(str(args.limit))}, แถวตรงกัน {'ใช่' if same else 'ไม่'}"
        )
        if not same:
            failed.append(f"entries limit={limit} after={after}: rows differ")
        if ratio > args.limit:
            failed.append(f"entries limit={limit} after={after}: ratio {ratio:.2f}")
    for line in failed:
        print(f"ไม่ผ่าน (failed): {line}")
    print("PASS" if not failed else "FAIL")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
