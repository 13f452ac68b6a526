"""Command line: ``python -m analysis data {fetch,verify,sources,build,tables}``,
``python -m analysis run`` (the pipeline), ``python -m analysis profiles`` (a profile per LA),
``python -m analysis survey {template,synthesise}`` and ``python -m analysis test-notebooks``.

Exit codes: 0 success; 1 a notebook failed; 2 usage error or invalid pipeline config;
3 a file must be placed by hand (no download route); 4 a sha256 mismatch; 5 a network failure;
6 a source file or table failed validation. Heavy libraries are imported only by the commands
that need them, so a pipeline run with nothing to do returns quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.paths import MIRROR_ENV, PROCESSED_DIR, RAW_DIR

EXIT_USAGE = 2
EXIT_INVALID = 6


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="SEND high needs evidence base.")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="fetch, verify and build the official data")
    actions = data.add_subparsers(dest="action", required=True)
    mirror_help = f"local folder laid out like ../shared/data (default: ${MIRROR_ENV})"

    fetch = actions.add_parser("fetch", help="download missing source files into data/raw and "
                                             "verify their sha256")
    fetch.add_argument("ids", nargs="*", help="source ids (default: all; see 'data sources')")
    fetch.add_argument("--mirror", help=mirror_help)

    actions.add_parser("verify", help="re-check the sha256 of every file in data/raw (offline)")
    actions.add_parser("sources", help="list the catalogued source files")

    build = actions.add_parser("build", help="build processed tables whose inputs changed")
    build.add_argument("ids", nargs="*", help="table ids (default: all; see 'data tables')")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build.add_argument("--mirror", help=mirror_help)

    actions.add_parser("tables", help="list processed tables with row counts and years")

    run = commands.add_parser(
        "run", help="execute the pipeline's notebooks (what changed) and publish reports/html",
        description="Execute the notebooks listed in notebooks/pipeline.yaml whose inputs changed "
                    "(notebook, parameters, package source, processed tables), in parallel, and "
                    "publish their figures, tables, HTML pages, index.html and manifest.json.")
    run.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                     help="names or files of notebooks to run, plus what they need (default: all)")
    run.add_argument("--force", action="store_true", help="re-run even if up to date")
    run.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                     help="notebooks run at once (default: the number of cores, %(default)s)")
    run.add_argument("--params", type=Path, metavar="FILE",
                     help="YAML parameters overriding each selected notebook's parameter file")
    run.add_argument("--show-code", action="store_true", help="show code cells in the HTML pages")
    run.add_argument("--config", type=Path, help="pipeline config (default: notebooks/pipeline.yaml)")
    run.add_argument("--reports-dir", type=Path, help="where to publish (default: reports/)")
    run.add_argument("--mirror", help=mirror_help)

    prof = commands.add_parser(
        "profiles", help="render the local area profile of every LA (or --la) into reports/html/profiles",
        description="Execute notebooks/04_local_area_profile.ipynb for every LA with SEND duties in "
                    "the latest year held (one warm kernel per job) and publish the pages and a "
                    "sortable index under reports/html/profiles/.")
    prof.add_argument("--la", nargs="+", default=[], metavar="CODE",
                      help="3-digit DfE LA codes to render (default: every LA)")
    prof.add_argument("--force", action="store_true",
                      help="render every LA even if nothing changed since the last full run")
    prof.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                      help="kernels rendering at once (default: the number of cores, %(default)s)")
    prof.add_argument("--show-code", action="store_true", help="show code cells in the HTML pages")
    prof.add_argument("--config", type=Path, help="pipeline config (default: notebooks/pipeline.yaml)")
    prof.add_argument("--reports-dir", type=Path, help="where to publish (default: reports/)")
    prof.add_argument("--mirror", help=mirror_help)

    survey = commands.add_parser("survey", help="the LA high needs survey: template, synthetic sample")
    survey_actions = survey.add_subparsers(dest="action", required=True)
    template = survey_actions.add_parser("template",
                                         help="write a blank return (CSV and XLSX) from the codebook")
    template.add_argument("--out", type=Path, default=Path("."), help="folder to write into (default: .)")
    template.add_argument("--years", nargs="+", help="financial years, e.g. 2015-16 2016-17 "
                                                     "(default: the codebook's)")
    synth = survey_actions.add_parser(
        "synthesise", help="write a SYNTHETIC return set calibrated to the published interim aggregates")
    synth.add_argument("--n", type=int, default=73, help="respondents (default: 73, as at the interim stage)")
    synth.add_argument("--seed", type=int, default=2018, help="random seed (default: 2018)")
    synth.add_argument("--out", type=Path, help="CSV file (default: data/processed/SYNTHETIC_survey_returns_"
                                                "n<N>_seed<SEED>.csv)")

    prepare = commands.add_parser(
        "test-notebooks", help="write every pipeline notebook with its test parameters (for nbval)")
    prepare.add_argument("dest", type=Path, help="folder for the parameterised notebooks")
    prepare.add_argument("--config", type=Path, help="pipeline config (default: notebooks/pipeline.yaml)")
    return parser


def _fetch(args) -> int:
    from analysis import fetch as fetch_mod

    report = fetch_mod.fetch(args.ids, mirror=args.mirror)
    print(f"fetch: {len(report.done)} ok, {len(report.failed)} failed (data in {RAW_DIR})")
    for source_id in report.failed:
        print(f"  failed: {source_id}")
    return report.exit_code


def _verify(_args) -> int:
    from analysis import fetch as fetch_mod

    report = fetch_mod.verify()
    print(f"verify: {len(report.ok)} verified, {len(report.mismatched)} mismatched, "
          f"{len(report.missing)} not fetched, {len(report.unknown)} not catalogued "
          f"(in {RAW_DIR})")
    for message in report.mismatched.values():
        print(f"  MISMATCH {message}")
    for name in report.unknown:
        print(f"  not in the catalogue (ignored): {name}")
    return report.exit_code


def _sources(_args) -> int:
    import pandas as pd

    from analysis.catalogue import load_catalogue

    rows = [{"id": s.id, "publisher": s.publisher, "release": s.release, "years": s.years,
             "file": s.file} for s in load_catalogue().values()]
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _build(args) -> int:
    from analysis import tables

    status = tables.build(args.ids, force=args.force, mirror=args.mirror)
    built = sum(s == "built" for s in status.values())
    print(f"build: {built} built, {len(status) - built} up to date (in {PROCESSED_DIR})")
    return 0


def _tables(_args) -> int:
    import pandas as pd

    from analysis import tables

    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(tables.describe_tables().to_string(index=False))
    return 0


DATA_ACTIONS = {"fetch": _fetch, "verify": _verify, "sources": _sources, "build": _build,
                "tables": _tables}


def _run(args) -> int:
    from analysis.pipeline import config
    from analysis.pipeline.run import RunInProgress, RunOptions, run

    options = {"config_path": args.config, "reports_dir": args.reports_dir}
    opts = RunOptions(names=tuple(args.notebooks), force=args.force, jobs=max(1, args.jobs),
                      params_file=args.params, show_code=args.show_code, mirror=args.mirror,
                      **{k: v for k, v in options.items() if v is not None})
    try:
        result = run(opts)
    except (config.ConfigError, RunInProgress) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    counts = {s: list(result.status.values()).count(s) for s in dict.fromkeys(result.status.values())}
    print("run: " + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f" (pages in {opts.reports_dir / 'html'})")
    for name, error in result.errors.items():
        print(f"  {name}: {error}", file=sys.stderr)
    return result.exit_code


def _profiles(args) -> int:
    from analysis.pipeline import config
    from analysis.pipeline.run import RunInProgress
    from analysis.profiles.render import ProfileOptions, render

    options = {"config_path": args.config, "reports_dir": args.reports_dir}
    opts = ProfileOptions(codes=tuple(dict.fromkeys(args.la)), jobs=max(1, args.jobs),
                          force=args.force, show_code=args.show_code, mirror=args.mirror,
                          **{k: v for k, v in options.items() if v is not None})
    try:
        result = render(opts)
    except (config.ConfigError, RunInProgress, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if result.errors:
        print(f"profiles: {len(result.errors)} failed:", file=sys.stderr)
    for code, error in result.errors.items():
        print(f"  {code}: {error}", file=sys.stderr)
    return result.exit_code


def _test_notebooks(args) -> int:
    from analysis.pipeline import config, testing

    try:
        written = testing.prepare(args.dest, args.config or config.CONFIG_PATH)
    except config.ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"test-notebooks: {len(written)} notebooks with test parameters in {args.dest}")
    return 0


def _survey(args) -> int:
    from analysis.files import atomic_write
    from analysis.survey import codebook, returns, synthetic

    try:
        if args.action == "template":
            written = returns.write_template(args.out, codebook.load_codebook(args.years))
            print("survey template: " + ", ".join(str(p) for p in written))
            return 0
        raw = synthetic.synthesise(codebook.load_codebook(), n=args.n, seed=args.seed)
    except ValueError as exc:  # bad years or n
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    out = args.out or synthetic.default_path(args.n, args.seed)
    if "SYNTHETIC" not in out.name.upper():
        print(f"error: {out.name}: a synthetic file's name must say SYNTHETIC", file=sys.stderr)
        return EXIT_USAGE
    atomic_write(out, lambda tmp: raw.to_csv(tmp, index=False))
    print(f"survey synthesise: {len(raw)} SYNTHETIC returns (seed {args.seed}) in {out}")
    return 0


def _exit_code(exc: Exception) -> int | None:
    """The exit code for a data-layer error (imported only once one was raised), else None."""
    from analysis import fetch as fetch_mod
    from analysis import tables
    from analysis.conventions import DataError
    from analysis.schemas import TableValidationError

    if isinstance(exc, fetch_mod.FetchError):
        return exc.exit_code
    if isinstance(exc, (DataError, TableValidationError, tables.TableError)):
        return EXIT_INVALID
    return None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"run": _run, "profiles": _profiles, "test-notebooks": _test_notebooks,
                "survey": _survey}
    handler = commands.get(args.command) or DATA_ACTIONS[args.action]
    try:
        return handler(args)
    except KeyError as exc:
        if args.command != "data":  # unknown source or table ids; elsewhere a KeyError is a bug
            raise
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        code = _exit_code(exc)
        if code is None:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
