"""Build processed tables: verified raw files in, one parquet file per table out.

``build()`` rebuilds a table only when its inputs changed: the sha256 pins of the source files
its roles resolve to, or the code of the modules that read it (content hashes, not timestamps).
Each build is recorded in ``_build_state.json`` with the sha256 of the parquet file written, so
the table store can tell a file that no longer matches its build (a truncated copy, a hand edit)
from a current one. Builds take a lock on the processed folder, so parallel kernels wanting the
same table build it once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.files import atomic_write, sha256_file
from analysis.settings import Settings, current
from analysis.sources.catalogue import Catalogue, catalogue_for
from analysis.sources.fetch import HashMismatch, fetch, raw_path
from analysis.tables import conventions, schemas
from analysis.tables.definitions import TABLES, Table, get_table
from analysis.tables.readers import SourceFile
from analysis.tables.state import read_state, table_path, write_state

log = logging.getLogger(__name__)

LOCK_FILE = ".build.lock"


class TableError(AnalysisError):
    """A table could not be built or read; the message says which file and why."""

    exit_code = schemas.TableValidationError.exit_code


def input_key(table: Table, catalogue: Catalogue) -> str:
    """Content hash of everything a table depends on: the pins of the files its roles resolve
    to (and the LA lookup's key, if it joins names to codes) and its reader code."""
    digest = hashlib.sha256()
    for role, resolved in table.sources(catalogue).items():
        for source in resolved if isinstance(resolved, list) else [resolved]:
            digest.update(f"{role}:{source.id}={source.sha256}\n".encode())
    if table.uses_la_lookup:
        digest.update(f"la_lookup={input_key(TABLES['la_lookup'], catalogue)}\n".encode())
    for module_file in table.code_modules():
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()


def _files(table: Table, settings: Settings, catalogue: Catalogue, verified: set[str]) -> dict:
    """``{role: SourceFile or [SourceFile, ...]}``, fetching missing files and checking pins."""
    sources = table.source_list(catalogue)
    missing = [s.id for s in sources if not raw_path(s, settings.raw_dir).exists()]
    if missing:
        report = fetch(missing, settings=settings)
        if report.failed:
            raise TableError(f"table {table.id!r} needs source files that could not be fetched: "
                             f"{sorted(report.failed)} (see the messages above)")
    for source in sources:
        if source.id not in verified:
            path = raw_path(source, settings.raw_dir)
            actual = sha256_file(path)
            if not source.accepts(actual):
                raise HashMismatch(f"{path}: sha256 {actual}, catalogue pins {source.pins()}; "
                                   f"table {table.id!r} was not built")
            verified.add(source.id)

    def as_file(source):
        return SourceFile(raw_path(source, settings.raw_dir), source)

    return {role: [as_file(s) for s in resolved] if isinstance(resolved, list) else as_file(resolved)
            for role, resolved in table.sources(catalogue).items()}


def _read(table: Table, files: dict, processed_dir: Path) -> pd.DataFrame:
    if table.uses_la_lookup:
        frame = table.reader(files, pd.read_parquet(table_path("la_lookup", processed_dir)))
    else:
        frame = table.reader(files)
    if "geographic_level" in frame.columns:
        frame = conventions.with_ees_columns(frame)
    return frame.reset_index(drop=True)


def _check(table: Table, frame: pd.DataFrame) -> None:
    schemas.validate(table.id, frame, keys=table.keys, nonnegative=table.nonnegative)
    if table.additive:
        options = dict(table.additive)
        failures = schemas.additivity_failures(frame, measures=options.pop("measures"),
                                               dims=options.pop("dims"), **options)
        if not failures.empty:
            raise schemas.TableValidationError(
                f"table {table.id!r}: LA rows do not add up to the national row in "
                f"{len(failures)} cells, e.g.\n{failures.head(10).to_string()}"
            )


def _summary(frame: pd.DataFrame) -> dict:
    summary = {"rows": int(len(frame))}
    if "year" in frame.columns and len(frame):
        summary["years"] = [int(frame["year"].min()), int(frame["year"].max())]
    return summary


def is_current(table_id: str, state: dict, settings: Settings) -> bool:
    """Whether the table's parquet file exists and its record has today's input key (its
    content is checked against the record when the store loads it)."""
    entry = state.get(table_id, {})
    return (table_path(table_id, settings.processed_dir).exists()
            and entry.get("key") == input_key(TABLES[table_id], catalogue_for(settings)))


def _with_dependencies(ids: Iterable[str] | None) -> list[str]:
    wanted = list(ids or TABLES)
    for table_id in wanted:
        get_table(table_id)
    if any(TABLES[t].uses_la_lookup for t in wanted) and "la_lookup" not in wanted:
        wanted.insert(0, "la_lookup")
    wanted.sort(key=lambda t: t != "la_lookup")
    return wanted


def build(ids: Iterable[str] | None = None, *, force: bool = False,
          settings: Settings | None = None, quiet: bool = False) -> dict[str, str]:
    """Build the named tables (default: all) whose inputs changed; return ``{id: status}``
    ("built" or "up to date"). Logs one line per table built (and, unless ``quiet``, per table
    found up to date).

    Dependencies come first (``la_lookup`` before tables that join names to codes). A table that
    fails validation is not written and its previous parquet file, if any, stays in place.
    """
    from filelock import FileLock

    settings = settings or current()
    processed_dir = settings.processed_dir
    processed_dir.mkdir(parents=True, exist_ok=True)
    catalogue = catalogue_for(settings)
    wanted = _with_dependencies(ids)
    status: dict[str, str] = {}
    verified: set[str] = set()
    with FileLock(processed_dir / LOCK_FILE):
        state = read_state(processed_dir)
        for n, table_id in enumerate(wanted, start=1):
            table = TABLES[table_id]
            key = input_key(table, catalogue)
            target = table_path(table_id, processed_dir)
            prefix = f"[{n}/{len(wanted)}] {table_id}"
            if not force and target.exists() and state.get(table_id, {}).get("key") == key:
                status[table_id] = "up to date"
                if not quiet:
                    log.info("%s: up to date", prefix)
                continue
            frame = _read(table, _files(table, settings, catalogue, verified), processed_dir)
            _check(table, frame)
            atomic_write(target, partial(_write_parquet, frame))
            state[table_id] = {"key": key, "sha256": sha256_file(target), **_summary(frame)}
            write_state(processed_dir, state)
            status[table_id] = "built"
            log.info("%s: built, %s rows", prefix, f"{len(frame):,}")
    return status


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def describe_tables(settings: Settings | None = None) -> pd.DataFrame:
    """One row per table: id, rows and years when built, status, description and the source
    files it is built from (``source ids``)."""
    settings = settings or current()
    state = read_state(settings.processed_dir)
    catalogue = catalogue_for(settings)
    rows = []
    for table_id, table in TABLES.items():
        entry = state.get(table_id, {})
        built = table_path(table_id, settings.processed_dir).exists() and "key" in entry
        fresh = built and entry["key"] == input_key(table, catalogue)
        years = entry.get("years")
        rows.append({
            "id": table_id,
            "rows": entry.get("rows") if built else None,
            "years": f"{years[0]}-{years[1]}" if years else "",
            "status": ("up to date" if fresh else "stale") if built else "not built",
            "description": table.description,
            "sources": ", ".join(s.id for s in table.source_list(catalogue)),
        })
    return pd.DataFrame(rows)
