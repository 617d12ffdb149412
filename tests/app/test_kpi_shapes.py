"""Any KPI of any kind, target, direction and result, saved through the service and read back
from the scorecard's JSON and HTML: the figure, the pass / fail and ΣA / ΣB are the core's.

Hypothesis draws the shapes, boundary values among them (49.99995, 79.99995, 0 / 0, B = 0,
a target of 0, negative changes); each example runs in a transaction that is rolled back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.conftest import open_round_for
from tidtam.agreements.models import Agreement, AgreementKPI, Indicator
from tidtam.agreements.services import indicator_result_save
from tidtam.domain import scoring
from tidtam.messages import passed_label
from tidtam.reports.render import render, to_json
from tidtam.reports.scorecard import scorecard_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

# Values are typed to 4 decimals; the rates of some parts fall a hair below an edge.
EDGES = [Decimal("49.9999"), Decimal("79.9999"), Decimal(0), Decimal(50), Decimal(80)]
EDGE_PARTS = [
    (Decimal("9999.9"), Decimal(20000)),  # 49.9995 %
    (Decimal("15999.99"), Decimal(20000)),  # 79.99995 %
    (Decimal(1), Decimal(3)),
    (Decimal(0), Decimal(0)),
    (Decimal(5), Decimal(0)),
]
amounts = st.one_of(st.sampled_from(EDGES), st.decimals(min_value=0, max_value=1_000_000, places=4))
parts = st.sampled_from(EDGE_PARTS) | st.tuples(
    st.one_of(st.just(Decimal(0)), st.decimals(min_value=0, max_value=10_000, places=4)),
    st.one_of(st.just(Decimal(0)), st.decimals(min_value=0, max_value=10_000, places=4)),
)


@dataclass(frozen=True)
class Shape:
    kind: scoring.MeasureKind
    direction: scoring.Direction
    target: Decimal | None
    base: Decimal | None
    value: Decimal | None = None
    parts: tuple[Decimal, Decimal] | None = None
    level: int | None = None
    met: bool | None = None


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    kind = draw(st.sampled_from(list(scoring.MeasureKind)))
    direction = draw(st.sampled_from(list(scoring.Direction)))
    target = draw(st.one_of(st.none(), amounts))
    if kind == scoring.MeasureKind.CHANGE:
        base = draw(st.decimals(min_value=1, max_value=100_000, places=2))
        target = draw(st.one_of(st.none(), st.decimals(min_value=-100, max_value=100, places=2)))
        return Shape(kind, direction, target, base, value=draw(amounts))
    if kind == scoring.MeasureKind.RATIO:
        return Shape(kind, direction, target, None, parts=draw(parts))
    if kind == scoring.MeasureKind.MILESTONE:
        level = draw(st.integers(min_value=0, max_value=3))
        return Shape(
            kind, scoring.Direction.HIGHER, Decimal(draw(st.integers(1, 3))), None, level=level
        )
    if kind == scoring.MeasureKind.YES_NO:
        return Shape(kind, scoring.Direction.HIGHER, None, None, met=draw(st.booleans()))
    return Shape(kind, direction, target, None, value=draw(amounts))


def _make(kpi: AgreementKPI, shape: Shape) -> None:
    indicator = kpi.indicator
    indicator.measure_kind, indicator.direction = shape.kind, shape.direction
    indicator.target_value, indicator.base_value = shape.target, shape.base
    indicator.base_year = 2563 if shape.base is not None else None
    indicator.save()
    numeric = shape.kind in scoring.VALUE_KINDS
    steps = (10, 20, 30) if shape.direction == scoring.Direction.HIGHER else (30, 20, 10)
    for level, step in zip(kpi.levels.order_by("rank"), steps, strict=True):
        level.threshold = Decimal(step) if numeric else None
        level.save()


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=shapes())
def test_any_kpi_shape_is_read_as_the_core_reads_it(shape: Shape) -> None:
    with transaction.atomic():
        agreement = Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)
        kpi = AgreementKPI.objects.select_related("indicator").get(
            group__agreement=agreement, number=4
        )
        _make(kpi, shape)
        round_ = open_round_for(2564, 12, "ops-bic")
        indicator = Indicator.objects.get(pk=kpi.indicator_id)
        a, b = shape.parts if shape.parts else (None, None)
        indicator_result_save(
            indicator=indicator,
            round_=round_,
            value=shape.value,
            numerator=a,
            denominator=b,
            level_reached=shape.level,
            met=shape.met,
        )
        spec = scoring.KpiSpec(shape.kind, shape.direction, shape.target, shape.base)
        entry = scoring.KpiEntry(
            value=shape.value,
            parts=(shape.parts,) if shape.parts else (),
            level=shape.level,
            met=shape.met,
        )
        core = scoring.measure(spec, entry)

        data = scorecard_report("ops-bic", 2564, 12).model_dump()
        row = next(
            k for g in json.loads(to_json(data))["groups"] for k in g["kpis"] if k["number"] == 4
        )
        figure = row["self"]["figure"]
        assert (None if figure is None else Decimal(figure)) == core.figure
        assert row["self"]["passed"] is core.passed
        if shape.parts:
            assert Decimal(row["self"]["numerator"]) == shape.parts[0]
            assert Decimal(row["self"]["denominator"]) == shape.parts[1]
        page = render(data, "html").decode()
        assert row["self"]["result_text"].replace("&", "&amp;") in page
        assert passed_label(core.passed) == row["self"]["passed_text"]
        transaction.set_rollback(True)
