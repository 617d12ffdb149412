"""A line's months through the service: a monthly plan that adds up, results with no gap and
never above the line's plan, closed rounds kept, the rounds' figures written from the months,
and the budget items that follow the line measured against its monthly plan."""

from __future__ import annotations

import dataclasses
import html
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.budgets.models import BudgetCategory, BudgetLine, BudgetMonth, BudgetSpending
from tidtam.budgets.services import (
    MonthRow,
    budget_line_create,
    budget_months_save,
    budget_spending_save,
    months_version,
)
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.services import round_close, round_open
from tidtam.plans.models import WorkItem
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.services import progress_entry_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

D = Decimal
APRIL_8 = date(2024, 4, 8)  # FY 2567: October … March have begun, April too
# Back-loaded: 10 % by March, the rest from April (an investment line of 1,000,000 baht).
PLAN = [
    "0",
    "0",
    "50000",
    "0",
    "0",
    "50000",
    "100000",
    "100000",
    "200000",
    "200000",
    "150000",
    "150000",
]


def new_line(annual: str = "1000000.00") -> BudgetLine:
    return budget_line_create(
        organization=Organization.objects.get(code="onesqa"),
        fiscal_year=FiscalYear.objects.get(year=2567),
        category=BudgetCategory.objects.get(organization=None, code="investment"),
        name="ครุภัณฑ์ห้องปฏิบัติการ",
        annual_plan_baht=D(annual),
    )


def rows(
    planned: list[str] = PLAN,
    disbursed: list[str | None] | None = None,
    committed: list[str | None] | None = None,
) -> list[MonthRow]:
    paid = (disbursed or []) + [None] * (12 - len(disbursed or []))
    owed = (committed or []) + [None] * (12 - len(committed or []))
    return [
        MonthRow(
            month=m,
            planned_baht=D(planned[m - 1]),
            disbursed_baht=None if paid[m - 1] is None else D(paid[m - 1]),  # type: ignore[arg-type]
            committed_baht=None if owed[m - 1] is None else D(owed[m - 1]),  # type: ignore[arg-type]
        )
        for m in range(1, 13)
    ]


def refused(code: str, **kwargs: object) -> str:
    with pytest.raises(DomainError) as error:
        budget_months_save(today=APRIL_8, **kwargs)  # type: ignore[arg-type]
    assert error.value.code == code, error.value
    return message_for(error.value)


def open_rounds(*months: int) -> None:
    onesqa = Organization.objects.get(code="onesqa")
    for m in months:
        round_open(round_=Round.objects.get(fiscal_year__year=2567, months=m), organization=onesqa)


def test_the_rounds_figures_are_written_from_the_months() -> None:
    open_rounds(3, 6)
    line = new_line()
    budget_months_save(
        line=line,
        rows=rows(
            disbursed=["0", "0", "30000", "0", "10000", "20000"],
            committed=[None, None, "5000", None, None, "40000"],
        ),
        today=APRIL_8,
    )
    spending = {s.round.months: s for s in BudgetSpending.objects.filter(line=line)}
    assert (spending[3].disbursed_baht, spending[3].committed_baht) == (D("30000"), D("5000"))
    assert (spending[6].disbursed_baht, spending[6].committed_baht) == (D("60000"), D("40000"))
    # Rounds not reached yet have nothing reported: no row.
    assert set(spending) == {3, 6}
    figures = line.figures(spending[6], months=6)
    assert figures.planned_to_date == D("100000")  # the monthly plan's, not half the year
    assert figures.percent_disbursed_to_date == D(60)
    assert BudgetMonth.objects.filter(line=line).count() == 12
    # Typing the round's figure for a line reported by month is refused.
    with pytest.raises(DomainError) as error:
        budget_spending_save(
            line=line,
            round_=Round.objects.get(fiscal_year__year=2567, months=6),
            disbursed_baht=D(1),
        )
    assert "รายงานผลเป็นรายเดือน" in message_for(error.value)


def test_a_budget_item_on_the_line_is_measured_against_the_monthly_plan() -> None:
    open_rounds(6)
    line = new_line()
    item = WorkItem.objects.filter(
        plan__organization__code="onesqa",
        plan__fiscal_year__year=2567,
        kind=WorkItem.Kind.BUDGET_ITEM,
        excluded=False,
        later_quarter_from__isnull=True,
    ).first()
    assert item is not None
    item.budget_line = line
    item.save()
    round_6 = Round.objects.get(fiscal_year__year=2567, months=6)
    progress_entry_save(work_item=item, round_=round_6, percent_method=PercentMethod.BUDGET_LINE)
    budget_months_save(
        line=line, rows=rows(disbursed=["0", "0", "50000", "0", "0", "30000"]), today=APRIL_8
    )
    entry = ProgressEntry.objects.get(work_item=item, round=round_6)
    # 80,000 spent of the 100,000 due by March (not of 500,000), 8 % of the year.
    assert entry.percent_round == D("80.0000")
    assert entry.percent_annual == D("8.0000")
    # A new plan alone (200,000 due by March) moves the round's percent with it.
    later = [
        "100000",
        "0",
        "50000",
        "0",
        "0",
        "50000",
        "100000",
        "100000",
        "200000",
        "200000",
        "150000",
        "50000",
    ]
    budget_months_save(
        line=line,
        rows=rows(planned=later, disbursed=["0", "0", "50000", "0", "0", "30000"]),
        today=APRIL_8,
    )
    entry.refresh_from_db()
    assert entry.percent_round == D("40.0000")


def test_a_monthly_plan_must_add_up_to_the_lines_plan() -> None:
    line = new_line("999999.99")
    message = refused("monthly_plan_total", line=line, rows=rows())
    assert "รวม 1,000,000 บาท" in message and "999,999.99 บาท" in message
    assert "ต่างกัน 0.01 บาท" in message
    # All zero: no monthly plan (the line is then planned linearly).
    budget_months_save(line=line, rows=rows(planned=["0"] * 12), today=APRIL_8)
    assert line.monthly_plan() is None


def test_results_have_no_gap_never_pass_the_plan_and_wait_for_their_month() -> None:
    open_rounds(3, 6)
    line = new_line()
    gap = refused("month_result_gap", line=line, rows=rows(disbursed=["1", None, "1"]))
    assert "ธันวาคม" in gap and "พฤศจิกายน" in gap
    above = refused(
        "disbursed_above_allocation", line=line, rows=rows(disbursed=["600000", "400000.01"])
    )
    assert "พฤศจิกายน" in above and "1,000,000.01 บาท" in above
    early = refused("month_not_started", line=line, rows=rows(disbursed=["0"] * 8))
    assert "พฤษภาคม" in early
    committed_alone = refused("month_committed_alone", line=line, rows=rows(committed=["5"]))
    assert "มีก่อหนี้ผูกพันเดือนตุลาคม แต่ยังไม่มีผลเบิกจ่ายเดือนตุลาคม" in committed_alone
    negative = refused("negative_amount", line=line, rows=rows(disbursed=["-1"]))
    assert "เบิกจ่าย — ครุภัณฑ์ห้องปฏิบัติการ เดือนตุลาคม" in negative
    eleven = refused("monthly_plan_months_missing", line=line, rows=rows()[:11])
    assert eleven.startswith("แผนรายเดือนมี 11 เดือน ขาดเดือนกันยายน")
    # Twelve rows, one month twice: it said "12 months — 12 are needed".
    twice = [*rows()[:11], dataclasses.replace(rows()[0])]
    assert refused("monthly_plan_months_twice", line=line, rows=twice).startswith(
        "แผนรายเดือนมีเดือนตุลาคม ซ้ำกัน"
    )
    from tidtam.domain.fiscal import FISCAL_MONTHS
    from tidtam.periods.months import check_month_count

    with pytest.raises(DomainError) as backwards:
        check_month_count(list(reversed(FISCAL_MONTHS)))
    assert backwards.value.code == "monthly_plan_months_order"
    assert not BudgetMonth.objects.filter(line=line).exists()  # nothing half-written


def test_a_closed_rounds_months_keep_their_results() -> None:
    open_rounds(3, 6)
    line = new_line()
    budget_months_save(line=line, rows=rows(disbursed=["1000", "2000", "3000"]), today=APRIL_8)
    onesqa = Organization.objects.get(code="onesqa")
    round_close(round_=Round.objects.get(fiscal_year__year=2567, months=3), organization=onesqa)
    message = refused("round_closed", line=line, rows=rows(disbursed=["1000", "2500", "3000"]))
    assert "พฤศจิกายน" in message
    # Its results unchanged, the plan and the months of an open round still save.
    budget_months_save(
        line=line,
        rows=rows(disbursed=["1000", "2000", "3000", "4000", "0", "5000"]),
        today=APRIL_8,
    )
    assert BudgetSpending.objects.get(line=line, round__months=6).disbursed_baht == D("15000")
    assert BudgetSpending.objects.get(line=line, round__months=3).disbursed_baht == D("6000")


def test_a_second_save_from_an_older_page_is_refused_naming_who() -> None:
    line = new_line()
    opened = months_version(line)
    budget_months_save(line=line, rows=rows(), expected_version=opened, today=APRIL_8)
    message = refused("budget_months_changed", line=line, rows=rows(), expected_version=opened)
    assert "หลังจากที่คุณเปิดหน้านี้" in message


def test_figures_drawn_on_a_day_outside_the_round_are_refused() -> None:
    line = new_line()
    round_6 = Round.objects.get(fiscal_year__year=2567, months=6)
    with pytest.raises(DomainError) as error:
        budget_spending_save(line=line, round_=round_6, disbursed_baht=D(1), as_of=date(2024, 4, 1))
    assert "1 เมษายน 2567" in message_for(error.value)
    saved = budget_spending_save(
        line=line, round_=round_6, disbursed_baht=D(1), as_of=date(2024, 3, 15)
    )
    assert saved.as_of == date(2024, 3, 15)


# --- the month page ---------------------------------------------------------------------------


def month_form(planned: list[str], disbursed: list[str], version: int | None) -> dict[str, str]:
    data = {"version": "" if version is None else str(version)}
    for m in range(1, 13):
        data[f"planned_{m}"] = planned[m - 1]
        data[f"disbursed_{m}"] = disbursed[m - 1] if m <= len(disbursed) else ""
        data[f"committed_{m}"] = ""
    return data


@pytest.mark.usefixtures("cast")
@override_settings(DEMO_TODAY="2024-04-08")
def test_the_planner_types_the_months_in_thai_digits_and_commas_and_the_round_follows() -> None:
    open_rounds(6)
    line = new_line()
    client = signed_in(Client(), "planner")
    url = reverse("budgets:line_months", args=[line.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "ตุลาคม" in page.content.decode() and "กันยายน" in page.content.decode()
    planned = [
        "๐",
        "0",
        "50,000",
        "",
        "",
        "๕๐,๐๐๐.๐๐",
        "100000",
        "100,000",
        "200000",
        "200000",
        "150000",
        "150000",
    ]
    response = client.post(
        url,
        month_form(
            planned,
            ["0", "0", "๓๐,๐๐๐", "0", "0", "20,000.50"],
            page.context["form"]["version"].value(),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert line.monthly_plan() is not None
    spending = BudgetSpending.objects.get(line=line, round__months=6)
    assert spending.disbursed_baht == D("50000.50")
    again = client.get(url).content.decode()
    assert "20000.50" in again or "20,000.50" in again


@pytest.mark.usefixtures("cast")
@override_settings(DEMO_TODAY="2024-04-08")
def test_a_bad_month_is_named_and_nothing_is_saved() -> None:
    line = new_line()
    client = signed_in(Client(), "planner")
    url = reverse("budgets:line_months", args=[line.pk])
    bad = client.post(url, month_form(["abc"] + ["0"] * 11, [], None))
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert list(errors) == ["planned_1"]
    assert "ไม่ใช่ตัวเลข" in errors["planned_1"][0]
    assert 'id="id_planned_1_error"' in bad.content.decode()
    off = client.post(url, month_form(["1"] + ["0"] * 11, [], None))
    assert off.status_code == 400
    assert "ไม่เท่ากับแผนการใช้จ่ายทั้งปี" in html.unescape(off.content.decode())
    assert not BudgetMonth.objects.filter(line=line).exists()


@pytest.mark.usefixtures("cast")
@override_settings(DEMO_TODAY="2024-04-08")
def test_a_save_from_a_page_opened_before_anothers_save_is_refused_and_keeps_the_typed() -> None:
    line = new_line()
    url = reverse("budgets:line_months", args=[line.pk])
    first, second = signed_in(Client(), "planner"), signed_in(Client(), "planner")
    version = first.get(url).context["form"]["version"].value()
    second.get(url)
    assert first.post(url, month_form(PLAN, [], version)).status_code == 302
    late = second.post(url, month_form(["1000000"] + ["0"] * 11, [], version))
    assert late.status_code == 400
    page = html.unescape(late.content.decode())
    assert "หลังจากที่คุณเปิดหน้านี้" in page
    assert 'value="1000000"' in page
    # Saved again from that page, it goes over the other save.
    data = month_form(["1000000"] + ["0"] * 11, [], late.context["form"]["version"].value())
    assert second.post(url, data).status_code == 302
    assert line.monthly_plan().through(1) == D("1000000")  # type: ignore[union-attr]


@pytest.mark.usefixtures("cast")
def test_others_read_the_months_or_find_nothing() -> None:
    line = new_line()
    url = reverse("budgets:line_months", args=[line.pk])
    assert signed_in(Client(), "reporter").get(url).status_code == 200
    assert signed_in(Client(), "reporter").post(url, {}).status_code == 403
    assert signed_in(Client(), "bic-planner").get(url).status_code == 404


def test_a_lines_plan_changes_only_to_one_its_months_and_figures_fit() -> None:
    from tidtam.budgets.services import budget_line_save

    open_rounds(6)
    line = new_line()
    budget_months_save(
        line=line, rows=rows(disbursed=["0", "0", "50000", "0", "0", "30000"]), today=APRIL_8
    )
    line.refresh_from_db()
    with pytest.raises(DomainError) as mismatch:
        budget_line_save(
            line=line, category=line.category, name=line.name, annual_plan_baht=D("1200000")
        )
    assert mismatch.value.code == "monthly_plan_total"
    budget_months_save(
        line=line,
        rows=rows(planned=["0"] * 12, disbursed=["0", "0", "50000", "0", "0", "30000"]),
        today=APRIL_8,
    )
    with pytest.raises(DomainError) as below:
        budget_line_save(
            line=line, category=line.category, name=line.name, annual_plan_baht=D("60000")
        )
    assert below.value.code == "disbursed_above_allocation"
    assert "80,000" in message_for(below.value)
    assert BudgetLine.objects.get(pk=line.pk).annual_plan_baht == D("1000000")


def test_taking_back_every_result_takes_back_the_rounds_figures_written_from_them() -> None:
    open_rounds(3)  # the months of a closed round keep what they reported
    line = new_line()
    budget_months_save(line=line, rows=rows(disbursed=["1", "2", "3"]), today=APRIL_8)
    assert BudgetSpending.objects.filter(line=line, round__months=3).exists()
    # December taken back: the round's last month is no longer reported, so it has no figures.
    budget_months_save(line=line, rows=rows(disbursed=["1", "2"]), today=APRIL_8)
    assert not BudgetSpending.objects.filter(line=line, round__months=3).exists()
    budget_months_save(line=line, rows=rows(disbursed=["1", "2", "3"]), today=APRIL_8)
    assert BudgetSpending.objects.get(line=line, round__months=3).disbursed_baht == D("6")
    budget_months_save(line=line, rows=rows(), today=APRIL_8)
    assert not BudgetSpending.objects.filter(line=line).exists()


def test_month_results_never_rewrite_a_closed_rounds_figures() -> None:
    open_rounds(3)
    line = new_line()
    round_3 = Round.objects.get(fiscal_year__year=2567, months=3)
    budget_spending_save(line=line, round_=round_3, disbursed_baht=D("100"))
    open_rounds(6)  # closes round 3
    message = refused("round_closed", line=line, rows=rows(disbursed=["5000", "5000", "5000"]))
    assert "3 เดือน" in message
    assert BudgetSpending.objects.get(line=line, round=round_3).disbursed_baht == D("100")
