"""Rules of the test suite itself (issue 10, point 8): nothing is installed from inside pytest."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_installs_system_packages() -> None:
    """apt-get belongs to `make test` (its test-tools target) and CI's first step: a test that
    finds a tool missing is skipped with the reason, and CI turns the skip into a failure."""
    offenders = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in TESTS.rglob("*.py")
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        # A command, not a word in a message: "apt-get" or a scripts/ensure-*.sh as an argument.
        if '"apt-get"' in line or '"ensure-' in line or 'ensure-office.sh"' in line
    ]
    assert offenders == []
