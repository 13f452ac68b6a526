"""Benchmark: fetch every source from the local mirror, then a cold build of every table.

Run with ``make bench`` (needs ANALYSIS_DATA_MIRROR). Works in a temporary folder, so the
project's own data/ is untouched. Prints wall-clock seconds for each phase and the total.
Goal (issue 2): fetch + cold build under 15 s on 2 cores.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from analysis import tables
from analysis.fetch import fetch


def main() -> int:
    mirror = os.environ.get("ANALYSIS_DATA_MIRROR")
    if not mirror:
        print("set ANALYSIS_DATA_MIRROR to the data mirror (e.g. ../shared/data)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        quiet = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stderr(quiet):
            report = fetch(raw_dir=raw, mirror=mirror)
        fetched = time.perf_counter()
        if report.failed:
            print(quiet.getvalue(), file=sys.stderr)
            return 1
        with contextlib.redirect_stderr(quiet):
            tables.build(raw_dir=raw, processed_dir=processed)
        built = time.perf_counter()
        with contextlib.redirect_stderr(quiet):
            tables.build(raw_dir=raw, processed_dir=processed)
        noop = time.perf_counter()
    print(f"fetch from mirror ({len(report.done)} files): {fetched - start:6.1f} s")
    print(f"cold build ({len(tables.TABLES)} tables):      {built - fetched:6.1f} s")
    print(f"fetch + cold build:                {built - start:6.1f} s  (goal < 15 s)")
    print(f"no-op rebuild:                     {noop - built:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
