"""Budget figures: plan, disbursed and committed money, and their percentages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tidtam.domain import money
from tidtam.domain.money import ZERO, require_non_negative


@dataclass(frozen=True)
class BudgetFigures:
    """Money of a budget line in baht. Disbursed (paid out) and committed (POs,
    contracts) are kept apart because reports show both; spent is their sum."""

    plan: Decimal
    disbursed: Decimal
    committed: Decimal = ZERO
    # The part of the plan due by the day the figures are as of (its monthly plan's, or a
    # linear share: tidtam.domain.disbursement); None where no day is asked about.
    planned_to_date: Decimal | None = None

    def __post_init__(self) -> None:
        require_non_negative(self.plan, field="plan")
        require_non_negative(self.disbursed, field="disbursed")
        require_non_negative(self.committed, field="committed")
        if self.planned_to_date is not None:
            require_non_negative(self.planned_to_date, field="planned_to_date")

    @property
    def spent(self) -> Decimal:
        return self.disbursed + self.committed

    @property
    def remaining(self) -> Decimal:
        """Plan not yet spent; negative when spending has gone past the plan."""
        return self.plan - self.spent

    @property
    def percent_disbursed(self) -> Decimal | None:
        return money.percent(self.disbursed, self.plan)

    @property
    def percent_spent(self) -> Decimal | None:
        return money.percent(self.spent, self.plan)

    @property
    def percent_disbursed_to_date(self) -> Decimal | None:
        """Disbursed against the plan due by the day (None without one, or when none is due)."""
        if self.planned_to_date is None:
            return None
        return money.percent(self.disbursed, self.planned_to_date)

    @property
    def percent_spent_to_date(self) -> Decimal | None:
        if self.planned_to_date is None:
            return None
        return money.percent(self.spent, self.planned_to_date)

    def share_of(self, total: BudgetFigures) -> Decimal | None:
        """This part's plan as a percent of a total's plan."""
        return money.percent(self.plan, total.plan)


def sum_figures(items: Iterable[BudgetFigures]) -> BudgetFigures:
    """Add budget lines up from their unrounded amounts (the plan due to date too, when every
    line has one)."""
    parts = list(items)
    dues = [item.planned_to_date for item in parts if item.planned_to_date is not None]
    to_date = sum(dues, ZERO) if parts and len(dues) == len(parts) else None
    return BudgetFigures(
        plan=sum((item.plan for item in parts), ZERO),
        disbursed=sum((item.disbursed for item in parts), ZERO),
        committed=sum((item.committed for item in parts), ZERO),
        planned_to_date=to_date,
    )


def compare_with_target(percent: Decimal | None, target_percent: Decimal) -> Decimal | None:
    """Percentage points above (positive) or below (negative) a disbursement target."""
    if percent is None:
        return None
    return percent - target_percent
