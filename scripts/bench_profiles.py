"""Benchmark the profiles (``python -m analysis run profiles``) against a plain loop of
papermill and nbconvert command-line calls over the same LAs, in the same run.

Usage: ``python scripts/bench_profiles.py [--las N] [--jobs J] [--plain-seconds S]`` (``make
bench`` runs it for every LA). ``--las N`` takes the first N LAs (by code) for both sides, for a
quicker check; ``--plain-seconds`` skips the plain loop and uses an earlier measurement. Works in
temporary folders (its own data and reports), so ``data/`` and ``reports/`` are untouched; the
processed tables are built first and not timed.

Timed:
  cold      ``run profiles`` into an empty reports folder with no prepared indicators: every
            LA's indicators built, then every page (wall time), with the peak memory of the whole
            process tree (sum of resident set sizes, sampled every 0.1 s: an upper bound);
  pages     ``run profiles --force`` again: the prepared indicators are reused, every page is
            rendered (what a change to the notebook or the page code costs);
  no-op     ``run profiles`` once more, nothing changed;
  plain     for each LA in turn, ``papermill -r la_code CODE`` then ``jupyter nbconvert --to html
            --no-input``.
Then weighs what it published (:mod:`site_weight`: the profiles' part of the site and each
profile with its images, against their budgets) and checks that the pages of the first LAs
(``--check``, default 3) are byte-identical to pages
rendered alone (``run profiles --only CODE``). Every run gets the same ``SOURCE_DATE_EPOCH``; the
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
import site_weight
from bench_results import record

from analysis.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent
NOTEBOOK = PROJECT_ROOT / "notebooks" / "04_local_area_profile.ipynb"


def _profiles(data: Path, reports: Path, codes: list[str] | None, jobs: int,
              force: bool = False) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, summed RSS of the process tree) of one run."""
    command = [str(BIN / "python"), "-m", "analysis", "run", "profiles", "--data-dir", str(data),
               "--reports-dir", str(reports), "--jobs", str(jobs)]
    command += (["--only", *codes] if codes else []) + (["--force"] if force else [])
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


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"failed (exit {done.returncode}): {' '.join(command)}\n{done.stderr[-3000:]}")


def _plain_loop(codes: list[str], out: Path, data: Path) -> float:
    """papermill + nbconvert per LA; the kernel is pointed at the benchmark's data folder by a
    first cell (as ``python -m analysis test-notebooks`` does), so it builds nothing."""
    import nbformat

    from analysis.publish.executors import kernel_setup_code
    from analysis.settings import Settings

    settings = Settings.default(raw_dir=data / "raw", processed_dir=data / "processed",
                                interim_dir=data / "interim")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(kernel_setup_code(settings)))
    out.mkdir(parents=True)
    notebook = out / NOTEBOOK.name
    nbformat.write(nb, notebook)
    started = time.perf_counter()
    for code in codes:
        executed = out / f"{code}.ipynb"
        _run([str(BIN / "papermill"), "-k", "python3", "--cwd", str(NOTEBOOK.parent),
              "--no-progress-bar", "-r", "la_code", code, str(notebook), str(executed)], os.environ)
        _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--log-level",
              "ERROR", "--output-dir", str(out / "html"), str(executed)], os.environ)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--las", type=int, help="only the first N LAs (default: every LA)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--check", type=int, default=3, help="LAs compared with pages rendered alone")
    parser.add_argument("--plain-seconds", type=float,
                        help="skip the plain loop (about 40 minutes for every LA) and compare with "
                             "this earlier measurement of it instead")
    args = parser.parse_args()

    from analysis.publish.manifest import git_commit
    from analysis.settings import Settings, using
    from analysis.studies.profiles import publication
    from analysis.tables import build

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    commit = git_commit()
    with tempfile.TemporaryDirectory(prefix="bench-profiles-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        settings = Settings.default(raw_dir=data / "raw", processed_dir=data / "processed",
                                    interim_dir=data / "interim", reports_dir=tmp / "unused")
        build.build(settings=settings, quiet=True)
        with using(settings):
            codes = [s.key for s in publication.parameter_sets()]
        codes = codes[:args.las] if args.las else codes
        only = codes if args.las else None
        cold, memory = _profiles(data, tmp / "batch", only, args.jobs)
        print(f"cold: {len(codes)} LAs in {cold:.1f} s with {args.jobs} jobs, indicators built "
              f"(peak memory {memory:,.0f} MB)", flush=True)
        pages, _ = _profiles(data, tmp / "batch", only, args.jobs, force=True)
        print(f"pages: {len(codes)} LAs in {pages:.1f} s, prepared indicators reused", flush=True)
        noop, _ = _profiles(data, tmp / "batch", only, args.jobs)
        print(f"no-op: {noop:.2f} s", flush=True)
        print("\n".join(site_weight.weigh(tmp / "batch")), flush=True)
        if args.plain_seconds:
            plain = args.plain_seconds
            print(f"plain papermill + nbconvert loop: {plain:.1f} s (given, not measured in this run)")
        else:
            plain = _plain_loop(codes, tmp / "plain", data)
            print(f"plain papermill + nbconvert loop: {plain:.1f} s ({plain / len(codes):.1f} s per LA)")
        print(f"speed-up: {plain / cold:.1f}x cold, {plain / pages:.1f}x pages", flush=True)
        loop = "papermill + nbconvert loop" + ("" if not args.plain_seconds else ", given")
        record(f"profiles: {len(codes)} LAs cold", cold, plain=plain, plain_what=loop,
               goal=60 if not args.las else None)
        record(f"profiles: {len(codes)} LAs, indicators prepared", pages, plain=plain, plain_what=loop)
        record("profiles: nothing changed", noop)
        identical = []
        for code in codes[:args.check]:
            _profiles(data, tmp / f"single-{code}", [code], 1)
            page = f"html/profiles/{code}.html"
            identical.append((tmp / "batch" / page).read_bytes()
                             == (tmp / f"single-{code}" / page).read_bytes())
        print(f"pages identical to pages rendered alone: {sum(identical)} of {len(identical)}")
    if git_commit() != commit:
        print("warning: the checkout changed during the benchmark; pages name different commits")
    return 0 if all(identical) else 1


if __name__ == "__main__":
    sys.exit(main())
