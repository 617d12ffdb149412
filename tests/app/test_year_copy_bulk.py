"""Year copies write in bulk: the same number of queries for N and 3N items, every row with its
history."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tidtam.periods.models import FiscalYear
from tidtam.plans.models import OperatingPlan, WorkItem, WorkItemResponsibility
from tidtam.plans.services import plan_copy_year
from tidtam.policies.models import PolicyNode
from tidtam.seeds.generate import Scale, generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def generated_plan(year: int, items: int) -> OperatingPlan:
    """One generated organisation's plan of `items` work items, each with a responsible unit and
    a link to national strategy (what the generator does not make, and the copy must carry)."""
    generate(
        fiscal_year=year,
        scale=Scale(organizations=1, work_items=items, kpis=1, budget_lines=2),
        seed=year,
    )
    plan = OperatingPlan.objects.get(fiscal_year__year=year, organization__code__startswith="gen-")
    node = PolicyNode.objects.order_by("pk").first()
    assert node is not None
    work_items = list(WorkItem.objects.filter(plan=plan))
    WorkItemResponsibility.objects.bulk_create(
        WorkItemResponsibility(work_item=item, organization=plan.organization)
        for item in work_items
    )
    WorkItem.policy_nodes.through.objects.bulk_create(
        WorkItem.policy_nodes.through(workitem_id=item.pk, policynode_id=node.pk)
        for item in work_items
    )
    return plan


def copy_queries(plan: OperatingPlan, to_year: int) -> tuple[OperatingPlan, int]:
    year = FiscalYear.objects.create(year=to_year)
    with CaptureQueriesContext(connection) as queries:
        copy = plan_copy_year(plan=plan, fiscal_year=year, user=None)
    return copy, len(queries)


def test_a_year_copy_makes_the_same_number_of_queries_for_n_and_3n_items() -> None:
    small, small_queries = copy_queries(generated_plan(2580, 40), 2581)
    large, large_queries = copy_queries(generated_plan(2582, 120), 2583)

    assert WorkItem.objects.filter(plan=small).count() == 40
    assert WorkItem.objects.filter(plan=large).count() == 120
    if connection.vendor == "postgresql":
        assert large_queries == small_queries <= 25
    else:
        # SQLite takes 999 parameters a statement (Django's limit): the batches are smaller,
        # still far from the 11 queries an item one row at a time.
        assert large_queries - small_queries <= (120 - 40) // 4


def test_a_bulk_year_copy_keeps_every_row_its_history_and_its_policy_links() -> None:
    plan = generated_plan(2584, 30)
    copy, _ = copy_queries(plan, 2585)
    items = WorkItem.objects.filter(plan=copy)
    assert items.count() == 30
    # Each copied row has its "created" history record, as a one-by-one save would leave it.
    assert WorkItem.history.filter(plan=copy, history_type="+").count() == 30
    assert (
        WorkItemResponsibility.history.filter(work_item__plan=copy, history_type="+").count() == 30
    )
    old = {(i.activity.output.number, i.activity.number, i.number): i for i in _items(plan)}
    new = {(i.activity.output.number, i.activity.number, i.number): i for i in _items(copy)}
    assert old.keys() == new.keys()
    for key, item in new.items():
        assert (item.name, item.kind, item.target_quantity) == (
            old[key].name,
            old[key].kind,
            old[key].target_quantity,
        )
        assert [n.pk for n in item.policy_nodes.all()] == [
            n.pk for n in old[key].policy_nodes.all()
        ]
        assert [r.organization_id for r in item.responsibilities.all()] == [
            r.organization_id for r in old[key].responsibilities.all()
        ]
    # The links are in the history too: the item's record lists its national strategy.
    record = WorkItem.history.filter(plan=copy).first()
    assert [link.policynode_id for link in record.policy_nodes.all()] == [
        PolicyNode.objects.order_by("pk").values_list("pk", flat=True).first()
    ]


def _items(plan: OperatingPlan) -> Any:
    return (
        WorkItem.objects.filter(plan=plan)
        .select_related("activity__output")
        .prefetch_related("policy_nodes", "responsibilities")
    )


def kpi_copy_queries(year: int, kpis: int) -> tuple[int, int]:
    """Generate one organisation's `kpis` indicators (with an agreement) in `year` and copy them
    to the next year: (queries, indicators copied)."""
    from tidtam.agreements.models import Indicator
    from tidtam.agreements.services import indicators_copy_year

    generate(
        fiscal_year=year,
        scale=Scale(organizations=1, work_items=5, kpis=kpis, budget_lines=1),
        seed=year,
    )
    org = OperatingPlan.objects.get(
        fiscal_year__year=year, organization__code__startswith="gen-"
    ).organization
    with CaptureQueriesContext(connection) as queries:
        copy = indicators_copy_year(organization=org, from_year=year, to_year=year + 1)
    assert Indicator.history.filter(fiscal_year__year=year + 1, history_type="+").count() == len(
        copy.indicators
    )
    return len(queries), len(copy.indicators)


def test_a_kpi_year_copy_makes_the_same_number_of_queries_for_n_and_3n_kpis() -> None:
    small_queries, small = kpi_copy_queries(2590, 6)
    large_queries, large = kpi_copy_queries(2592, 18)
    assert large >= 3 * small > 0
    if connection.vendor == "postgresql":
        assert large_queries == small_queries
    else:
        # Smaller batches on SQLite (999 parameters a statement); one KPI at a time took ~15.
        assert large_queries - small_queries <= large - small


# --- pages of a plan: the same number of queries for N and 3N items -----------------------------


def page_queries(client: Any, url: str) -> int:
    from django.test.utils import CaptureQueriesContext as Capture

    client.get(url)  # the first request of a session refreshes it (a write): not counted
    with Capture(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    "page",
    ["plans:plan_detail", "progress:round_status", "budgets:line_list", "plans:plan_list"],
)
def test_plan_pages_make_the_same_number_of_queries_for_n_and_3n_items(page: str) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from tidtam.periods.models import Round

    admin = get_user_model().objects.create_superuser("perf-root", "r@x.invalid", "pw-12345678")
    client = Client()
    client.force_login(admin)
    counts = []
    for year, items in ((2594, 40), (2596, 120)):
        plan = generated_plan(year, items)
        round_ = Round.objects.get(fiscal_year__year=year, months=6)
        kwargs = {
            "plans:plan_detail": {"plan_id": plan.pk},
            "progress:round_status": {"plan_id": plan.pk, "round_id": round_.pk},
            "budgets:line_list": {"plan_id": plan.pk},
            "plans:plan_list": {},
        }[page]
        counts.append(page_queries(client, reverse(page, kwargs=kwargs)))
    assert counts[0] == counts[1]


def import_queries(plan: OperatingPlan) -> tuple[int, int]:
    """A round's results template of the plan's organisation, one more than reported typed into
    every work item's row, imported: (rows changed, queries of the read and the apply)."""
    from openpyxl import load_workbook

    from tidtam.periods.models import Round
    from tidtam.periods.services import round_open
    from tidtam.progress.models import ProgressEntry
    from tidtam.transfer import results, services

    round_ = Round.objects.get(fiscal_year=plan.fiscal_year, months=12)
    round_open(round_=round_, organization=plan.organization)
    ProgressEntry.objects.filter(round=round_, work_item__plan=plan).update(status="draft")
    data = services.export("results", plan.organization.code, plan.fiscal_year.year, 12)
    book = load_workbook(io.BytesIO(data))
    sheet = book[results.SHEET]
    headers = {cell.value: cell.column for cell in sheet[1]}
    typed = {}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=headers[results.ROW_KIND]).value == results.ITEM:
            cell = sheet.cell(row=row, column=headers[results.RESULT])
            cell.value = int(cell.value or 0) + 1
            typed[sheet.cell(row=row, column=headers[results.KEY]).value] = cell.value
    out = io.BytesIO()
    book.save(out)
    with CaptureQueriesContext(connection) as queries:
        imported = services.read(out.getvalue(), file_name="results.xlsx")
        assert services.apply(imported) == []
    stored = dict(
        ProgressEntry.objects.filter(round=round_, work_item__plan=plan).values_list(
            "work_item__key", "result_quantity"
        )
    )
    assert {key: stored[key] for key in typed} == typed
    return imported.counts()["change"] + imported.counts()["add"], len(queries)


def test_a_results_import_makes_the_same_number_of_queries_for_n_and_3n_items() -> None:
    small_rows, small_queries = import_queries(generated_plan(2586, 40))
    large_rows, large_queries = import_queries(generated_plan(2588, 120))

    assert (small_rows, large_rows) == (40, 120)
    assert large_queries == small_queries
