"""The same-organisation role matrix: every URL × every role of the cast → the expected status.

The rule it shows (tidtam/orgs/policy.py): any role in an agency reads all of the agency (สมศ.'s
reporters open สมศ.'s plan, its history and its documents); roles decide only what a person may
change; another agency (bic-planner for สมศ., the สมศ. cast for สต.) gets 404; a ministry's planner
reads and plans the departments below it. Each URL names objects as test_reach_every_view.py
does: สมศ.'s plan, items, entries, evidence and documents; สต.'s agreement and KPIs.

Each request runs in a savepoint that is rolled back, so that one role's POST does not change
what the next role sees. A POST sends an empty form: a person allowed to change the object gets
the form back with its Thai errors (400), or the step's redirect (302) when the step needs no
fields; a person who may read but not change gets 403; one who may not read gets 404.

The walk is the URL configuration's: a page added without a row here fails
`test_every_url_has_a_row`, and a row whose page is gone fails it too.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.app.conftest import signed_in
from tests.app.test_reach_every_view import (
    DOCUMENT_PARAMS,
    HISTORY_KINDS,
    NAMESPACES,
    OBJECTS,
    ONESQA,
    owner_of,
)
from tidtam.periods.models import Round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

ROLES = (
    "planner",  # สมศ. (onesqa)
    "reporter",  # สนย. (onesqa-sny), a division of สมศ.
    "reporter2",  # ภนย. (onesqa-phny)
    "approver",  # สนย. and ภนย.
    "executive",  # สมศ.
    "auditor",  # สมศ.
    "bic-planner",  # planner and reporter of สต. (ops-bic), another agency
    "moe-planner",  # planner of the ministry above สต.
    "anonymous",
    "demo",  # the demo's superuser
)

# Status per role (columns in the order of ROLES) for GET and for POST with an empty form:
# 200 page, 302 redirect (anonymous: to sign in), 400 form errors, 403 may read but not change,
# 404 not found (out of reach), 405 method not allowed, 409 a step the object is not ready for
# (retrying a job that did not fail; a save into a round that is closed here, the page then
# showing what was typed). Lines starting with # are notes.
TABLE = """
                                                    plan rep  rep2 appr exec aud  bic  moe  anon demo
GET    agreements:agreement_add                     200  403  403  403  403  403  200  200  302  200
POST   agreements:agreement_add                     200  403  403  403  403  403  200  200  302  200
GET    agreements:agreement_copy                    200  403  403  403  403  403  200  200  302  200
POST   agreements:agreement_copy                    200  403  403  403  403  403  200  200  302  200
GET    agreements:agreement_detail                  404  404  404  404  404  404  200  200  302  200
POST   agreements:agreement_detail                  404  404  404  404  404  404  200  200  302  200
GET    agreements:agreement_edit                    404  404  404  404  404  404  200  200  302  200
POST   agreements:agreement_edit                    404  404  404  404  404  404  400  400  302  400
GET    agreements:agreement_list                    200  200  200  200  200  200  200  200  302  200
POST   agreements:agreement_list                    200  200  200  200  200  200  200  200  302  200
GET    agreements:agreement_review                  404  404  404  404  404  404  200  200  302  200
POST   agreements:agreement_review                  404  404  404  404  404  404  302  302  302  302
GET    agreements:agreement_weights                 404  404  404  404  404  404  302  302  302  302
POST   agreements:agreement_weights                 404  404  404  404  404  404  400  400  302  400
GET    agreements:agreement_weights_preview         404  404  404  404  404  404  405  405  302  405
POST   agreements:agreement_weights_preview         404  404  404  404  404  404  200  200  302  200
GET    agreements:group_add                         404  404  404  404  404  404  405  405  302  405
POST   agreements:group_add                         404  404  404  404  404  404  400  400  302  400
GET    agreements:indicator_owners                  404  404  404  404  404  404  200  200  302  200
POST   agreements:indicator_owners                  404  404  404  404  404  404  400  400  302  400
GET    agreements:indicator_policy                  404  404  404  404  404  404  200  200  302  200
POST   agreements:indicator_policy                  404  404  404  404  404  404  200  200  302  200
GET    agreements:indicator_policy_search           404  404  404  404  404  404  200  200  302  200
POST   agreements:indicator_policy_search           404  404  404  404  404  404  200  200  302  200
GET    agreements:strategic_projects                200  200  200  200  200  200  404  404  302  200
POST   agreements:strategic_projects                400  403  403  403  403  403  404  404  302  400
GET    agreements:strategic_project_edit            200  200  200  200  200  200  404  404  302  200
POST   agreements:strategic_project_edit            400  403  403  403  403  403  404  404  302  400
GET    agreements:kpi_add                           404  404  404  404  404  404  200  200  302  200
POST   agreements:kpi_add                           404  404  404  404  404  404  200  200  302  200
GET    agreements:kpi_edit                          404  404  404  404  404  404  200  200  302  200
POST   agreements:kpi_edit                          404  404  404  404  404  404  200  200  302  200
GET    agreements:kpi_levels                        404  404  404  404  404  404  200  200  302  200
POST   agreements:kpi_levels                        404  404  404  404  404  404  400  400  302  400
GET    audit:read_log                               403  403  403  403  403  200  403  403  302  200
POST   audit:read_log                               405  405  405  405  405  405  405  405  302  405
GET    budgets:line_add                             200  200  200  200  200  200  404  404  302  200
POST   budgets:line_add                             400  403  403  403  403  403  404  404  302  400
GET    budgets:line_edit                            200  200  200  200  200  200  404  404  302  200
POST   budgets:line_edit                            400  403  403  403  403  403  404  404  302  400
GET    budgets:allocations                          200  200  200  200  200  200  404  404  302  200
POST   budgets:allocations                          302  403  403  403  403  403  404  404  302  302
GET    budgets:round_spending                       200  200  200  200  200  200  404  404  302  200
POST   budgets:round_spending                       302  403  403  403  403  403  404  404  302  302
GET    budgets:line_months                          200  200  200  200  200  200  404  404  302  200
POST   budgets:line_months                          302  403  403  403  403  403  404  404  302  302
GET    budgets:line_list                            200  200  200  200  200  200  404  404  302  200
POST   budgets:line_list                            200  200  200  200  200  200  404  404  302  200
GET    periods:calendar                             200  200  200  200  200  200  404  404  302  200
POST   periods:calendar                             200  200  200  200  200  200  404  404  302  200
GET    periods:fiscal_year_add                      200  200  200  200  200  200  200  200  302  200
POST   periods:fiscal_year_add                      400  403  403  403  403  403  400  400  302  400
GET    periods:round_close                          405  405  405  405  405  405  404  404  302  405
POST   periods:round_close                          302  403  403  403  403  403  404  404  302  302
GET    periods:round_edit                           200  200  200  200  200  200  404  404  302  200
POST   periods:round_edit                           302  403  403  403  403  403  404  404  302  302
GET    periods:round_inherit                        405  405  405  405  405  405  404  404  302  405
POST   periods:round_inherit                        302  403  403  403  403  403  404  404  302  302
GET    periods:round_list                           302  302  302  302  302  302  302  302  302  302
POST   periods:round_list                           302  302  302  302  302  302  302  302  302  302
GET    periods:round_open                           405  405  405  405  405  405  404  404  302  405
POST   periods:round_open                           302  403  403  403  403  403  404  404  302  302
GET    orgs:people                                  403  403  403  403  403  403  404  404  302  200
POST   orgs:people                                  403  403  403  403  403  403  404  404  302  400
GET    orgs:people_home                             403  403  403  403  403  403  403  403  302  200
POST   orgs:people_home                             403  403  403  403  403  403  403  403  302  200
GET    transfer:export                              400  400  400  400  400  400  400  400  302  400
POST   transfer:export                              405  405  405  405  405  405  405  405  302  405
# The public portal: anyone reads what was published (สมศ.'s plan here); only สมศ.'s planner
# (and the superuser) publishes or withdraws; a person of สมศ. without the role is told so on
# the manage page (302 back to it), others do not find the document (404).
GET    portal:index                                 200  200  200  200  200  200  200  200  200  200
POST   portal:index                                 405  405  405  405  405  405  405  405  405  405
GET    portal:agency_year                           200  200  200  200  200  200  200  200  200  200
POST   portal:agency_year                           405  405  405  405  405  405  405  405  405  405
GET    portal:document                              200  200  200  200  200  200  200  200  200  200
POST   portal:document                              405  405  405  405  405  405  405  405  405  405
GET    portal:json                                  200  200  200  200  200  200  200  200  200  200
POST   portal:json                                  405  405  405  405  405  405  405  405  405  405
GET    portal:csv                                   200  200  200  200  200  200  200  200  200  200
POST   portal:csv                                   405  405  405  405  405  405  405  405  405  405
GET    portal:pdf                                   200  200  200  200  200  200  200  200  200  200
POST   portal:pdf                                   405  405  405  405  405  405  405  405  405  405
GET    portal:manage                                200  200  200  200  200  200  200  200  302  200
POST   portal:manage                                405  405  405  405  405  405  405  405  302  405
GET    portal:publish                               405  405  405  405  405  405  405  405  302  405
POST   portal:publish                               404  404  404  404  404  404  404  404  302  404
GET    portal:withdraw                              405  405  405  405  405  405  405  405  302  405
POST   portal:withdraw                              302  302  302  302  302  302  404  404  302  302
# Everyone signed in sees the dashboard of the highest organisation they read.
GET    dashboard:home                               200  200  200  200  200  200  200  200  302  200
POST   dashboard:home                               405  405  405  405  405  405  405  405  302  405
GET    transfer:home                                200  200  200  200  200  200  200  200  302  200
POST   transfer:home                                400  400  400  400  400  400  400  400  302  400
# An upload is its person's own (สมศ.'s planner's here): everyone else gets 404.
GET    transfer:job                                 200  404  404  404  404  404  404  404  302  404
POST   transfer:job                                 405  405  405  405  405  405  405  405  302  405
GET    transfer:job_apply                           405  405  405  405  405  405  405  405  302  405
POST   transfer:job_apply                           302  404  404  404  404  404  404  404  302  404
GET    plans:activity_add                           200  200  200  200  200  200  404  404  302  200
POST   plans:activity_add                           400  403  403  403  403  403  404  404  302  400
GET    plans:activity_edit                          200  200  200  200  200  200  404  404  302  200
POST   plans:activity_edit                          400  403  403  403  403  403  404  404  302  400
GET    plans:activity_move                          405  405  405  405  405  405  404  404  302  405
POST   plans:activity_move                          302  403  403  403  403  403  404  404  302  302
GET    plans:milestone_edit                         200  200  200  200  200  200  404  404  302  200
POST   plans:milestone_edit                         302  403  403  403  403  403  404  404  302  302
GET    plans:output_add                             200  200  200  200  200  200  404  404  302  200
POST   plans:output_add                             400  403  403  403  403  403  404  404  302  400
GET    plans:output_edit                            200  200  200  200  200  200  404  404  302  200
POST   plans:output_edit                            400  403  403  403  403  403  404  404  302  400
GET    plans:output_move                            405  405  405  405  405  405  404  404  302  405
POST   plans:output_move                            302  403  403  403  403  403  404  404  302  302
GET    plans:plan_add                               200  200  200  200  200  200  200  200  302  200
POST   plans:plan_add                               400  403  403  403  403  403  400  400  302  400
GET    plans:plan_copy                              200  200  200  200  200  200  404  404  302  200
POST   plans:plan_copy                              400  403  403  403  403  403  404  404  302  400
GET    plans:plan_settings                          200  200  200  200  200  200  404  404  302  200
POST   plans:plan_settings                          400  403  403  403  403  403  404  404  302  400
GET    plans:plan_detail                            200  200  200  200  200  200  404  404  302  200
POST   plans:plan_detail                            200  200  200  200  200  200  404  404  302  200
GET    plans:plan_list                              200  200  200  200  200  200  200  200  302  200
POST   plans:plan_list                              200  200  200  200  200  200  200  200  302  200
GET    plans:responsibilities                       200  200  200  200  200  200  404  404  302  200
POST   plans:responsibilities                       400  403  403  403  403  403  404  404  302  400
GET    plans:responsibility_remove                  405  405  405  405  405  405  404  404  302  405
POST   plans:responsibility_remove                  302  403  403  403  403  403  404  404  302  302
GET    plans:work_item_add                          200  200  200  200  200  200  404  404  302  200
POST   plans:work_item_add                          400  403  403  403  403  403  404  404  302  400
GET    plans:work_item_budget_line                  200  200  200  200  200  200  404  404  302  200
POST   plans:work_item_budget_line                  400  403  403  403  403  403  404  404  302  400
GET    plans:work_item_budgets                      200  200  200  200  200  200  404  404  302  200
POST   plans:work_item_budgets                      200  200  200  200  200  200  404  404  302  200
GET    plans:work_item_edit                         200  200  200  200  200  200  404  404  302  200
POST   plans:work_item_edit                         400  403  403  403  403  403  404  404  302  400
GET    plans:work_item_exclude                      200  200  200  200  200  200  404  404  302  200
POST   plans:work_item_exclude                      400  403  403  403  403  403  404  404  302  400
GET    plans:work_item_include                      405  405  405  405  405  405  404  404  302  405
POST   plans:work_item_include                      302  403  403  403  403  403  404  404  302  302
GET    plans:work_item_months                       200  200  200  200  200  200  404  404  302  200
POST   plans:work_item_months                       302  403  403  403  403  403  404  404  302  302
GET    plans:work_item_move                         405  405  405  405  405  405  404  404  302  405
POST   plans:work_item_move                         302  403  403  403  403  403  404  404  302  302
GET    plans:work_item_move_to                      405  405  405  405  405  405  404  404  302  405
POST   plans:work_item_move_to                      400  403  403  403  403  403  404  404  302  400
GET    progress:entry                               200  200  200  200  200  200  404  404  302  200
# The seed's round 6 is closed here: a save is refused with the Thai message on the entry page.
POST   progress:entry                               409  409  403  403  403  403  404  404  302  409
GET    progress:entry_preview                       405  405  405  405  405  405  405  405  302  405
POST   progress:entry_preview                       200  200  200  200  200  200  404  404  302  200
GET    progress:entry_review                        405  405  405  405  405  405  405  405  302  405
POST   progress:entry_review                        302  302  302  302  403  403  404  404  302  302
GET    progress:evidence                            200  200  200  200  200  200  404  404  302  200
POST   progress:evidence                            405  405  405  405  405  405  405  405  302  405
GET    progress:evidence_remove                     405  405  405  405  405  405  405  405  302  405
POST   progress:evidence_remove                     302  302  403  403  403  403  404  404  302  302
GET    progress:my_work                             200  200  200  200  200  200  200  200  302  200
POST   progress:my_work                             405  405  405  405  405  405  405  405  302  405
GET    progress:entry_unlock                        405  405  405  405  405  405  405  405  302  405
POST   progress:entry_unlock                        302  403  403  403  403  403  404  404  302  302
GET    progress:result                              404  404  404  404  404  404  200  200  302  200
POST   progress:result                              404  404  404  404  404  404  409  409  302  409
GET    progress:result_review                       405  405  405  405  405  405  405  405  302  405
POST   progress:result_review                       404  404  404  404  404  404  302  302  302  302
GET    progress:result_units                        404  404  404  404  404  404  302  302  302  302
POST   progress:result_units                        404  404  404  404  404  404  302  302  302  302
GET    progress:result_unlock                       405  405  405  405  405  405  405  405  302  405
POST   progress:result_unlock                       404  404  404  404  404  404  302  302  302  302
GET    progress:round_status()                      302  302  302  302  302  302  200  200  302  302
POST   progress:round_status()                      405  405  405  405  405  405  405  405  302  405
GET    progress:round_status(plan_id,round_id)      200  200  200  200  200  200  404  404  302  200
POST   progress:round_status(plan_id,round_id)      405  405  405  405  405  405  405  405  302  405
GET    reports:documents                            200  200  200  200  200  200  200  200  302  200
POST   reports:documents                            200  200  200  200  200  200  200  200  302  200
GET    reports:job                                  200  200  200  200  200  200  404  404  302  200
POST   reports:job                                  200  200  200  200  200  200  404  404  302  200
GET    reports:job_download                         200  200  200  200  200  200  404  404  302  200
POST   reports:job_download                         200  200  200  200  200  200  404  404  302  200
GET    reports:job_retry                            405  405  405  405  405  405  405  405  302  405
POST   reports:job_retry                            409  409  409  409  409  409  404  404  302  409
GET    reports:print                                400  400  400  400  400  400  404  404  302  400
POST   reports:print                                400  400  400  400  400  400  404  404  302  400
GET    reports:print_round                          200  200  200  200  200  200  404  404  302  200
POST   reports:print_round                          200  200  200  200  200  200  404  404  302  200
# The person's own API tokens: everyone signed in has the page; an empty form is refused (400).
GET    tokens:list                                  200  200  200  200  200  200  200  200  302  200
POST   tokens:list                                  400  400  400  400  400  400  400  400  302  400
GET    web:history[activity]                        200  200  200  200  200  200  404  404  302  200
POST   web:history[activity]                        405  405  405  405  405  405  405  405  302  405
GET    web:history[entry]                           200  200  200  200  200  200  404  404  302  200
POST   web:history[entry]                           405  405  405  405  405  405  405  405  302  405
GET    web:history[indicator]                       404  404  404  404  404  404  200  200  302  200
POST   web:history[indicator]                       405  405  405  405  405  405  405  405  302  405
GET    web:history[output]                          200  200  200  200  200  200  404  404  302  200
POST   web:history[output]                          405  405  405  405  405  405  405  405  302  405
GET    web:history[plan]                            200  200  200  200  200  200  404  404  302  200
POST   web:history[plan]                            405  405  405  405  405  405  405  405  302  405
GET    web:history[result]                          404  404  404  404  404  404  200  200  302  200
POST   web:history[result]                          405  405  405  405  405  405  405  405  302  405
GET    web:history[work_item]                       200  200  200  200  200  200  404  404  302  200
POST   web:history[work_item]                       405  405  405  405  405  405  405  405  302  405
GET    web:search                                   200  200  200  200  200  200  200  200  302  200
POST   web:search                                   405  405  405  405  405  405  405  405  302  405
"""


def parse(table: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in table.splitlines():
        parts = line.split()
        if not parts or parts[0] not in ("GET", "POST"):
            continue
        method, key, *statuses = parts
        assert len(statuses) == len(ROLES), line
        assert f"{method} {key}" not in rows, f"two rows for {method} {key}"
        rows[f"{method} {key}"] = " ".join(statuses)
    return rows


MATRIX = parse(TABLE)


# The pages people use, the read log and the public portal included (the admin has its own
# staff check).
WALKED = (*NAMESPACES, "audit", "portal")


def _published() -> int:
    """สมศ.'s ITA plan of 2567 in public, published by its planner (the portal's pages)."""
    from tidtam.orgs.models import Organization
    from tidtam.portal import services

    found = services.in_public().filter(organization__code=ONESQA, document="ita-plan").first()
    if found is None:
        found = services.publish(
            user=get_user_model().objects.get(username="planner"),
            organization=Organization.objects.get(code=ONESQA),
            year=2567,
            document="ita-plan",
        )
        # Its PDF made already (test_portal.py makes one with LibreOffice): each request
        # here is rolled back, and would make it again.
        found.pdf.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return found.pk


PORTAL_PARAMS: dict[str, Any] = {
    "org_code": lambda: (_published(), ONESQA)[1],
    "year": lambda: 2567,
    "document": lambda: "ita-plan",
    "publication_id": _published,
}


def patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += patterns(entry, entry.namespace or namespace)
        elif namespace in WALKED and entry.name:
            found.append((f"{namespace}:{entry.name}", entry))
    return found


Row = tuple[str, str, tuple[str, ...], str | None]  # (key, URL name, kwargs, history kind)


def url_rows() -> list[Row]:
    """Every page people use, with the key of its row in MATRIX: the URL name, the history
    kind in brackets, and the kwargs in parentheses where one name has several patterns."""
    found = sorted(
        {
            (name, tuple(pattern.pattern.regex.groupindex))
            for name, pattern in patterns(get_resolver())
        }
    )
    names = [name for name, _ in found]
    rows: list[Row] = []
    for name, kwargs in found:
        key = name if names.count(name) == 1 else f"{name}({','.join(kwargs)})"
        if "kind" in kwargs:
            rows += [(f"{key}[{kind}]", name, kwargs, kind) for kind in HISTORY_KINDS]
        else:
            rows.append((key, name, kwargs, None))
    return sorted(rows)


def build(name: str, kwargs: tuple[str, ...], kind: str | None) -> str:
    values: dict[str, Any] = {}
    for kwarg in kwargs:
        if name.startswith("portal:"):
            values[kwarg] = PORTAL_PARAMS[kwarg]()
        elif kwarg == "kind":
            values[kwarg] = kind
        elif kwarg == "object_id":
            values[kwarg] = OBJECTS[HISTORY_KINDS[str(kind)]].make()
        elif kwarg in DOCUMENT_PARAMS:
            values[kwarg] = DOCUMENT_PARAMS[kwarg]
        elif kwarg != "round_id":
            values[kwarg] = OBJECTS[kwarg].make()
    if "round_id" in kwargs:
        # The round the object's organisation reports in (สมศ. for a URL that names only a
        # round): สมศ.'s 2567, สต.'s 2564.
        owner = owner_of(kwargs, kind) or ONESQA
        year = 2567 if owner == ONESQA else 2564
        values["round_id"] = Round.objects.get(fiscal_year__year=year, months=6).pk
    return reverse(name, kwargs=values)


def clients() -> dict[str, Client]:
    get_user_model().objects.create_superuser("demo", password="x")
    found: dict[str, Client] = {}
    for role in ROLES:
        found[role] = Client() if role == "anonymous" else signed_in(Client(), role)
    return found


def status(client: Client, method: str, url: str) -> int:
    """The answer, with whatever the request changed rolled back."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return int(response.status_code)


def table_row(statuses: list[int]) -> str:
    return " ".join(str(code) for code in statuses)


def test_every_url_has_a_row() -> None:
    walked = {f"{method} {key}" for key, *_ in url_rows() for method in ("GET", "POST")}
    assert len(walked) >= 2 * 50  # the walk found the pages
    missing = sorted(walked - MATRIX.keys())
    gone = sorted(MATRIX.keys() - walked)
    assert missing == [], "pages without a row in MATRIX: add their expected statuses"
    assert gone == [], "rows whose page is gone: remove them"


@pytest.mark.parametrize(("row", "name", "kwargs", "kind"), url_rows(), ids=lambda v: str(v))
def test_each_role_gets_the_expected_status(
    row: str, name: str, kwargs: tuple[str, ...], kind: str | None
) -> None:
    url = build(name, kwargs, kind)
    people = clients()
    for method in ("GET", "POST"):
        key = f"{method} {row}"
        actual = table_row([status(people[role], method.lower(), url) for role in ROLES])
        assert key in MATRIX, f"no row for {key}; its statuses now: {actual}"
        assert actual == MATRIX[key], (
            f"{key} ({url})\n  roles:    {' '.join(r[:3] for r in ROLES)}"
            f"\n  expected: {MATRIX[key]}\n  actual:   {actual}"
        )


# --- no one reads through history, search or a document what they cannot open -----------------

CAST = [role for role in ROLES if role not in ("anonymous", "demo")]


def _round(year: int) -> int:
    return Round.objects.get(fiscal_year__year=year, months=6).pk


def object_and_history_urls() -> list[tuple[str, str, str]]:
    """(kind, the object's own page, its history page) for one object of every history kind."""
    from tests.app.test_reach_every_view import _entry, _result, _work_item

    entry = _entry()
    result_id = _result()
    from tidtam.agreements.models import IndicatorResult

    result = IndicatorResult.objects.get(pk=result_id)
    pages = {
        "plan": reverse("plans:plan_detail", args=[OBJECTS["plan_id"].make()]),
        "output": reverse("plans:output_edit", args=[OBJECTS["output_id"].make()]),
        "activity": reverse("plans:activity_edit", args=[OBJECTS["activity_id"].make()]),
        "work_item": reverse("plans:work_item_edit", args=[_work_item().pk]),
        "entry": reverse("progress:entry", args=[entry.work_item_id, entry.round_id]),
        "indicator": reverse("progress:result", args=[result.indicator_id, _round(2564)]),
        "result": reverse("progress:result", args=[result.indicator_id, result.round_id]),
    }
    ids = {
        "plan": OBJECTS["plan_id"].make(),
        "output": OBJECTS["output_id"].make(),
        "activity": OBJECTS["activity_id"].make(),
        "work_item": _work_item().pk,
        "entry": entry.pk,
        "indicator": result.indicator_id,
        "result": result_id,
    }
    return [
        (kind, page, reverse("web:history", args=[kind, ids[kind]])) for kind, page in pages.items()
    ]


def test_a_reporter_of_a_division_opens_its_agencys_plan_and_its_history_alike() -> None:
    plan_id = OBJECTS["plan_id"].make()
    reporter = signed_in(Client(), "reporter")
    assert reporter.get(reverse("plans:plan_detail", args=[plan_id])).status_code == 200
    assert reporter.get(reverse("web:history", args=["plan", plan_id])).status_code == 200
    outsider = signed_in(Client(), "bic-planner")
    assert outsider.get(reverse("plans:plan_detail", args=[plan_id])).status_code == 404
    assert outsider.get(reverse("web:history", args=["plan", plan_id])).status_code == 404


def test_a_history_page_opens_exactly_for_whoever_opens_the_object() -> None:
    urls = object_and_history_urls()
    for username in CAST:
        client = signed_in(Client(), username)
        for kind, page, history in urls:
            opens = client.get(page).status_code != 404
            history_status = client.get(history).status_code
            assert history_status == (200 if opens else 404), (
                f"{username}: {kind} page {'opens' if opens else 'is 404'}"
                f" but its history answers {history_status}"
            )


@pytest.mark.parametrize("username", CAST)
def test_every_search_hit_opens_for_the_person_who_searched(username: str) -> None:
    client = signed_in(Client(), username)
    found = {}
    hits = {}  # each page once: the three searches find many of the same objects
    for query in ("ประเมิน", "ระดับความสำเร็จ", "โครงการ"):
        response = client.get(reverse("web:search"), {"q": query})
        assert response.status_code == 200
        found[query] = response.context["results"]
        for group in found[query].groups:
            for hit in group.hits:
                hits.setdefault(hit.history_url, hit.name)
    for url, name in hits.items():
        assert client.get(url).status_code == 200, (username, name)
    # สมศ.'s cast finds สมศ.'s items and not สต.'s KPIs; สต.'s people the other way round.
    plan_items = found["ประเมิน"]
    kpis = found["ระดับความสำเร็จ"]
    found_items = sum(len(g.hits) for g in plan_items.groups if g.key == "work_items")
    found_kpis = sum(len(g.hits) for g in kpis.groups if g.key == "indicators")
    if username in ("bic-planner", "moe-planner"):
        assert found_items == 0 and found_kpis > 0
    else:
        assert found_items > 0 and found_kpis == 0
    assert hits  # at least one page was opened


def test_a_reporter_makes_the_quarterly_report_of_their_agency_and_an_outsider_cannot(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The quarterly report of สมศ. holds only what สมศ.'s reporter may open (every item of the
    agency), so they may make it; bic-planner of another agency is refused in Thai, and the
    print view and a job of สมศ. are not found for them."""
    from tidtam.reports.models import RenderJob

    reporter = signed_in(Client(), "reporter")
    form = {
        "document": "quarterly",
        "organization": ONESQA,
        "fiscal_year": 2567,
        "round_months": 6,
        "fmt": "json",
    }
    response = reporter.post(reverse("reports:documents"), form)
    job = RenderJob.objects.get(requested_by__username="reporter")
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:job", args=[job.pk]
    )
    printed = reporter.get(reverse("reports:print_round", args=["quarterly", ONESQA, 2567, 6]))
    assert printed.status_code == 200

    outsider = signed_in(Client(), "bic-planner")
    refused = outsider.post(reverse("reports:documents"), form)
    assert refused.status_code == 400
    assert "คุณไม่มีสิทธิ์ดูเอกสารของหน่วยงานนี้" in refused.content.decode()
    assert not RenderJob.objects.filter(requested_by__username="bic-planner").exists()
    printed = outsider.get(reverse("reports:print_round", args=["quarterly", ONESQA, 2567, 6]))
    assert printed.status_code == 404
    assert outsider.get(reverse("reports:job", args=[job.pk])).status_code == 404


def test_a_rendered_file_goes_to_whoever_reads_its_document_not_to_whoever_asked() -> None:
    from tests.app.test_reach_every_view import _job
    from tidtam.orgs.models import RoleAssignment

    job_id = _job()  # asked for by สมศ.'s planner, done, with its file
    download = reverse("reports:job_download", args=[job_id])
    for username in ("reporter2", "approver", "auditor"):
        response = signed_in(Client(), username).get(download)
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == b"{}"
    assert signed_in(Client(), "bic-planner").get(download).status_code == 404
    # The planner who asked loses the file with their role.
    RoleAssignment.objects.filter(person__user__username="planner").delete()
    asker = signed_in(Client(), "planner")
    assert asker.get(download).status_code == 404
    assert asker.get(reverse("reports:job", args=[job_id])).status_code == 404


def test_evidence_is_read_by_the_agency_and_refused_to_another() -> None:
    evidence_id = OBJECTS["evidence_id"].make()
    url = reverse("progress:evidence", args=[evidence_id])
    assert signed_in(Client(), "reporter2").get(url).status_code == 200
    assert signed_in(Client(), "executive").get(url).status_code == 200
    assert signed_in(Client(), "bic-planner").get(url).status_code == 404
    assert signed_in(Client(), "moe-planner").get(url).status_code == 404


# --- the predicates other pages (my work, the entry page, the API) ask ---------------------------


def test_the_predicates_name_who_may_do_what_with_one_item_and_agree_with_the_querysets() -> None:
    from tests.app.test_reach_every_view import _bic_indicator, _entry, _work_item
    from tidtam.orgs import policy
    from tidtam.plans.models import WorkItem

    users = {u.username: u for u in get_user_model().objects.filter(username__in=CAST)}
    item, entry, indicator = _work_item(), _entry(), _bic_indicator()
    expected = {
        # who:        read  report approve plan  audit
        "planner": (True, True, False, True, False),
        "reporter": (True, True, False, False, False),
        "reporter2": (True, False, False, False, False),
        "approver": (True, False, True, False, False),
        "executive": (True, False, False, False, False),
        "auditor": (True, False, False, False, True),
        "bic-planner": (False, False, False, False, False),
        "moe-planner": (False, False, False, False, False),
    }
    for username, (read, report, approve, plan, audit) in expected.items():
        user = users[username]
        answers = (
            policy.may_read(user, item),
            policy.may_report(user, item),
            policy.may_approve(user, item),
            policy.may_plan(user, item),
            policy.may_audit(user, item),
        )
        assert answers == (read, report, approve, plan, audit), username
        # An entry follows its item; the querysets give the same answers as the predicates.
        assert policy.may_read(user, entry) == read
        assert policy.may_report(user, entry) == report
        assert policy.may_approve(user, entry) == approve
        assert policy.readable(user, WorkItem).filter(pk=item.pk).exists() == read
        assert policy.reportable(user, WorkItem).filter(pk=item.pk).exists() == report
        assert policy.approvable(user, WorkItem).filter(pk=item.pk).exists() == approve
        assert policy.plannable(user, WorkItem).filter(pk=item.pk).exists() == plan
        assert not policy.may_administer(user, item)
        # สต.'s KPI: its planner and the ministry's (planners key in for all) read and report it.
        on_bic = username in ("bic-planner", "moe-planner")
        assert policy.may_read(user, indicator) == on_bic
        assert policy.may_report(user, indicator) == on_bic
        assert not policy.may_approve(user, indicator)
    assert policy.may_administer(get_user_model().objects.create_superuser("root-p", "", "x"), item)


def test_the_may_report_and_may_approve_answers_agree_with_the_querysets() -> None:
    """The predicates answer from the request's lists; the querysets ask the database. They are
    one rule: for every cast member and every seeded item, KPI, entry and KPI result, both agree
    (with an item assigned across organisations, and a KPI owned by a person elsewhere)."""
    from django.contrib.auth import get_user_model

    from tidtam.agreements.models import Indicator, IndicatorOwner, IndicatorResult
    from tidtam.orgs import policy
    from tidtam.orgs.models import Person
    from tidtam.plans.models import WorkItem, WorkItemResponsibility
    from tidtam.progress.models import ProgressEntry

    # An item of สมศ. that a unit of another agency (สต.) is responsible for, and a KPI of สมศ.
    # owned by a person of สต.
    elsewhere = WorkItem.objects.filter(plan__organization__code="onesqa").order_by("pk")[0]
    outsider = Person.objects.get(user__username="bic-planner")
    WorkItemResponsibility.objects.create(work_item=elsewhere, organization=outsider.organization)
    kpi = Indicator.objects.filter(organization__code="onesqa").order_by("pk")[0]
    IndicatorOwner.objects.create(indicator=kpi, person=outsider)
    objects = [
        *WorkItem.objects.all(),
        *Indicator.objects.all(),
        *ProgressEntry.objects.all()[:50],
        *IndicatorResult.objects.all()[:50],
    ]
    for username in CAST:
        user = get_user_model().objects.get(username=username)
        for obj in objects:
            model = type(obj)
            assert policy.may_report(user, obj) == (
                policy.reportable(user, model).filter(pk=obj.pk).exists()
            ), (username, model.__name__, obj.pk)
            assert policy.may_approve(user, obj) == (
                policy.approvable(user, model).filter(pk=obj.pk).exists()
            ), (username, model.__name__, obj.pk)
    bic = get_user_model().objects.get(username="bic-planner")
    assert policy.may_report(bic, elsewhere) and policy.may_report(bic, kpi)
