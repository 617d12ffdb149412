"""Browser tests: Debian's Chromium (its headless shell), driven by Playwright, against the real app in a subprocess.

The app runs as `tidtam runserver` on its own throwaway SQLite database (a temporary
TIDTAM_VAR_DIR), loaded with the seeds and the demo cast, with "today" pinned to 2024-04-08 so
that round 6 of FY 2567 (deadline 2024-04-15) is the current round. The tests talk to it only
through the browser: they never touch the ORM, and they ask for no pytest-django database.

The app and the browser live for the package (tests/browser), not the whole session: Playwright's
sync API leaves an asyncio loop on the main thread while it runs, and Django refuses ORM calls
from a thread with a running loop, so the tests collected after this package must not see it.

Never `playwright install`: the browser is /usr/bin/chromium-headless-shell from Debian's
`chromium-headless-shell` package (decision 0006; `make test` runs scripts/ensure-browser.sh
first, which installs it as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.app.scratch_project import SCHEMA_FROM_THE_MODELS, Project, copy_of

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TIDTAM_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"

# Debian's Chromium as its headless shell (the package chromium-headless-shell: the same
# Chromium release, without the desktop browser around it), which is what Playwright itself runs
# for headless tests; docs/decisions/0006-browser-tests-in-the-headless-shell.md.
CHROMIUM = "/usr/bin/chromium-headless-shell"
# Without the networking flags Chromium keeps calling Google's hosts, which a closed network
# refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The cast's password in this throwaway server (tidtam/seeds/cast.py: planner, reporter, …).
PASSWORD = "tidtam-browser-test"
DEMO_TODAY = "2024-04-08"  # FY 2567, round 6 (deadline 2024-04-15) is open

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

SERVER_START_SECONDS = 60
SERVER_LOG_LINES = 80

OPEN_ROUND = """
from tidtam.orgs.models import Organization
from tidtam.periods.calendar import round_is_open
from tidtam.periods.models import Round
from tidtam.seeds.cast import open_demo_round
open_demo_round()  # demo_user opens it already; this says so if it did not
round_6 = Round.objects.select_related("fiscal_year").get(fiscal_year__year=2567, months=6)
assert round_is_open(round_6, Organization.objects.get(code="onesqa").pk), "round 6 not open"
print("opened: round 6 of FY 2567 for onesqa")
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveApp:
    url: str
    log: Path
    var_dir: Path
    static_root: Path

    def log_tail(self, lines: int = SERVER_LOG_LINES) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


_live_app = pytest.StashKey[LiveApp]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # A failed browser test shows what the server said: the page only shows its side.
    report = yield
    app = item.config.stash.get(_live_app, None)
    if report.failed and app is not None:
        report.sections.append(("tidtam server log (last lines)", app.log_tail()))
    return report


def _tidtam_command() -> list[str]:
    """`tidtam` from the venv pytest runs in (CI's .venv too), else manage.py with its python."""
    script = Path(sys.executable).parent / "tidtam"
    if script.exists():
        return [str(script)]
    return [sys.executable, str(ROOT / "manage.py")]


def run_tidtam(app: LiveApp, *args: str, timeout: int = 300) -> None:
    """A `tidtam` command on the app's database, as its operator runs one (the worker's batch,
    `generate`, `publish`): the test goes on once it has finished, and fails if it fails."""
    subprocess.run(
        [*_tidtam_command(), *args],
        cwd=ROOT,
        env=_server_env(app.var_dir, app.static_root),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=True,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _server_env(var_dir: Path, static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Its own SQLite, whatever database the rest of the suite was pointed at.
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.browser.server_settings",
        PYTHONPATH=str(ROOT),
        TIDTAM_VAR_DIR=str(var_dir),
        # The run's static files, collected once (tests/conftest.py, static_root).
        TIDTAM_STATIC_ROOT=str(static_root),
        TIDTAM_DEMO_TODAY=DEMO_TODAY,
        # As in production: DEBUG off, and WhiteNoise serves the collected static files
        # (Bootstrap, the Sarabun fonts) under hashed names, with the CSP on every page.
        TIDTAM_DEBUG="false",
        TIDTAM_DEMO_PASSWORD=PASSWORD,
        PYTHONUNBUFFERED="1",
    )
    return env


def _prepare(env: dict[str, str], log: Path, installation: Project) -> None:
    """The schema, the seeds and the cast, and round 6 of FY 2567 opened, as an operator would.

    When the session's installation (tests/conftest.py) is a SQLite file, the app starts from a
    copy of it; else it is made the same way."""
    tidtam = _tidtam_command()
    steps = [
        ["demo_user"],
        ["shell", "--no-imports", "-c", OPEN_ROUND],
    ]
    var_dir = Path(env["TIDTAM_VAR_DIR"])
    if installation.database_url is None:
        var_dir.rmdir()
        copy_of(installation, var_dir)
    else:
        steps[:0] = [["shell", "--no-imports", "-c", SCHEMA_FROM_THE_MODELS], ["load_seeds"]]
    with log.open("a", encoding="utf-8") as out:
        for step in steps:
            out.write(f"$ tidtam {' '.join(step[:2])}\n")
            out.flush()
            began = time.monotonic()
            result = subprocess.run(
                [*tidtam, *step],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=300,
                check=False,
            )
            out.write(f"({time.monotonic() - began:.1f}s)\n")
            out.flush()
            if result.returncode != 0:
                pytest.fail(
                    f"`tidtam {step[0]}` failed (exit status {result.returncode}):\n"
                    + log.read_text(encoding="utf-8", errors="replace"),
                    pytrace=False,
                )


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"tidtam runserver stopped at start (exit status {process.returncode}):\n"
                + log.read_text(encoding="utf-8", errors="replace"),
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"tidtam runserver did not answer {url} within {SERVER_START_SECONDS}s:\n"
        + log.read_text(encoding="utf-8", errors="replace"),
        pytrace=False,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="package")
def live_app(
    request: pytest.FixtureRequest, installation: Project, static_root: Path
) -> Iterator[LiveApp]:
    """The real app on http://127.0.0.1:<free port>, on a fresh seeded SQLite; stopped at the end."""
    started = time.monotonic()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tidtam-browser-") as tmp:
        var_dir = Path(tmp) / "var"
        var_dir.mkdir()
        log = Path(tmp) / "server.log"
        env = _server_env(var_dir, static_root)
        process: subprocess.Popen[bytes] | None = None
        try:
            _prepare(env, log, installation)
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            with log.open("a", encoding="utf-8") as out:
                out.write(f"$ tidtam runserver --noreload 127.0.0.1:{port}\n")
                out.flush()
                process = subprocess.Popen(
                    [*_tidtam_command(), "runserver", "--noreload", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            began = time.monotonic()
            _wait_until_up(process, url, log)
            with log.open("a", encoding="utf-8") as out:
                out.write(f"(answered after {time.monotonic() - began:.1f}s)\n")
            sys.stderr.write(
                f"\ntidtam (browser tests) up at {url} in {time.monotonic() - started:.1f}s\n"
            )
            app = LiveApp(url=url, log=log, var_dir=var_dir, static_root=static_root)
            request.config.stash[_live_app] = app
            yield app
        finally:
            if _live_app in request.config.stash:
                del request.config.stash[_live_app]
            if process is not None:
                _stop(process)
            # Kept beside the screenshots, for a look after a failed run.
            if log.exists():
                shutil.copyfile(log, ARTIFACTS / "server.log")


def _chromium_or_skip() -> None:
    """`make test` installs Debian's Chromium headless shell first when missing
    (scripts/ensure-browser.sh, as root); never from inside pytest."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium ({CHROMIUM}) missing: run scripts/ensure-browser.sh as root "
            "(apt-get install chromium-headless-shell)"
        )


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's Chromium headless shell under Playwright (never Playwright's own download)."""
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


PageAs = Callable[..., Any]


@dataclass(frozen=True)
class SignedIn:
    """What signing in through the form left: the browser's cookies and the page it landed on."""

    storage_state: dict[str, Any]
    landing: str


@pytest.fixture(scope="package")
def signed_in() -> dict[str, SignedIn]:
    """Each cast member's first sign-in of the package, for page_as to reuse (no test signs out)."""
    return {}


@pytest.fixture
def page_as(browser: Any, live_app: LiveApp, signed_in: dict[str, SignedIn]) -> Iterator[PageAs]:
    """page_as("planner") → a Playwright page signed in as that cast member, in a fresh context
    (desktop 1280×900; phone=True for 390×844). The first time in the package a member signs in
    through the real login form; later pages start from that session's cookies on the page the
    form led to (the same session, as a second tab of that person would have).
    page_as(None) → a signed-out page on the login form."""
    contexts: list[Any] = []

    def make(username: str | None, *, phone: bool = False) -> Any:
        earlier = signed_in.get(username) if username is not None else None
        context = browser.new_context(
            base_url=live_app.url,
            storage_state=earlier.storage_state if earlier is not None else None,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            locale="th-TH",
            timezone_id="Asia/Bangkok",
            # No transitions (Bootstrap honours it): screenshots show a finished state.
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if earlier is not None:
            page.goto(earlier.landing)
            if "/accounts/login/" in page.url:
                raise AssertionError(f"{username}'s session did not hold: on {page.url}")
            return page
        page.goto("/accounts/login/")
        if username is None:
            return page
        sign_in(page, username, PASSWORD)
        if "/accounts/login/" in page.url:
            raise AssertionError(f"{username} could not sign in: still on {page.url}")
        signed_in[username] = SignedIn(context.storage_state(), page.url)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, username: str, password: str) -> None:
    """Fill the login form the way a person does: by its Thai labels and button."""
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="เข้าสู่ระบบ").click()


def shot(page: Any, name: str, *, full_page: bool = False) -> Path:
    """A PNG of what the window shows (full_page=True: the whole page) in
    test-artifacts/browser/<name>.png (TIDTAM_TEST_ARTIFACTS moves it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(name="shot")
def shot_fixture() -> Callable[..., Path]:
    return shot
