"""A work item's months: a monthly plan of quantities that adds up to the target and gives the
rounds' plans (the entries' percents follow), monthly results with no gap, none for a month not
begun and none changed in a closed round; the month grid in Thai digits; สงป. 301 printed month
by month from it, and a note where the months and a round report disagree."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tests.app.test_budget_forms import MONTH_COLUMNS, QUARTER_COLUMNS, TOTAL_COLUMN, grid, number
from tests.app.test_budget_months import open_rounds
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.periods.services import round_close
from tidtam.plans.models import PlannedMilestone, WorkItem, WorkItemMonth
from tidtam.plans.services import QuantityMonth, item_months_version, work_item_months_save
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.services import progress_entry_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

D = Decimal
APRIL_8 = date(2024, 4, 8)  # FY 2567: October … April have begun


def item_with_target(target: str = "120", result: str = "45") -> WorkItem:
    """A สมศ. item with a quantity target and a 6-month entry computed from it."""
    open_rounds(6)
    item = (
        WorkItem.objects.filter(
            plan__organization__code="onesqa",
            plan__fiscal_year__year=2567,
            excluded=False,
            budget_line__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    assert item is not None
    WorkItem.objects.filter(pk=item.pk).update(target_quantity=D(target), target_unit="แห่ง")
    item.refresh_from_db()
    progress_entry_save(
        work_item=item,
        round_=Round.objects.get(fiscal_year__year=2567, months=6),
        result_text="ตรวจประเมินแล้ว",
        result_quantity=D(result),
        percent_method=PercentMethod.COMPUTED,
        explanation="ผู้รับการประเมินเลื่อนนัดในไตรมาสแรก",
    )
    return item


def months(
    planned: list[str | None], results: list[str | None] | None = None
) -> list[QuantityMonth]:
    done = (results or []) + [None] * (12 - len(results or []))
    return [
        QuantityMonth(
            month=m,
            planned_quantity=None if planned[m - 1] is None else D(planned[m - 1]),  # type: ignore[arg-type]
            result_quantity=None if done[m - 1] is None else D(done[m - 1]),  # type: ignore[arg-type]
        )
        for m in range(1, 13)
    ]


EVEN = ["10"] * 12  # 120 in all: 30 by December, 60 by March


def refused(code: str, item: WorkItem, rows: list[QuantityMonth]) -> str:
    with pytest.raises(DomainError) as error:
        work_item_months_save(work_item=item, rows=rows, today=APRIL_8)
    assert error.value.code == code, error.value
    return message_for(error.value)


def test_a_monthly_plan_gives_the_rounds_plans_and_the_entries_percents_follow() -> None:
    item = item_with_target()
    work_item_months_save(work_item=item, rows=months(EVEN), today=APRIL_8)
    planned = {
        m.round_months: m.planned_quantity for m in PlannedMilestone.objects.filter(work_item=item)
    }
    assert planned == {3: D(30), 6: D(60), 9: D(90), 12: D(120)}
    entry = ProgressEntry.objects.get(
        work_item=item, round__fiscal_year__year=2567, round__months=6
    )
    assert entry.result_quantity is not None
    # The stored percent is the result against the 60 the months plan by March.
    assert entry.percent_round == (entry.result_quantity / D(60) * 100).quantize(D("0.0001"))
    assert entry.percent_annual == (entry.result_quantity / D(120) * 100).quantize(D("0.0001"))


def test_a_monthly_plan_must_add_up_to_the_target_and_needs_one() -> None:
    item = item_with_target("100")
    message = refused("monthly_quantity_total", item, months(EVEN))
    assert "รวม 120 แห่ง ไม่เท่ากับค่าเป้าหมาย 100 แห่ง" in message and item.name in message
    WorkItem.objects.filter(pk=item.pk).update(target_quantity=None)
    item.refresh_from_db()
    assert item.name in refused("monthly_quantity_needs_target", item, months(EVEN))
    assert not WorkItemMonth.objects.filter(work_item=item).exists()  # nothing half-written


def test_results_run_from_october_without_a_gap_and_not_past_today() -> None:
    item = item_with_target()
    message = refused("month_result_gap", item, months(EVEN, ["5", None, "7"]))
    assert "ธันวาคม" in message and "พฤศจิกายน" in message
    message = refused("month_not_started", item, months(EVEN, ["5"] * 8))
    assert "พฤษภาคม" in message


def test_a_closed_rounds_months_keep_their_results() -> None:
    open_rounds(3, 6)
    item = item_with_target()
    work_item_months_save(work_item=item, rows=months(EVEN, ["5", "5", "5"]), today=APRIL_8)
    onesqa = Organization.objects.get(code="onesqa")
    round_close(round_=Round.objects.get(fiscal_year__year=2567, months=3), organization=onesqa)
    assert "พฤศจิกายน" in refused("round_closed", item, months(EVEN, ["5", "6", "5"]))
    # Unchanged, the closed months save with the open round's months after them.
    work_item_months_save(
        work_item=item, rows=months(EVEN, ["5", "5", "5", "8", "0", "9"]), today=APRIL_8
    )
    saved = WorkItemMonth.objects.filter(work_item=item, result_quantity__isnull=False)
    assert sum(m.result_quantity for m in saved) == D(32)  # type: ignore[misc]


def test_a_planner_types_the_months_in_thai_digits_and_others_may_not() -> None:
    item = item_with_target("1200")
    url = reverse("plans:work_item_months", args=[item.pk])
    planner = signed_in(Client(), "planner")
    page = planner.get(url)
    assert page.status_code == 200 and "planned_1" in page.content.decode()
    data = {"version": str(item_months_version(item))}
    data |= {f"planned_{m}": "๑๐๐" for m in range(1, 13)}
    data |= {"result_1": "1,000", "result_2": "๕๐"}
    response = planner.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = {m.month: m for m in WorkItemMonth.objects.filter(work_item=item)}
    assert saved[1].planned_quantity == D(100) and saved[1].result_quantity == D(1000)
    assert saved[2].result_quantity == D(50) and saved[3].result_quantity is None
    # A form opened before that save is refused, naming who saved.
    stale = planner.post(url, {**data, "version": "0", "result_1": "7"})
    assert stale.status_code == 400
    assert "ถูกแก้โดย" in html.unescape(stale.content.decode())
    assert signed_in(Client(), "reporter").post(url, data).status_code == 403
    assert signed_in(Client(), "bic-planner").get(url).status_code == 404
    # A total unlike the target comes back on the page in Thai, and nothing changes.
    wrong = planner.post(url, {**data, "version": str(item_months_version(item)), "planned_1": "1"})
    assert wrong.status_code == 400
    assert "ไม่เท่ากับค่าเป้าหมาย 1,200 แห่ง" in html.unescape(wrong.content.decode())
    assert WorkItemMonth.objects.get(work_item=item, month=1).planned_quantity == D(100)


def test_form_301_prints_an_items_months_and_tells_where_a_round_report_differs(
    tmp_path: Path,
) -> None:
    item = item_with_target()
    results = ["3", "4", "5", "6", "7", "8"]  # 33 by March
    work_item_months_save(work_item=item, rows=months(EVEN, results), today=APRIL_8)
    entry = ProgressEntry.objects.get(
        work_item=item, round__fiscal_year__year=2567, round__months=6
    )
    drafted = " ".join(str(c) for r in grid(tmp_path, "form-301", "onesqa") for c in r if c)
    assert "ไม่เท่ากับผลที่รายงานในรอบ" not in drafted  # a draft is not counted
    ProgressEntry.objects.filter(pk=entry.pk).update(status="submitted")  # sent in
    rows = grid(tmp_path, "form-301", "onesqa")
    code = f"{item.activity.output.number}.{item.activity.number}.{item.number}"
    at = next(i for i, r in enumerate(rows) if r[0] == code)
    plan, result = rows[at], rows[at + 1]  # the plan row, then its result row
    assert (plan[3], result[3]) == ("แผน", "ผล")
    assert [number(plan[c]) for c in MONTH_COLUMNS] == [D(10)] * 12
    assert [number(plan[c]) for c in QUARTER_COLUMNS] == [D(30)] * 4
    assert number(plan[TOTAL_COLUMN]) == D(120)
    assert [number(result[c]) for c in MONTH_COLUMNS[:6]] == [D(v) for v in results]
    assert all(result[c] == "-" for c in MONTH_COLUMNS[6:])
    assert [number(result[c]) for c in QUARTER_COLUMNS[:2]] == [D(12), D(21)]
    assert number(result[TOTAL_COLUMN]) == D(33)
    notes = " ".join(str(cell) for row in rows for cell in row if isinstance(cell, str))
    # Submitted, the round report (45 by March) and the months (33) disagree: the form says so.
    assert "ผลรายเดือนรวมถึงสิ้นรอบ 6 เดือน 33 แห่ง ไม่เท่ากับผลที่รายงานในรอบ 45 แห่ง" in notes


def test_form_301_of_a_generated_agency_agrees_with_its_round_reports(tmp_path: Path) -> None:
    from tidtam.seeds.generate import Scale, generate

    generate(
        fiscal_year=2567,
        scale=Scale(organizations=3, work_items=90, kpis=6, budget_lines=6),
        seed=11,
    )
    month_rows = WorkItemMonth.objects.filter(
        work_item__plan__organization__code__startswith="gen-",
        work_item__plan__fiscal_year__year=2567,
        work_item__excluded=False,
    ).select_related("work_item__plan__organization", "work_item__activity__output")
    first = month_rows.order_by("work_item__plan__organization__code", "work_item_id").first()
    assert first is not None, "the generator gave no item months"
    item = first.work_item
    rows = grid(tmp_path, "form-301", item.plan.organization.code)
    code = f"{item.activity.output.number}.{item.activity.number}.{item.number}"
    at = next(i for i, r in enumerate(rows) if r[0] == code and r[1] == item.name)
    plan, result = rows[at], rows[at + 1]
    saved = {m.month: m for m in WorkItemMonth.objects.filter(work_item=item)}
    assert [number(plan[c]) for c in MONTH_COLUMNS] == [
        saved[m].planned_quantity for m in range(1, 13)
    ]
    assert [number(result[c]) for c in MONTH_COLUMNS] == [
        saved[m].result_quantity for m in range(1, 13)
    ]
    # Each quarter's months add up to what its milestones and round reports say.
    milestones = {
        m.round_months: m.planned_quantity for m in PlannedMilestone.objects.filter(work_item=item)
    }
    assert number(plan[TOTAL_COLUMN]) == milestones[12] == item.target_quantity
    reported = ProgressEntry.objects.get(work_item=item, round__months=12).result_quantity
    assert number(result[TOTAL_COLUMN]) == reported
    notes = " ".join(str(cell) for row in rows for cell in row if isinstance(cell, str))
    assert "ไม่เท่ากับผลที่รายงานในรอบ" not in notes


def test_a_result_of_a_month_still_running_can_be_corrected_and_a_closed_quarters_cannot() -> None:
    from tests.app.test_budget_months import new_line
    from tests.app.test_budget_months import rows as line_rows
    from tidtam.budgets.services import budget_months_save

    open_rounds(3, 6)  # the 6-month round open; the 3-month closed; April's round not yet open
    item = item_with_target()
    typed = ["1", "1", "1", "1", "1", "1", "1"]  # October … April
    work_item_months_save(work_item=item, rows=months(EVEN, typed), today=APRIL_8)
    corrected = [*typed[:6], "2"]
    work_item_months_save(work_item=item, rows=months(EVEN, corrected), today=APRIL_8)
    assert WorkItemMonth.objects.get(work_item=item, month=7).result_quantity == D(2)
    # A budget line's April alike; a closed quarter's month still refused.
    line = new_line()
    paid = ["0", "0", "0", "0", "0", "0", "1000"]
    budget_months_save(line=line, rows=line_rows(disbursed=paid), today=APRIL_8)
    budget_months_save(line=line, rows=line_rows(disbursed=[*paid[:6], "2000"]), today=APRIL_8)
    round_close(
        round_=Round.objects.get(fiscal_year__year=2567, months=6),
        organization=Organization.objects.get(code="onesqa"),
    )
    assert "มีนาคม" in refused("round_closed", item, months(EVEN, [*typed[:5], "9", "2"]))


def test_an_items_target_and_round_plans_follow_its_monthly_plan_on_the_item_page() -> None:
    from tidtam.plans.services import MilestoneInput, milestone_save, work_item_save

    item = item_with_target()
    work_item_months_save(work_item=item, rows=months(EVEN), today=APRIL_8)
    with pytest.raises(DomainError) as error:
        work_item_save(
            work_item=item,
            name=item.name,
            kind=item.kind,
            target_quantity=D(200),
            target_unit=item.target_unit,
        )
    assert error.value.code == "monthly_quantity_total"
    assert "รวม 120 แห่ง ไม่เท่ากับค่าเป้าหมาย 200 แห่ง" in message_for(error.value)
    with pytest.raises(DomainError) as error:
        work_item_save(
            work_item=item,
            name=item.name,
            kind=item.kind,
            target_quantity=D(120),
            target_unit=item.target_unit,
            milestones={3: MilestoneInput(text="เริ่ม", planned_quantity=D(40))},
        )
    assert error.value.code == "milestone_from_months"
    assert "30 แห่ง" in message_for(error.value)
    march = PlannedMilestone.objects.get(work_item=item, round_months=6)
    with pytest.raises(DomainError):
        milestone_save(milestone=march, text="ครึ่งปี", planned_quantity=D(61))
    # The texts change freely; the quantities the months give stay.
    milestone_save(milestone=march, text="ครึ่งปี", planned_quantity=D(60))
    item.refresh_from_db()
    assert item.target_quantity == D(120)


def test_results_of_an_item_without_a_target_are_refused_too() -> None:
    item = item_with_target()
    WorkItem.objects.filter(pk=item.pk).update(target_quantity=None)
    item.refresh_from_db()
    assert item.name in refused("monthly_quantity_needs_target", item, months([None] * 12, ["1"]))
