"""Saving budget spending: amounts checked, and the budget items that follow the line kept in step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from tidtam import concurrency
from tidtam.budgets.models import (
    BudgetAllocation,
    BudgetCategory,
    BudgetLine,
    BudgetMonth,
    BudgetSpending,
    FundSource,
)
from tidtam.budgets.signals import spending_changed
from tidtam.columns import require_amount
from tidtam.concurrency import check_set_version, set_version
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import (
    round_last_month,
)
from tidtam.domain.thai import fiscal_month_name, format_date_long
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.months import check_month_count, check_reported_months, require_months_open


def _require_plan_total(line: BudgetLine, planned: Decimal, annual: Decimal) -> None:
    """A monthly plan (none: all zero) adds up to the line's annual plan."""
    if planned and planned != annual:
        raise DomainError(
            "monthly_plan_total",
            line=line.name,
            total=planned,
            annual=annual,
            difference=planned - annual,
        )


def _require_within_plan(line: BudgetLine, paid: Decimal, month: int, annual: Decimal) -> None:
    """Nothing disbursed from 1 October to the end of a fiscal month is past the line's plan."""
    if paid > annual:
        raise DomainError(
            "disbursed_above_allocation",
            line=line.name,
            month=fiscal_month_name(month),
            total=paid,
            annual=annual,
        )


def _check_spending(
    line: BudgetLine, round_: Round, disbursed: Decimal, committed: Decimal, as_of: date | None
) -> None:
    """A round's figures of a line: amounts not negative, disbursement not past the line's
    plan, and a day inside the round."""
    require_amount(BudgetSpending, "disbursed_baht", disbursed, field="เบิกจ่ายสะสม (บาท)")
    require_amount(BudgetSpending, "committed_baht", committed, field="ก่อหนี้ผูกพัน (บาท)")
    if round_.fiscal_year_id != line.fiscal_year_id:
        raise DomainError("round_of_another_year", line=line.name, round=str(round_))
    if as_of is not None:
        start, end = round_.quarter_start, round_.end_date
        if not start <= as_of <= end:
            raise DomainError(
                "as_of_outside_round",
                as_of=format_date_long(as_of),
                round=str(round_),
                start=format_date_long(start),
                end=format_date_long(end),
            )
    _require_within_plan(line, disbursed, round_last_month(round_.months), line.annual_plan_baht)


def _check_day_come(round_: Round, as_of: date | None) -> None:
    """Typed figures are as of a day that has come: the round's last day when none is given."""
    from tidtam.periods.clock import today

    day = as_of or round_.end_date
    if day > today():
        raise DomainError("as_of_in_future", as_of=format_date_long(day), round=str(round_))


@transaction.atomic
def budget_spending_save(
    *,
    line: BudgetLine,
    round_: Round,
    disbursed_baht: Decimal,
    committed_baht: Decimal = Decimal(0),
    note: str = "",
    as_of: date | None = None,
    _from_months: bool = False,
) -> BudgetSpending:
    """Record a line's cumulative spending for a round, as of a day inside it (its last day
    when none is given), all of it or nothing. A line reported by month takes its rounds'
    figures from its months (`budget_months_save`), never typed.

    Atomic with the refresh of the stored percents that follow from it; two saves of one line
    and round at once update one row (update_or_create locks it, and retries a lost insert).
    """
    # The line first: an entry measured by this line's spending holds the line while it is
    # saved (tidtam.concurrency.held), so the two never interleave.
    line = concurrency.locked(BudgetLine, pk=line.pk) or line
    _check_spending(line, round_, disbursed_baht, committed_baht, as_of)
    if not _from_months:
        _check_day_come(round_, as_of)
    if not _from_months and reported_by_month(line):
        raise DomainError("line_reported_by_month", line=line.name)
    spending, _ = BudgetSpending.objects.update_or_create(
        line=line,
        round=round_,
        defaults={
            "disbursed_baht": disbursed_baht,
            "committed_baht": committed_baht,
            "note": note,
            "as_of": as_of,
        },
    )
    # Budget items whose progress is this line's spending keep a stored copy of the percent
    # (for SQL band counts); it must change with the amounts it came from.
    spending_changed.send(sender=None, line=line, round_=round_)
    return spending


@dataclass(frozen=True)
class LineDetails:
    """Where a line sits in the Budget Bureau's structure, and its money's source and kind."""

    fund_source: FundSource | None = None  # None: เงินงบประมาณ
    code: str = ""
    programme: str = ""
    output: str = ""
    activity: str = ""
    expense_type: str = ""
    expense_item: str = ""
    nature: str = ""  # blank: from the expense type (งบลงทุน: investment, others: recurrent)
    carried_over: bool = False

    def values(self) -> dict[str, object]:
        nature = self.nature or _nature_of(self.expense_type)
        return {
            "fund_source": self.fund_source or FundSource.standard(),
            "code": self.code.strip(),
            "programme": self.programme.strip(),
            "output": self.output.strip(),
            "activity": self.activity.strip(),
            "expense_type": self.expense_type,
            "expense_item": self.expense_item.strip(),
            "nature": nature,
            "carried_over": self.carried_over,
        }


def _nature_of(expense_type: str) -> str:
    if not expense_type:
        return ""
    investment = expense_type == BudgetCategory.StandardType.INVESTMENT
    return BudgetCategory.Nature.INVESTMENT if investment else BudgetCategory.Nature.RECURRENT


def _check_code(line_pk: int | None, organization_id: int, fiscal_year_id: int, code: str) -> None:
    if not code:
        return
    lines = BudgetLine.objects.filter(
        organization_id=organization_id, fiscal_year_id=fiscal_year_id, code=code
    )
    other = (lines.exclude(pk=line_pk) if line_pk is not None else lines).first()
    if other is not None:
        raise DomainError("budget_line_code_taken", code=code, other=other.name)


@transaction.atomic
def budget_line_create(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    category: BudgetCategory,
    name: str,
    annual_plan_baht: Decimal,
    details: LineDetails = LineDetails(),
) -> BudgetLine:
    """A new budget line, numbered after the organisation's last one of the year."""
    require_amount(BudgetLine, "annual_plan_baht", annual_plan_baht, field="แผนการใช้จ่ายทั้งปี (บาท)")
    lines = BudgetLine.objects.select_for_update().filter(
        organization=organization, fiscal_year=fiscal_year
    )
    number = max((line.number for line in lines), default=0) + 1
    values = details.values()
    _check_code(None, organization.pk, fiscal_year.pk, str(values["code"]))
    return BudgetLine.objects.create(
        organization=organization,
        fiscal_year=fiscal_year,
        category=category,
        number=number,
        name=name.strip(),
        annual_plan_baht=annual_plan_baht,
        **values,
    )


def _check_new_plan(line: BudgetLine, annual: Decimal) -> None:
    """A line's plan may change only to one its months and figures still fit: its monthly plan
    (when it has one) adds up to it, and nothing disbursed so far is past it."""
    months = list(BudgetMonth.objects.filter(line=line))
    _require_plan_total(line, sum((m.planned_baht for m in months), Decimal(0)), annual)
    paid = sum((m.disbursed_baht or Decimal(0) for m in months), Decimal(0))
    typed = (
        BudgetSpending.objects.filter(line=line)
        .select_related("round")
        .order_by("-disbursed_baht")
        .first()
    )
    if typed is not None and typed.disbursed_baht > paid:
        paid, month = typed.disbursed_baht, round_last_month(typed.round.months)
    else:
        month = max((m.month for m in months if m.disbursed_baht is not None), default=12)
    _require_within_plan(line, paid, month, annual)


@transaction.atomic
def budget_line_save(
    *,
    line: BudgetLine,
    category: BudgetCategory,
    name: str,
    annual_plan_baht: Decimal,
    details: LineDetails | None = None,
    expected_version: int | None = None,
) -> BudgetLine:
    """Change a line; the budget items that follow its spending recompute their stored percent
    for every round with spending (the annual plan is their denominator). Refused with what
    changed when someone saved the line after the form was opened at `expected_version`."""
    require_amount(BudgetLine, "annual_plan_baht", annual_plan_baht, field="แผนการใช้จ่ายทั้งปี (บาท)")
    from tidtam.concurrency import check_history_version

    values = details.values() if details is not None else {}
    typed = {"category": category, "name": name.strip(), "annual_plan_baht": annual_plan_baht}
    locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
    check_history_version(
        locked,
        expected_version,
        {**typed, **values},
        item=f"รายการงบประมาณที่ {line.number}",
    )
    _check_new_plan(locked, annual_plan_baht)
    if values:
        _check_code(line.pk, line.organization_id, line.fiscal_year_id, str(values["code"]))
    for key, value in {**typed, **values}.items():
        setattr(line, key, value)
    line.save()
    spending_changed.send(sender=None, line=line, round_=None)
    return line


# --- a line's months: planned disbursement, results, and the rounds' figures that follow ------


@dataclass(frozen=True)
class MonthRow:
    """What a person typed for one month: the plan, and the results (None: not reported)."""

    month: int
    planned_baht: Decimal
    disbursed_baht: Decimal | None
    committed_baht: Decimal | None


def months_version(line: BudgetLine) -> int:
    """The version of a line's months, which the month page carries."""
    return set_version(BudgetMonth.history.filter(line_id=line.pk))


def _month_label(month: int) -> str:
    return fiscal_month_name(month)


def _check_months(line: BudgetLine, rows: list[MonthRow], today: date) -> None:
    """The rules of a line's months, each refused with the line, the month and the fix."""
    label = line.name
    check_month_count([row.month for row in rows])
    for row in rows:
        field = f"{label} เดือน{_month_label(row.month)}"
        require_amount(BudgetMonth, "planned_baht", row.planned_baht, field=f"แผน — {field}")
        if row.disbursed_baht is not None:
            require_amount(
                BudgetMonth, "disbursed_baht", row.disbursed_baht, field=f"เบิกจ่าย — {field}"
            )
        if row.committed_baht is not None:
            require_amount(
                BudgetMonth, "committed_baht", row.committed_baht, field=f"ก่อหนี้ผูกพัน — {field}"
            )
    planned = sum((row.planned_baht for row in rows), Decimal(0))
    _require_plan_total(line, planned, line.annual_plan_baht)
    check_reported_months(
        label, [row.disbursed_baht is not None for row in rows], line.fiscal_year.year, today
    )
    total = Decimal(0)
    for row in rows:
        if row.disbursed_baht is not None:
            total += row.disbursed_baht
            _require_within_plan(line, total, row.month, line.annual_plan_baht)
    committed_only = [r for r in rows if r.committed_baht is not None and r.disbursed_baht is None]
    if committed_only:
        raise DomainError(
            "month_committed_alone", line=label, month=_month_label(committed_only[0].month)
        )


@transaction.atomic
def budget_months_save(
    *,
    line: BudgetLine,
    rows: list[MonthRow],
    expected_version: int | None = None,
    today: date | None = None,
) -> list[BudgetMonth]:
    """Save a line's twelve months at once, or nothing: the monthly plan (all zero: none), and
    the results of the months reported so far (disbursed in each month, committed at its end).
    Results already reported in a closed round's months are refused unless unchanged; the rounds' cumulative
    figures are then written from the months (`budget_spending_save`), so every report and
    every budget item that follows the line reads them. Refused, naming who and when, over a
    change made after the page was opened at `expected_version`."""
    from tidtam.periods.clock import today as clock_today

    locked = BudgetLine.objects.select_for_update().select_related("fiscal_year").get(pk=line.pk)
    check_set_version(
        BudgetMonth.history.filter(line_id=line.pk), expected_version, code="budget_months_changed"
    )
    rows = sorted(rows, key=lambda row: row.month)
    day = today or clock_today()
    _check_months(locked, rows, day)
    existing = {m.month: m for m in BudgetMonth.objects.filter(line=locked)}
    had_results = any(m.disbursed_baht is not None for m in existing.values())
    # A closed round's months keep the results it was reported with; a month that had none
    # (a line added after its round closed) may still get its first.
    changed_results = {
        row.month
        for row in rows
        if (month := existing.get(row.month)) is not None
        and month.disbursed_baht is not None
        and (row.disbursed_baht, row.committed_baht) != (month.disbursed_baht, month.committed_baht)
    }
    require_months_open(
        locked.name, changed_results, locked.fiscal_year_id, locked.organization_id, day
    )
    saved = []
    for row in rows:
        values = {
            "planned_baht": row.planned_baht,
            "disbursed_baht": row.disbursed_baht,
            "committed_baht": row.committed_baht,
        }
        month = existing.get(row.month)
        if month is None:
            if not any(v for v in values.values() if v is not None) and row.disbursed_baht is None:
                continue  # nothing planned, nothing reported: no row
            month = BudgetMonth(line=locked, month=row.month, **values)
            month.save()
        elif any(getattr(month, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(month, key, value)
            month.save()
        saved.append(month)
    _rounds_from_months(locked, rows, had_results)
    # The monthly plan is what every round's percent of the items on the line is measured
    # against: a changed plan alone changes them too.
    spending_changed.send(sender=None, line=locked, round_=None)
    return saved


def _rounds_from_months(line: BudgetLine, rows: list[MonthRow], had_results: bool) -> None:
    """Each round's cumulative figures from the months of a line reported by month: disbursed
    by the end of the round's last month, and committed at the end of the last month reported
    in it. A closed round's figures are not changed (a first figure may still come in); when
    every result is taken back, the figures written from them go too."""
    from tidtam.periods.calendar import require_round_open

    existing = {s.round_id: s for s in BudgetSpending.objects.filter(line=line)}
    rounds = list(Round.objects.filter(fiscal_year_id=line.fiscal_year_id).order_by("months"))
    if not any(row.disbursed_baht is not None for row in rows):
        if had_results:
            for round_ in rounds:
                if round_.pk in existing:
                    require_round_open(
                        round_=round_, organization_id=line.organization_id, item=line.name
                    )
                    existing[round_.pk].delete()
                    spending_changed.send(sender=None, line=line, round_=round_)
        return
    for round_ in rounds:
        last = round_last_month(round_.months)
        inside = [r for r in rows[:last] if r.disbursed_baht is not None]
        # A round has figures once its last month is reported; a round whose last month's
        # result was taken back has none (not figures "as of its end" the months do not reach).
        before = existing.get(round_.pk)
        if rows[last - 1].disbursed_baht is None:
            if before is not None:
                require_round_open(
                    round_=round_, organization_id=line.organization_id, item=line.name
                )
                before.delete()
                spending_changed.send(sender=None, line=line, round_=round_)
            continue
        disbursed = sum((r.disbursed_baht or Decimal(0) for r in inside), Decimal(0))
        committed = (inside[-1].committed_baht or Decimal(0)) if inside else Decimal(0)
        if before is not None:
            if (before.disbursed_baht, before.committed_baht) == (disbursed, committed):
                continue
            require_round_open(round_=round_, organization_id=line.organization_id, item=line.name)
        budget_spending_save(
            line=line,
            round_=round_,
            disbursed_baht=disbursed,
            committed_baht=committed,
            _from_months=True,
        )


def lines_reported_by_month(lines: Iterable[BudgetLine]) -> set[int]:
    """The ids of the lines reported by month (with results in their months): their rounds'
    figures come from them, and are never typed."""
    return set(
        BudgetMonth.objects.filter(line__in=lines, disbursed_baht__isnull=False).values_list(
            "line_id", flat=True
        )
    )


def reported_by_month(line: BudgetLine) -> bool:
    return line.pk in lines_reported_by_month([line])


# --- allocations ---------------------------------------------------------------------------


@transaction.atomic
def budget_allocations_save(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    amounts: list[tuple[FundSource, Decimal | None]],
) -> None:
    """The allotment from each source at once, all of it or nothing."""
    for fund_source, amount in amounts:
        budget_allocation_save(
            organization=organization,
            fiscal_year=fiscal_year,
            fund_source=fund_source,
            amount_baht=amount,
        )


@transaction.atomic
def budget_allocation_save(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    fund_source: FundSource,
    amount_baht: Decimal | None,
    note: str = "",
) -> BudgetAllocation | None:
    """The money an organisation received for the year from a source: one row, replaced;
    None: nothing from that source (a row there was is removed)."""
    if amount_baht is None:
        BudgetAllocation.objects.filter(
            organization=organization, fiscal_year=fiscal_year, fund_source=fund_source
        ).delete()
        return None
    require_amount(BudgetAllocation, "amount_baht", amount_baht, field="งบประมาณที่ได้รับจัดสรร (บาท)")
    allocation, _ = BudgetAllocation.objects.update_or_create(
        organization=organization,
        fiscal_year=fiscal_year,
        fund_source=fund_source,
        defaults={"amount_baht": amount_baht, "note": note.strip()},
    )
    return allocation


# --- a round's figures of the lines reported by round ------------------------------------------


@dataclass(frozen=True)
class SpendingRow:
    """What a person typed for a line in a round: cumulative disbursed and committed (both
    blank: the line is left as it is; one blank: 0), and the day the figures were drawn (None:
    the round's last day)."""

    line: BudgetLine
    disbursed_baht: Decimal | None
    committed_baht: Decimal | None
    as_of: date | None = None


@transaction.atomic
def budget_round_save(*, round_: Round, rows: list[SpendingRow]) -> int:
    """Save the round's figures of several lines at once, all of them or none; returns how
    many changed. Figures already reported in a round closed for the line's organisation are
    refused unless unchanged; lines reported by month are refused (their rounds come from
    their months)."""
    from tidtam.periods.calendar import require_round_open

    existing = {
        s.line_id: s
        for s in BudgetSpending.objects.filter(round=round_, line__in=[r.line for r in rows])
    }
    changed = 0
    for row in rows:
        if row.disbursed_baht is None and row.committed_baht is None:
            continue
        before = existing.get(row.line.pk)
        disbursed = row.disbursed_baht or Decimal("0.00")
        committed = row.committed_baht or Decimal("0.00")
        if before is not None and (disbursed, committed, row.as_of) == (
            before.disbursed_baht,
            before.committed_baht,
            before.as_of,
        ):
            continue
        # What is wrong with the figures is said before that the round is closed (and checked
        # again on the locked line when saved).
        _check_spending(row.line, round_, disbursed, committed, row.as_of)
        _check_day_come(round_, row.as_of)
        if before is not None:
            require_round_open(
                round_=round_, organization_id=row.line.organization_id, item=row.line.name
            )
        budget_spending_save(
            line=row.line,
            round_=round_,
            disbursed_baht=disbursed,
            committed_baht=committed,
            as_of=row.as_of,
            note=before.note if before is not None else "",
        )
        changed += 1
    return changed
