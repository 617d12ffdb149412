"""What the agreement pages read, limited to what the person may see, in a few queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from tidtam.agreements.models import (
    Agreement,
    AgreementKPI,
    Indicator,
    IndicatorOwner,
    KPIGroup,
)
from tidtam.domain.thai import normalize_text
from tidtam.orgs.access import (
    descendants_map,
    indicators_readable,
    organizations_planned,
    organizations_visible,
    with_descendants,
)
from tidtam.orgs.models import Organization, Person
from tidtam.policies.models import PolicyFramework, PolicyNode


def agreements_visible(user: Any) -> QuerySet[Agreement]:
    """Agreements of the organisations the person reads; anything else is not found (404)."""
    return Agreement.objects.filter(organization__in=organizations_visible(user))


def agreement_list(*, user: Any) -> QuerySet[Agreement]:
    """Each organisation's agreements the person reads, newest year first, with KPI counts (a
    queryset: the page reads one page of it)."""
    return (
        agreements_visible(user)
        .select_related("organization", "fiscal_year")
        .annotate(kpi_count=Count("groups__kpis"))
        .order_by("organization__code", "-fiscal_year__year", "pk")
    )


def agreement_planned(*, user: Any, agreement: Agreement) -> bool:
    """Whether the person plans for the agreement's organisation (and so may change it)."""
    return organizations_planned(user).filter(pk=agreement.organization_id).exists()


def agreement_with_kpis(*, user: Any, agreement_id: int) -> Agreement | None:
    """The agreement with its groups, KPIs, indicators, levels and owners in a fixed number of
    queries; None when it does not exist or is out of the person's reach."""
    kpis = AgreementKPI.objects.select_related("indicator").prefetch_related(
        "levels",
        Prefetch("indicator__owners", IndicatorOwner.objects.select_related("person")),
        "indicator__policy_nodes",
    )
    return (
        agreements_visible(user)
        .select_related("organization", "fiscal_year", "receiver", "maker")
        .prefetch_related(
            Prefetch("groups", KPIGroup.objects.prefetch_related(Prefetch("kpis", kpis))),
            "clauses",
        )
        .filter(pk=agreement_id)
        .first()
    )


def groups_visible(user: Any) -> QuerySet[KPIGroup]:
    return KPIGroup.objects.filter(agreement__organization__in=organizations_visible(user))


def kpis_visible(user: Any) -> QuerySet[AgreementKPI]:
    return AgreementKPI.objects.filter(
        group__agreement__organization__in=organizations_visible(user)
    )


def indicators_visible(user: Any) -> QuerySet[Indicator]:
    return indicators_readable(user)


def _family(organization: Organization) -> frozenset[int]:
    """The organisation with those above it (whose plans it follows) and below it."""
    above = {org.pk for org in organization.ancestors()}
    return with_descendants({organization.pk}, descendants_map()) | above


def people_of(organization: Organization) -> QuerySet[Person]:
    """Officials who may own an organisation's KPIs: its own people and its units' people."""
    units = with_descendants({organization.pk}, descendants_map())
    return Person.objects.filter(organization_id__in=units).select_related("organization")


def signatories_for(organization: Organization) -> QuerySet[Person]:
    """Who may sign the organisation's agreement: its people and its superiors' people."""
    return Person.objects.filter(organization_id__in=_family(organization)).select_related(
        "organization"
    )


def frameworks_for(organization: Organization) -> QuerySet[PolicyFramework]:
    """National frameworks and the plans of the organisation, its superiors and its units."""
    return PolicyFramework.objects.filter(owner__isnull=True) | PolicyFramework.objects.filter(
        owner_id__in=_family(organization)
    )


def policy_nodes_for(organization: Organization) -> QuerySet[PolicyNode]:
    return PolicyNode.objects.filter(framework__in=frameworks_for(organization))


def strategy_nodes_for(organization: Organization) -> QuerySet[PolicyNode]:
    """Nodes of the agency plans (level 3) a KPI may name as its strategy."""
    return policy_nodes_for(organization).filter(framework__level=PolicyFramework.Level.AGENCY_PLAN)


def _searchable(text: str) -> str:
    # Thai is written without spaces between words, and people type with or without them:
    # compare normalised text with every space removed, so any run of letters matches.
    return normalize_text(text).replace(" ", "").casefold()


@dataclass
class TreeNode:
    node: PolicyNode
    matched: bool
    checked: bool
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class FrameworkTree:
    framework: PolicyFramework
    nodes: list[TreeNode]
    count: int
    # Frameworks with ticked nodes open on the page, so that a person sees what is linked.
    has_checked: bool = False


@dataclass(frozen=True)
class PolicyTree:
    frameworks: list[FrameworkTree]
    # Checked nodes the search hides: the form still carries them, so saving keeps them.
    hidden_checked: list[int]
    query: str
    matches: int


def policy_tree(*, organization: Organization, query: str, checked: set[int]) -> PolicyTree:
    """Frameworks and their node trees; with a query, only the nodes whose code or name holds
    it (anywhere, Thai without spaces included) and the nodes above them."""
    frameworks = list(frameworks_for(organization).order_by("level", "code", "version"))
    nodes = list(
        PolicyNode.objects.filter(framework__in=frameworks).order_by("framework", "order", "code")
    )
    needle = _searchable(query)
    children: dict[int | None, list[PolicyNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    matches = 0

    def build(node: PolicyNode) -> TreeNode | None:
        nonlocal matches
        hit = not needle or needle in _searchable(f"{node.code} {node.name}")
        matches += bool(needle and hit)
        kids = [child for child in map(build, children.get(node.pk, [])) if child is not None]
        if not hit and not kids:
            return None
        return TreeNode(node=node, matched=hit, checked=node.pk in checked, children=kids)

    trees: list[FrameworkTree] = []
    shown: set[int] = set()
    loaded = {node.pk for node in nodes}
    for framework in frameworks:
        roots = [
            node
            for node in nodes
            if node.framework_id == framework.pk and node.parent_id not in loaded
        ]
        built = [tree for tree in map(build, roots) if tree is not None]
        if built:
            ids = _ids(built)
            trees.append(
                FrameworkTree(
                    framework=framework,
                    nodes=built,
                    count=len(ids),
                    has_checked=bool(ids & checked),
                )
            )
            shown |= ids
    return PolicyTree(
        frameworks=trees,
        hidden_checked=sorted(checked - shown),
        query=query,
        matches=matches,
    )


def _ids(nodes: list[TreeNode]) -> set[int]:
    return {tree.node.pk for tree in nodes} | set().union(*(_ids(tree.children) for tree in nodes))
