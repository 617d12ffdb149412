"""Two planners change one organisation's calendar at the same moment (real threads, PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.concurrency.conftest import at_once, client_of

pytestmark = pytest.mark.postgres

TRIES = 5


def test_two_rounds_opened_at_once_leave_one_open_round_in_the_year(world: Any) -> None:
    """Without the organisation's lock both requests would see round 6 open, close it, and each
    leave its own round open: two open rounds of one year in one calendar."""
    from tidtam.orgs.models import Organization
    from tidtam.periods.models import Round, RoundSchedule
    from tidtam.periods.services import round_open

    onesqa = Organization.objects.get(code="onesqa")
    round_6, round_9, round_12 = (
        Round.objects.get(fiscal_year__year=2567, months=months) for months in (6, 9, 12)
    )
    first, second = client_of(world, "planner"), client_of(world, "planner")

    def opens(round_: Any) -> Any:
        url = reverse("periods:round_open", kwargs={"org_id": onesqa.pk, "round_id": round_.pk})
        return lambda client: client.post(url)

    for _ in range(TRIES):
        round_open(round_=round_6, organization=onesqa)
        responses = at_once(lambda: opens(round_9)(first), lambda: opens(round_12)(second))
        assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
        open_now = RoundSchedule.objects.filter(
            organization=onesqa, is_open=True, round__fiscal_year__year=2567
        ).values_list("round__months", flat=True)
        assert len(open_now) == 1 and open_now[0] in (9, 12), list(open_now)
