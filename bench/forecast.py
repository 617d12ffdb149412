"""Back-test of the year-end disbursement forecast (tidtam.domain.forecast) on generated years.

Each generated budget has a shape of its own (recurrent: paid evenly; investment: back-loaded;
late starters) that repeats from year to year with noise. For each budget and for the forecasts
made after 3, 6 and 9 months, the forecast of the last year is compared with what that year
really paid by September; so is the naive forecast (this year's pace to date, carried to the
year end: disbursed × 12 ÷ months). The error is in percentage points of the allocation.

    .venv/bin/python bench/forecast.py              # 2,000 budgets, 4 years each
    .venv/bin/python bench/forecast.py --budgets 200 --limit 0.8

Prints the mean absolute error of each method by month and the ratio tidtam ÷ naive; exits 1
when the ratio passes --limit (default 1.0: the forecast must beat the naive one) or when a
forecast's range misses the year end more often than --miss-limit.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tidtam.domain.disbursement import MonthlyPlan, cumulative
from tidtam.domain.forecast import forecast_disbursement

MONTHS = 12
SHAPES = {
    "recurrent": [1.0] * 12,
    "investment": [0.2, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0, 1.3, 1.6, 2.0, 2.4, 3.0],
    "late": [0.0, 0.0, 0.1, 0.3, 0.5, 0.8, 1.2, 1.5, 1.8, 2.0, 2.2, 2.4],
}


def year_of(
    rng: random.Random, shape: list[float], allocation: Decimal, share: float
) -> list[Decimal]:
    """One year's disbursement per month: the shape with noise, paying `share` of the allocation."""
    weights = [w * rng.uniform(0.7, 1.3) for w in shape]
    whole = sum(weights) or 1.0
    return [
        (allocation * Decimal(str(share * w / whole))).quantize(Decimal("0.01")) for w in weights
    ]


def error_points(value: Decimal, actual: Decimal, allocation: Decimal) -> float:
    return float(abs(value - actual) * 100 / allocation)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budgets", type=int, default=2000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=1.0)
    parser.add_argument("--miss-limit", type=float, default=0.35)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    months_asked = (3, 6, 9)
    errors = {m: {"past_years": [], "plan": [], "naive": []} for m in months_asked}
    outside = {m: 0 for m in months_asked}
    for _ in range(args.budgets):
        shape = SHAPES[rng.choice(list(SHAPES))]
        allocation = Decimal(rng.randint(1_000_000, 500_000_000))
        share = rng.uniform(0.75, 1.0)  # how much of its budget the agency pays by September
        years = [
            year_of(rng, shape, allocation, share * rng.uniform(0.9, 1.05))
            for _ in range(args.years)
        ]
        past = [cumulative(year) for year in years[:-1]]
        this = cumulative(years[-1])
        planned = year_of(rng, shape, allocation, 1.0)
        planned[-1] += allocation - sum(planned, Decimal(0))
        plan = MonthlyPlan(tuple(planned))
        actual = this[-1]
        for month in months_asked:
            with_past = forecast_disbursement(
                allocation=allocation,
                plan=plan,
                reported_month=month,
                disbursed=this[month - 1],
                past_years=past,
            ).year_end
            plan_only = forecast_disbursement(
                allocation=allocation, plan=plan, reported_month=month, disbursed=this[month - 1]
            ).year_end
            naive = min(this[month - 1] * MONTHS / month, allocation)
            errors[month]["past_years"].append(error_points(with_past.expected, actual, allocation))
            errors[month]["plan"].append(error_points(plan_only.expected, actual, allocation))
            errors[month]["naive"].append(error_points(naive, actual, allocation))
            if not with_past.low <= actual <= with_past.high:
                outside[month] += 1

    def mean(values: list[float]) -> float:
        return sum(values) / len(values)

    print(
        f"{args.budgets} budgets, {args.years} years each (the last one forecast), seed {args.seed}"
    )
    print("mean absolute error of the year-end forecast, percentage points of the allocation:")
    print(
        f"{'after':>8} {'past years':>11} {'plan only':>10} {'naive':>8} {'ratio':>7} {'outside range':>14}"
    )
    worst_ratio = 0.0
    worst_miss = 0.0
    for month in months_asked:
        e = errors[month]
        ratio = mean(e["past_years"]) / mean(e["naive"])
        miss = outside[month] / args.budgets
        worst_ratio, worst_miss = max(worst_ratio, ratio), max(worst_miss, miss)
        print(
            f"{month:>5} mo {mean(e['past_years']):>11.2f} {mean(e['plan']):>10.2f} "
            f"{mean(e['naive']):>8.2f} {ratio:>7.2f} {miss:>13.1%}"
        )
    print(f"worst ratio tidtam (past years) ÷ naive: {worst_ratio:.2f} (limit {args.limit})")
    print(
        f"worst share of year ends outside the range: {worst_miss:.1%} (limit {args.miss_limit:.0%})"
    )
    if worst_ratio > args.limit or worst_miss > args.miss_limit:
        print("FAIL", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
