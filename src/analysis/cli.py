"""Command line: ``python -m analysis data {fetch,verify,sources,build,tables}``,
``python -m analysis run`` (the pipeline), ``python -m analysis survey {template,synthesise}``,
``python -m analysis finance local FILE --la CODE`` and ``python -m analysis test-notebooks``.
The only module that imports the publishing layer.

Every command takes the run's folders (``--data-dir``, ``--reports-dir``, ``--mirror``,
``--catalogue``) and passes them on as one :class:`analysis.settings.Settings` value. Exit codes
are those of :mod:`analysis.errors`. Heavy libraries are imported only by the commands that need
them, so a pipeline run with nothing to do returns quickly.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from analysis.errors import EXIT_USAGE, AnalysisError
from analysis.settings import MIRROR_ENV, Settings


def _settings_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("where to read and write")
    group.add_argument("--data-dir", type=Path, metavar="DIR",
                       help="folder holding raw/, processed/ and interim/ (default: data/)")
    group.add_argument("--reports-dir", type=Path, metavar="DIR", help="where to publish (default: reports/)")
    group.add_argument("--mirror", type=Path, metavar="DIR",
                       help=f"local folder laid out like ../shared/data (default: ${MIRROR_ENV})")
    group.add_argument("--catalogue", type=Path, metavar="FILE",
                       help="a catalogue TOML to use instead of the package's (e.g. with a new release)")
    return common


def settings_from(args) -> Settings:
    """The run's settings from the command's options (defaults: the project's folders)."""
    data = args.data_dir
    return Settings.default(
        raw_dir=data / "raw" if data else None, processed_dir=data / "processed" if data else None,
        interim_dir=data / "interim" if data else None, reports_dir=args.reports_dir,
        **({"mirror": args.mirror} if args.mirror else {}),
        **({"catalogue": args.catalogue} if args.catalogue else {}))


def _parser() -> argparse.ArgumentParser:
    common = _settings_options()
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="SEND high needs evidence base.")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="fetch, verify and build the official data")
    actions = data.add_subparsers(dest="action", required=True)
    fetch = actions.add_parser("fetch", parents=[common],
                               help="download missing source files into data/raw and verify their sha256")
    fetch.add_argument("ids", nargs="*", help="source ids (default: all; see 'data sources')")
    actions.add_parser("verify", parents=[common],
                       help="re-check the sha256 of every file in data/raw (offline)")
    actions.add_parser("sources", parents=[common], help="list the catalogued source files")
    build = actions.add_parser("build", parents=[common], help="build processed tables whose inputs changed")
    build.add_argument("ids", nargs="*", help="table ids (default: all; see 'data tables')")
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    actions.add_parser("tables", parents=[common],
                       help="list processed tables with row counts, years and source files")

    run = commands.add_parser(
        "run", parents=[common],
        help="execute the pipeline's publications (what changed) and publish reports/html",
        description="Execute the publications listed in notebooks/pipeline.yaml (the reports, and "
                    "a profile page per LA) whose inputs changed (notebook, parameters, package "
                    "source, the processed tables they read), in parallel, and publish their "
                    "figures, tables, pages, indexes and manifest.json.")
    run.add_argument("publications", nargs="*", metavar="PUBLICATION",
                     help="names or notebook files of publications to run, plus what they need "
                          "(default: all)")
    run.add_argument("--only", nargs="+", default=[], metavar="KEY",
                     help="only these pages of a collection (e.g. LA codes: --only 886 940)")
    run.add_argument("--force", action="store_true", help="re-run even if up to date")
    run.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                     help="kernels at once (default: the number of cores, %(default)s)")
    run.add_argument("--params", type=Path, metavar="FILE",
                     help="YAML parameters overriding each selected publication's parameters")
    run.add_argument("--show-code", action="store_true", help="show code cells in the pages")
    run.add_argument("--config", type=Path, help="pipeline config (default: notebooks/pipeline.yaml)")

    survey = commands.add_parser("survey", help="the LA high needs survey: template, synthetic sample")
    survey_actions = survey.add_subparsers(dest="action", required=True)
    template = survey_actions.add_parser("template", parents=[common],
                                         help="write a blank return (CSV and XLSX) from the codebook")
    template.add_argument("--out", type=Path, default=Path("."), help="folder to write into (default: .)")
    template.add_argument("--years", nargs="+", help="financial years, e.g. 2015-16 2016-17 "
                                                     "(default: the codebook's)")
    synth = survey_actions.add_parser(
        "synthesise", parents=[common],
        help="write a SYNTHETIC return set calibrated to the published interim aggregates")
    synth.add_argument("--n", type=int, default=73, help="respondents (default: 73, as at the interim stage)")
    synth.add_argument("--seed", type=int, default=2018, help="random seed (default: 2018)")
    synth.add_argument("--out", type=Path, help="CSV file (default: data/processed/SYNTHETIC_survey_returns_"
                                                "n<N>_seed<SEED>.csv)")

    fin = commands.add_parser("finance", help="high needs money: an LA's position with its own figures")
    fin_actions = fin.add_subparsers(dest="action", required=True)
    own = fin_actions.add_parser(
        "local", parents=[common],
        help="print an LA's DSG position when the statutory override ends, from its own figures",
        description="Read an LA's own figures (a figures CSV: la_code, measure, period, value; or "
                    "the survey's return), restart its DSG path from the latest it gives, and "
                    "print its position at the end of the override with and without the High "
                    "Needs Stability Grant, on the default scenario of the finance assumptions.")
    own.add_argument("file", type=Path, help="the LA's figures (CSV or the survey's CSV/XLSX return)")
    own.add_argument("--la", required=True, metavar="CODE", help="the LA's DfE 3-digit code, e.g. 886")

    prepare = commands.add_parser(
        "test-notebooks", parents=[common],
        help="write every publication's notebook with its test parameters (for nbval)")
    prepare.add_argument("dest", type=Path, help="folder for the parameterised notebooks")
    prepare.add_argument("--config", type=Path, help="pipeline config (default: notebooks/pipeline.yaml)")
    return parser


def _fetch(args, settings: Settings) -> int:
    from analysis.sources import fetch

    report = fetch.fetch(args.ids, settings=settings)
    print(f"fetch: {len(report.done)} ok, {len(report.failed)} failed (data in {settings.raw_dir})")
    for source_id in report.failed:
        print(f"  failed: {source_id}")
    return report.exit_code


def _verify(_args, settings: Settings) -> int:
    from analysis.sources import fetch

    report = fetch.verify(settings)
    print(f"verify: {len(report.ok)} verified, {len(report.mismatched)} mismatched, "
          f"{len(report.missing)} not fetched, {len(report.unknown)} not catalogued "
          f"(in {settings.raw_dir})")
    for message in report.mismatched.values():
        print(f"  MISMATCH {message}")
    for name in report.unknown:
        print(f"  not in the catalogue (ignored): {name}")
    return report.exit_code


def _sources(_args, settings: Settings) -> int:
    import pandas as pd

    from analysis.sources.catalogue import catalogue_for

    rows = [{"id": s.id, "dataset": s.dataset, "vintage": s.vintage, "publisher": s.publisher,
             "file": s.file} for s in catalogue_for(settings).values()]
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 60):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _build(args, settings: Settings) -> int:
    from analysis.tables import build

    status = build.build(args.ids, force=args.force, settings=settings)
    built = sum(s == "built" for s in status.values())
    print(f"build: {built} built, {len(status) - built} up to date (in {settings.processed_dir})")
    return 0


def _tables(_args, settings: Settings) -> int:
    import pandas as pd

    from analysis.tables import build

    with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 80):
        print(build.describe_tables(settings).to_string(index=False))
    return 0


DATA_ACTIONS = {"fetch": _fetch, "verify": _verify, "sources": _sources, "build": _build,
                "tables": _tables}


def _run(args, settings: Settings) -> int:
    from analysis.publish import config
    from analysis.publish.scheduler import RunOptions, run

    opts = RunOptions(names=tuple(args.publications), only=tuple(dict.fromkeys(args.only)),
                      force=args.force, jobs=max(1, args.jobs), params_file=args.params,
                      show_code=args.show_code, config_path=args.config or config.CONFIG_PATH,
                      settings=settings)
    result = run(opts)
    counts = {s: list(result.status.values()).count(s) for s in dict.fromkeys(result.status.values())}
    print("run: " + ", ".join(f"{n} {s}" for s, n in counts.items())
          + f" (site folder to host: {settings.site_dir})")
    for unit, error in result.errors.items():
        print(f"  {unit}: {error}", file=sys.stderr)
    return result.exit_code


def _test_notebooks(args, settings: Settings) -> int:
    from analysis.publish import config, testing

    written = testing.prepare(args.dest, settings, args.config or config.CONFIG_PATH)
    print(f"test-notebooks: {len(written)} notebooks with test parameters in {args.dest}")
    return 0


def _survey(args, settings: Settings) -> int:
    from analysis.files import atomic_write
    from analysis.settings import using
    from analysis.studies.survey import codebook, returns, synthetic

    try:
        if args.action == "template":
            written = returns.write_template(args.out, codebook.load_codebook(args.years))
            print("survey template: " + ", ".join(str(p) for p in written))
            return 0
        with using(settings):
            raw = synthetic.synthesise(codebook.load_codebook(), n=args.n, seed=args.seed)
            out = args.out or synthetic.default_path(args.n, args.seed)
    except ValueError as exc:  # bad years or n
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if "SYNTHETIC" not in out.name.upper():
        print(f"error: {out.name}: a synthetic file's name must say SYNTHETIC", file=sys.stderr)
        return EXIT_USAGE
    atomic_write(out, lambda tmp: raw.to_csv(tmp, index=False))
    print(f"survey synthesise: {len(raw)} SYNTHETIC returns (seed {args.seed}) in {out}")
    return 0


def _finance_local(args, settings: Settings) -> int:
    from analysis.settings import using
    from analysis.studies import finance
    from analysis.studies.finance import local, reading
    from analysis.tables import store

    code = str(args.la).strip()
    not_an_la = f"error: --la {code}: not an LA with a DSG path (a DfE 3-digit code such as 886)"
    with using(settings):
        if code not in set(store.load("la_lookup")["old_la_code"]):   # before the projection
            print(not_an_la, file=sys.stderr)
            return EXIT_USAGE
        logging.getLogger("analysis").info("finance: projecting every LA's DSG path with %s "
                                           "(takes a few seconds)", args.file)
        fin = finance.build(supplied=args.file, backtest=False)
    rows = fin.position[fin.position["area_code"].eq(code) & fin.position["part"].eq("the LA")]
    if rows.empty:
        print(not_an_la, file=sys.stderr)
        return EXIT_USAGE
    row, a = rows.iloc[0], fin.assumptions
    given = fin.supplied.rows[fin.supplied.rows["la_code"].eq(code)]
    print(reading.position_sentence(row["area_name"], row, a.settlement["write_off_year"], a.to_year))
    print(f"Scenario: {a.scenario}; starting balance: {row['start_basis']}.")
    if given.empty:
        print(f"{args.file} has no figures for {code}: public figures only.")
    for r in given.itertuples():
        print(f"  used from {args.file}, {r.row}: {local.described(r.measure, r.year)}: "
              f"{r.value:,.0f}")
    return 0


def _configure_logging() -> None:
    """Progress of the project's own modules on stderr, one line per message."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    project = logging.getLogger("analysis")
    project.handlers[:] = [handler]
    project.setLevel(logging.INFO)
    project.propagate = False


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging()
    commands = {"run": _run, "test-notebooks": _test_notebooks, "survey": _survey,
                "finance": _finance_local}
    handler = commands.get(args.command) or DATA_ACTIONS[args.action]
    try:
        return handler(args, settings_from(args))
    except KeyError as exc:
        if args.command != "data":  # unknown source or table ids; elsewhere a KeyError is a bug
            raise
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
