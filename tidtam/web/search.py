"""Search of plan items and KPIs within a person's reach: Thai words without spaces, Thai order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Replace
from django.urls import NoReverseMatch, reverse

from tidtam.agreements.models import Indicator
from tidtam.domain.thai import normalize_text, thai_sort_key
from tidtam.orgs import policy
from tidtam.periods.calendar import open_rounds_for
from tidtam.periods.models import Round
from tidtam.plans.models import Activity, Output, WorkItem
from tidtam.web.paging import thai_order

# A query longer than this is someone pasting a paragraph: the first part is enough to find it.
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
# Each group shows this many hits at most; the page says when there were more.
MAX_HITS_PER_GROUP = 200

# What a stored name may carry that a person does not type: spaces and line breaks (Thai
# names break words with spaces at random), zero-width characters from copy-paste, and sara am
# stored decomposed (nikhahit + sara aa). The database compares names without them.
_STRIPPED_IN_DATABASE = (" ", "\n", "\r", "\t", "\u00a0", "\u200b", "\u200c", "\u200d", "\ufeff")
_DECOMPOSED_SARA_AM = "\u0e4d\u0e32"
_SARA_AM = "\u0e33"


@dataclass(frozen=True)
class Hit:
    name: str
    kind_label: str
    context: str
    history_url: str
    entry_url: str | None = None


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


@dataclass
class SearchResults:
    query: str
    terms: tuple[str, ...]
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(len(group.hits) for group in self.groups)


def search_terms(query: str) -> tuple[str, ...]:
    """The words every hit must contain, as the names are compared: normalised, no spaces.

    Splitting on spaces gives AND; a word typed with a space inside it ("ประ เมิน") is then
    two words that both appear, so it still finds "ประเมิน".
    """
    normalised = normalize_text(query[:MAX_QUERY_CHARS])
    terms: list[str] = []
    for word in normalised.split(" "):
        if word and word not in terms:
            terms.append(word)
    return tuple(terms[:MAX_TERMS])


def squashed(field_name: str) -> Func:
    """A name as the database compares it: without spaces or zero-width characters, sara am composed."""
    text: TextField[str, str] = TextField()
    expression: Func = Replace(
        F(field_name), Value(_DECOMPOSED_SARA_AM), Value(_SARA_AM), output_field=text
    )
    for char in _STRIPPED_IN_DATABASE:
        expression = Replace(expression, Value(char), Value(""), output_field=text)
    return expression


def _matching(queryset: QuerySet[Any], field_name: str, terms: tuple[str, ...]) -> QuerySet[Any]:
    rule = Q()
    for term in terms:
        rule &= Q(_search_name__icontains=term)
    return queryset.annotate(_search_name=squashed(field_name)).filter(rule)


def _reverse(name: str, **kwargs: int) -> str | None:
    # The entry pages belong to the progress app; a deployment without them still searches.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _history_url(kind: str, object_id: int) -> str:
    return reverse("web:history", kwargs={"kind": kind, "object_id": object_id})


def _open_rounds(organization_ids: set[int]) -> dict[tuple[int, int], Round]:
    """{(organisation id, fiscal year id): the latest round open in that organisation's
    calendar}: where an entry link leads (a constant number of queries)."""
    rounds: dict[tuple[int, int], Round] = {}
    for org_id, opened in open_rounds_for(organization_ids).items():
        for found in sorted(opened, key=lambda o: o.round.months):
            rounds[org_id, found.round.fiscal_year_id] = found.round
    return rounds


def _group(key: str, label: str, rows: list[Any], make: Callable[[Any], Hit], limit: int) -> Group:
    hits = sorted((make(row) for row in rows), key=lambda hit: thai_sort_key(hit.name))
    return Group(key, label, hits[:limit], more=len(hits) > limit)


def search(user: Any, query: str, *, limit: int = MAX_HITS_PER_GROUP) -> SearchResults:
    """Work items, outputs, activities and KPIs the person may read whose names contain every
    word of the query, each group in Thai dictionary order. A constant number of queries."""
    terms = search_terms(query)
    if not terms:
        return SearchResults(query=normalize_text(query), terms=(), groups=[])
    # The database sorts in Thai order, so the first rows are the ones shown; one more than
    # shown tells the page there are more (the cut-off is said on the page).
    fetch = limit + 1

    items = list(
        _matching(policy.readable(user, WorkItem), "name", terms)
        .select_related("plan__organization", "plan__fiscal_year")
        .order_by(*thai_order("name", "pk"))[:fetch]
    )

    def item_hit(item: Any) -> Hit:
        round_ = rounds.get((item.plan.organization_id, item.plan.fiscal_year_id))
        entry = (
            _reverse("progress:entry", work_item_id=item.pk, round_id=round_.pk)
            if round_ is not None
            else None
        )
        return Hit(
            name=item.name,
            kind_label=item.get_kind_display(),
            context=f"{item.plan.organization.label} ปีงบประมาณ {item.plan.fiscal_year.year}",
            history_url=_history_url("work_item", item.pk),
            entry_url=entry,
        )

    # The same querysets the object pages find their objects in: a hit is a page that opens.
    outputs = list(
        _matching(policy.readable(user, Output), "name", terms)
        .select_related("plan__organization", "plan__fiscal_year")
        .order_by(*thai_order("name", "pk"))[:fetch]
    )
    activities = list(
        _matching(policy.readable(user, Activity), "name", terms)
        .select_related("output__plan__organization", "output__plan__fiscal_year")
        .order_by(*thai_order("name", "pk"))[:fetch]
    )

    def output_hit(output: Any) -> Hit:
        plan = output.plan
        return Hit(
            name=output.name,
            kind_label=f"ผลผลิตที่ {output.number}",
            context=f"{plan.organization.label} ปีงบประมาณ {plan.fiscal_year.year}",
            history_url=_history_url("output", output.pk),
        )

    def activity_hit(activity: Any) -> Hit:
        plan = activity.output.plan
        return Hit(
            name=activity.name,
            kind_label=f"ผลผลิตที่ {activity.output.number} กิจกรรมที่ {activity.number}",
            context=f"{plan.organization.label} ปีงบประมาณ {plan.fiscal_year.year}",
            history_url=_history_url("activity", activity.pk),
        )

    indicators: list[Indicator] = list(
        _matching(policy.readable(user, Indicator), "name", terms)
        .select_related("organization", "fiscal_year")
        .order_by(*thai_order("name", "pk"))[:fetch]
    )

    def indicator_hit(indicator: Any) -> Hit:
        round_ = rounds.get((indicator.organization_id, indicator.fiscal_year_id))
        entry = (
            _reverse("progress:result", indicator_id=indicator.pk, round_id=round_.pk)
            if round_ is not None
            else None
        )
        return Hit(
            name=indicator.name,
            kind_label="ตัวชี้วัด",
            context=f"{indicator.organization.label} ปีงบประมาณ {indicator.fiscal_year.year}",
            history_url=_history_url("indicator", indicator.pk),
            entry_url=entry,
        )

    # Entry links follow each organisation's calendar: a work item its plan's, a KPI its own.
    rounds = _open_rounds(
        {item.plan.organization_id for item in items} | {i.organization_id for i in indicators}
    )
    groups = [
        _group("work_items", "โครงการ / แผนงาน / รายการ", items, item_hit, limit),
        _group(
            "plan_parts",
            "ผลผลิต / กิจกรรม",
            [*outputs, *activities],
            lambda row: output_hit(row) if isinstance(row, Output) else activity_hit(row),
            limit,
        ),
        _group("indicators", "ตัวชี้วัด", indicators, indicator_hit, limit),
    ]
    return SearchResults(query=" ".join(terms), terms=terms, groups=groups)
