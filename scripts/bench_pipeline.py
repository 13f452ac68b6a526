"""Benchmark the pipeline's reports against a plain loop of papermill and nbconvert command-line
calls.

Usage: ``python scripts/bench_pipeline.py [--suite {config,views}]`` (``make bench`` runs both
suites once). Works in a temporary copy of ``notebooks/`` with its own data and report folders, so
``data/`` and ``reports/`` are untouched; the processed tables are built first and not timed. The
profiles collection is left out here (``scripts/bench_profiles.py`` measures it).

Suites:
  config  the reports of ``notebooks/pipeline.yaml`` as they are.
  views   the baseline notebook four times (England and three local views) as four independent
          pipeline entries: a stand-in for a suite of several notebooks.

Timed, in the same run:
  (a) cold: ``python -m analysis run --force`` into an empty folder;
  (b) no-op: the same command again, nothing changed;
  (c) one changed: one notebook edited (a markdown cell appended), then re-run;
  plain: for each notebook in turn, ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_results import record

from analysis.publish.executors import kernel_setup_code
from analysis.settings import PROJECT_ROOT, Settings

BIN = Path(sys.executable).parent
COLD_SPEEDUP_GOAL = 2.5
"""A cold run is to be at least this many times faster than the plain loop (issue 28): recorded as
a goal in seconds, the loop's time over it."""
VIEWS = {"england": {}, "la885": {"la_code": "885"}, "la202": {"la_code": "202", "comparators": "region"},
         "la838": {"la_code": "838"}}


def _reports_only(notebooks: Path) -> None:
    """Keep only the reports (not the collections) in the copied config."""
    config = yaml.safe_load((notebooks / "pipeline.yaml").read_text())
    config["publications"] = [p for p in config["publications"] if "each" not in p]
    (notebooks / "pipeline.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def _views_suite(notebooks: Path) -> None:
    """Rewrite the copied config as four entries of the baseline notebook, one per view."""
    config = yaml.safe_load((notebooks / "pipeline.yaml").read_text())
    baseline = next(n for n in config["publications"] if n["name"] == "01_baseline_review")
    entries = []
    for view, params in VIEWS.items():
        path = notebooks / "params" / f"bench_{view}.yaml"
        path.write_text(yaml.safe_dump({**yaml.safe_load((notebooks / baseline["params"]).read_text()),
                                        **params}))
        entries.append({**baseline, "name": f"baseline_{view}", "params": str(path.relative_to(notebooks))})
        if view != "england":  # a local view's notebook copy, so that editing one changes one entry
            copy = notebooks / f"baseline_{view}.ipynb"
            shutil.copy(notebooks / baseline["notebook"], copy)
            entries[-1]["notebook"] = copy.name
    config["publications"] = entries
    (notebooks / "pipeline.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def _timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


def _with_settings(notebook: Path, settings: Settings, out: Path) -> Path:
    """A copy of the notebook whose first cell hands its kernel the benchmark's folders."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(kernel_setup_code(settings)))
    path = out / "input" / notebook.name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _plain_loop(notebooks: Path, out: Path, settings: Settings) -> float:
    """Each report in turn: papermill CLI (with its params file), then nbconvert CLI."""
    config = yaml.safe_load((notebooks / "pipeline.yaml").read_text())
    inputs = {e["name"]: _with_settings(notebooks / e["notebook"], settings, out / e["name"])
              for e in config["publications"]}
    started = time.perf_counter()
    for entry in config["publications"]:
        executed = out / "executed" / f"{entry['name']}.ipynb"
        executed.parent.mkdir(parents=True, exist_ok=True)
        _timed([str(BIN / "papermill"), "-k", "python3", "--cwd", str(notebooks), "--execution-timeout",
                "600", "--no-progress-bar", "-f", str(notebooks / entry["params"]), "-p", "output_dir",
                str(out), str(inputs[entry["name"]]), str(executed)])
        _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--log-level", "ERROR",
                "--output-dir", str(out / "html"), str(executed)])
    return time.perf_counter() - started


def _edit_one(notebooks: Path) -> None:
    config = yaml.safe_load((notebooks / "pipeline.yaml").read_text())
    path = notebooks / config["publications"][-1]["notebook"]
    nb = json.loads(path.read_text())
    nb["cells"].append({"cell_type": "markdown", "id": "bench-edit", "metadata": {},
                        "source": ["Edited by the benchmark."]})
    path.write_text(json.dumps(nb, indent=1))


def bench(suite: str, jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        tmp = Path(tmp)
        notebooks = tmp / "notebooks"
        shutil.copytree(PROJECT_ROOT / "notebooks", notebooks,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        _reports_only(notebooks)
        if suite == "views":
            _views_suite(notebooks)
        count = len(yaml.safe_load((notebooks / "pipeline.yaml").read_text())["publications"])
        data = tmp / "data"
        settings = Settings.default(raw_dir=data / "raw", processed_dir=data / "processed",
                                    interim_dir=data / "interim", reports_dir=tmp / "reports")
        run = [str(BIN / "python"), "-m", "analysis", "run", "--config", str(notebooks / "pipeline.yaml"),
               "--data-dir", str(data), "--reports-dir", str(tmp / "reports"), "--jobs", str(jobs)]
        subprocess.run([str(BIN / "python"), "-m", "analysis", "data", "build", "--data-dir", str(data)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        plain = _plain_loop(notebooks, tmp / "plain", settings)
        cold = _timed(run + ["--force"])
        noop = _timed(run)
        _edit_one(notebooks)
        one = _timed(run)
    return {"suite": suite, "notebooks": count, "jobs": jobs, "plain_loop_s": round(plain, 2),
            "cold_s": round(cold, 2), "noop_s": round(noop, 2), "one_changed_s": round(one, 2),
            "cold_speedup": round(plain / cold, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", choices=["config", "views"], action="append",
                        help="which suite (repeatable; default: both)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    header = ("suite", "nbs", "plain loop", "cold", "speed-up", "no-op", "one changed")
    print("{:<7} {:>3} {:>10} {:>7} {:>8} {:>7} {:>11}".format(*header))
    for suite in args.suite or ["config", "views"]:
        r = bench(suite, args.jobs)
        print(f"{r['suite']:<7} {r['notebooks']:>3} {r['plain_loop_s']:>9.1f}s {r['cold_s']:>6.1f}s "
              f"{r['cold_speedup']:>7.2f}x {r['noop_s']:>6.2f}s {r['one_changed_s']:>10.1f}s", flush=True)
        what = "the reports" if suite == "config" else "the baseline as four views"
        record(f"pipeline: {what} cold ({r['notebooks']} notebooks)", r["cold_s"], plain=r["plain_loop_s"],
               plain_what="papermill + nbconvert loop", goal=r["plain_loop_s"] / COLD_SPEEDUP_GOAL)
        record(f"pipeline: {what}, nothing changed", r["noop_s"])
        record(f"pipeline: {what}, one notebook edited", r["one_changed_s"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
