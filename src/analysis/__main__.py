"""Command line: ``python -m analysis data {fetch,verify,build,tables}``.

Exit codes: 0 success; 2 usage error; 3 a file must be placed by hand (no download route);
4 a sha256 mismatch; 5 a network failure; 6 a source file or table failed validation.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from analysis import fetch as fetch_mod
from analysis import tables
from analysis.conventions import DataError
from analysis.paths import MIRROR_ENV, PROCESSED_DIR, RAW_DIR
from analysis.schemas import TableValidationError

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
    return parser


def _fetch(args) -> int:
    report = fetch_mod.fetch(args.ids, mirror=args.mirror)
    print(f"fetch: {len(report.done)} ok, {len(report.failed)} failed (data in {RAW_DIR})")
    for source_id in report.failed:
        print(f"  failed: {source_id}")
    return report.exit_code


def _verify(_args) -> int:
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
    from analysis.catalogue import load_catalogue

    rows = [{"id": s.id, "publisher": s.publisher, "release": s.release, "years": s.years,
             "file": s.file} for s in load_catalogue().values()]
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 60):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


def _build(args) -> int:
    status = tables.build(args.ids, force=args.force, mirror=args.mirror)
    built = sum(s == "built" for s in status.values())
    print(f"build: {built} built, {len(status) - built} up to date (in {PROCESSED_DIR})")
    return 0


def _tables(_args) -> int:
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(tables.describe_tables().to_string(index=False))
    return 0


ACTIONS = {"fetch": _fetch, "verify": _verify, "sources": _sources, "build": _build,
           "tables": _tables}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return ACTIONS[args.action](args)
    except fetch_mod.FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    except (DataError, TableValidationError, tables.TableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
