"""Benchmark: `tidtam migrate` from an empty database with the garbage-collection threshold every
`tidtam` command sets (tidtam/cli.py: GC_THRESHOLD) against Python's default.

    .venv/bin/python bench/gc_threshold.py              # best of 3 each
    .venv/bin/python bench/gc_threshold.py --repeat 5

Each run is a fresh SQLite file in a temporary folder, migrated by `tidtam migrate` in a process
of its own (the same command an operator runs), taking turns between:

- the limit: Python's default threshold ((700, 10, 10) before 3.13), the command otherwise
  unchanged;
- tidtam: the command as shipped.

It reads each child's CPU time and peak resident memory from the system (`wait4`), checks that both made the same schema, prints the best CPU time of each, their
ratio and the peak memory, and exits 1 when the ratio passes --limit (1.0: the setting must not
cost time) or the schemas differ.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tidtam.cli import GC_THRESHOLD  # noqa: E402

DEFAULT = gc.get_threshold()  # this Python's own (700, 10, 10 before 3.13)


def migrate(threshold: tuple[int, int, int], folder: Path) -> tuple[float, float, list[str]]:
    """CPU seconds, peak MB and the schema of one `tidtam migrate` from empty."""
    database = folder / "tidtam.sqlite3"
    code = (
        "import sys\nfrom tidtam import cli\n"
        f"cli.GC_THRESHOLD = {threshold!r}\n"
        "sys.argv = ['tidtam', 'migrate', '--no-input', '-v0']\ncli.main()\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TIDTAM_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak memory
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"tidtam migrate failed (exit status {child.returncode})")
    with sqlite3.connect(database) as db:
        schema = sorted(
            row[0] for row in db.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
        )
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=1.0)
    args = parser.parse_args()

    kinds = {"Python's default": DEFAULT, "tidtam": GC_THRESHOLD}
    times: dict[str, list[float]] = {name: [] for name in kinds}
    peaks: dict[str, list[float]] = {name: [] for name in kinds}
    schemas: dict[str, list[str]] = {}
    for _ in range(args.repeat):  # taking turns, so that a busier moment hits both
        for name, threshold in kinds.items():
            with tempfile.TemporaryDirectory(prefix="tidtam-bench-gc-") as tmp:
                cpu, peak, schema = migrate(threshold, Path(tmp))
            times[name].append(cpu)
            peaks[name].append(peak)
            schemas.setdefault(name, schema)
    same = schemas["Python's default"] == schemas["tidtam"]
    best = {name: min(values) for name, values in times.items()}
    ratio = best["tidtam"] / best["Python's default"]
    print(f"tidtam migrate from empty, best of {args.repeat} (CPU seconds of the command):")
    for name, threshold in kinds.items():
        print(f"  {name} {threshold}: {best[name]:.2f} s, peak {max(peaks[name]):.0f} MB")
    print(f"  ratio {ratio:.2f} (limit {args.limit}); same schema: {same}")
    if not same or ratio > args.limit:
        sys.exit(1)


if __name__ == "__main__":
    main()
