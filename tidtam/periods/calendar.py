"""Which schedule of a round applies to an organisation: the one rule everything else asks.

A round (fiscal year + 3/6/9/12 months) is shared by every organisation; its deadline and
whether it takes reports are per organisation (`RoundSchedule`). The schedule that applies to an
organisation is its own, else its nearest ancestor's (a ministry sets its departments' internal
deadlines; a department may set its own). With none in the ancestry the round is closed and due
on the Budget Bureau's default day, 15 days after its quarter (`fiscal.quarter_report_due`).

Every function here takes many organisations at once and reads the tree level by level (one
query per level of depth, not per organisation), then the schedules in one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.periods.models import Round, RoundSchedule


class Schedule(NamedTuple):
    """A round as one organisation sees it."""

    deadline: date | None
    is_open: bool
    # Whose schedule it is: the organisation itself, an ancestor, or None for the Budget
    # Bureau's default (no schedule anywhere above).
    set_by_org_id: int | None


@dataclass(frozen=True)
class OpenRound:
    """A round open for an organisation, with that organisation's deadline."""

    round: Round
    deadline: date | None
    set_by_org_id: int


def default_schedule(round_: Round) -> Schedule:
    return Schedule(fiscal.quarter_report_due(round_.fiscal_year.year, round_.quarter), False, None)


def ancestry(organization_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Each organisation's chain upward, itself first: {org: (org, parent, grandparent, …)}."""
    from tidtam.orgs.models import Organization

    parent: dict[int, int | None] = {}
    wanted = {int(i) for i in organization_ids}
    todo = set(wanted)
    while todo:
        found = dict(Organization.objects.filter(id__in=todo).values_list("id", "parent_id"))
        parent.update(found)
        # An id with no row (deleted, mistyped) has no ancestry beyond itself.
        parent.update({org_id: None for org_id in todo - found.keys()})
        todo = {p for p in found.values() if p is not None and p not in parent}
    chains: dict[int, tuple[int, ...]] = {}
    for org_id in wanted:
        chain = [org_id]
        node = parent.get(org_id)
        while node is not None and node not in chain:  # `not in`: a cycle must not hang a page
            chain.append(node)
            node = parent.get(node)
        chains[org_id] = tuple(chain)
    return chains


def _rows(
    round_ids: Iterable[int], chains: dict[int, tuple[int, ...]]
) -> dict[tuple[int, int], RoundSchedule]:
    everyone = {org_id for chain in chains.values() for org_id in chain}
    rows = RoundSchedule.objects.filter(round_id__in=list(round_ids), organization_id__in=everyone)
    return {(row.round_id, row.organization_id): row for row in rows}


def _resolve(
    round_: Round,
    chain: tuple[int, ...],
    rows: dict[tuple[int, int], RoundSchedule],
    default: Schedule | None = None,
) -> Schedule:
    for org_id in chain:
        row = rows.get((round_.pk, org_id))
        if row is not None:
            return Schedule(row.deadline, row.is_open, org_id)
    return default or default_schedule(round_)


def schedules_for(
    rounds: Iterable[Round], organization_ids: Iterable[int]
) -> dict[tuple[int, int], Schedule]:
    """{(round id, organisation id): the schedule that applies}, for every pair (constant queries)."""
    rounds = list(rounds)
    chains = ancestry(organization_ids)
    rows = _rows((r.pk for r in rounds), chains)
    # Most organisations have no schedule anywhere above them: their default is the round's.
    defaults = {round_.pk: default_schedule(round_) for round_ in rounds}
    return {
        (round_.pk, org_id): _resolve(round_, chain, rows, defaults[round_.pk])
        for round_ in rounds
        for org_id, chain in chains.items()
    }


def schedule_for(round_: Round, organization_id: int) -> Schedule:
    """(deadline, is_open, set_by_org_id) of a round for one organisation."""
    return schedules_for([round_], [organization_id])[(round_.pk, organization_id)]


def round_is_open(round_: Round, organization_id: int) -> bool:
    return schedule_for(round_, organization_id).is_open


def require_round_open(
    *,
    round_: Round,
    organization_id: int,
    item: str,
    schedules: Mapping[tuple[int, int], Schedule] | None = None,
) -> None:
    """Refuse a save or submit in a round closed for the organisation whose item it is
    (`schedules`: what `schedules_for` read for many at once)."""
    schedule = (
        schedules[(round_.pk, organization_id)]
        if schedules is not None
        else schedule_for(round_, organization_id)
    )
    if not schedule.is_open:
        raise closed_error(round_, schedule, item)


def closed_error(round_: Round, schedule: Schedule, item: str) -> DomainError:
    """Why a round takes no save: closed, or never opened by anyone (no schedule of the
    organisation or above it: the Budget Bureau's default, closed until a planner opens it)."""
    code = "round_not_opened" if schedule.set_by_org_id is None else "round_closed"
    return DomainError(code, item=item, round=str(round_))


def open_rounds_for(organization_ids: Iterable[int]) -> dict[int, list[OpenRound]]:
    """{organisation id: the rounds open for it, latest fiscal year first}, every id a key.

    A round can be open only where some schedule says so, so the candidates are the rounds with
    an open schedule anywhere in the organisations' ancestry; then each organisation's own rule
    decides (an ancestor's open round is closed for a department that closed it).
    """
    chains = ancestry(organization_ids)
    everyone = {org_id for chain in chains.values() for org_id in chain}
    candidates = list(
        Round.objects.filter(schedules__is_open=True, schedules__organization_id__in=everyone)
        .select_related("fiscal_year")
        .distinct()
        .order_by("-fiscal_year__year", "-months")
    )
    result: dict[int, list[OpenRound]] = defaultdict(list)
    rows = _rows((r.pk for r in candidates), chains) if candidates else {}
    for org_id, chain in chains.items():
        result[org_id] = []
        for round_ in candidates:
            schedule = _resolve(round_, chain, rows)
            if schedule.is_open and schedule.set_by_org_id is not None:
                result[org_id].append(OpenRound(round_, schedule.deadline, schedule.set_by_org_id))
    return dict(result)


def organizations_with_round_open(round_: Round, organization_ids: Iterable[int]) -> set[int]:
    """Those of the organisations for which the round is open (constant queries)."""
    ids = list(organization_ids)
    schedules = schedules_for([round_], ids)
    return {org_id for org_id in ids if schedules[(round_.pk, org_id)].is_open}
