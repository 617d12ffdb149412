"""Reads kept until their rows change (`tidtam.bulk.remembered`: the dashboard's budget curve
and KPI table) and writes that commit out of order (PostgreSQL): a slow save numbers its history
record first and commits after a quick one. What was read between the two commits must not be
kept past the second."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connections, transaction

from tidtam.budgets.models import OF_THE_YEAR, BudgetLine
from tidtam.budgets.selectors import monthly_curve_remembered
from tidtam.budgets.services import budget_line_save
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear

pytestmark = pytest.mark.django_db(transaction=True)


def _plan_of(org: Organization, fiscal_year: FiscalYear, today: Any) -> Decimal:
    _, by_organization = monthly_curve_remembered({org.pk}, fiscal_year, today)
    return by_organization[org.pk].plan


def _raise(line: BudgetLine, amount: str) -> None:
    budget_line_save(
        line=line,
        category=line.category,
        name=line.name,
        annual_plan_baht=line.annual_plan_baht + Decimal(amount),
    )


def test_a_save_that_commits_after_a_later_one_is_on_the_next_read(world: Any) -> None:
    from tidtam.periods import clock

    caches["shared"].clear()
    org = Organization.objects.get(code="onesqa")
    fiscal_year = FiscalYear.objects.get(year=2567)
    today = clock.today()
    slow_line, quick_line = BudgetLine.objects.filter(
        OF_THE_YEAR, organization=org, fiscal_year=fiscal_year
    ).order_by("pk")[:2]
    before = _plan_of(org, fiscal_year, today)
    saved, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def slow_save() -> None:
        try:
            with transaction.atomic():
                _raise(slow_line, "1000.00")  # its history record is numbered now
                saved.set()
                release.wait(60)
        except BaseException as error:
            failure.append(error)
            saved.set()
        finally:
            connections.close_all()

    slow = threading.Thread(target=slow_save)
    slow.start()
    try:
        assert saved.wait(60)
        _raise(quick_line, "1.00")  # a later record, committed first
        assert _plan_of(org, fiscal_year, today) == before + Decimal("1.00")
    finally:
        release.set()
        slow.join(60)
    assert not failure, failure
    assert _plan_of(org, fiscal_year, today) == before + Decimal("1001.00")
