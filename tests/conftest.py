"""Rules for every test run: no skipped tests in CI, and where `postgres`-marked tests run.

This file is loaded by the core's run too (`-p no:django`), so it imports no Django.
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.scratch_project import Project, drop, postgres_url, prepare_template
from tidtam.cli import collect_garbage_less_often

POSTGRES_SCHEMES = ("postgres://", "postgresql://")

# How many postgres-marked tests this run left out, for the closing summary.
_left_for_postgres = pytest.StashKey[int]()
# How many own_sqlite-marked tests the PostgreSQL run left out, for the closing summary.
_left_for_sqlite = pytest.StashKey[int]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES)


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    # A skip's longrepr is (path, line, "Skipped: reason"), as pytest's own -rs line shows it.
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        path, line, message = longrepr
        return f"{message.removeprefix('Skipped: ')} ({path}:{line})"
    return str(longrepr)


def _forbid_skip(report: pytest.TestReport | pytest.CollectReport, what: str) -> None:
    reason = _skip_reason(report)
    report.outcome = "failed"
    report.longrepr = (
        f"CI does not allow skipped tests, and {what} was skipped: {reason}\n"
        "A skipped test is a suite CI believes it ran. Make the test run here (install what it "
        "needs), or, if it needs PostgreSQL, mark it @pytest.mark.postgres: CI runs those in its "
        "PostgreSQL step."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # An xfail is reported as skipped with `wasxfail`; it is an expected failure, not a skip.
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        _forbid_skip(report, item.nodeid)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    # pytest.skip(allow_module_level=True) and importorskip skip a whole module at collection.
    report = yield
    if in_ci() and report.skipped:
        _forbid_skip(report, f"module {collector.nodeid}")
    return report


def freeze_long_lived() -> None:
    """Set aside what lives as long as the test process (Django, the app, the test modules, the
    session's data): Python's garbage collector then stops walking it at each full collection,
    which it otherwise does every few thousand objects a test makes. Measured on the role
    matrix (a gc.callbacks timer): 2.1 s in collections before, 1.2 s after."""
    gc.collect()
    gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    # As every tidtam process (tidtam/cli.py: GC_THRESHOLD): the garbage collector's passes
    # were 8 % of a test process's time with Python's default.
    collect_garbage_less_often()


def pytest_collection_finish(session: pytest.Session) -> None:
    freeze_long_lived()


# The suite runs in two processes (make test: pytest -n 2, pytest-xdist). Each module runs whole
# in one process, so that its module-wide fixtures are paid once and nothing two of its tests
# share is touched by the other process; the browser tests are one unit (one server, one
# browser). The largest modules, which have no module-wide fixture, are dealt test by test.
WHOLE_PACKAGES = ("tests/browser/",)
SPLIT_MODULES = frozenset(
    {
        "tests/app/test_role_matrix.py",
        "tests/app/test_bad_input_catalogue.py",
    }
)


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its package, its module or itself."""
    module = nodeid.split("::")[0]
    package = next((prefix for prefix in WHOLE_PACKAGES if module.startswith(prefix)), None)
    if package is not None:
        return package
    return nodeid if module in SPLIT_MODULES else module


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Deal units of work (`work_unit`), not single tests. pytest-xdist's own `loadgroup` does
    not group on this pytest (it renames `item._nodeid`, which pytest 9 no longer reads)."""
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return ByUnit(config, log)


def _check_split_modules(items: list[pytest.Item]) -> None:
    """A module dealt test by test must not have a module-wide fixture: it would be set up in
    both processes at once."""
    for item in items:
        module = item.nodeid.split("::")[0]
        info = getattr(item, "_fixtureinfo", None)
        if module not in SPLIT_MODULES or info is None:
            continue
        for name in info.names_closure:
            for definition in info.name2fixturedefs.get(name, ()):
                # The suite's own fixtures (a plugin's have no base id).
                if definition.baseid and definition.scope in ("module", "class", "package"):
                    raise pytest.UsageError(
                        f"{module} is dealt test by test (tests/conftest.py SPLIT_MODULES) but "
                        f"its fixture {name!r} is {definition.scope}-wide: take the module out "
                        "of SPLIT_MODULES or make the fixture function-wide"
                    )


@pytest.fixture(scope="session")
def installation(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Project]:
    """A tidtam installation: its schema made from the models with every migration recorded
    (tests/app/scratch_project.py: SCHEMA_FROM_THE_MODELS; test_migrations checks that it is the
    schema `tidtam migrate` makes), then `tidtam load_seeds`, in subprocesses; tests that need
    other processes on a database of their own take a copy (scratch_project.copy_of), and the
    others only read it.

    On SQLite the test processes of one run share it (once_per_run; a copy reads the file, which
    any number of processes may). On
    PostgreSQL each process makes its own: CREATE DATABASE … TEMPLATE refuses a template that
    another process is reading."""
    if postgres_url() or worker_id == "master":
        project = prepare_template(Path(tmp_path_factory.mktemp("installation")))
        yield project
        drop(project)
        return
    base = once_per_run(tmp_path_factory, worker_id, "installation", prepare_template)
    yield Project(base / "template", None)


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    name: str,
    make: Callable[[Path], object],
) -> Path:
    """A folder that `make` fills once for the whole run: the test processes of one run (pytest
    -n 2) share it, whichever asks first makes it while the other waits on a lock; a run
    without xdist makes its own."""
    if worker_id == "master":
        base = tmp_path_factory.mktemp(name)
        make(base)
        return base
    shared = tmp_path_factory.getbasetemp().parent  # one folder per run, for every worker
    base = shared / name
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / "ready").exists():
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir()
            make(base)
            (base / "ready").touch()
    return base


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The app's static files, collected once for the run by `tidtam collectstatic` as an
    operator runs it (hashed names, compressed copies); the servers the tests start serve them
    from here (TIDTAM_STATIC_ROOT) and only read them."""

    def collect(base: Path) -> None:
        (base / "var").mkdir()
        Project(base / "var", None).run(
            "collectstatic", "--no-input", "-v0", TIDTAM_STATIC_ROOT=str(base / "static")
        )

    return once_per_run(tmp_path_factory, worker_id, "static", collect) / "static"


def _check_own_sqlite(items: list[pytest.Item]) -> None:
    """A test marked own_sqlite must not use the suite's database: the PostgreSQL run, which
    leaves it out, would then never run it there. (pytest-django's django_db_blocker is in
    every test's fixtures, so it tells nothing; an installation of scratch_project's, made on
    the server DATABASE_URL names, is for the reviewer of the mark to see.)"""
    suites = {"db", "transactional_db", "seeded", "cast", "live_server"}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        used = sorted(names & suites)
        if item.get_closest_marker("django_db"):
            used.append("django_db")
        if item.get_closest_marker("own_sqlite") and used:
            raise pytest.UsageError(
                f"{item.nodeid} is marked own_sqlite but uses the suite's database ({used}): "
                "remove the mark, or the PostgreSQL run will not run it"
            )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need a PostgreSQL DATABASE_URL.

    Without one they are skipped on a developer's machine and, in CI, left out of the SQLite run
    (deselected, not skipped): .ci/run runs the app suite again on PostgreSQL, where they run.

    Tests marked `own_sqlite` never touch the database DATABASE_URL names (they migrate SQLite
    files of their own, or start servers on one): on PostgreSQL they would run the same test a
    second time, so that run leaves them out (deselected); `make test` runs them.
    """
    _check_split_modules(items)
    _check_own_sqlite(items)
    if on_postgresql():
        own_sqlite = [item for item in items if item.get_closest_marker("own_sqlite")]
        if own_sqlite:
            config.hook.pytest_deselected(items=own_sqlite)
            items[:] = [item for item in items if not item.get_closest_marker("own_sqlite")]
            config.stash[_left_for_sqlite] = len(own_sqlite)
        return
    needs_postgres = [item for item in items if item.get_closest_marker("postgres")]
    if not needs_postgres:
        return
    if in_ci():
        config.hook.pytest_deselected(items=needs_postgres)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config.stash[_left_for_postgres] = len(needs_postgres)
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: DATABASE_URL=$(scripts/ci/postgres.sh start) pytest …"
    )
    for item in needs_postgres:
        item.add_marker(skip)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    left = config.stash.get(_left_for_postgres, 0)
    if left:
        terminalreporter.write_line(
            f"CI: {left} test(s) marked postgres left out of this run; .ci/run runs them on "
            "PostgreSQL."
        )
    left = config.stash.get(_left_for_sqlite, 0)
    if left:
        terminalreporter.write_line(
            f"{left} test(s) marked own_sqlite left out of this run: they use SQLite files of "
            "their own, whatever DATABASE_URL names, and `make test` runs them."
        )
    if in_ci() and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        terminalreporter.write_line(
            "CI: no tests ran. A suite CI must run collected nothing: check the paths and "
            "-k/-m options.",
            red=True,
            bold=True,
        )
