"""Two planners publishing the same document at the same moment, on PostgreSQL: one copy is in
public afterwards, the other kept in the record as replaced; neither gets a server error."""

from __future__ import annotations

from typing import Any

from tests.concurrency.conftest import at_once, client_of
from tidtam.portal.models import Publication

TRIES = 5


def test_two_planners_publishing_at_once_leave_one_copy_in_public(world: Any) -> None:
    first, second = client_of(world, "planner"), client_of(world, "planner")
    form = {"org": "onesqa", "year": "2567", "document": "ita-plan"}
    for index in range(TRIES):
        responses = at_once(
            lambda: first.post("/public/manage/publish/", form),
            lambda: second.post("/public/manage/publish/", form),
        )
        for response in responses:
            if isinstance(response, BaseException):
                raise response
            assert response.status_code == 302, response.status_code
        copies = Publication.objects.filter(organization__code="onesqa", document="ita-plan")
        assert copies.filter(withdrawn_at__isnull=True).count() == 1
        assert copies.count() == 2 * (index + 1)
