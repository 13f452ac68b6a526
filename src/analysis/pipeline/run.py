"""Run the pipeline: execute what changed, in parallel, then publish pages, index and manifest.

Each notebook writes its figures and tables into a staging folder (``reports/.staging/NAME``,
passed as its ``output_dir`` parameter). Only when it succeeds, and what it wrote matches the
``outputs`` declared in the config, are those files moved into ``reports/figures`` and
``reports/tables``, its executed notebook into ``reports/executed/NAME.ipynb`` and its page into
``reports/html/NAME.html``. A failure leaves every published file as it was and keeps the partial
notebook as ``reports/executed/NAME.failed.ipynb``.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from analysis.files import atomic_write
from analysis.paths import PROCESSED_DIR, REPORTS_DIR, REPORTS_ENV
from analysis.pipeline import config, state
from analysis.pipeline.execute import Outcome

EXIT_FAILED = 1


@dataclass(frozen=True)
class PublishOptions:
    """How a publishing command (``run``, ``profiles``) works: parallel jobs, forcing, code
    shown, the config, where to publish, and where the processed tables and the data mirror are."""

    force: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    show_code: bool = False
    config_path: Path = config.CONFIG_PATH
    reports_dir: Path = REPORTS_DIR
    processed_dir: Path = PROCESSED_DIR
    mirror: str | None = None


@dataclass(frozen=True)
class RunOptions(PublishOptions):
    """What to run and how; the defaults publish the whole pipeline into ``reports/``."""

    names: tuple[str, ...] = ()
    params_file: Path | None = None


@dataclass
class RunResult:
    """Per notebook: "ran", "re-rendered", "up to date", "failed" or "skipped"; plus messages."""

    status: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.errors else 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _params(spec: config.NotebookSpec, override: Path | None) -> dict:
    params = config.load_params(spec.params) if spec.params else {}
    if spec.params:
        config.check_parameters(spec, params, spec.params)
    if override:
        extra = config.load_params(override)
        config.check_parameters(spec, extra, override)
        params = {**params, **extra}
    return params


def ensure_tables(specs, manifest: dict, package_hash: str, opts: PublishOptions) -> dict[str, str]:
    """Build any stale processed table the notebooks read; return ``{table id: sha256}``.

    A table's build key depends only on the package source (readers, catalogue pins), so when
    the package and the parquet files are as last checked, the (slow to import) build step is
    skipped.
    """
    wanted = sorted({t for spec in specs for t in spec.tables})
    paths = {t: opts.processed_dir / f"{t}.parquet" for t in wanted}
    checked = manifest.get("tables_checked", {})
    if (checked.get("package_source") == package_hash and set(wanted) <= set(checked.get("tables", {}))
            and all(p.is_file() and checked["tables"][t] == state.sha256_file(p) for t, p in paths.items())):
        return {t: checked["tables"][t] for t in wanted}
    from analysis import tables

    tables.build(wanted, processed_dir=opts.processed_dir, mirror=opts.mirror, verbose=False)
    hashes = {t: state.sha256_file(p) for t, p in paths.items()}
    manifest["tables_checked"] = {"package_source": package_hash,
                                  "tables": {**checked.get("tables", {}), **hashes}}
    return hashes


class _Progress:
    """Progress across notebooks on stderr: a line per event, and a cell bar on a terminal."""

    def __init__(self, total_notebooks: int):
        self.total = total_notebooks
        self.done = 0
        self.cells: dict[str, tuple[int, int]] = {}
        self.bar = None
        if sys.stderr.isatty() and total_notebooks:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="cell", file=sys.stderr, leave=False, dynamic_ncols=True)

    def line(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            _say(message)

    def message(self, kind: str, name: str, value) -> None:
        if kind == "start":
            self.cells[name] = (0, value)
            if self.bar is not None:
                self.bar.total += value
                self.bar.refresh()
        elif kind == "cell":
            done, total = self.cells.get(name, (0, 0))
            self.cells[name] = (value, total)
            if self.bar is not None:
                self.bar.update(value - done)
                running = [n for n, (d, t) in self.cells.items() if d < t]
                self.bar.set_description(", ".join(running) or "publishing")
        elif kind == "retry":
            self.line(f"  {name}: the kernel did not start ({value}); retrying once")

    def finished(self, name: str, text: str) -> None:
        self.done += 1
        self.line(f"[{self.done}/{self.total}] {name}: {text}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _Runner:
    """One pipeline run: scheduling, promotion of outputs, publishing and the manifest."""

    def __init__(self, opts: RunOptions):
        self.opts = opts
        self.reports = Path(opts.reports_dir)
        self.pipeline = config.load_pipeline(opts.config_path)
        self.specs = self.pipeline.select(list(opts.names))
        self.params = {s.name: _params(s, opts.params_file) for s in self.specs}
        self.manifest = state.read_manifest(self.reports)
        self.entries: dict = self.manifest["notebooks"]
        self.package_hash = state.package_source_hash()
        self.result = RunResult()
        self.progress = _Progress(len(self.specs))
        self.pending_inputs: dict[str, dict] = {}
        self.started = time.perf_counter()

    # -- deciding -------------------------------------------------------------------------
    def _inputs(self, spec: config.NotebookSpec, table_hashes: dict[str, str]) -> dict:
        return {
            "notebook": {"path": spec.notebook.relative_to(self.pipeline.path.parent).as_posix(),
                         "sha256": state.sha256_file(spec.notebook)},
            "parameters": self.params[spec.name],
            "package_source": self.package_hash,
            "tables": {t: table_hashes[t] for t in spec.tables},
            "needs": {n: {rel: sha for rel, sha in self.entries[n]["outputs"].items()
                          if not rel.startswith("html/")} for n in spec.needs},
            "kernel": self.pipeline.kernel,
            "execution_timeout": self.pipeline.execution_timeout,
        }

    def _decide(self, spec, table_hashes) -> str:
        """ "run", "render" (outputs current, page options changed) or "skip"."""
        inputs = self._inputs(spec, table_hashes)
        self.pending_inputs[spec.name] = inputs
        entry = self.entries.get(spec.name)
        executed = self.reports / "executed" / f"{spec.name}.ipynb"
        if self.opts.force or not state.is_current(entry, state.sha256_json(inputs), self.reports):
            return "run"
        if entry.get("show_code") != self.opts.show_code or entry.get("title") != spec.title:
            return "render" if executed.is_file() else "run"
        return "skip"

    # -- executing ------------------------------------------------------------------------
    def _submit(self, pool, spec):
        staging = self.reports / ".staging" / spec.name
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        running = self.reports / "executed" / f".{spec.name}.running.ipynb"
        running.parent.mkdir(parents=True, exist_ok=True)
        parameters = {**self.params[spec.name], "output_dir": str(staging)}
        from analysis.pipeline.execute import execute

        self.progress.line(f"  {spec.name}: running")
        return pool.submit(execute, spec.name, str(spec.notebook), str(running), parameters,
                           self.pipeline.kernel, self.pipeline.execution_timeout,
                           str(spec.notebook.parent))

    def _produced(self, spec) -> dict[str, Path]:
        staging = self.reports / ".staging" / spec.name
        files = {p.relative_to(staging).as_posix(): p for p in sorted(staging.rglob("*")) if p.is_file()}
        undeclared = [rel for rel in files if not spec.produces(rel)]
        unmatched = [pattern for pattern in spec.outputs
                     if not any(fnmatch.fnmatchcase(rel, pattern) for rel in files)]
        owners = {rel: name for name, e in self.entries.items() if name != spec.name
                  for rel in e.get("outputs", {})}
        clashes = [f"{rel} (also written by {owners[rel]})" for rel in files if rel in owners]
        problems = []
        if undeclared:
            problems.append(f"wrote files its config 'outputs' do not declare: {', '.join(undeclared)}")
        if unmatched:
            problems.append(f"wrote nothing matching the declared outputs {', '.join(unmatched)}")
        if clashes:
            problems.append(f"wrote files another notebook publishes: {', '.join(clashes)}")
        if problems:
            raise _OutputError(f"{spec.name} {'; '.join(problems)} ({self.pipeline.path})")
        return files

    def _finish(self, spec, outcome: Outcome) -> None:
        running = self.reports / "executed" / f".{spec.name}.running.ipynb"
        try:
            if not outcome.ok:
                raise _OutputError(outcome.error)
            produced = self._produced(spec)
        except _OutputError as exc:
            self._fail(spec, str(exc), running)
            return
        entry = self.entries.get(spec.name, {})
        for rel in entry.get("outputs", {}):
            if rel not in produced and not rel.startswith("html/"):
                (self.reports / rel).unlink(missing_ok=True)
        for rel, path in produced.items():
            target = self.reports / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        shutil.rmtree(self.reports / ".staging" / spec.name, ignore_errors=True)
        os.replace(running, self.reports / "executed" / f"{spec.name}.ipynb")
        (self.reports / "executed" / f"{spec.name}.failed.ipynb").unlink(missing_ok=True)
        inputs = self.pending_inputs[spec.name]
        self.entries[spec.name] = {
            "title": spec.title,
            "key": state.sha256_json(inputs),
            "inputs": inputs,
            "outputs": state.output_hashes(self.reports, produced),
            "provenance": self._provenance(spec),
            "seconds": round(outcome.seconds, 1),
            "cells": outcome.cells,
        }
        self._render(spec)
        self.result.status[spec.name] = "ran"
        self.progress.finished(spec.name, f"ran in {outcome.seconds:.1f} s ({outcome.cells} cells), "
                                          f"{len(produced)} figure and table files")

    def _fail(self, spec, message: str, running: Path) -> None:
        failed = self.reports / "executed" / f"{spec.name}.failed.ipynb"
        if running.exists():
            os.replace(running, failed)
        shutil.rmtree(self.reports / ".staging" / spec.name, ignore_errors=True)
        self.result.status[spec.name] = "failed"
        self.result.errors[spec.name] = message
        entry = self.entries.setdefault(spec.name, {})
        entry["last_failure"] = {"error": message, "date": state.run_date(),
                                 "partial_notebook": failed.relative_to(self.reports).as_posix()}
        self.progress.finished(spec.name, f"FAILED: {message}\n    partial notebook: {failed}\n"
                                          f"    the published page and outputs were left as they were")

    def _provenance(self, spec) -> dict:
        from analysis import tables
        from analysis.pipeline.publish import package_versions

        return {"run_date": state.run_date(), "commit": state.git_commit(),
                "parameters": self.params[spec.name], "sources": tables.sources_of(spec.tables),
                "versions": package_versions()}

    # -- publishing -----------------------------------------------------------------------
    def _warm_up(self) -> None:
        """While the first kernels run, import what publishing needs (about 2 s saved at the end)."""
        from analysis import tables  # noqa: F401 - imported for its side effect of loading pandas
        from analysis.pipeline import publish

        publish.prepare_exporter(self.opts.show_code)

    def _render(self, spec) -> None:
        from analysis.pipeline import publish

        entry = self.entries[spec.name]
        nb = publish.read_notebook(self.reports / "executed" / f"{spec.name}.ipynb")
        page = publish.render_report(nb, spec.title, entry["provenance"], show_code=self.opts.show_code)
        rel = f"html/{spec.name}.html"
        atomic_write(self.reports / rel, partial(Path.write_text, data=page, encoding="utf-8"))
        entry.pop("last_failure", None)
        entry.update(title=spec.title, show_code=self.opts.show_code,
                     summary_html=publish.summary_html(nb), synthetic=publish.synthetic_reasons(nb))
        kept = {r: sha for r, sha in entry["outputs"].items() if not r.startswith("html/")}
        entry["outputs"] = {**kept, **state.output_hashes(self.reports, [rel])}
        self._save()

    def _index(self) -> None:
        write_index(self.reports, self.manifest, self.pipeline)

    def _save(self) -> None:
        for name in list(self.entries):
            if name not in {s.name for s in self.pipeline.notebooks}:
                del self.entries[name]
        state.write_manifest(self.reports, self.manifest)

    # -- the run --------------------------------------------------------------------------
    def _start(self, spec, table_hashes) -> bool:
        """Settle a notebook whose needs are done without running it, or return True to run it."""
        failed_needs = [n for n in spec.needs if self.result.status[n] in ("failed", "skipped")]
        if failed_needs:
            self.result.status[spec.name] = "skipped"
            self.result.errors[spec.name] = f"not run: it needs {', '.join(failed_needs)}, which failed"
            self.progress.finished(spec.name, self.result.errors[spec.name])
            return False
        decision = self._decide(spec, table_hashes)
        if decision == "skip":
            self.result.status[spec.name] = "up to date"
            self.progress.finished(spec.name, "up to date")
        elif decision == "render":
            self._render(spec)
            self.result.status[spec.name] = "re-rendered"
            self.progress.finished(spec.name, "page re-rendered (outputs up to date)")
        return decision == "run"

    def run(self) -> RunResult:
        table_hashes = ensure_tables(self.specs, self.manifest, self.package_hash, self.opts)
        waiting = list(self.specs)
        futures = {}
        pool = queue = None
        try:
            while waiting or futures:
                for spec in [s for s in waiting if all(n in self.result.status for n in s.needs)]:
                    waiting.remove(spec)
                    if self._start(spec, table_hashes):
                        if pool is None:
                            pool, queue = _pool(min(self.opts.jobs, len(self.specs)))
                        futures[self._submit(pool, spec)] = spec
                        self._warm_up()
                if futures:
                    done, _ = wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
                    _drain(queue, self.progress)
                    for future in done:
                        self._finish(futures.pop(future), future.result())
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            self.progress.close()
        self._index()
        self.manifest["last_run"] = {
            "notebooks": self.result.status, "errors": self.result.errors,
            "seconds": round(time.perf_counter() - self.started, 2),
            "options": {"force": self.opts.force, "jobs": self.opts.jobs, "show_code": self.opts.show_code,
                        "params_file": str(self.opts.params_file) if self.opts.params_file else None},
        }
        self._save()
        return self.result


def write_index(reports: Path, manifest: dict, pipeline: config.Pipeline) -> None:
    """(Re)write ``html/index.html`` from the manifest: the published reports in pipeline order
    and the local area profiles if published; unchanged pages are not rewritten."""
    entries = manifest["notebooks"]
    names = [s.name for s in pipeline.notebooks]
    reports_listed = [{"name": n, **entries[n], **entries[n]["provenance"]} for n in names
                      if n in entries and "provenance" in entries[n]]
    profiles = manifest.get("profiles")
    if not reports_listed and not profiles:
        return
    from analysis.pipeline import publish

    path = reports / "html" / "index.html"
    page = publish.render_index(reports_listed, profiles)
    if not path.is_file() or path.read_text(encoding="utf-8") != page:
        atomic_write(path, partial(Path.write_text, data=page, encoding="utf-8"))
    manifest["index"] = state.output_hashes(reports, ["html/index.html"])


class _OutputError(Exception):
    """A notebook failed, or wrote outputs that do not match its config."""


def _pool(jobs: int):
    import multiprocessing

    from analysis.pipeline.execute import init_worker

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=init_worker,
                               initargs=(queue,)), queue


def _drain(queue, progress: _Progress) -> None:
    import queue as queue_module

    while True:
        try:
            progress.message(*queue.get_nowait())
        except queue_module.Empty:
            return


def run(opts: RunOptions = RunOptions()) -> RunResult:
    """Run the pipeline (see the module docstring); errors in config raise :class:`ConfigError`.

    Kernels see ``ANALYSIS_REPORTS_DIR`` set to the reports folder of this run, so notebooks read
    the outputs of the notebooks they need from there (:data:`analysis.paths.REPORTS_DIR`).
    """
    reports = Path(opts.reports_dir).resolve()
    lock = run_lock(reports)
    previous = os.environ.get(REPORTS_ENV)
    os.environ[REPORTS_ENV] = str(reports)
    try:
        return _Runner(opts).run()
    finally:
        lock.release()
        if previous is None:
            del os.environ[REPORTS_ENV]
        else:
            os.environ[REPORTS_ENV] = previous


class RunInProgress(RuntimeError):
    """Another run holds the lock on the same reports folder."""


def run_lock(reports: Path):
    """Take the lock of a reports folder (one publishing run at a time: ``run`` or
    ``profiles``); raises :class:`RunInProgress` at once if it is held. Release it when done."""
    from filelock import FileLock, Timeout

    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(reports / ".run.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RunInProgress(f"another pipeline run is publishing into {reports} (lock {lock.lock_file}); "
                            "wait for it to finish") from None
    return lock
