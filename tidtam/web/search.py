"""Search of plan items and KPIs within a person's reach: Thai words without spaces, Thai order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Replace
from django.urls import NoReverseMatch, reverse

from tidtam.agreements.models import SHOWN_NAME, Indicator
from tidtam.domain.thai import normalize_text
from tidtam.messages import STRATEGIC_PROJECT
from tidtam.orgs import policy
from tidtam.paging import Pager, paginate, thai, thai_order
from tidtam.periods.calendar import open_rounds_for
from tidtam.periods.models import Round
from tidtam.plans.models import Activity, Output, WorkItem

# A query longer than this is someone pasting a paragraph: the first part is enough to find it.
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
# Each group shows this many hits a page.
PER_PAGE = 20

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
    pager: Pager  # this page of the group's hits, in Thai order (the database's)
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.pager.count


@dataclass
class SearchResults:
    query: str
    terms: tuple[str, ...]
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)


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


def _matching(
    queryset: QuerySet[Any], field_name: str, terms: tuple[str, ...], *also: str
) -> QuerySet[Any]:
    """Rows whose name (or one of the `also` fields) contains every term."""
    fields = (field_name, *also)
    names = {f"_search_{i}": squashed(field) for i, field in enumerate(fields)}
    rule = Q()
    for term in terms:
        either = Q()
        for name in names:
            either |= Q(**{f"{name}__icontains": term})
        rule &= either
    return queryset.annotate(**names).filter(rule)


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


def search(
    user: Any,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Work items, outputs and activities, and KPIs the person may read whose names contain
    every word of the query: each group a page at a time (?items_page=, ?parts_page=,
    ?kpis_page=), in Thai dictionary order, paged by the database. A constant number of queries
    (two per group, a few for the entry links), whatever the number of hits."""
    terms = search_terms(query)
    if not terms:
        return SearchResults(query=normalize_text(query), terms=(), groups=[])

    def page(rows: Any, param: str) -> Pager:
        return paginate(params, rows, param=param, per_page=per_page)

    # The same querysets the object pages find their objects in: a hit is a page that opens.
    item_pager = page(
        _matching(policy.readable(user, WorkItem), "name", terms)
        .select_related("plan__organization", "plan__fiscal_year")
        .order_by(*thai_order("name", "pk")),
        "items_page",
    )
    # A KPI is found by its name or, for a strategic-plan project, by the project's.
    indicator_pager = page(
        _matching(policy.readable(user, Indicator), "name", terms, "project_name")
        .select_related("organization", "fiscal_year")
        .order_by(thai(SHOWN_NAME), "pk"),
        "kpis_page",
    )
    # Outputs and activities are one list: their (kind, id, Thai name) as one union the
    # database sorts and pages; then the page's objects by id.
    columns = ("kind_of", "pk", "sort_name")
    parts_pager = page(
        _matching(policy.readable(user, Output), "name", terms)
        .annotate(kind_of=Value("output"), sort_name=thai("name"))
        .values_list(*columns)
        .order_by()
        .union(
            _matching(policy.readable(user, Activity), "name", terms)
            .annotate(kind_of=Value("activity"), sort_name=thai("name"))
            .values_list(*columns)
            .order_by(),
            all=True,
        )
        .order_by("sort_name", "kind_of", "pk"),
        "parts_page",
    )
    items = list(item_pager)
    indicators: list[Indicator] = list(indicator_pager)
    keys = list(parts_pager)
    outputs = Output.objects.select_related("plan__organization", "plan__fiscal_year").in_bulk(
        [pk for kind, pk, _ in keys if kind == "output"]
    )
    activities = Activity.objects.select_related(
        "output__plan__organization", "output__plan__fiscal_year"
    ).in_bulk([pk for kind, pk, _ in keys if kind == "activity"])
    # Entry links follow each organisation's calendar: a work item its plan's, a KPI its own.
    rounds = _open_rounds(
        {item.plan.organization_id for item in items} | {i.organization_id for i in indicators}
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

    def part_hit(kind: str, pk: int) -> Hit | None:
        if kind == "output" and pk in outputs:
            output = outputs[pk]
            plan = output.plan
            return Hit(
                name=output.name,
                kind_label=f"ผลผลิตที่ {output.number}",
                context=f"{plan.organization.label} ปีงบประมาณ {plan.fiscal_year.year}",
                history_url=_history_url("output", output.pk),
            )
        if kind == "activity" and pk in activities:
            activity = activities[pk]
            plan = activity.output.plan
            return Hit(
                name=activity.name,
                kind_label=f"ผลผลิตที่ {activity.output.number} กิจกรรมที่ {activity.number}",
                context=f"{plan.organization.label} ปีงบประมาณ {plan.fiscal_year.year}",
                history_url=_history_url("activity", activity.pk),
            )
        return None  # removed between the page's two queries

    def indicator_hit(indicator: Any) -> Hit:
        round_ = rounds.get((indicator.organization_id, indicator.fiscal_year_id))
        entry = (
            _reverse("progress:result", indicator_id=indicator.pk, round_id=round_.pk)
            if round_ is not None
            else None
        )
        return Hit(
            name=indicator.shown_name,
            kind_label=STRATEGIC_PROJECT if indicator.project_name else "ตัวชี้วัด",
            context=f"{indicator.organization.label} ปีงบประมาณ {indicator.fiscal_year.year}",
            history_url=_history_url("indicator", indicator.pk),
            entry_url=entry,
        )

    parts = [hit for kind, pk, _ in keys if (hit := part_hit(kind, pk)) is not None]
    groups = [
        Group("work_items", "โครงการ / แผนงาน / รายการ", item_pager, [item_hit(i) for i in items]),
        Group("plan_parts", "ผลผลิต / กิจกรรม", parts_pager, parts),
        Group(
            "indicators",
            f"ตัวชี้วัด / {STRATEGIC_PROJECT}",
            indicator_pager,
            [indicator_hit(i) for i in indicators],
        ),
    ]
    return SearchResults(query=" ".join(terms), terms=terms, groups=groups)
