"""The Excel import at the same moment as a person's page, on PostgreSQL: an import applied while
a reporter saves one of its entries on the page never loses either (one goes in, the other is
told who changed the entry: the import lists the row and writes nothing); two first saves (the
import's batch and the page) make one entry; a confirmed upload confirmed twice at once is
applied once."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.concurrency.conftest import at_once, client_of
from tests.concurrency.test_races import MAINTENANCE, fresh_item, statuses, typed
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.transfer import jobs, results, services
from tidtam.transfer.models import ImportJob

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TRIES = 6


def _results_file(keys: dict[str, tuple[int, str]]) -> bytes:
    """สมศ.'s round-6 template with a result and a text typed into the given items' rows."""
    book = load_workbook(io.BytesIO(services.export("results", "onesqa", 2567, 6)))
    sheet = book[results.SHEET]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row=row, column=headers[results.KEY]).value
        if key in keys:
            quantity, text = keys[key]
            sheet.cell(row=row, column=headers[results.RESULT]).value = quantity
            sheet.cell(row=row, column=headers[results.TEXT]).value = text
            sheet.cell(row=row, column=headers[results.PERCENT_ROUND]).value = None
            sheet.cell(row=row, column=headers[results.PERCENT_ANNUAL]).value = None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _apply(data: bytes) -> list[Any]:
    imported = services.read(data, file_name="ผล.xlsx")
    return services.apply(imported)


def test_an_import_and_a_page_save_of_one_entry_at_once_never_lose_either(world: Any) -> None:
    reporter = client_of(world, "reporter")
    item = WorkItem.objects.get(name=MAINTENANCE)
    for index in range(TRIES):
        entry = ProgressEntry.objects.get(work_item=item, round=world.round)
        data = _results_file({item.key: (index + 1, f"จาก Excel {index}")})
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        page = typed(f"จากหน้าเว็บ {index}", version=str(entry.version), explanation="รอผู้รับจ้าง")
        problems, response = at_once(
            lambda d=data: _apply(d), lambda p=page, u=url: reporter.post(u, p)
        )
        if isinstance(problems, BaseException):
            raise problems
        (code,) = statuses([response])
        assert code != 500
        stored = ProgressEntry.objects.get(work_item=item, round=world.round)
        if problems:
            # The page went first: the import names the row and who changed it, writes nothing.
            assert code == 302, code
            assert stored.result_text == f"จากหน้าเว็บ {index}"
            assert "ถูกแก้ไขโดย" in problems[0].message and problems[0].row
        else:
            # The import went first: the page is told, and keeps what the reporter typed.
            assert stored.result_text == f"จาก Excel {index}"
            assert stored.result_quantity == index + 1
            assert code == 200, code
            assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in response.content.decode()


def test_the_import_and_a_page_making_one_entry_at_once_make_one_row(world: Any) -> None:
    reporter = client_of(world, "reporter")
    for index in range(TRIES):
        item = fresh_item(index)
        data = _results_file({item.key: (3, "จาก Excel")})
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        problems, response = at_once(
            lambda d=data: _apply(d),
            lambda u=url: reporter.post(u, typed("จากหน้าเว็บ", version="0", explanation="รอ")),
        )
        if isinstance(problems, BaseException):
            raise problems
        (code,) = statuses([response])
        assert code != 500
        assert ProgressEntry.objects.filter(work_item=item, round=world.round).count() == 1
        stored = ProgressEntry.objects.get(work_item=item, round=world.round)
        assert stored.result_text in ("จาก Excel", "จากหน้าเว็บ")
        if stored.result_text == "จาก Excel":
            assert stored.result_quantity == Decimal(3)


def test_a_confirmed_upload_confirmed_twice_at_once_is_applied_once(world: Any) -> None:
    planner = world.users["planner"]
    item = WorkItem.objects.get(name=MAINTENANCE)
    data = _results_file({item.key: (7, "ยืนยันสองครั้ง")})
    job = jobs.job_create(person=planner, file_name="ผล.xlsx", content=data)
    assert jobs.job_check(str(job.pk)) == ImportJob.Status.READY
    claims = at_once(lambda: jobs.job_apply_request(job), lambda: jobs.job_apply_request(job))
    assert sorted(claims) == [False, True]
    outcomes = at_once(lambda: jobs.job_apply(str(job.pk)), lambda: jobs.job_apply(str(job.pk)))
    assert sorted(map(str, outcomes)) == ["applied", "skipped"]
    entry = ProgressEntry.objects.get(work_item=item, round=world.round)
    assert entry.result_text == "ยืนยันสองครั้ง"
    assert entry.history.filter(result_text="ยืนยันสองครั้ง").count() == 1
