"""Races on PostgreSQL around the figures of issue 10: a plan's thresholds changed while an entry
is saved, two committee members saving one review, two people typing one KPI's per-unit A and B.

Each ends in one of the states a person could have made alone: a stored band is the one the
plan's final thresholds give the entry's exact percent; a review and a set of units are one
person's whole save, never a mix; the other person is told, and nothing answers 500.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.app.test_committee_review import page_form
from tests.concurrency.conftest import at_once, client_of
from tests.concurrency.test_races import TRIES, fresh_item, statuses, typed
from tidtam import keys
from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.periods.models import Round
from tidtam.periods.services import round_open
from tidtam.plans.models import OperatingPlan
from tidtam.progress.models import ProgressEntry
from tidtam.progress.services import entry_percentages, stored_band

pytestmark = pytest.mark.postgres


def test_thresholds_changed_while_an_entry_is_saved_leave_every_band_as_the_plan_now_says(
    world: Any,
) -> None:
    reporter, planner = client_of(world, "reporter"), client_of(world, "planner")
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    settings_url = reverse("plans:plan_settings", kwargs={"plan_id": plan.pk})
    for index in range(TRIES):
        item = fresh_item(index)
        entry_url = reverse("progress:entry", args=[item.pk, world.round.pk])
        # 9 of 11 is 81.8 %: at or above the upper threshold of 80, below one of 90.
        high = "90" if index % 2 == 0 else "80"
        form = {
            "title": plan.title,
            "band_low": "50",
            "band_high": high,
            "explanation_threshold": "50",
        }
        codes = statuses(
            at_once(
                lambda url=entry_url: reporter.post(url, typed("เก้าจากสิบเอ็ด", version="0")),
                lambda form=form: planner.post(settings_url, form),
            )
        )
        assert codes == [302, 302], (index, codes)
        plan.refresh_from_db()
        assert plan.band_high == Decimal(high)
        wrong = [
            (e.work_item.name, e.round.months, e.band)
            for e in ProgressEntry.objects.filter(work_item__plan=plan).select_related(
                "work_item__plan", "work_item__budget_line", "round"
            )
            if e.band != stored_band(entry_percentages(e).annual, plan.thresholds)
        ]
        assert wrong == [], (index, high, wrong[:5])


def _second_planner_of(org_code: str) -> None:
    RoleAssignment.objects.get_or_create(
        person=Person.objects.get(user__username="planner"),
        organization=Organization.objects.get(code=org_code),
        role="planner",
    )


def test_two_committee_members_saving_one_review_at_once_keep_one_whole_review(
    world: Any,
) -> None:
    agreement = Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)
    round_ = Round.objects.get(fiscal_year=agreement.fiscal_year, months=12)
    round_open(round_=round_, organization=agreement.organization)
    _second_planner_of("ops-bic")
    first, second = client_of(world, "bic-planner"), client_of(world, "planner")
    url = reverse("agreements:agreement_review", args=[agreement.pk, round_.pk])
    kpis = list(AgreementKPI.objects.filter(group__agreement=agreement).order_by("number")[:2])
    for index in range(TRIES):
        forms = []
        for who, client in (("ก", first), ("ข", second)):
            data = page_form(client, url)
            for offset, kpi in enumerate(kpis):
                data[f"kpi-{kpi.pk}-score"] = str(40 + 10 * offset + (5 if who == "ข" else 0))
                data[f"kpi-{kpi.pk}-reason"] = f"ความเห็นของกรรมการ{who} ครั้งที่ {index}"
            forms.append(data)
        responses = at_once(
            lambda data=forms[0]: first.post(url, data),
            lambda data=forms[1]: second.post(url, data),
        )
        codes = statuses(responses)
        assert 500 not in codes, codes
        assert codes.count(302) == 1, (index, codes)
        refused = next(r for r in responses if r.status_code != 302).content.decode()
        # Told in Thai: another member saved since the page was opened, or at the same moment.
        told = re.findall(r"alert[^>]*>([^<]*)<", refused)
        assert any("หลังจากที่คุณเปิด" in t or "ในช่วงเวลาเดียวกัน" in t for t in told), told
        reasons = {
            r.reviewed_score_reason
            for r in IndicatorResult.objects.filter(
                indicator__agreement_kpi__in=kpis, round=round_, unit=None
            )
        }
        # Both KPIs carry one member's review: never one of each.
        assert len(reasons) == 1, (index, reasons)


def test_two_people_typing_one_kpis_units_at_once_keep_one_whole_set(world: Any) -> None:
    agreement = Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)
    round_ = Round.objects.get(fiscal_year=agreement.fiscal_year, months=12)
    round_open(round_=round_, organization=agreement.organization)
    _second_planner_of("ops-bic")
    kpi = AgreementKPI.objects.select_related("indicator").get(group__agreement=agreement, number=4)
    indicator = kpi.indicator
    indicator.measure_kind, indicator.target_value, indicator.unit = "ratio", Decimal(80), "ร้อยละ"
    indicator.save()
    units = [
        Organization.objects.create(
            code=f"ops-bic-p{n}", name=f"สำนักงานจังหวัดที่ {n}", parent=agreement.organization
        )
        for n in (1, 2)
    ]
    first, second = client_of(world, "bic-planner"), client_of(world, "planner")
    url = reverse("progress:result_units", args=[indicator.pk, round_.pk])
    sets = {
        "ก": [(units[0].pk, 90, 100), (units[1].pk, 1, 10)],
        "ข": [(units[0].pk, 50, 100), (units[1].pk, 50, 100)],
    }
    for index in range(TRIES):
        total = IndicatorResult.objects.filter(indicator=indicator, round=round_, unit=None)
        version = total.get().version if total.exists() else 0

        def form(
            rows: list[tuple[int, int, int]], version: int = version, index: int = index
        ) -> dict[str, str]:
            data = {
                "form-TOTAL_FORMS": str(len(rows)),
                "form-INITIAL_FORMS": "0",
                "form-MIN_NUM_FORMS": "0",
                "form-MAX_NUM_FORMS": "500",
                "version": str(version),
            }
            for i, (unit, a, b) in enumerate(rows):
                data.update(
                    {
                        f"form-{i}-unit": str(unit),
                        f"form-{i}-numerator": str(a + index),
                        f"form-{i}-denominator": str(b + index),
                    }
                )
            return data

        responses = at_once(
            lambda: first.post(url, form(sets["ก"])),
            lambda: second.post(url, form(sets["ข"])),
        )
        codes = statuses(responses)
        assert 500 not in codes, codes
        assert codes.count(302) == 1, (index, codes)
        stored = {
            (r.unit_id, int(r.numerator), int(r.denominator))
            for r in IndicatorResult.objects.filter(
                indicator=indicator, round=round_, unit__isnull=False
            )
        }
        winner = next(
            who
            for who, rows in sets.items()
            if stored == {(u, a + index, b + index) for u, a, b in rows}
        )
        summed = IndicatorResult.objects.get(indicator=indicator, round=round_, unit=None)
        assert (summed.numerator, summed.denominator) == (
            sum(a + index for _, a, _ in sets[winner]),
            sum(b + index for _, _, b in sets[winner]),
        )


def _work_item_form(client: Any, url: str, **changes: str) -> dict[str, str]:
    """The work item's edit page as it was opened, with `changes` typed over it."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["form"]] + [form for _, form, _ in response.context["rounds"]]
    data: dict[str, str] = {}
    for form in forms:
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else str(value)
    data.update(changes)
    return data


def test_a_target_changed_while_its_entry_is_saved_leaves_the_percent_the_new_target_gives(
    world: Any,
) -> None:
    reporter, planner = client_of(world, "reporter"), client_of(world, "planner")
    for index in range(TRIES):
        item = fresh_item(index)
        entry_url = reverse("progress:entry", args=[item.pk, world.round.pk])
        edit_url = reverse("plans:work_item_edit", args=[item.pk])
        # 9 against 11 is 81.82 %; against 18, 50 %.
        form = _work_item_form(planner, edit_url, target_quantity="18")
        codes = statuses(
            at_once(
                lambda url=entry_url: reporter.post(url, typed("เก้า", version="0")),
                lambda form=form, url=edit_url: planner.post(url, form),
            )
        )
        assert codes == [302, 302], (index, codes)
        entry = ProgressEntry.objects.select_related(
            "work_item__plan", "work_item__budget_line", "round"
        ).get(work_item=item, round=world.round)
        assert entry.work_item.target_quantity == 18
        exact = entry_percentages(entry).annual
        assert exact == 50
        assert (entry.percent_annual, entry.band) == (
            Decimal(50),
            stored_band(exact, entry.work_item.plan.thresholds),
        ), index


def test_spending_saved_while_a_budget_items_entry_is_first_saved_leaves_the_percent_it_gives(
    world: Any,
) -> None:
    """A budget item's percent is its line's spending: a spending save at the moment the item's
    entry is first saved must end with the percent the stored spending gives."""
    from tidtam.budgets.models import BudgetSpending
    from tidtam.budgets.services import budget_spending_save
    from tidtam.plans.models import WorkItem
    from tidtam.progress.services import stored_percent

    planner = client_of(world, "planner")
    source = WorkItem.objects.select_related("budget_line").get(
        plan__organization__code="onesqa",
        plan__fiscal_year__year=2567,
        name="งบบริหารจัดการสำนักงาน รายการที่ 1 (เอกสารต้นฉบับไม่ระบุชื่อ)",
    )
    line = source.budget_line
    assert line is not None
    for index in range(TRIES):
        item = WorkItem.objects.get(pk=source.pk)
        item.pk = None
        item.key = keys.work_item_key()  # another item: a key of its own
        item.number = 2000 + index
        item.name = f"{source.name} (ทดลองที่ {index})"
        item.save()
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        amount = Decimal(1_000_000 * (index + 1))
        saved, spent = at_once(
            lambda url=url: planner.post(url, typed("เบิกจ่ายตามแผน", version="0")),
            lambda amount=amount: budget_spending_save(
                line=line, round_=world.round, disbursed_baht=amount
            ),
        )
        for result in (saved, spent):
            if isinstance(result, BaseException):
                raise result
        assert saved.status_code == 302, (index, saved.status_code)
        assert BudgetSpending.objects.get(line=line, round=world.round).disbursed_baht == amount
        entry = ProgressEntry.objects.select_related(
            "work_item__plan", "work_item__budget_line", "round"
        ).get(work_item=item, round=world.round)
        expected = stored_percent(entry_percentages(entry).annual)
        assert entry.percent_annual == expected, (index, entry.percent_annual, expected)
