"""Render the profile of every LA in one run: ``python -m analysis profiles``.

Speed comes from doing the fixed work once. A short-lived process builds every indicator for
every LA (:func:`analysis.profiles.load`) into a pickle that the kernels and the index page read
(``ANALYSIS_PROFILES_CACHE``); meanwhile each worker starts one kernel that renders all its LAs
(:mod:`analysis.pipeline.batch`), so imports, data and the charts' figures (:mod:`.figures`)
are set up once per kernel.

Pages are written to ``reports/.staging/profiles``; only when every LA succeeded is the folder
swapped in as ``reports/html/profiles`` (with ``--la``, only the pages asked for are replaced).
A failure leaves the published profiles as they were and keeps the partial notebook as
``reports/executed/profiles/CODE.failed.ipynb``. A run whose inputs (notebook, package source,
processed tables, options) are unchanged since the last full run, with its pages intact, does
nothing unless forced. The run takes the reports folder's lock.
"""

from __future__ import annotations

import pickle
import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from analysis.files import atomic_write
from analysis.pipeline import batch, config, state
from analysis.pipeline.run import PublishOptions, ensure_tables, run_lock, write_index

PAGES = "html/profiles"
COMMAND = "python -m analysis profiles"
NAV = (("index.html", "All LA profiles"), ("../index.html", "All reports"))
EXIT_FAILED = 1


@dataclass(frozen=True)
class ProfileOptions(PublishOptions):
    """Which LAs (default: every LA with SEND duties in the latest year) and how."""

    codes: tuple[str, ...] = ()


@dataclass
class ProfileResult:
    rendered: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    up_to_date: bool = False
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.errors else 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _write_cache(path: str) -> None:
    from analysis import profiles

    atomic_write(Path(path), lambda p: p.write_bytes(pickle.dumps(profiles.load())))


def _build_cache(path: Path):
    """Build every indicator in a short-lived process (its memory, mostly the processed tables,
    is returned when it exits) into the pickle at ``path``; return what it holds."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as builder:
        builder.apply(_write_cache, (str(path),))
    return pickle.loads(path.read_bytes())


def _choose(las, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    names = dict(zip(las["code"], las["name"]))
    unknown = [c for c in codes if c not in names]
    if unknown:
        raise ValueError(f"--la: {', '.join(unknown)} not LAs with SEND duties in the latest year "
                         f"held; choose from: {', '.join(names)}")
    return [(c, names[c]) for c in (codes or tuple(names))]


def _render_pages(pages: list[batch.Page], result: ProfileResult, pool, started: float) -> None:
    step = max(1, len(pages) // 10)
    for done, (code, error, seconds) in enumerate(
            pool.imap_unordered(batch.render_page, pages), start=1):
        if error:
            result.errors[code] = error
            _say(f"  FAILED {code}: {error}")
        else:
            result.rendered.append(code)
        if done % step == 0 or done in (1, len(pages)):
            _say(f"  [{done:>3}/{len(pages)}] profiles rendered ({seconds:.1f} s for the last, "
                 f"{time.perf_counter() - started:.1f} s since the start)")


def _promote(reports: Path, staging: Path, full: bool) -> Path:
    """Move the staged pages into ``html/profiles``: the whole folder swapped for a full run,
    page by page for chosen LAs."""
    target = reports / PAGES
    if full:
        old = reports / ".staging" / "profiles-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        target.mkdir(parents=True, exist_ok=True)
        for page in sorted(staging.glob("*.html")):
            page.replace(target / page.name)
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _inputs(spec, table_hashes: dict, opts: ProfileOptions) -> dict:
    return {"notebook": state.sha256_file(spec.notebook), "package": state.package_source_hash(),
            "tables": {t: table_hashes[t] for t in spec.tables}, "title": spec.title,
            "show_code": opts.show_code}


def _is_current(entry: dict | None, inputs: dict, reports: Path) -> bool:
    """The last full run had these inputs and its pages are as it wrote them."""
    if not entry or entry.get("inputs") != inputs or not entry.get("outputs"):
        return False
    return state.output_hashes(reports, entry["outputs"]) == entry["outputs"]


def _job(spec, pipeline, reports: Path, staging: Path, cache: Path, show_code: bool) -> batch.BatchJob:
    from papermill.iorw import load_notebook_node

    from analysis import data
    from analysis.pipeline.publish import package_versions
    from analysis.profiles import CACHE_ENV

    provenance = {"run_date": state.run_date(), "commit": state.git_commit(), "command": COMMAND,
                  "sources": data.sources_of(spec.tables), "versions": package_versions()}
    return batch.BatchJob(
        notebook=load_notebook_node(str(spec.notebook)), kernel=pipeline.kernel,
        timeout=pipeline.execution_timeout, cwd=str(spec.notebook.parent),
        env={CACHE_ENV: str(cache)}, warm_up="import analysis.profiles.page", staging=str(staging),
        failed_dir=str(reports / "executed" / "profiles"), provenance=provenance,
        show_code=show_code, nav=NAV)


def _publish(reports: Path, staging: Path, full: bool, built, rendered: list[str],
             provenance: dict) -> tuple[Path, list[str]]:
    """Write the index, move the pages into place; return the folder and the LAs it links."""
    from analysis.profiles import site

    published = set() if full else {p.stem for p in (reports / PAGES).glob("*.html")}
    linked = sorted((published - {"index"}) | set(rendered))
    page = site.render_index(built, linked, provenance)
    atomic_write(staging / "index.html", partial(Path.write_text, data=page, encoding="utf-8"))
    return _promote(reports, staging, full), linked


def render(opts: ProfileOptions = ProfileOptions()) -> ProfileResult:
    """Render the profiles (see the module docstring) and the profiles' index page."""
    from analysis import data
    from analysis.profiles import benchmarks

    started = time.perf_counter()
    reports = Path(opts.reports_dir).resolve()
    pipeline = config.load_pipeline(opts.config_path)
    spec = pipeline.profiles
    if spec is None:
        raise config.ConfigError(f"{pipeline.path}: no 'profiles' entry")
    lock = run_lock(reports)
    try:
        manifest = state.read_manifest(reports)
        table_hashes = ensure_tables([spec], manifest, state.package_source_hash(), opts)
        inputs, full = _inputs(spec, table_hashes, opts), not opts.codes
        if full and not opts.force and _is_current(manifest.get("profiles"), inputs, reports):
            _say("profiles: up to date (use --force to render again)")
            state.write_manifest(reports, manifest)
            return ProfileResult(up_to_date=True, seconds=time.perf_counter() - started)
        chosen = _choose(benchmarks.profile_las(data.load("la_lookup")), tuple(opts.codes))
        staging, cache = reports / ".staging" / "profiles", reports / ".staging" / "profiles.pickle"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        job = _job(spec, pipeline, reports, staging, cache, opts.show_code)
        result = ProfileResult()
        jobs = max(1, min(opts.jobs, len(chosen)))
        with batch.pool(jobs, job) as pool:  # kernels start while the indicators are built
            built = _build_cache(cache)
            _say(f"profiles: indicators for {len(built.las)} LAs built "
                 f"({time.perf_counter() - started:.1f} s); rendering {len(chosen)} profiles "
                 f"with {jobs} kernels")
            pages = [batch.Page(code, {"la_code": code}, spec.title.format(name=name, code=code))
                     for code, name in chosen]
            _render_pages(pages, result, pool, started)
        cache.unlink(missing_ok=True)
        result.seconds = time.perf_counter() - started
        if result.errors:
            _say(f"profiles: {len(result.errors)} failed; the published profiles were left as they were")
            shutil.rmtree(staging, ignore_errors=True)
            return result
        target, linked = _publish(reports, staging, full, built, result.rendered, job.provenance)
        outputs = [f"{PAGES}/{name}.html" for name in ["index", *linked]]
        manifest["profiles"] = {  # only a full run vouches for every page
            "count": len(linked), "run_date": job.provenance["run_date"],
            "commit": job.provenance["commit"], "seconds": round(result.seconds, 2),
            "inputs": inputs if full else None,
            "outputs": state.output_hashes(reports, outputs) if full else None}
        write_index(reports, manifest, pipeline)
        state.write_manifest(reports, manifest)
        _say(f"profiles: {len(result.rendered)} rendered in {time.perf_counter() - started:.1f} s "
             f"-> {target / 'index.html'}")
        return result
    finally:
        lock.release()
