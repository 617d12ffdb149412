"""Load test: deadline day under gunicorn on PostgreSQL with the national dataset.

    .venv/bin/python bench/load.py                            # 100 clients for 5 minutes
    .venv/bin/python bench/load.py --seconds 30 --clients 20  # a short run

It starts a throwaway PostgreSQL (scripts/ci/postgres.sh; or uses DATABASE_URL when set), runs
`tidtam generate` (national scale unless --scale), creates reporters, approvers,
planners and executives on generated organisations, opens the round, starts tidtam under
gunicorn on 127.0.0.1 only, after `tidtam prepare_dashboards` has made every dashboard for the
day (as the nightly tidtam-daily does). Every client signs in through the login form with its
CSRF token.
Then, in this order:

1. capacity: the same people and pages without a pause, for --trivial-seconds (a tenth of
   --seconds, at least 10); this also warms every worker on every page;
2. the trivial view (the login page) as fast as the server answers, with as many clients;
3. deadline day, the measured run: every person at once for --seconds, at a person's pace:
   reporters open an entry, write the result (--typing seconds on average), save drafts and
   submit the third time; approvers open what waits for them, read it and approve; planners
   and executives read pages (their work, plans, search, documents, the dashboard of their
   ministry, and the public portal's pages of three departments' published plans and 6-month
   reports, as page and open data); each reads a page (--think seconds on average) before the next
   click. Each pause is 0.5 to 1.5 times its average, and people arrive within one pause,
   not all in the same millisecond;
4. the limit: the trivial view at the same people's pace (a fifth of --seconds, at least 60).

Finally it checks that every acknowledged write (a 302 after a save, in any phase) is in the
database. It prints requests, errors and p50/p95/p99 per page and for saves of the deadline
day, and exits 1 when a target is missed: 0 errors (in any phase), 0 lost writes, p95 < 300 ms
for pages and < 500 ms for saves, the deadline day's throughput at least 0.5 x the trivial
view's at the same pace (both counted once everyone has arrived). Phases 1 and 2 give what the
real pages cost against a page that does nothing (printed, not a target). Also measured apart:
a ministry planner's "my work" (< 300 ms) and a 1,000-item year copy (< 2 s).

The pace is a person's: --think 10 --typing 30 (bench/README.md says why); --think 1 --typing
1 is a stress far beyond a hundred people, and shows where the two cores run out.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "tidtam-load-password"
PREFIX = "load-"
FISCAL_YEAR = 2567
ROUND_MONTHS = 12
# A day inside the round's reporting window (C.E.): the pages compute "days left" from it.
TODAY = "2024-10-10"

PAGE_P95_MS = 300.0
SAVE_P95_MS = 500.0
THROUGHPUT_RATIO = 0.5
MY_WORK_MS = 300.0
COPY_SECONDS = 2.0


# --- the server and its database -------------------------------------------------------------


def start_postgres(state: Path) -> str:
    env = {**os.environ, "TIDTAM_CI_PG_STATE": str(state)}
    out = subprocess.run(
        ["bash", str(ROOT / "scripts/ci/postgres.sh"), "start"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def stop_postgres(state: Path) -> None:
    env = {**os.environ, "TIDTAM_CI_PG_STATE": str(state)}
    subprocess.run(["bash", str(ROOT / "scripts/ci/postgres.sh"), "stop"], env=env, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped as one, never a stray worker
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def cpu_seconds(server_group: int) -> dict[str, float]:
    """CPU seconds used so far by the app server (its process group), PostgreSQL (every
    process named postgres) and this load generator: where the machine's cores went."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"app server": 0.0, "database": 0.0, "load generator": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if int(entry.name) == os.getpid():
            used["load generator"] += seconds
        elif name == "postgres":
            used["database"] += seconds
        elif int(fields[2]) == server_group:  # the process group
            used["app server"] += seconds
    return used


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- the data: dataset, cast, open round ------------------------------------------------------


@dataclass
class Cast:
    reporters: list[tuple[str, list[int]]]  # username, the item ids only they report on
    approvers: list[str]
    planners: list[str]
    executives: list[str]
    round_id: int
    plan_ids: dict[str, list[int]]  # each planner's and executive's plans in reach (largest first)
    ministry_planner: str
    # The public portal's pages of what the bench published (anyone reads them, signed in or not).
    public: list[tuple[str, str]] = field(default_factory=list)


def prepare(scale: float, clients: int) -> Cast:
    """Dataset, people and the open round, in the bench's own process (the ORM, no HTTP)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from tidtam.orgs.models import Organization, Person, RoleAssignment
    from tidtam.periods.models import Round
    from tidtam.plans.models import OperatingPlan, WorkItem
    from tidtam.progress.models import ProgressEntry
    from tidtam.seeds.generate import Scale, generate, generated_exists

    call_command("migrate", verbosity=0)
    if not generated_exists(FISCAL_YEAR):
        started = time.perf_counter()
        generate(fiscal_year=FISCAL_YEAR, scale=Scale().scaled(scale))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"tidtam generate: {time.perf_counter() - started:.0f} s", flush=True)

    round_ = Round.objects.select_related("fiscal_year").get(
        fiscal_year__year=FISCAL_YEAR, months=ROUND_MONTHS
    )
    User = get_user_model()
    # A fresh cast each run: the previous run's people and their roles go first, and what
    # they published (the record of who published keeps a person otherwise).
    from django.db.models import Q

    from tidtam.portal.models import Publication

    Publication.objects.filter(
        Q(published_by__username__startswith=PREFIX) | Q(withdrawn_by__username__startswith=PREFIX)
    ).delete()
    Person.objects.filter(user__username__startswith=PREFIX).delete()
    User.objects.filter(username__startswith=PREFIX).delete()
    password = make_password(PASSWORD)

    n_reporters = max(1, clients * 5 // 10)
    n_approvers = max(1, clients * 2 // 10)
    n_planners = max(1, clients * 2 // 10)
    n_executives = max(1, clients - n_reporters - n_approvers - n_planners)

    plans = list(
        OperatingPlan.objects.filter(
            fiscal_year__year=FISCAL_YEAR, organization__code__startswith="gen-"
        )
        .annotate(n=Count("work_items"))
        .select_related("organization")
        .order_by("-n", "pk")
    )
    ministries = list(
        Organization.objects.filter(code__startswith="gen-", parent__isnull=True).order_by("pk")
    ) or [plans[0].organization]

    def person(username: str, org: Organization, role: str, role_org: Organization) -> None:
        user = User.objects.create(username=username, password=password)
        p = Person.objects.create(user=user, first_name=username, organization=org)
        RoleAssignment.objects.create(person=p, organization=role_org, role=role)

    reporters: list[tuple[str, list[int]]] = []
    reporter_plans = plans[:n_reporters]
    for i in range(n_reporters):
        plan = reporter_plans[i % len(reporter_plans)]
        username = f"{PREFIX}reporter-{i}"
        person(username, plan.organization, RoleAssignment.Role.REPORTER, plan.organization)
        # Items only this client saves: two reporters of one unit each keep to their own.
        sharing = [j for j in range(n_reporters) if reporter_plans[j % len(reporter_plans)] == plan]
        ids = list(
            WorkItem.objects.filter(plan=plan, excluded=False, activity__isnull=False)
            .filter(later_quarter_from__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        reporters.append((username, ids[sharing.index(i) :: len(sharing)][:40]))
    # The round's entries of those items start over: saved as drafts, then submitted.
    mine = [pk for _, ids in reporters for pk in ids]
    ProgressEntry.objects.filter(work_item_id__in=mine, round=round_).delete()

    approvers = []
    for i in range(n_approvers):
        plan = plans[i % len(plans)]
        username = f"{PREFIX}approver-{i}"
        person(username, plan.organization, RoleAssignment.Role.APPROVER, plan.organization)
        approvers.append(username)
    # Planners and executives read the plans of their ministry's departments (largest first):
    # a plan of another ministry would answer 404, which is not the page the bench measures.
    from tidtam.orgs.access import descendants_map, with_descendants

    children = descendants_map()
    in_ministry = {
        m.pk: [p.pk for p in plans if p.organization_id in with_descendants({m.pk}, children)][:20]
        or [p.pk for p in plans[:20]]
        for m in ministries
    }
    plan_ids: dict[str, list[int]] = {}
    planners = []
    for i in range(n_planners):
        ministry = ministries[i % len(ministries)]
        username = f"{PREFIX}planner-{i}"
        person(username, ministry, RoleAssignment.Role.PLANNER, ministry)
        planners.append(username)
        plan_ids[username] = in_ministry[ministry.pk]
    executives = []
    for i in range(n_executives):
        ministry = ministries[i % len(ministries)]
        username = f"{PREFIX}executive-{i}"
        person(username, ministry, RoleAssignment.Role.EXECUTIVE, ministry)
        executives.append(username)
        plan_ids[username] = in_ministry[ministry.pk]

    open_round(round_, ministries + [p.organization for p in plans])
    public = publish(planners[0], in_ministry[ministries[0].pk][:3])
    return Cast(
        reporters=reporters,
        approvers=approvers,
        planners=planners,
        executives=executives,
        round_id=round_.pk,
        plan_ids=plan_ids,
        ministry_planner=planners[0],
        public=public,
    )


# What the bench publishes for each of a few departments: its plan and its 6-month report.
PUBLISHED = ("ita-plan", "ita-progress")


def publish(username: str, plan_ids: list[int]) -> list[tuple[str, str]]:
    """The planner publishes the plans' organisations' documents (tidtam.portal, as its page
    does); the portal's pages of them, as a citizen reads them: the list, the agency's year,
    each document as a page and as open data (its PDF is made once by LibreOffice and kept:
    not a page's cost, left out)."""
    from django.contrib.auth import get_user_model

    from tidtam.plans.models import OperatingPlan
    from tidtam.portal.services import publish as put_in_public
    from tidtam.seeds.loader import load_ita_items

    load_ita_items()  # the year's ITA item codes, which the documents name (reference data)
    user = get_user_model().objects.get(username=username)
    pages = [("/public/", "portal: list")]
    for plan in OperatingPlan.objects.filter(pk__in=plan_ids).select_related("organization"):
        code = plan.organization.code
        for document in PUBLISHED:
            put_in_public(
                user=user, organization=plan.organization, year=FISCAL_YEAR, document=document
            )
            base = f"/public/{code}/{FISCAL_YEAR}/{document}"
            pages += [
                (f"{base}/", "portal: document"),
                (f"{base}.json", "portal: open data (JSON)"),
                (f"{base}.csv", "portal: open data (CSV)"),
            ]
        pages.append((f"/public/{code}/{FISCAL_YEAR}/", "portal: agency's year"))
    return pages


def open_round(round_: Any, organizations: list[Any]) -> None:
    """Open the round for the organisations: per organisation calendar where tidtam has one."""
    from tidtam.periods import services

    round_open = getattr(services, "round_open", None)
    if round_open is not None and not hasattr(round_, "is_open"):
        roots = {org.pk: org for org in organizations if org.parent_id is None} or {
            org.pk: org for org in organizations
        }
        for org in roots.values():
            round_open(round_=round_, organization=org)
    else:
        type(round_).objects.filter(is_open=True).update(is_open=False)
        round_.is_open = True
        round_.save()


# --- a browser-like client ------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: action, fields with their values, and the submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": {}, "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind == "file":
                return
            if kind == "submit":
                self._form["buttons"].append((a["name"], a.get("value", "")))
                return
            self._form["fields"][a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("name"):
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"][self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Sample:
    label: str
    ms: float
    status: int
    error: str = ""
    at: float = 0.0  # time.monotonic() when the request was sent


@dataclass
class Stats:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # (item id, round id) → the last result quantity the server acknowledged (302), per client.
    acknowledged: dict[tuple[int, int], tuple[Decimal, bool]] = field(default_factory=dict)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Client:
    """One person's browser: a keep-alive connection, a cookie jar, CSRF from the cookie."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(
        self,
        method: str,
        url: str,
        label: str,
        body: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, str, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{url}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        at = time.monotonic()
        try:
            try:
                self.conn.request(method, url, body=data, headers=headers)
                response = self.conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed between requests: once more.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, url, body=data, headers=headers)
                response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError as error:
            ms = (time.perf_counter() - started) * 1000
            self.stats.add(Sample(label, ms, 0, f"{type(error).__name__}: {error}", at))
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, "", ""
        ms = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        status = response.status
        problem = "" if status in expect else f"HTTP {status} {method} {url}"
        self.stats.add(Sample(label, ms, status, problem, at))
        return status, response.getheader("Location", "") or "", text

    def sign_in(self, username: str) -> bool:
        self.request("GET", "/accounts/login/", "login page")
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            "sign in",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
            expect=(302,),
        )
        return status == 302


# --- what each role does ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """How long a person takes before the next click, in seconds on average (each pause 0.5 to
    1.5 times it; 0: no pause)."""

    read: float  # reading a page: a list, a result and its evidence
    typing: float  # writing a result and its figures into the entry form
    until: float = math.inf  # time.monotonic() when the run ends: no pause goes past it

    def settled(self) -> float:
        """Seconds after the start by which every person has arrived (see `arrive`)."""
        return 1.5 * self.read


class RunOver(Exception):
    """The run ended during a pause: the person stops there, before the next click (people
    woken at the end all at once would be a rush no deadline day has)."""


def pause(rng: random.Random, seconds: float, pace: Pace) -> None:
    if seconds > 0:
        wait, left = seconds * rng.uniform(0.5, 1.5), pace.until - time.monotonic()
        if wait >= left:
            time.sleep(max(0.0, left))
            raise RunOver
        time.sleep(wait)


def entry_url(item_id: int, round_id: int) -> str:
    return f"/work/items/{item_id}/rounds/{round_id}/"


def entry_form(html: str) -> dict[str, Any] | None:
    for form in forms_of(html):
        saves = "result_quantity" in form["fields"] or any(
            b[0] == "submit" for b in form["buttons"]
        )
        if saves and "/review/" not in form["action"]:
            return form
    return None


def reporter(
    client: Client,
    cast: Cast,
    items: list[int],
    until: float,
    rng: random.Random,
    pace: Pace,
) -> None:
    pending = list(items)
    saves: dict[int, int] = defaultdict(int)
    # A person keeps to one item until it is submitted, as people do (two drafts, then submit).
    current: int | None = None
    while time.monotonic() < until and pending:
        item = current if current in pending else rng.choice(pending)
        current = item
        url = entry_url(item, cast.round_id)
        status, _, html = client.request("GET", url, "entry page")
        form = entry_form(html) if status == 200 else None
        if form is None:
            if status == 200:
                pending.remove(item)  # locked (submitted by this client earlier): nothing to do
            continue
        pause(rng, pace.typing, pace)  # typing the result
        saves[item] += 1
        submit = saves[item] >= 3
        quantity = Decimal(rng.randint(1, 50))
        fields = dict(form["fields"])
        fields.update(
            {
                "result_text": f"ผลการดำเนินงานรอบ 12 เดือน ครั้งที่ {saves[item]}",
                "result_quantity": str(quantity),
                "explanation": "ดำเนินการล่าช้าเนื่องจากรอผลการจัดซื้อจัดจ้าง",
                "submit": "1" if submit else "0",
                "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
            }
        )
        status, _, _ = client.request(
            "POST", url, "save (submit)" if submit else "save (draft)", fields, expect=(302,)
        )
        if status == 302:
            with client.stats.lock:
                client.stats.acknowledged[(item, cast.round_id)] = (quantity, submit)
            if submit:
                pending.remove(item)
        pause(rng, pace.read, pace)


APPROVE_LINK = re.compile(r'href="(/work/items/(\d+)/rounds/(\d+)/)"')


def approver(client: Client, cast: Cast, until: float, rng: random.Random, pace: Pace) -> None:
    while time.monotonic() < until:
        _, _, html = client.request("GET", "/work/", "my work")
        start = html.find('id="approve-heading"')
        end = html.find('id="report-heading"')
        links = APPROVE_LINK.findall(html[start:end] if start >= 0 else "")
        if not links:
            # Nothing waits yet: a person looks again later, not at once.
            pause(rng, pace.read, pace) if pace.read else time.sleep(0.5)
            continue
        url = rng.choice(links)[0]
        pause(rng, pace.read, pace)
        _, _, page = client.request("GET", url, "entry page")
        review = next(
            (
                f
                for f in forms_of(page)
                if "/review/" in f["action"] and ("action", "approve") in f["buttons"]
            ),
            None,
        )
        if review is None:
            continue  # approved by a colleague meanwhile, or not mine to approve
        fields = dict(review["fields"])
        fields.update({"action": "approve", "csrfmiddlewaretoken": client.cookies["csrftoken"]})
        action = urlsplit(review["action"]).path or url
        pause(rng, pace.read, pace)  # reading the result and its evidence
        client.request("POST", action, "approve", fields, expect=(302,))


def reader(
    client: Client,
    cast: Cast,
    until: float,
    rng: random.Random,
    pace: Pace,
    *,
    username: str,
    planner: bool,
) -> None:
    plan = rng.choice(cast.plan_ids[username])
    pages = [
        ("/work/", "my work"),
        ("/plans/", "plan list"),
        (f"/plans/{plan}/", "plan tree"),
        (f"/work/status/{plan}/rounds/{cast.round_id}/", "round status"),
        # Percent-encoded, as a browser sends it (http.client sends the path as ASCII).
        ("/search/?" + urlencode({"q": "โครงการ"}), "search"),
        ("/agreements/", "agreement list"),
        (f"/budgets/plans/{plan}/", "budget lines"),
        ("/documents/", "documents"),
        # The person's highest organisation with its units, drafts counted and approved only.
        ("/dashboard/", "dashboard"),
        ("/dashboard/?approved=1", "dashboard (approved only)"),
        *cast.public,
    ]
    if not planner:
        pages = [p for p in pages if p[1] not in ("budget lines",)]
    while time.monotonic() < until:
        url, label = rng.choice(pages)
        # A reader may lack the role for a page (403/404 is the policy's answer, not a fault).
        client.request("GET", url, label, expect=(200, 403, 404))
        pause(rng, pace.read, pace)


def trivial(client: Client, until: float, rng: random.Random, pace: Pace, *, typist: bool) -> None:
    """The trivial view (the login page) at a person's pace: a reporter's clicks alternate
    typing and reading pauses, everyone else's reading ones."""
    while time.monotonic() < until:
        client.request("GET", "/accounts/login/", "trivial view")
        if typist:
            pause(rng, pace.typing, pace)
            client.request("GET", "/accounts/login/", "trivial view")
        pause(rng, pace.read, pace)


# --- running and reporting --------------------------------------------------------------------


def people_of(cast: Cast) -> list[tuple[str, Any]]:
    """(username, what they do: a function of client, until, rng, pace) for every person."""
    people: list[tuple[str, Any]] = []
    for username, items in cast.reporters:
        people.append((username, lambda c, u, r, t, items=items: reporter(c, cast, items, u, r, t)))
    for username in cast.approvers:
        people.append((username, lambda c, u, r, t: approver(c, cast, u, r, t)))
    for username in cast.planners + cast.executives:
        people.append(
            (
                username,
                lambda c, u, r, t, name=username: reader(
                    c, cast, u, r, t, username=name, planner=name in cast.planners
                ),
            )
        )
    return people


def arrive(client: Client, role: Any, until: float, seed: float, pace: Pace) -> None:
    """People do not all click in the same millisecond: each starts within one pause."""
    rng = random.Random(seed)
    pause(rng, pace.read, pace)
    role(client, until, rng, pace)


def until_over(run: Any, *args: Any) -> None:
    with contextlib.suppress(RunOver):
        run(*args)


def run_clients(targets: list[Any]) -> None:
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def write_samples(path: Path, stats: Stats, started: float) -> None:
    """label, seconds since the start, ms, HTTP status, error: one row per request."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["label", "at_s", "ms", "status", "error"])
        for s in sorted(stats.samples, key=lambda s: s.at):
            writer.writerow([s.label, f"{s.at - started:.3f}", f"{s.ms:.1f}", s.status, s.error])


def rate(stats: Stats, started: float, seconds: float, settle: float) -> float:
    """Requests per second sent once everyone had arrived (`settle` seconds after the start)
    until the end: the start's staggered arrivals do not lower it."""
    begin, end = started + settle, started + seconds
    window = end - begin
    sent = sum(1 for s in stats.samples if begin <= s.at < end)
    return sent / window if window > 0 else 0.0


@dataclass(frozen=True)
class Throughput:
    deadline_rps: float  # the people at their pace
    paced_trivial_rps: float  # the trivial view at the same pace: the limit
    capacity_rps: float  # the people without pauses
    trivial_rps: float  # the trivial view without pauses

    @property
    def ratio(self) -> float:
        return self.deadline_rps / self.paced_trivial_rps if self.paced_trivial_rps else 0.0

    @property
    def cost_ratio(self) -> float:
        return self.capacity_rps / self.trivial_rps if self.trivial_rps else 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def lost_writes(stats: Stats) -> list[str]:
    """Acknowledged saves not in the database: each client's last acknowledged value must be
    the stored one (nobody else writes those items)."""
    from tidtam.progress.models import ProgressEntry

    lost = []
    stored = {
        (e.work_item_id, e.round_id): e
        for e in ProgressEntry.objects.filter(work_item_id__in=[k[0] for k in stats.acknowledged])
    }
    for key, (quantity, submitted) in stats.acknowledged.items():
        entry = stored.get(key)
        if entry is None:
            lost.append(f"item {key[0]}: no entry")
        elif entry.result_quantity is None or Decimal(entry.result_quantity) != quantity:
            lost.append(f"item {key[0]}: stored {entry.result_quantity}, acknowledged {quantity}")
        elif submitted and entry.status not in ("submitted", "approved"):
            lost.append(f"item {key[0]}: submitted but {entry.status}")
    return lost


def measure_my_work(port: int, username: str, repeat: int = 7) -> float:
    """A ministry planner's "my work" on the quiet server after the load: best of N, in ms."""
    client = Client(port, Stats())
    client.sign_in(username)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        status, _, _ = client.request("GET", "/work/", "my work")
        best = min(best, (time.perf_counter() - started) * 1000)
        if status != 200:
            return float("inf")
    return best


def measure_year_copy(items: int = 1000) -> float:
    """Copy a plan of `items` work items into a new year, in a transaction rolled back; seconds."""
    from django.db import transaction
    from django.db.models import Count

    from tidtam.periods.models import FiscalYear
    from tidtam.plans.models import OperatingPlan, WorkItem
    from tidtam.plans.services import plan_copy_year

    plan = (
        OperatingPlan.objects.filter(fiscal_year__year=FISCAL_YEAR)
        .annotate(n=Count("work_items"))
        .order_by("-n")
        .first()
    )
    if plan is None:
        return float("nan")

    class Rollback(Exception):
        pass

    elapsed = float("nan")
    try:
        with transaction.atomic():
            # The largest plan topped up to `items` with copies of its own items; rolled back.
            have = list(WorkItem.objects.filter(plan=plan, activity__isnull=False))
            missing = items - WorkItem.objects.filter(plan=plan).count()
            top = max(item.number for item in have)
            # Each copy a new item: its own number and stable key (a key is unique in a plan).
            copied = [
                f.attname
                for f in WorkItem._meta.concrete_fields
                if f.attname not in ("id", "number", "key")
            ]
            WorkItem.objects.bulk_create(
                WorkItem(number=top + 1 + n, **{a: getattr(have[n % len(have)], a) for a in copied})
                for n in range(max(0, missing))
            )
            count = WorkItem.objects.filter(plan=plan).count()
            year, _ = FiscalYear.objects.get_or_create(year=FISCAL_YEAR + 30)
            started = time.perf_counter()
            plan_copy_year(plan=plan, fiscal_year=year, user=None)
            elapsed = time.perf_counter() - started
            print(f"year copy of {count} items: {elapsed:.2f} s", flush=True)
            raise Rollback
    except Rollback:
        pass
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument(
        "--trivial-seconds",
        type=float,
        default=None,
        help="how long to measure the trivial view (default: a tenth of --seconds, at least 10)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="of the national dataset")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--samples", type=Path, help="write the deadline day's requests to this CSV file"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="seconds a person reads a page before the next click, on average (0: none)",
    )
    parser.add_argument(
        "--typing",
        type=float,
        default=30.0,
        help="seconds a reporter writes a result before saving it, on average (0: none)",
    )
    args = parser.parse_args()

    state = Path(tempfile.mkdtemp(prefix="tidtam-load-")) / "pg-state"
    own_db = not os.environ.get("DATABASE_URL")
    if own_db:
        os.environ["DATABASE_URL"] = start_postgres(state)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["TIDTAM_DEBUG"] = "false"
    os.environ["TIDTAM_DEMO_TODAY"] = TODAY
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        import django

        django.setup()
        cast = prepare(args.scale, args.clients)
        # The night before, as tidtam-daily does: every dashboard made ahead for the day.
        from django.core.management import call_command

        call_command("prepare_dashboards")
        port = free_port()
        env = {**os.environ, "TIDTAM_ALLOWED_HOSTS": "127.0.0.1,localhost"}
        server = start_server(env, port, args.workers, args.threads)
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}; "
            f"{len(cast.reporters)} reporters, {len(cast.approvers)} approvers, "
            f"{len(cast.planners)} planners, {len(cast.executives)} executives",
            flush=True,
        )

        stats = Stats()
        rng = random.Random(args.seed)
        people = people_of(cast)
        clients = [Client(port, stats) for _ in people]
        for client, (username, _) in zip(clients, people, strict=True):
            if not client.sign_in(username):
                print(f"sign-in failed: {username}", flush=True)
        stats.samples.clear()  # the sign-ins are set-up, not the load
        reporter_names = {username for username, _ in cast.reporters}
        typists = [username in reporter_names for username, _ in people]

        def drive(seconds: float, pace: Pace, run: Any) -> float:
            """Every person at once for `seconds`; each arrives within one reading pause."""
            started = time.monotonic()
            timed = Pace(pace.read, pace.typing, started + seconds)
            seeds = [rng.random() for _ in clients]
            run_clients(
                [
                    (lambda i=i, seed=seed: until_over(run, i, timed, seed))
                    for i, seed in enumerate(seeds)
                ]
            )
            return started

        def as_people(i: int, pace: Pace, seed: float) -> None:
            arrive(clients[i], people[i][1], pace.until, seed, pace)

        def trivial_people(anonymous: list[Client]) -> Any:
            """The trivial view, each client at the pace of the person in its place."""

            def run(i: int, pace: Pace, seed: float) -> None:
                rng = random.Random(seed)
                pause(rng, pace.read, pace)
                trivial(anonymous[i], pace.until, rng, pace, typist=typists[i])

            return run

        no_pause = Pace(0.0, 0.0)
        paced = Pace(args.think, args.typing)
        short = args.trivial_seconds or max(10.0, args.seconds / 10)

        # Capacity first: the same people and pages without a pause, as fast as the server
        # answers. It also warms every worker on every page (templates compiled, connections
        # open), as a server that has run all morning is before the deadline's rush.
        capacity = Stats()
        for client in clients:
            client.stats = capacity
        started = drive(short, no_pause, as_people)
        capacity_rps = rate(capacity, started, short, 0.0)
        # The trivial view as fast as the server answers it, with as many clients: with the
        # capacity above, what the real pages cost against a page that does nothing.
        trivial_stats = Stats()
        started = drive(
            short, no_pause, trivial_people([Client(port, trivial_stats) for _ in clients])
        )
        trivial_rps = rate(trivial_stats, started, short, 0.0)

        # Deadline day: every person at once, each reading a page before the next click.
        for client in clients:
            client.stats = stats
        cpu_before = cpu_seconds(server.pid)
        started = drive(args.seconds, paced, as_people)
        cpu_after = cpu_seconds(server.pid)
        deadline_rps = rate(stats, started, args.seconds, paced.settled())
        if args.samples:
            write_samples(args.samples, stats, started)
        spent = {k: cpu_after[k] - cpu_before[k] for k in cpu_after}
        total_cpu = sum(spent.values()) or 1.0
        print(
            f"CPU during deadline day ({os.cpu_count()} cores, {args.seconds:.0f} s): "
            + ", ".join(f"{k} {v:.0f} s ({v / total_cpu:.0%})" for k, v in spent.items()),
            flush=True,
        )
        # The limit: the trivial view at the same people's pace, on the same server.
        paced_stats = Stats()
        paced_seconds = max(60.0, args.seconds / 5, args.trivial_seconds or 0.0)
        started = drive(
            paced_seconds, paced, trivial_people([Client(port, paced_stats) for _ in clients])
        )
        paced_trivial_rps = rate(paced_stats, started, paced_seconds, paced.settled())

        # The last acknowledged value of each entry: capacity's writes came first.
        stats.acknowledged = {**capacity.acknowledged, **stats.acknowledged}
        capacity_errors = [x for x in capacity.samples if x.error]
        stats.samples.extend(
            Sample(f"{x.label} [no pause]", x.ms, x.status, x.error) for x in capacity_errors
        )
        ministry_ms = measure_my_work(port, cast.ministry_planner)
    finally:
        if server is not None:
            stop_server(server)

    lost = lost_writes(stats)
    # Best of three: the copy runs on a machine the load has just left busy.
    copy_s = min(measure_year_copy() for _ in range(3))
    if own_db:
        from django.db import connections

        connections.close_all()
        stop_postgres(state)
    return report(
        stats,
        Throughput(deadline_rps, paced_trivial_rps, capacity_rps, trivial_rps),
        lost,
        ministry_ms,
        copy_s,
    )


def report(
    stats: Stats,
    throughput: Throughput,
    lost: list[str],
    ministry_ms: float,
    copy_s: float,
) -> int:
    by_label: dict[str, list[Sample]] = defaultdict(list)
    for sample in stats.samples:
        by_label[sample.label].append(sample)
    print()
    print(f"{'page':<16} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    failures = []
    for label in sorted(by_label):
        samples = by_label[label]
        ms = [s.ms for s in samples]
        n_errors = sum(1 for s in samples if s.error)
        p95 = percentile(ms, 95)
        print(
            f"{label:<16} {len(samples):>8} {n_errors:>6} {statistics.median(ms):>8.0f} "
            f"{p95:>8.0f} {percentile(ms, 99):>8.0f}"
        )
        limit = SAVE_P95_MS if label.startswith(("save", "approve")) else PAGE_P95_MS
        if p95 >= limit:
            failures.append(f"p95 of {label} {p95:.0f} ms ≥ {limit:.0f} ms")
    total = len(stats.samples)
    errors = [s for s in stats.samples if s.error]
    t = throughput
    print()
    print(
        f"requests {total}, errors {len(errors)}, acknowledged writes {len(stats.acknowledged)}, "
        f"lost writes {len(lost)}"
    )
    print(
        f"throughput: deadline day {t.deadline_rps:.1f} req/s, the trivial view at the same pace "
        f"{t.paced_trivial_rps:.1f} req/s: ratio {t.ratio:.2f} (limit ≥ {THROUGHPUT_RATIO})"
    )
    print(
        f"without pauses: the real pages {t.capacity_rps:.1f} req/s, the trivial view "
        f"{t.trivial_rps:.1f} req/s: ratio {t.cost_ratio:.2f} (what the pages cost; not a target)"
    )
    print(
        f"ministry planner's my work {ministry_ms:.0f} ms (limit < {MY_WORK_MS:.0f} ms); "
        f"1,000-item year copy {copy_s:.2f} s (limit < {COPY_SECONDS} s)"
    )
    for sample in errors[:10]:
        print(f"  error: {sample.label}: {sample.error}")
    for line in lost[:10]:
        print(f"  lost: {line}")
    if errors:
        failures.append(f"{len(errors)} errors")
    if lost:
        failures.append(f"{len(lost)} lost writes")
    if t.ratio < THROUGHPUT_RATIO:
        failures.append(f"throughput ratio {t.ratio:.2f} < {THROUGHPUT_RATIO}")
    if not ministry_ms < MY_WORK_MS:
        failures.append(f"ministry my work {ministry_ms:.0f} ms")
    if not copy_s < COPY_SECONDS:
        failures.append(f"year copy {copy_s:.2f} s")
    print("FAIL: " + "; ".join(failures) if failures else "PASS", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
