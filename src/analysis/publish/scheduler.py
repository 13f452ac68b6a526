"""Run the pipeline: every publication's parameter sets whose inputs changed, in parallel, then
promote what succeeded and record it in the manifest. Planning, running, promoting and failures
are here; everything that writes the site around the pages (the stylesheet, spreadsheets, index
pages, CSV downloads, the zip) is in :mod:`.site`, which this calls.

One scheduler for every publication (:mod:`.config`): a report is one parameter set, a collection
one per page. Each set is staged in its own folder (``reports/.staging/UNIT``; the notebook's
``output_dir`` is its ``outputs/``), executed by its publication's executor in a worker process
(:mod:`.executors`) and rendered there. When every set of a publication has finished, and only if
none failed, its outputs and pages are moved into the site folder, ``reports/html``, which holds
everything a page links to: pages (``NAME.html``, or ``NAME/KEY.html`` plus ``NAME/index.html``
for a collection), ``figures/``, ``tables/`` and ``downloads/``. A report's executed notebook goes
to ``reports/executed``, outside the site. A failure leaves every published file
of that publication as it was and keeps the partial notebook as ``reports/executed/NAME.failed.ipynb``
(``NAME/KEY.failed.ipynb`` for a page); publications that need it are skipped.

What a set read is recorded by the table store in its kernel (and by a collection's ``each`` and
``prepare`` hooks), not declared: the manifest keeps it, the footer lists its source files, and a
set re-runs when one of those tables changed (:mod:`.manifest`). A collection's ``prepare`` output
is kept under ``data/interim/``, named by a hash of the package source and the tables it read, and
reused while they are unchanged.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.errors import EXIT_FAILED, UsageError
from analysis.publish import config, manifest, site
from analysis.publish.executors import EXECUTED, FAILED, OUTPUTS, PAGE, PAGE_FILES, Outcome, Task, write_page
from analysis.publish.manifest import (
    EachRecord,
    Failure,
    IndexRecord,
    PreparedRecord,
    PublicationRecord,
    SetRecord,
)
from analysis.report.collection import IndexTable, PageSet
from analysis.settings import Settings, run_date, using
from analysis.sources.catalogue import catalogue_for
from analysis.tables.state import table_shas

log = logging.getLogger(__name__)

DATA_OUTPUTS = tuple(f"{config.SITE}/{folder}/" for folder in ("figures", "tables", "downloads"))
"""Where a publication's outputs other than its pages go: a publication that needs it re-runs
when one of these changed."""


@dataclass(frozen=True)
class RunOptions:
    """What to run and how; the defaults publish the whole pipeline into the settings' reports
    folder. ``only`` limits collections to the pages with these keys (e.g. LA codes)."""

    names: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    force: bool = False
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    params_file: Path | None = None
    show_code: bool = False
    config_path: Path = config.CONFIG_PATH
    settings: Settings = field(default_factory=Settings.default)


@dataclass
class RunResult:
    """Per publication: "ran", "re-rendered", "up to date", "failed" or "skipped"; errors by
    unit (``NAME`` or ``NAME/KEY``)."""

    status: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)   # pages executed per publication

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.errors else 0


class RunInProgress(UsageError):
    """Another run holds the lock on the same reports folder."""


@dataclass
class _Set:
    """One parameter set of a publication in this run."""

    key: str | None
    unit: str
    parameters: dict
    title: str
    inputs: dict
    decision: str = "run"     # "run", "render" or "skip"
    outcome: Outcome | None = None


@dataclass
class _Plan:
    """One publication in this run: its sets and shared state."""

    pub: config.Publication
    sets: list[_Set]
    full: bool                        # every set considered (not limited by --only)
    shared_reads: dict = field(default_factory=dict)   # read by its each and prepare hooks
    prepared: Path | None = None
    override: dict = field(default_factory=dict)   # --params for every set (and the prepare hook)
    running: int = 0


def _say(message: str) -> None:
    log.info(message)


class _Progress:
    """Progress on stderr: a line per finished report or tenth of a collection, and a bar over
    the cells of running reports on a terminal."""

    def __init__(self):
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="cell", file=sys.stderr, leave=False, dynamic_ncols=True)
        self.cells: dict[str, tuple[int, int]] = {}

    def line(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            _say(message)

    def message(self, kind: str, unit: str, value) -> None:
        if kind == "retry":
            self.line(f"  {unit}: the kernel did not start ({value}); retrying once")
        elif self.bar is not None and kind == "start":
            self.cells[unit] = (0, value)
            self.bar.total += value
            self.bar.refresh()
        elif self.bar is not None and kind == "cell":
            done, total = self.cells.get(unit, (0, 0))
            self.cells[unit] = (value, total)
            self.bar.update(value - done)
            self.bar.set_description(", ".join(u for u, (d, t) in self.cells.items() if d < t)[:60])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _Runner:
    def __init__(self, opts: RunOptions):
        self.opts = opts
        self.settings = opts.settings
        self.reports = self.settings.reports_dir
        self.pipeline = config.load_pipeline(opts.config_path)
        self.pubs = self.pipeline.select(list(opts.names))
        self.manifest = manifest.read_manifest(self.reports)
        self.entries: dict[str, PublicationRecord] = self.manifest.publications
        self.package_hash = manifest.package_source_hash()
        self.result = RunResult()
        self.progress = _Progress()
        self.started = time.perf_counter()
        self.provenance = None
        self._check_only()

    def _check_only(self) -> None:
        if self.opts.only and not any(p.collection for p in self.pubs):
            raise config.ConfigError("--only picks pages of a collection, and none is selected")

    def _record(self, name: str) -> PublicationRecord:
        """The manifest's record of a publication (a new, empty one before its first run)."""
        return self.entries.setdefault(name, PublicationRecord())

    # -- planning ------------------------------------------------------------------------------
    def _build_shas(self) -> dict:
        return table_shas(self.settings.processed_dir)

    def _params(self, pub: config.Publication) -> dict:
        params = config.load_params(pub.params) if pub.params else {}
        if pub.params:
            config.check_parameters(pub, params, pub.params)
        if self.opts.params_file:
            extra = config.load_params(self.opts.params_file)
            config.check_parameters(pub, extra, self.opts.params_file)
            params = {**params, **extra}
        return params

    def _parameter_sets(self, pub: config.Publication, shas: dict) -> tuple[list[PageSet], dict]:
        """A collection's pages from its ``each`` hook, reused from the manifest while the
        package and the tables the hook read are unchanged (``--force`` asks again); returns
        ``(sets, reads)``."""
        cached = self.entries.get(pub.name, PublicationRecord()).each
        if cached and not self.opts.force and cached.key == manifest.sha256_json(
                {"package": self.package_hash, "hook": pub.each,
                 "reads": {t: shas.get(t) for t in cached.reads}}):
            return cached.sets, cached.reads
        sets, reads = self._call(config.hook(pub.each))
        if not all(isinstance(s, PageSet) for s in sets):
            raise config.ConfigError(f"{pub.name}: its each hook ({pub.each}) must return a list of "
                                     "PageSet (analysis.report.collection)")
        self._record(pub.name).each = EachRecord(sets=list(sets), reads=reads, key=manifest.sha256_json(
            {"package": self.package_hash, "hook": pub.each, "reads": reads}))
        return sets, reads

    def _call(self, function, *args):
        """Call a hook with this run's settings and a fresh table store; returns ``(result,
        the tables it read)``."""
        from analysis.tables.store import TableStore, bind

        table_store = TableStore(self.settings)
        with using(self.settings), bind(table_store):
            return function(*args), dict(table_store.reads)

    def _plan(self, pub: config.Publication) -> _Plan:
        shas = self._build_shas()
        record = self.entries.get(pub.name, PublicationRecord())
        previous = record.sets
        notebook_sha = manifest.sha256_file(pub.notebook)
        needs = {n: {rel: sha for s in self.entries.get(n, PublicationRecord()).sets.values()
                     for rel, sha in s.outputs.items() if rel.startswith(DATA_OUTPUTS)}
                 for n in pub.needs}
        if pub.collection:
            page_sets, shared = self._parameter_sets(pub, shas)
            override = self._params(pub) if self.opts.params_file else {}
            specs = [(s.key, {**s.parameters, **override}, pub.title.format(**s.labels))
                     for s in page_sets]
            keys = {k for k, _, _ in specs}
            unknown = sorted(set(self.opts.only) - keys)
            if unknown:
                raise config.ConfigError(f"--only: {', '.join(unknown)} not pages of {pub.name} "
                                         f"(its keys: {', '.join(sorted(keys))})")
            if self.opts.only:
                specs = [s for s in specs if s[0] in self.opts.only]
        else:
            shared, override = {}, {}
            specs = [(None, self._params(pub), pub.title)]
        plan = _Plan(pub, [], full=not (pub.collection and self.opts.only), shared_reads=shared,
                     override=override)
        if pub.prepare and record.prepared:
            shared = {**shared, **record.prepared.reads}
        for key, params, title in specs:
            unit = pub.name if key is None else f"{pub.name}/{key}"
            old = previous.get(key or "")
            reads = {t: shas.get(t) for t in {**(old.reads if old else {}), **shared}}
            inputs = {"notebook": notebook_sha, "parameters": params, "package_source": self.package_hash,
                      "files": self._given(pub, params), "reads": reads, "needs": needs,
                      "kernel": self.pipeline.kernel,
                      "execution_timeout": self.pipeline.execution_timeout, "executor": pub.executor}
            item = _Set(key, unit, params, title, inputs)
            if self.opts.force or not manifest.is_current(old, manifest.sha256_json(inputs), self.reports):
                item.decision = "run"
            elif old.show_code != self.opts.show_code or old.title != title:
                executed = self.reports / "executed" / f"{pub.name}.ipynb"
                item.decision = "render" if not pub.collection and executed.is_file() else "run"
            else:
                item.decision = "skip"
            plan.sets.append(item)
        return plan

    def _given(self, pub: config.Publication, params: dict) -> list[dict]:
        """The files of figures ``params`` name (:data:`config.FILE_SUFFIXES`): parameter, file
        name and sha256, for the set's inputs and its page's provenance."""
        source = self.opts.params_file or pub.params or "the notebook's parameters"
        return [{"parameter": name, "file": path.name, "sha256": manifest.sha256_file(path)}
                for name, path in config.given_files(params, pub.notebook.parent, source).items()]

    # -- preparing -------------------------------------------------------------------------------
    def _prepare(self, plan: _Plan) -> None:
        """Make the collection's shared file (``prepare`` hook), or reuse the one its inputs name."""
        pub = plan.pub
        interim = self.settings.interim_dir
        recorded = self.entries.get(pub.name, PublicationRecord()).prepared
        shas = self._build_shas()
        if recorded:
            key = self._prepared_key(plan, {t: shas.get(t) for t in recorded.reads})
            path = interim / f"{pub.name}-{key[:16]}.pickle"
            if path.is_file():
                plan.prepared, plan.shared_reads = path, {**plan.shared_reads, **recorded.reads}
                return
        started = time.perf_counter()
        interim.mkdir(parents=True, exist_ok=True)
        tmp = interim / f".{pub.name}.prepare.pickle"
        reads_file = interim / f".{pub.name}.prepare.reads.json"
        files = config.given_files(plan.override, pub.notebook.parent, self.opts.params_file)
        parameters = {**plan.override, **{name: str(file) for name, file in files.items()}}
        reads = _prepare_in_process(pub.prepare, tmp, self.settings.with_(reads_file=reads_file),
                                    parameters)
        path = interim / f"{pub.name}-{self._prepared_key(plan, reads)[:16]}.pickle"
        for old in interim.glob(f"{pub.name}-*.pickle"):
            old.unlink()
        os.replace(tmp, path)
        reads_file.unlink(missing_ok=True)
        self._record(pub.name).prepared = PreparedRecord(reads=reads, file=path.name)
        plan.prepared, plan.shared_reads = path, {**plan.shared_reads, **reads}
        self.progress.line(f"  {pub.name}: prepared shared work in {time.perf_counter() - started:.1f} s")

    def _prepared_key(self, plan: _Plan, reads: dict) -> str:
        """What the shared work depends on: the package, the hook, the tables it read and the
        parameters (and files) of every set."""
        return manifest.sha256_json({"package": self.package_hash, "hook": plan.pub.prepare,
                                     "reads": reads, "parameters": plan.override,
                                     "files": self._given(plan.pub, plan.override)})

    # -- executing ----------------------------------------------------------------------------
    def _provenance(self) -> dict:
        if self.provenance is None:
            from analysis.publish.pages import package_versions

            self.provenance = {"run_date": run_date(), "commit": manifest.git_commit(),
                               "versions": package_versions(), "command": site.COMMAND}
        return self.provenance

    def _task(self, plan: _Plan, item: _Set) -> Task:
        pub = plan.pub
        staging = self.reports / ".staging" / item.unit
        shutil.rmtree(staging, ignore_errors=True)
        (staging / OUTPUTS).mkdir(parents=True)
        parameters = dict(item.parameters)
        if "output_dir" in config.notebook_parameters(pub.notebook):
            parameters["output_dir"] = str(staging / OUTPUTS)
        settings = self.settings.with_(reads_file=staging / "reads.json", prepared=plan.prepared)
        return Task(unit=item.unit, notebook=str(pub.notebook), parameters=parameters,
                    shown_parameters=item.parameters, executor=pub.executor,
                    kernel=self.pipeline.kernel, timeout=self.pipeline.execution_timeout,
                    cwd=str(pub.notebook.parent), settings=settings.to_json(), staging=str(staging),
                    keep_executed=not pub.collection, title=item.title, page=pub.page(item.key),
                    provenance={**self._provenance(), "given": item.inputs["files"]},
                    show_code=self.opts.show_code, nav=site.nav(pub, self.pipeline),
                    downloads=site.page_downloads(pub),
                    extra_reads={t: s for t, s in plan.shared_reads.items() if s is not None})

    def _start(self, plan: _Plan, pool_holder: list, futures: dict) -> None:
        """Settle what needs no execution; submit the rest (preparing shared work first)."""
        pub = plan.pub
        failed_needs = [n for n in pub.needs if self.result.status.get(n) in ("failed", "skipped")]
        if failed_needs:
            self.result.status[pub.name] = "skipped"
            self.result.errors[pub.name] = f"not run: it needs {', '.join(failed_needs)}, which failed"
            self.progress.line(f"{pub.name}: {self.result.errors[pub.name]}")
            return
        to_run = [s for s in plan.sets if s.decision == "run"]
        if to_run and not pool_holder:
            from analysis.publish.executors import worker_pool

            pool_holder.extend(worker_pool(max(1, self.opts.jobs)))
        if pub.prepare and (to_run or self._index_stale(plan)):
            if to_run and pub.executor == "warm":  # kernels start while the shared work is made
                from analysis.publish.executors import warm_up

                for _ in range(max(1, self.opts.jobs)):
                    pool_holder[0].submit(warm_up, self._task(plan, to_run[0]))
            self._prepare(plan)
        if not to_run:
            self._settle(plan)
            return
        pool = pool_holder[0]
        from analysis.publish.executors import run_task

        for item in to_run:
            futures[pool.submit(run_task, self._task(plan, item))] = (plan, item)
            plan.running += 1
        what = (f"{len(to_run)} of {len(plan.sets)} pages" if pub.collection else "running")
        self.progress.line(f"  {pub.name}: {what}")

    def _finished(self, plan: _Plan, item: _Set, outcome: Outcome) -> None:
        item.outcome = outcome
        plan.running -= 1
        pub = plan.pub
        if not outcome.ok:
            self.progress.line(f"  FAILED {item.unit}: {outcome.error}")
        elif not pub.collection:
            self.progress.line(f"  {item.unit}: ran in {outcome.seconds:.1f} s ({outcome.cells} cells)")
        else:
            done = sum(s.outcome is not None for s in plan.sets if s.decision == "run")
            total = sum(s.decision == "run" for s in plan.sets)
            step = max(1, total // 10)
            if done % step == 0 or done in (1, total):
                self.progress.line(f"  [{done:>3}/{total}] {pub.name} pages ({outcome.seconds:.1f} s for the "
                                   f"last, {time.perf_counter() - self.started:.1f} s since the start)")
        if plan.running == 0:
            self._settle(plan)

    # -- promoting ------------------------------------------------------------------------------
    def _settle(self, plan: _Plan) -> None:
        """Promote a publication whose sets have all finished, or record its failure."""
        pub = plan.pub
        ran = [s for s in plan.sets if s.decision == "run"]
        failed = [s for s in ran if not s.outcome.ok]
        if not failed:
            try:
                produced = {s.unit: self._produced(plan, s) for s in ran}
            except _OutputError as exc:
                failed = ran
                for s in ran:
                    s.outcome = Outcome(s.unit, False, s.outcome.seconds, s.outcome.cells, str(exc))
        if failed:
            self._fail(plan, failed)
            return
        entry = self._record(pub.name)
        sets = entry.sets
        for item in ran:
            sets[item.key or ""] = self._promote(plan, item, produced[item.unit], sets.get(item.key or ""))
        for item in (s for s in plan.sets if s.decision == "render"):
            sets[item.key or ""] = self._render(plan, item, sets[item.key or ""])
        if pub.collection and plan.full:
            self._remove_dropped(plan, sets)
        entry.title = pub.title
        if pub.index and (ran or self._index_stale(plan)):
            self._write_collection_index(plan)
        shutil.rmtree(self.reports / ".staging" / pub.name, ignore_errors=True)
        renders = sum(s.decision == "render" for s in plan.sets)
        self.result.pages[pub.name] = len(ran)
        self.result.status[pub.name] = ("ran" if ran else "re-rendered" if renders else "up to date")
        if pub.collection and ran:
            self.progress.line(f"{pub.name}: {len(ran)} pages in {time.perf_counter() - self.started:.1f} s "
                               f"since the start")
        elif not ran:
            self.progress.line(f"{pub.name}: {self.result.status[pub.name]}")
        if ran or renders or not plan.full:
            self._save()

    def _produced(self, plan: _Plan, item: _Set) -> dict[str, Path]:
        outputs = self.reports / ".staging" / item.unit / OUTPUTS
        files = {p.relative_to(outputs).as_posix(): p for p in sorted(outputs.rglob("*")) if p.is_file()}
        bad = [rel for rel in files if not rel.startswith(("figures/", "tables/"))]
        if bad:
            raise _OutputError(f"{item.unit} wrote files outside figures/ and tables/: {', '.join(bad)}")
        files = {f"{config.SITE}/{rel}": path for rel, path in files.items()}
        owners = {rel: name for name, e in self.entries.items() if name != plan.pub.name
                  for s in e.sets.values() for rel in s.outputs}
        clashes = [f"{rel} (also written by {owners[rel]})" for rel in files if rel in owners]
        if clashes:
            raise _OutputError(f"{item.unit} wrote files another publication publishes: {', '.join(clashes)}")
        return files

    def _promote(self, plan: _Plan, item: _Set, produced: dict[str, Path],
                 old: SetRecord | None) -> SetRecord:
        pub, staging = plan.pub, self.reports / ".staging" / item.unit
        page = pub.page(item.key)
        files = staging / PAGE_FILES
        images = {(Path(page).parent / p.relative_to(files)).as_posix(): p
                  for p in sorted(files.rglob("*")) if p.is_file()}
        for rel, path in {**produced, **images}.items():
            target = self.reports / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        (self.reports / page).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / PAGE, self.reports / page)
        tables = [r for r in produced if r.startswith(f"{config.SITE}/tables/") and r.endswith(".csv")]
        books = [site.write_report_workbook(self.reports, pub, item.title, tables, self._provenance(),
                                            self.pipeline.contact)] if tables and not pub.collection else []
        self._remove_old(old, {*produced, *images, page, *books})
        failed = self._failed_path(pub, item.key)
        failed.unlink(missing_ok=True)
        if not pub.collection:
            (self.reports / "executed").mkdir(exist_ok=True)
            os.replace(staging / EXECUTED, self.reports / "executed" / f"{pub.name}.ipynb")
        outcome = item.outcome
        inputs = {**item.inputs, "reads": outcome.reads}
        provenance = self._provenance()
        return SetRecord(title=item.title, show_code=self.opts.show_code, key=manifest.sha256_json(inputs),
                         reads=outcome.reads, parameters=item.parameters,
                         outputs=manifest.output_hashes(self.reports, [*produced, *images, page, *books]),
                         run_date=provenance["run_date"], commit=provenance["commit"],
                         seconds=round(outcome.seconds, 1), cells=outcome.cells,
                         summary_html=outcome.summary_html, synthetic=list(outcome.synthetic))

    def _render(self, plan: _Plan, item: _Set, entry: SetRecord) -> SetRecord:
        """Re-render a report's page from its kept executed notebook (page options changed)."""
        from analysis.publish import pages
        from analysis.publish.executors import sources_for_reads

        nb = pages.read_notebook(self.reports / "executed" / f"{plan.pub.name}.ipynb")
        provenance = {"run_date": entry.run_date, "commit": entry.commit,
                      "versions": self._provenance()["versions"], "command": site.COMMAND,
                      "parameters": entry.parameters,
                      "sources": sources_for_reads(entry.reads, self.settings)}
        page = plan.pub.page(item.key)
        html = pages.notebook_page(nb, item.title, provenance, show_code=self.opts.show_code,
                                   nav=site.nav(plan.pub, self.pipeline), root=pages.site_root(page),
                                   downloads=site.page_downloads(plan.pub) if plan.pub.collection or (
                                       self.reports / plan.pub.workbook()).is_file() else ())
        folder = (self.reports / page).parent
        images = [(Path(page).parent / name).as_posix()
                  for name in write_page(self.reports / page, folder, page, html)]
        images = f"{Path(page).parent.as_posix()}/{pages.IMAGES}/"
        kept = [rel for rel in entry.outputs if rel != page and not rel.startswith(images)]
        self._remove_old(entry, {*kept, *images, page})
        outputs = manifest.output_hashes(self.reports, [*kept, *images, page])
        return replace(entry, title=item.title, show_code=self.opts.show_code, outputs=outputs)

    def _remove_old(self, old: SetRecord | IndexRecord | None, outputs: set[str]) -> None:
        """Remove the files a set (or an index) published before that it no longer publishes
        (after the new ones are in place, so a crash leaves a page whose images exist)."""
        for rel in old.outputs if old else {}:
            if rel not in outputs:
                self._unlink(rel)

    def _unlink(self, rel: str) -> None:
        """Remove a published file, and the folders it leaves empty (up to ``reports/``)."""
        path = self.reports / rel
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == self.reports or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()

    def _remove_dropped(self, plan: _Plan, sets: dict[str, SetRecord]) -> None:
        """After a full run of a collection, remove the pages of keys it no longer has."""
        keys = {s.key for s in plan.sets}
        for key in [k for k in sets if k not in keys]:
            for rel in sets.pop(key).outputs:
                self._unlink(rel)

    def _failed_path(self, pub: config.Publication, key: str | None) -> Path:
        name = f"{pub.name}/{key}.failed.ipynb" if pub.collection else f"{pub.name}.failed.ipynb"
        return self.reports / "executed" / name

    def _fail(self, plan: _Plan, failed: list[_Set]) -> None:
        pub = plan.pub
        for item in failed:
            partial = self.reports / ".staging" / item.unit / FAILED
            target = self._failed_path(pub, item.key)
            if partial.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(partial, target)
            self.result.errors[item.unit] = f"{item.outcome.error} (partial notebook: {target})"
        shutil.rmtree(self.reports / ".staging" / pub.name, ignore_errors=True)
        self.result.status[pub.name] = "failed"
        self._record(pub.name).last_failure = Failure(date=run_date(),
                                                      errors={s.unit: s.outcome.error for s in failed})
        self.progress.line(f"{pub.name}: FAILED ({len(failed)} of {len(plan.sets)} parameter sets); "
                           "its published pages and outputs were left as they were")
        self._save()

    # -- indexes --------------------------------------------------------------------------------
    def _index_stale(self, plan: _Plan) -> bool:
        recorded = self.entries.get(plan.pub.name, PublicationRecord()).index
        return bool(plan.pub.index) and (not recorded or manifest.output_hashes(
            self.reports, recorded.outputs) != recorded.outputs)

    def _write_collection_index(self, plan: _Plan) -> None:
        """Ask the collection's ``index`` hook for its table and downloads (the ONS codes added
        where the table store is bound), have :mod:`.site` write them, and record them."""
        from analysis.publish.executors import sources_for_reads

        pub = plan.pub
        entry = self._record(pub.name)
        linked = sorted(entry.sets)
        table, _ = self._call(config.hook(pub.index), plan.prepared, linked)
        if not isinstance(table, IndexTable):
            raise config.ConfigError(f"{pub.name}: its index hook ({pub.index}) must return an "
                                     "IndexTable (analysis.report.collection)")
        provenance = {**self._provenance(),
                      "sources": sources_for_reads(plan.shared_reads, self.settings)}
        wanted = {**{f"{pub.name}_{k}.csv": f for k, f in table.csv.items()},
                  **{f"{pub.name}/{k}.csv": f for k, f in table.page_csv.items()}}
        csvs, _ = self._call(site.with_ons_codes, wanted)
        outputs = site.write_collection_index(self.reports, pub, table, provenance, csvs,
                                              self.pipeline.contact)
        self._remove_old(entry.index, set(outputs))   # downloads it no longer writes
        entry.index = IndexRecord(title=table.title, summary=table.summary, count=len(linked),
                                  run_date=provenance["run_date"], commit=provenance["commit"],
                                  outputs=manifest.output_hashes(self.reports, outputs))

    def _save(self) -> None:
        for name in [n for n in self.entries if n not in {p.name for p in self.pipeline.publications}]:
            del self.entries[name]
        manifest.write_manifest(self.reports, self.manifest)

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> RunResult:
        self.manifest.stylesheet = site.write_stylesheet(self.reports)
        waiting = list(self.pubs)
        futures: dict = {}
        pool_holder: list = []
        try:
            while waiting or futures:
                for pub in [p for p in waiting if all(n in self.result.status for n in p.needs)]:
                    waiting.remove(pub)
                    self._start(self._plan(pub), pool_holder, futures)
                if futures:
                    done, _ = wait(futures, timeout=0.2, return_when=FIRST_COMPLETED)
                    _drain(pool_holder, self.progress)
                    for future in done:
                        plan, item = futures.pop(future)
                        self._finished(plan, item, future.result())
        finally:
            if pool_holder:
                pool_holder[0].shutdown(cancel_futures=True)
            self.progress.close()
        index = site.write_site_index(self.reports, self.pipeline, self.entries, catalogue_for(self.settings))
        if index is not None:
            self.manifest.index = index
            key = self.manifest.site_key()
            if key != self.manifest.site_zip or not (self.reports / site.ZIP_NAME).is_file():
                site.write_zip(self.reports)
                self.manifest.site_zip = key
        self.manifest.last_run = {
            "publications": self.result.status, "errors": self.result.errors, "pages": self.result.pages,
            "seconds": round(time.perf_counter() - self.started, 2),
            "options": {"force": self.opts.force, "jobs": self.opts.jobs, "show_code": self.opts.show_code,
                        "only": list(self.opts.only),
                        "params_file": str(self.opts.params_file) if self.opts.params_file else None}}
        self._save()
        return self.result


class _OutputError(Exception):
    """A set wrote outputs that clash with another publication's or fall outside its folders."""


def _prepare_in_process(reference: str, path: Path, settings: Settings, parameters: dict) -> dict:
    """Run a ``prepare`` hook (with the parameters every set shares, files as absolute paths) in
    a short-lived process (its memory, mostly processed tables, is returned when it exits);
    returns the tables it read."""
    import json
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as builder:
        builder.apply(_prepare, (reference, str(path), settings.to_json(), parameters))
    return json.loads(settings.reads_file.read_text()) if settings.reads_file.is_file() else {}


def _prepare(reference: str, path: str, settings_json: str, parameters: dict) -> None:
    with using(Settings.from_json(settings_json)):
        config.hook(reference)(Path(path), parameters)


def _drain(pool_holder: list, progress: _Progress) -> None:
    import queue as queue_module

    if not pool_holder:
        return
    while True:
        try:
            progress.message(*pool_holder[1].get_nowait())
        except queue_module.Empty:
            return


def run(opts: RunOptions = RunOptions()) -> RunResult:
    """Run the pipeline (see the module docstring). A bad config or parameter file raises
    :class:`~analysis.publish.config.ConfigError`; another run publishing into the same folder
    raises :class:`RunInProgress`."""
    lock = run_lock(opts.settings.reports_dir)
    try:
        return _Runner(opts).run()
    finally:
        lock.release()


def run_lock(reports: Path):
    """Take the lock of a reports folder (one publishing run at a time); raises
    :class:`RunInProgress` at once if it is held. Release it when done."""
    from filelock import FileLock, Timeout

    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(reports / ".run.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RunInProgress(f"another pipeline run is publishing into {reports} (lock {lock.lock_file}); "
                            "wait for it to finish") from None
    return lock
