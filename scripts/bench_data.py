"""Benchmark: fetch every source from the local mirror, then a cold build of every table.

Run with ``make bench`` (needs ANALYSIS_DATA_MIRROR). Works in a temporary folder, so the
project's own data/ is untouched. Prints wall-clock seconds for each phase and the total.
Goal (issue 2): fetch + cold build under 15 s on 2 cores.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from bench_results import record

from analysis.settings import Settings
from analysis.sources.fetch import fetch
from analysis.tables.build import build
from analysis.tables.definitions import TABLES


def has_mirror() -> bool:
    """Whether ANALYSIS_DATA_MIRROR is set (else say how to set it)."""
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        print("set ANALYSIS_DATA_MIRROR to the data mirror (e.g. ../shared/data)", file=sys.stderr)
        return False
    return True


def settings_in(folder: str) -> Settings:
    """The run's folders (raw, processed, interim, reports) inside a temporary ``folder``."""
    return Settings.default(raw_dir=Path(folder) / "raw", processed_dir=Path(folder) / "processed",
                            interim_dir=Path(folder) / "interim", reports_dir=Path(folder) / "reports")


def main() -> int:
    if not has_mirror():
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        settings = settings_in(tmp)
        start = time.perf_counter()
        report = fetch(settings=settings)   # progress is logged only when the CLI configures it
        fetched = time.perf_counter()
        if report.failed:
            print({k: str(v) for k, v in report.failed.items()}, file=sys.stderr)
            return 1
        build(settings=settings, quiet=True)
        built = time.perf_counter()
        build(settings=settings, quiet=True)
        noop = time.perf_counter()
    print(f"fetch from mirror ({len(report.done)} files): {fetched - start:6.1f} s")
    print(f"cold build ({len(TABLES)} tables):      {built - fetched:6.1f} s")
    print(f"fetch + cold build:                {built - start:6.1f} s  (goal < 15 s)")
    print(f"no-op rebuild:                     {noop - built:6.1f} s")
    record("data: fetch from the mirror and cold build", built - start, goal=15)
    record("data: no-op rebuild", noop - built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
