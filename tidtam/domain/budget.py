"""Budget figures: plan, disbursed and committed money, and their percentages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

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


class ItemBudgetSource(StrEnum):
    """Where a work item's budget is drawn from, which decides what its money is compared with."""

    NO_LINE = "no_line"  # on no budget line: nothing has been spent against it yet
    OWN_LINE = "own_line"  # a line of its own: the line's money is the item's
    SHARED_LINE = "shared_line"  # a line several items draw on: compared as a group


@dataclass(frozen=True)
class ItemBudget:
    """A work item's own budget (งบประมาณโครงการ) beside the budget line its money is drawn
    from. The line's disbursed and committed money is the item's only when the line is its own;
    a line several items draw on cannot be split among them, so it is compared with their
    budgets together (`budgets_on_line`, this item's included)."""

    budget: Decimal
    line: BudgetFigures | None = None
    items_on_line: int = 1
    budgets_on_line: Decimal | None = None

    def __post_init__(self) -> None:
        require_non_negative(self.budget, field="budget")
        if self.items_on_line < 1:
            raise ValueError("items_on_line counts this item: at least 1")
        if self.budgets_on_line is not None and self.budgets_on_line < self.budget:
            raise ValueError("budgets_on_line includes this item's budget")

    @property
    def source(self) -> ItemBudgetSource:
        if self.line is None:
            return ItemBudgetSource.NO_LINE
        if self.items_on_line == 1:
            return ItemBudgetSource.OWN_LINE
        return ItemBudgetSource.SHARED_LINE

    @property
    def figures(self) -> BudgetFigures | None:
        """The comparison: the item's budget (the items' together on a shared line) as the plan,
        the line's money as disbursed and committed; the plan due to date only where that plan
        is the line's own (the line's schedule is of its plan). None without a line."""
        if self.line is None:
            return None
        plan = self.budget
        if self.source is ItemBudgetSource.SHARED_LINE:
            plan = self.budgets_on_line if self.budgets_on_line is not None else self.budget
        due = self.line.planned_to_date if plan == self.line.plan else None
        return BudgetFigures(
            plan=plan,
            disbursed=self.line.disbursed,
            committed=self.line.committed,
            planned_to_date=due,
        )

    @property
    def plan_difference(self) -> Decimal | None:
        """The budget compared (the items' together on a shared line) less the line's plan:
        0 when they agree, None without a line."""
        figures = self.figures
        if figures is None or self.line is None:
            return None
        return figures.plan - self.line.plan

    @property
    def overspent(self) -> Decimal:
        """What was spent past the budget compared (0 when within it)."""
        figures = self.figures
        if figures is None:
            return ZERO
        return max(figures.spent - figures.plan, ZERO)
