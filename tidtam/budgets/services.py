"""Saving budget spending: amounts checked, and the budget items that follow the line kept in step."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.domain.money import require_non_negative
from tidtam.periods.models import Round


@transaction.atomic
def budget_spending_save(
    *,
    line: BudgetLine,
    round_: Round,
    disbursed_baht: Decimal,
    committed_baht: Decimal = Decimal(0),
    note: str = "",
) -> BudgetSpending:
    """Record a line's cumulative spending for a round, all of it or nothing."""
    require_non_negative(disbursed_baht, field="เบิกจ่ายสะสม (บาท)")
    require_non_negative(committed_baht, field="ก่อหนี้ผูกพัน (บาท)")
    spending, _ = BudgetSpending.objects.update_or_create(
        line=line,
        round=round_,
        defaults={"disbursed_baht": disbursed_baht, "committed_baht": committed_baht, "note": note},
    )
    # Budget items whose progress is this line's spending keep a stored copy of the percent
    # (for SQL band counts); it must change with the amounts it came from.
    from tidtam.progress.services import refresh_budget_line_entries

    refresh_budget_line_entries(line=line, round_=round_)
    return spending
