"""Budget figures: plan, disbursed and committed money, and their percentages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tidtam.domain import money
from tidtam.domain.money import ZERO, require_non_negative
from tidtam.domain.progress import round_plan_share


@dataclass(frozen=True)
class BudgetFigures:
    """Money of a budget line in baht. Disbursed (paid out) and committed (POs,
    contracts) are kept apart because reports show both; spent is their sum."""

    plan: Decimal
    disbursed: Decimal
    committed: Decimal = ZERO

    def __post_init__(self) -> None:
        require_non_negative(self.plan, field="plan")
        require_non_negative(self.disbursed, field="disbursed")
        require_non_negative(self.committed, field="committed")

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

    def percent_of_round_plan(self, months: int, *, spent: bool = False) -> Decimal | None:
        """Disbursed (or spent) against the part of the plan due by the round.

        Computed from unrounded values: seed 000 doubles its rounded 47.95 to
        95.90 for the 6-month figure, where the exact figure rounds to 95.91.
        """
        amount = self.spent if spent else self.disbursed
        return money.percent(amount, round_plan(self.plan, months))


def sum_figures(items: Iterable[BudgetFigures]) -> BudgetFigures:
    """Add budget lines up from their unrounded amounts."""
    plan = disbursed = committed = ZERO
    for item in items:
        plan += item.plan
        disbursed += item.disbursed
        committed += item.committed
    return BudgetFigures(plan, disbursed, committed)


def compare_with_target(percent: Decimal | None, target_percent: Decimal) -> Decimal | None:
    """Percentage points above (positive) or below (negative) a disbursement target."""
    if percent is None:
        return None
    return percent - target_percent


def round_plan(plan: Decimal, months: int) -> Decimal:
    """The part of an annual plan due by a round (months / 12 of it), unrounded."""
    return plan * round_plan_share(months)
