"""Every page that names an object refuses a person of another organisation with 404.

The test walks the URL configuration itself, so a new page is checked the day it is added: a
page whose object kind this file does not know fails `test_every_object_url_is_known_here`.
The answers are the role matrix's (tests/app/test_role_matrix.py asks the app for each of them,
with the objects named here), read for the rule: everyone of the other organisation gets 404,
and whoever may see the object does not, so a wrong URL, which would also give 404, is caught.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from tidtam.agreements.models import AgreementKPI, Indicator, IndicatorResult, KPIGroup
from tidtam.budgets.models import BudgetLine
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import Activity, OperatingPlan, Output, PlannedMilestone, WorkItem
from tidtam.progress.models import Evidence, ProgressEntry

# Namespaces of the pages people use (the admin has its own staff check).
NAMESPACES = (
    "progress",
    "plans",
    "agreements",
    "budgets",
    "periods",
    "web",
    "reports",
    "orgs",
    "tokens",
    "transfer",
    "dashboard",
)

# Objects every organisation shares: the rounds (each organisation's schedule of them is
# named by org_id).
SHARED = {"round_id"}

ONESQA, OPS_BIC = "onesqa", "ops-bic"


@dataclass(frozen=True)
class Owned:
    """Where an object kwarg's test object comes from, and whose it is."""

    organization: str
    make: Callable[[], int]
    # Who opens it when a superuser does not: an upload is its person's alone.
    insider: str | None = None


def _work_item() -> WorkItem:
    return WorkItem.objects.get(name__startswith="โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุน")


def _entry() -> ProgressEntry:
    return ProgressEntry.objects.get(work_item=_work_item(), round__months=6)


def _bic_indicator() -> Indicator:
    return Indicator.objects.filter(organization__code=OPS_BIC).order_by("number").first()  # type: ignore[return-value]


def _result() -> int:
    round_ = Round.objects.get(fiscal_year__year=2564, months=12)
    result, _ = IndicatorResult.objects.get_or_create(
        indicator=_bic_indicator(), round=round_, unit=None, defaults={"level_reached": 3}
    )
    return result.pk


def _job() -> Any:
    from tidtam.reports.models import RenderJob
    from tidtam.reports.services import render_job_request

    planner = get_user_model().objects.get(username="planner")
    job: RenderJob = render_job_request(
        user=planner,
        document="quarterly",
        org_code=ONESQA,
        fiscal_year=2567,
        round_months=6,
        fmt="json",
    )
    # Done, with its file, so that even the download names a real thing.
    job.status = RenderJob.Status.DONE
    job.file.save("q.json", ContentFile(b"{}"), save=True)
    return job.pk


def _import_job() -> Any:
    """An upload of สมศ.'s planner, checked (its preview ready): only they open it."""
    from tidtam.transfer.models import ImportJob

    planner = get_user_model().objects.get(username="planner")
    job = ImportJob.objects.create(
        person=planner, file_name="แผน.xlsx", content=b"", status=ImportJob.Status.APPLIED
    )
    return job.pk


def _evidence() -> int:
    entry = _entry()
    evidence = Evidence(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        original_name="หลักฐาน.pdf",
        size=9,
    )
    evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    return evidence.pk


OBJECTS: dict[str, Owned] = {
    "plan_id": Owned(ONESQA, lambda: OperatingPlan.objects.get(organization__code=ONESQA).pk),
    "output_id": Owned(
        ONESQA, lambda: Output.objects.filter(plan__organization__code=ONESQA).first().pk
    ),  # type: ignore[union-attr]
    "activity_id": Owned(
        ONESQA,
        lambda: Activity.objects.filter(output__plan__organization__code=ONESQA).first().pk,  # type: ignore[union-attr]
    ),
    "work_item_id": Owned(ONESQA, lambda: _work_item().pk),
    "milestone_id": Owned(
        ONESQA, lambda: PlannedMilestone.objects.filter(work_item=_work_item()).first().pk
    ),  # type: ignore[union-attr]
    "line_id": Owned(
        ONESQA, lambda: BudgetLine.objects.filter(organization__code=ONESQA).first().pk
    ),  # type: ignore[union-attr]
    "entry_id": Owned(ONESQA, lambda: _entry().pk),
    "evidence_id": Owned(ONESQA, _evidence),
    "agreement_id": Owned(
        OPS_BIC,
        lambda: KPIGroup.objects.filter(agreement__organization__code=OPS_BIC).first().agreement_id,
    ),  # type: ignore[union-attr]
    "group_id": Owned(
        OPS_BIC, lambda: KPIGroup.objects.filter(agreement__organization__code=OPS_BIC).first().pk
    ),  # type: ignore[union-attr]
    "kpi_id": Owned(
        OPS_BIC,
        lambda: (
            AgreementKPI.objects.filter(group__agreement__organization__code=OPS_BIC).first().pk
        ),
    ),  # type: ignore[union-attr]
    "indicator_id": Owned(OPS_BIC, lambda: _bic_indicator().pk),
    # A strategic-plan project of สมศ. (a KPI with its project's name).
    "project_id": Owned(
        ONESQA,
        lambda: (
            Indicator.objects.filter(organization__code=ONESQA)
            .exclude(project_name="")
            .order_by("number")
            .first()
            .pk
        ),
    ),
    "result_id": Owned(OPS_BIC, _result),
    "job_id": Owned(ONESQA, _job),
    "import_id": Owned(ONESQA, _import_job, insider="planner"),
    # A document's print view names its organisation by code, with the year and round.
    "org": Owned(ONESQA, lambda: ONESQA),  # type: ignore[arg-type,return-value]
    # An organisation's calendar of rounds (its schedule, open / close / re-date).
    "org_id": Owned(ONESQA, lambda: Organization.objects.get(code=ONESQA).pk),
}
# Parameters that choose a document, not an object: fixed values for onesqa's 6-month report.
DOCUMENT_PARAMS = {"document": "quarterly", "fy": 2567, "round_months": 6}

# The history page names its object by kind: each kind with an object of onesqa's or ops-bic's.
HISTORY_KINDS = {
    "entry": "entry_id",
    "result": "result_id",
    "work_item": "work_item_id",
    "indicator": "indicator_id",
    "output": "output_id",
    "activity": "activity_id",
    "plan": "plan_id",
}

# Everyone of the other organisation in the role matrix's cast: สต.'s planner and the ministry's
# for สมศ.'s objects, สมศ.'s cast for สต.'s.
OUTSIDERS = {
    ONESQA: ("bic-planner", "moe-planner"),
    OPS_BIC: ("planner", "reporter", "reporter2", "approver", "executive", "auditor"),
}


def patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from patterns(entry, prefix, ns)
        elif namespace in NAMESPACES and entry.name:
            yield f"{namespace}:{entry.name}", entry


def object_urls() -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for name, pattern in patterns(get_resolver()):
        kwargs = tuple(pattern.pattern.regex.groupindex)
        if kwargs:
            found.append((name, kwargs))
    return sorted(set(found))


def test_every_object_url_is_known_here() -> None:
    unknown = {
        (name, kwarg)
        for name, kwargs in object_urls()
        for kwarg in kwargs
        if kwarg not in OBJECTS
        and kwarg not in SHARED
        and kwarg not in DOCUMENT_PARAMS
        and kwarg not in ("kind", "object_id")
    }
    assert unknown == set(), "add these object kinds to OBJECTS (or SHARED, with a reason)"
    assert len(object_urls()) >= 40  # the walk found the pages


def cases() -> list[tuple[str, tuple[str, ...], str | None]]:
    found: list[tuple[str, tuple[str, ...], str | None]] = []
    for name, kwargs in object_urls():
        if "kind" in kwargs:
            found += [(name, kwargs, kind) for kind in HISTORY_KINDS]
        elif set(kwargs) - SHARED:
            found.append((name, kwargs, None))
    return found


def owner_of(kwargs: tuple[str, ...], kind: str | None) -> str:
    """The organisation whose object the URL names."""
    owner = ""
    for kwarg in kwargs:
        if kwarg == "object_id":
            owner = OBJECTS[HISTORY_KINDS[str(kind)]].organization
        elif kwarg in OBJECTS:
            owner = OBJECTS[kwarg].organization
    return owner


def test_another_organisation_gets_404_and_the_object_exists() -> None:
    """Read off the role matrix (tests/app/test_role_matrix.py), each row of which is checked
    against the app's own answers: for every URL that names an object, every person of the
    other organisation gets 404 for GET and for POST, and whoever may see the object (a
    superuser; for a person's own upload, that person) does not, so the URL names a real one. A
    method nobody may use (405) tells nothing about the object."""
    from tests.app.test_role_matrix import MATRIX, ROLES, url_rows

    wanted = set(cases())
    rows = [row for row in url_rows() if row[1:] in wanted]
    assert len(rows) == len(wanted) >= 40
    for key, _name, kwargs, kind in rows:
        owner = owner_of(kwargs, kind)
        personal = [OBJECTS[k].insider for k in kwargs if k in OBJECTS and OBJECTS[k].insider]
        insider = personal[0] if personal else "demo"
        for method in ("GET", "POST"):
            answers = dict(zip(ROLES, MATRIX[f"{method} {key}"].split(), strict=True))
            assert answers[insider] != "404", f"{method} {key} is 404 even for {insider}"
            for outsider in OUTSIDERS[owner]:
                expected = ("404", "405") if answers[insider] == "405" else ("404",)
                assert answers[outsider] in expected, (
                    f"{outsider} gets {answers[outsider]} for {method} {key}"
                )
