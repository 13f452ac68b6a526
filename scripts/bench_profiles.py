"""Benchmark ``python -m analysis profiles`` against a plain loop of papermill and nbconvert
command-line calls over the same LAs, in the same run.

Usage: ``python scripts/bench_profiles.py [--las N] [--jobs J]`` (``make bench`` runs it for every
LA). ``--las N`` takes the first N LAs (by code) for both sides, for a quicker check. Works in
temporary report folders, so ``reports/`` is untouched; the processed tables are built first and
not timed.

Timed:
  profiles  ``python -m analysis profiles [--la ...]`` into an empty folder (wall time), with the
            peak memory of the whole process tree (sum of resident set sizes, sampled every
            0.1 s: an upper bound, since pages shared between processes count once per process);
  plain     for each LA in turn, ``papermill -p la_code CODE`` then ``jupyter nbconvert --to html
            --no-input``.
Then checks that the profile pages of the first LAs (``--check``, default 3) are byte-identical to
single-LA runs (``profiles --la CODE``). Every run gets the same ``SOURCE_DATE_EPOCH``; the
footer names the commit and says "+ uncommitted changes" when tracked files are edited, so do
not edit the checkout while the benchmark runs (it warns if that happened).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from analysis.paths import PROJECT_ROOT

BIN = Path(sys.executable).parent
NOTEBOOK = PROJECT_ROOT / "notebooks" / "04_local_area_profile.ipynb"


def _profiles(reports: Path, codes: list[str] | None, jobs: int) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, summed RSS of the process tree) of one profiles run."""
    command = [str(BIN / "python"), "-m", "analysis", "profiles", "--reports-dir", str(reports),
               "--jobs", str(jobs)] + (["--la", *codes] if codes else [])
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:  # a process ended while being measured
            pass
        time.sleep(0.1)
    if process.returncode:
        raise SystemExit(f"profiles failed (exit {process.returncode}): {' '.join(command)}")
    return time.perf_counter() - started, peak / 2**20


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"failed (exit {done.returncode}): {' '.join(command)}\n{done.stderr[-3000:]}")


def _plain_loop(codes: list[str], out: Path) -> float:
    started = time.perf_counter()
    out.mkdir(parents=True)
    for code in codes:
        executed = out / f"{code}.ipynb"
        _run([str(BIN / "papermill"), "-k", "python3", "--cwd", str(NOTEBOOK.parent),
              "--no-progress-bar", "-r", "la_code", code, str(NOTEBOOK), str(executed)])
        _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--log-level",
              "ERROR", "--output-dir", str(out / "html"), str(executed)])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--las", type=int, help="only the first N LAs (default: every LA)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--check", type=int, default=3, help="LAs compared with single runs")
    args = parser.parse_args()

    from analysis import profiles
    from analysis.pipeline import config
    from analysis.pipeline.state import git_commit
    from analysis.tables import build

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    commit = git_commit()
    build(config.load_pipeline().profiles.tables, verbose=False)
    codes = list(profiles.load().las["code"])
    codes = codes[:args.las] if args.las else codes
    with tempfile.TemporaryDirectory(prefix="bench-profiles-") as tmp:
        tmp = Path(tmp)
        batch, memory = _profiles(tmp / "batch", codes if args.las else None, args.jobs)
        print(f"profiles: {len(codes)} LAs in {batch:.1f} s with {args.jobs} jobs "
              f"(peak memory {memory:,.0f} MB)", flush=True)
        plain = _plain_loop(codes, tmp / "plain")
        print(f"plain papermill + nbconvert loop: {plain:.1f} s ({plain / len(codes):.1f} s per LA)")
        print(f"speed-up: {plain / batch:.1f}x", flush=True)
        identical = []
        for code in codes[:args.check]:
            _profiles(tmp / f"single-{code}", [code], 1)
            page = f"html/profiles/{code}.html"
            identical.append((tmp / "batch" / page).read_bytes()
                             == (tmp / f"single-{code}" / page).read_bytes())
        print(f"batch pages identical to single-LA runs: {sum(identical)} of {len(identical)}")
    if git_commit() != commit:
        print("warning: the checkout changed during the benchmark; pages name different commits")
    return 0 if all(identical) else 1


if __name__ == "__main__":
    sys.exit(main())
