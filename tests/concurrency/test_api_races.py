"""The REST API on deadline day, on PostgreSQL: two clients save one entry at the same moment
with the version they both read; one wins, the other is refused with 409 and its Thai message,
never a 500 or a silent overwrite. The same token sent twice at once (its rate-limit counter and
its last-used stamp written by both requests) is one of the races."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import pytest
from django.test import Client

from tests.concurrency.conftest import at_once
from tests.concurrency.test_races import fresh_item, statuses
from tidtam.api.tokens import api_token_create
from tidtam.progress.models import ProgressEntry

pytestmark = pytest.mark.postgres

TRIES = 8


def put(token: str, path: str, body: dict[str, object]) -> Any:
    return Client().put(
        f"/api/v1{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def token(world: Any, username: str) -> str:
    user = world.users[username]
    return api_token_create(user=user, name="แข่งกัน", scope="write", days=1).secret


def test_two_api_saves_over_the_same_version_one_wins_the_other_gets_409(world: Any) -> None:
    reporter, planner = token(world, "reporter"), token(world, "planner")
    for index in range(TRIES):
        item = fresh_item(index)
        path = f"/work-items/{item.pk}/rounds/{world.round.pk}/entry"
        first = put(reporter, path, {"version": 0, "result_text": "ร่างแรก", "result_quantity": "9"})
        assert first.status_code == 200
        texts = ("ของผู้รายงาน", "ของผู้วางแผน")
        answers = at_once(
            *(
                partial(put, who, path, {"version": 1, "result_text": text, "result_quantity": "9"})
                for who, text in zip((reporter, planner), texts, strict=True)
            )
        )
        assert sorted(statuses(answers)) == [200, 409], index
        winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
        loser = answers[1 - winner].json()
        assert loser["code"] == "entry_conflict"
        assert loser["message"].startswith(f'"{item.name}" ถูกแก้ไขโดย')
        entry = ProgressEntry.objects.get(work_item=item, round=world.round)
        assert (entry.result_text, entry.version) == (texts[winner], 2)


def test_one_token_sending_two_first_saves_at_once_makes_one_entry(world: Any) -> None:
    reporter = token(world, "reporter")
    for index in range(TRIES):
        item = fresh_item(100 + index)
        path = f"/work-items/{item.pk}/rounds/{world.round.pk}/entry"
        texts = ("หน้าต่างที่หนึ่ง", "หน้าต่างที่สอง")
        answers = at_once(
            *(
                partial(
                    put, reporter, path, {"version": 0, "result_text": text, "result_quantity": "9"}
                )
                for text in texts
            )
        )
        assert sorted(statuses(answers)) == [200, 409], index
        winner = next(i for i, a in enumerate(answers) if a.status_code == 200)
        entries = ProgressEntry.objects.filter(work_item=item, round=world.round)
        assert [(e.result_text, e.version) for e in entries] == [(texts[winner], 1)]
