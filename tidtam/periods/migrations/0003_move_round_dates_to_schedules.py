"""Each round's deadline and open flag, once global, become a schedule of every root organisation.

Every organisation sits under one root, and a schedule applies down the tree, so after this
migration every organisation sees the deadline and the open round it saw before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import migrations


def schedule_rows(
    rounds: list[tuple[int, date | None, bool]], root_ids: list[int]
) -> list[tuple[int, int, date | None, bool]]:
    """(organisation, round, deadline, is_open) for every root organisation and every round.

    Every round gets rows, those with no deadline too: without a row a round would fall back to
    the Budget Bureau's default day, which is not what it had.
    """
    return [
        (org_id, round_id, deadline, is_open)
        for round_id, deadline, is_open in rounds
        for org_id in root_ids
    ]


def forward(apps: Any, schema_editor: Any) -> None:
    Round = apps.get_model("periods", "Round")
    RoundSchedule = apps.get_model("periods", "RoundSchedule")
    Organization = apps.get_model("orgs", "Organization")
    rounds = list(Round.objects.values_list("id", "deadline", "is_open"))
    roots = list(Organization.objects.filter(parent__isnull=True).values_list("id", flat=True))
    RoundSchedule.objects.bulk_create(
        [
            RoundSchedule(organization_id=org_id, round_id=round_id, deadline=deadline, is_open=is_open)
            for org_id, round_id, deadline, is_open in schedule_rows(rounds, roots)
        ],
        ignore_conflicts=True,
    )
    _copy_history(apps, roots)


def _copy_history(apps: Any, root_ids: list[int]) -> None:
    """Who changed a round's deadline or opened it, and when, stays readable: each of the
    round's history records becomes the same record of each root's schedule."""
    HistoricalRound = apps.get_model("periods", "HistoricalRound")
    RoundSchedule = apps.get_model("periods", "RoundSchedule")
    HistoricalRoundSchedule = apps.get_model("periods", "HistoricalRoundSchedule")
    schedule_ids = {
        (round_id, org_id): pk
        for pk, round_id, org_id in RoundSchedule.objects.filter(
            organization_id__in=root_ids
        ).values_list("id", "round_id", "organization_id")
    }
    copies = [
        HistoricalRoundSchedule(
            id=schedule_ids[(record.id, org_id)],
            organization_id=org_id,
            round_id=record.id,
            deadline=record.deadline,
            is_open=record.is_open,
            history_date=record.history_date,
            history_change_reason=record.history_change_reason,
            history_type=record.history_type,
            history_user_id=record.history_user_id,
        )
        for record in HistoricalRound.objects.order_by("history_date", "history_id")
        for org_id in root_ids
        if (record.id, org_id) in schedule_ids
    ]
    HistoricalRoundSchedule.objects.bulk_create(copies, batch_size=1000)


def backward(apps: Any, schema_editor: Any) -> None:
    """Back to one calendar: a round is open if any root had it open; its deadline is the
    earliest a root set (the strictest, so no reporter is told a later day than they had)."""
    Round = apps.get_model("periods", "Round")
    RoundSchedule = apps.get_model("periods", "RoundSchedule")
    for round_ in Round.objects.all():
        rows = RoundSchedule.objects.filter(round=round_, organization__parent__isnull=True)
        deadlines = [d for d in rows.values_list("deadline", flat=True) if d is not None]
        round_.deadline = min(deadlines) if deadlines else round_.deadline
        round_.is_open = rows.filter(is_open=True).exists()
        round_.save(update_fields=["deadline", "is_open"])
    RoundSchedule.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("periods", "0002_round_schedule"),
    ]

    operations = [migrations.RunPython(forward, backward)]
