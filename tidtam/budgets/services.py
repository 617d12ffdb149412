"""Saving budget spending: amounts checked, and the budget items that follow the line kept in step."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from tidtam import concurrency
from tidtam.budgets.models import BudgetCategory, BudgetLine, BudgetSpending, FundSource
from tidtam.budgets.signals import spending_changed
from tidtam.domain.money import require_non_negative
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round


@transaction.atomic
def budget_spending_save(
    *,
    line: BudgetLine,
    round_: Round,
    disbursed_baht: Decimal,
    committed_baht: Decimal = Decimal(0),
    note: str = "",
) -> BudgetSpending:
    """Record a line's cumulative spending for a round, all of it or nothing.

    Atomic with the refresh of the stored percents that follow from it; two saves of one line
    and round at once update one row (update_or_create locks it, and retries a lost insert).
    """
    require_non_negative(disbursed_baht, field="เบิกจ่ายสะสม (บาท)")
    require_non_negative(committed_baht, field="ก่อหนี้ผูกพัน (บาท)")
    # The line first: an entry measured by this line's spending holds the line while it is
    # saved (tidtam.concurrency.held), so the two never interleave.
    concurrency.locked(BudgetLine, pk=line.pk)
    spending, _ = BudgetSpending.objects.update_or_create(
        line=line,
        round=round_,
        defaults={"disbursed_baht": disbursed_baht, "committed_baht": committed_baht, "note": note},
    )
    # Budget items whose progress is this line's spending keep a stored copy of the percent
    # (for SQL band counts); it must change with the amounts it came from.
    spending_changed.send(sender=None, line=line, round_=round_)
    return spending


@transaction.atomic
def budget_line_create(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    category: BudgetCategory,
    name: str,
    annual_plan_baht: Decimal,
) -> BudgetLine:
    """A new budget line, numbered after the organisation's last one of the year."""
    require_non_negative(annual_plan_baht, field="แผนการใช้จ่ายทั้งปี (บาท)")
    lines = BudgetLine.objects.select_for_update().filter(
        organization=organization, fiscal_year=fiscal_year
    )
    number = max((line.number for line in lines), default=0) + 1
    return BudgetLine.objects.create(
        organization=organization,
        fiscal_year=fiscal_year,
        category=category,
        number=number,
        name=name.strip(),
        fund_source=FundSource.standard(),
        annual_plan_baht=annual_plan_baht,
    )


@transaction.atomic
def budget_line_save(
    *,
    line: BudgetLine,
    category: BudgetCategory,
    name: str,
    annual_plan_baht: Decimal,
    expected_version: int | None = None,
) -> BudgetLine:
    """Change a line; the budget items that follow its spending recompute their stored percent
    for every round with spending (the annual plan is their denominator). Refused with what
    changed when someone saved the line after the form was opened at `expected_version`."""
    require_non_negative(annual_plan_baht, field="แผนการใช้จ่ายทั้งปี (บาท)")
    from tidtam.concurrency import check_history_version

    check_history_version(
        BudgetLine.objects.select_for_update().get(pk=line.pk),
        expected_version,
        {"category": category, "name": name.strip(), "annual_plan_baht": annual_plan_baht},
        item=f"รายการงบประมาณที่ {line.number}",
    )
    line.category = category
    line.name = name.strip()
    line.annual_plan_baht = annual_plan_baht
    line.save()
    spending_changed.send(sender=None, line=line, round_=None)
    return line
