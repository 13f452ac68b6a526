"""The processed tables: what each is built from, how, and the build/load machinery.

``build()`` turns verified raw files into one parquet file per table in ``data/processed/``,
rebuilding a table only when its inputs changed: the sha256 pins of its source files or the
code of the modules that read it (content hashes, not timestamps). ``load(table_id)`` returns
a table, fetching and building whatever is missing first.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from analysis import conventions, geography, schemas
from analysis.catalogue import get_source
from analysis.fetch import HashMismatch, fetch, raw_path, sha256_file
from analysis.files import atomic_write
from analysis.paths import PROCESSED_DIR, RAW_DIR
from analysis.readers import deprivation as deprivation_reader
from analysis.readers import (
    dsg,
    ehcp,
    exclusions,
    hn_benchmarking,
    lait,
    lookups,
    ofsted,
    population,
    tribunals,
)

STATE_FILE = "_build_state.json"
EES_KEYS = ("year", "geographic_level", "region_name", "old_la_code", "new_la_code")
BREAKDOWN = ("breakdown_topic", "breakdown")


@dataclass(frozen=True)
class Table:
    """One processed table: its sources, reader, unique key and checks."""

    id: str
    description: str
    sources: tuple[str, ...]
    reader: Callable[..., pd.DataFrame]
    keys: tuple[str, ...]
    uses_la_lookup: bool = False
    nonnegative: bool = True
    additive: dict = field(default_factory=dict)  # measures/dims/tolerances for the LA=national check

    def code_modules(self) -> list[str]:
        modules = [inspect.getmodule(self.reader), conventions, geography, schemas]
        if self.uses_la_lookup:
            modules.append(lookups)
        return sorted({inspect.getsourcefile(m) for m in modules})


POPULATION_SOURCES = tuple(f"population_mid{y}" for y in range(2014, 2023))
R25_KEYS = (*EES_KEYS, *BREAKDOWN, "measure")

TABLES: dict[str, Table] = {t.id: t for t in [
    Table("la_lookup", "DfE LA codes 2010-2025 with names, region, ONS code, type, stable unit",
          ("ehcp_r22_age_caseload", "ehcp_r25_caseload", "la_code_list"),
          lookups.read_la_lookup, ("old_la_code",)),
    Table("statistical_neighbours", "DfE statistical neighbours (2021 and 2025 versions), long",
          ("statistical_neighbours_2021", "statistical_neighbours_2025"),
          lookups.read_statistical_neighbours, ("version", "old_la_code", "rank")),
    Table("ehcp_caseload_age", "Statements + EHC plans by age band, January 2010-2025",
          ("ehcp_r22_age_caseload", "ehcp_r25_caseload"), ehcp.read_caseload_age,
          (*EES_KEYS, "age_group", "measure"),
          additive={"measures": ["total", "ehc_plans", "statements"], "dims": ["age_group"]}),
    Table("ehcp_caseload_setting", "Statements + EHC plans by placement, January 2010-2025",
          ("ehcp_r22_estab_caseload", "ehcp_r25_caseload"), ehcp.read_caseload_setting,
          (*EES_KEYS, "setting_group", "setting", "measure"),
          additive={"measures": ["total"], "dims": ["setting_group", "setting"]}),
    Table("ehcp_new_plans_history", "New statements + EHC plans by age band, 2009-2021",
          ("ehcp_r22_age_new_plans",), ehcp.read_new_plans_history,
          (*EES_KEYS, "age_group", "measure")),
    Table("ehcp_new_plans", "New EHC plans by placement and breakdown, 2019-2024",
          ("ehcp_r25_newplans",), ehcp.read_new_plans, R25_KEYS),
    Table("ehcp_requests", "Requests for EHC needs assessment, 2019-2024",
          ("ehcp_r25_requests",), ehcp.read_requests, R25_KEYS),
    Table("ehcp_assessments", "EHC needs assessments and outcomes, 2019-2024",
          ("ehcp_r25_assessments",), ehcp.read_assessments, R25_KEYS),
    Table("ehcp_timeliness", "EHC plans issued within 20 weeks, 2019-2024",
          ("ehcp_r25_timeliness_20_week",), ehcp.read_timeliness, R25_KEYS),
    Table("ehcp_ceased_plans", "EHC plans ceased, by reason, 2022-2024",
          ("ehcp_r25_ceased_plans",), ehcp.read_ceased_plans, R25_KEYS),
    Table("ehcp_needs", "Primary need of all EHC plans, January 2025",
          ("ehcp_r25_sen_needs_all_plans",), ehcp.read_needs, R25_KEYS),
    Table("ehcp_needs_new_plans", "Primary need of new EHC plans, 2024",
          ("ehcp_r25_sen_need_newplans",), ehcp.read_needs_new_plans, R25_KEYS),
    Table("ehcp_residential", "EHC plans in residential settings, 2019-2025",
          ("ehcp_r25_residential_settings",), ehcp.read_residential, R25_KEYS),
    Table("ehcp_work_based", "EHC plans in work-based placements, January 2025",
          ("ehcp_r25_work_based_placements",), ehcp.read_work_based, R25_KEYS),
    Table("ehcp_personal_budgets", "EHC plans with a personal budget, 2019/20-2024/25",
          ("ehcp_r25_personal_budgets",), ehcp.read_personal_budgets, R25_KEYS),
    Table("ehcp_mi", "SEN2 management information 2014-2021 (assessments, timeliness, appeals)",
          ("ehcp_r22_mi",), ehcp.read_mi, (*EES_KEYS, "measure")),
    Table("ehcp_dmo_dco", "Designated medical/clinical/social care officer by LA, 2019-2025",
          ("ehcp_r25_dmo_dco",), ehcp.read_dmo_dco, (*EES_KEYS, "measure")),
    Table("tribunal_appeals", "SEND Tribunal appeals and appeal rate by LA, 2014-2024",
          ("ehcp_r25_tribunals_appeal_rate",), tribunals.read_tribunals,
          ("year", "geographic_level", "old_la_code", "measure"), uses_la_lookup=True),
    Table("exclusions", "Permanent exclusions and suspensions by LA and school type, 2006/07-2022/23",
          ("exclusions_2223",), exclusions.read_exclusions, (*EES_KEYS, "school_type", "measure"),
          additive={"measures": ["perm_excl", "suspension", "headcount"], "dims": ["school_type"],
                    "rel_tol": 0.002, "abs_tol": 6.0}),
    Table("exclusions_reasons", "Exclusions by reason, LA and school type, 2006/07-2016/17",
          ("exclusions_la_reasons_0607_1617",), exclusions.read_exclusions_reasons,
          ("year", "geographic_level", "region_name", "old_la_code", "school_type", "measure"),
          uses_la_lookup=True),
    Table("dsg_high_needs", "DSG high needs block (and total DSG) by LA, FY 2019-20 to 2023-24, GBP",
          ("dsg_allocations_summary", "dsg_allocations_2020_21", "dsg_allocations_2021_22",
           "dsg_allocations_2022_23", "dsg_allocations_2023_24"), dsg.read_dsg_high_needs,
          (*EES_KEYS, "measure"),
          additive={"measures": ["hnb_before_deductions", "hnb_after_deductions"], "dims": [],
                    "rel_tol": 1e-6, "abs_tol": 1000.0}),
    Table("dsg_cumulative_balance", "DSG cumulative balance, % of DSG income, FY 2019-20 to 2021-22",
          ("dsg_cumulative_balance",), dsg.read_dsg_cumulative_balance, (*EES_KEYS, "measure"),
          uses_la_lookup=True, nonnegative=False),
    Table("hn_benchmarking", "High needs benchmarking 2021-22: S251 outturn and LA figures",
          ("hn_benchmarking_outturn_2122",), hn_benchmarking.read_hn_benchmarking,
          ("old_la_code", "measure"), nonnegative=False),
    Table("population", "ONS mid-year population by area and single year of age, 2014-2022",
          POPULATION_SOURCES, population.read_population, ("year", "area_code", "age", "measure")),
    Table("deprivation", "IoD2019 summaries (IMD, IDACI and other domains) by upper-tier LA",
          ("iod2019_utla",), deprivation_reader.read_deprivation,
          ("new_la_code", "domain", "measure"), nonnegative=False),
    Table("area_send_inspections", "Ofsted/CQC area SEND inspection outcomes, 2016-2022",
          ("ofsted_area_send_inspections",), ofsted.read_area_send_inspections, ("new_la_code",)),
    Table("lait_indicators", "Selected LAIT indicators (SEN rates, exclusions, S251 per head)",
          ("lait_indicators",), lait.read_lait, (*EES_KEYS, "measure"), nonnegative=False),
]}


class TableError(RuntimeError):
    """A table could not be built; the message says which and why."""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def get_table(table_id: str) -> Table:
    try:
        return TABLES[table_id]
    except KeyError:
        raise KeyError(f"unknown table {table_id!r}; known tables: {', '.join(TABLES)}") from None


def input_key(table: Table) -> str:
    """Content hash of everything a table depends on: source pins and reader code."""
    digest = hashlib.sha256()
    for source_id in table.sources:
        digest.update(f"{source_id}={get_source(source_id).sha256}\n".encode())
    if table.uses_la_lookup:
        digest.update(f"la_lookup={input_key(TABLES['la_lookup'])}\n".encode())
    for module_file in table.code_modules():
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()


def _read_state(processed_dir: Path) -> dict:
    path = processed_dir / STATE_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False)


def _write_state(processed_dir: Path, state: dict) -> None:
    text = json.dumps(state, indent=2, sort_keys=True) + "\n"
    atomic_write(processed_dir / STATE_FILE, lambda p: p.write_text(text))


def _raw_paths(table: Table, raw_dir: Path, verified: dict[str, bool], mirror) -> dict[str, Path]:
    paths = {}
    missing = [s for s in table.sources if not raw_path(get_source(s), raw_dir).exists()]
    if missing:
        report = fetch(missing, raw_dir=raw_dir, mirror=mirror)
        if report.failed:
            raise TableError(
                f"table {table.id!r} needs source files that could not be fetched: "
                f"{sorted(report.failed)} (see the messages above)"
            )
    for source_id in table.sources:
        source = get_source(source_id)
        path = raw_path(source, raw_dir)
        if source_id not in verified:
            actual = sha256_file(path)
            if actual != source.sha256:
                raise HashMismatch(f"{path}: sha256 {actual}, catalogue pins {source.sha256}; "
                                   f"table {table.id!r} was not built")
            verified[source_id] = True
        paths[source_id] = path
    return paths


def _read(table: Table, paths: dict[str, Path], processed_dir: Path) -> pd.DataFrame:
    if table.uses_la_lookup:
        frame = table.reader(paths, pd.read_parquet(processed_dir / "la_lookup.parquet"))
    else:
        frame = table.reader(paths)
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


def build(ids: Iterable[str] | None = None, *, force: bool = False, raw_dir: Path = RAW_DIR,
          processed_dir: Path = PROCESSED_DIR, mirror=None, verbose: bool = True) -> dict[str, str]:
    """Build the named tables (default: all) whose inputs changed; return ``{id: status}``.

    Progress goes to stderr: one line per table built, and with ``verbose`` one per table
    found up to date.

    Dependencies come first (``la_lookup`` before tables that join names to codes). A table that
    fails validation is not written and its previous parquet file, if any, stays in place.
    """
    processed_dir = Path(processed_dir)
    wanted = list(ids or TABLES)
    for table_id in wanted:
        get_table(table_id)
    if any(TABLES[t].uses_la_lookup for t in wanted) and "la_lookup" not in wanted:
        wanted.insert(0, "la_lookup")
    wanted.sort(key=lambda t: t != "la_lookup")
    state = _read_state(processed_dir)
    verified: dict[str, bool] = {}
    status = {}
    for n, table_id in enumerate(wanted, start=1):
        table = TABLES[table_id]
        key = input_key(table)
        target = processed_dir / f"{table_id}.parquet"
        prefix = f"[{n}/{len(wanted)}] {table_id}"
        if not force and target.exists() and state.get(table_id, {}).get("key") == key:
            status[table_id] = "up to date"
            if verbose:
                _stderr(f"{prefix}: up to date")
            continue
        paths = _raw_paths(table, Path(raw_dir), verified, mirror)
        frame = _read(table, paths, processed_dir)
        _check(table, frame)
        atomic_write(target, partial(_write_parquet, frame))
        state[table_id] = {"key": key, **_summary(frame)}
        _write_state(processed_dir, state)
        status[table_id] = "built"
        _stderr(f"{prefix}: built, {len(frame):,} rows")
    return status


def load(table_id: str, *, raw_dir: Path = RAW_DIR, processed_dir: Path = PROCESSED_DIR,
         mirror=None, filters: list[tuple] | None = None) -> pd.DataFrame:
    """A processed table as a DataFrame, fetching and (re)building it first if needed.

    ``filters`` (pyarrow's form, e.g. ``[("breakdown_topic", "==", "All requests")]``) reads
    only the matching rows, for tables far larger than the part needed.
    """
    get_table(table_id)
    build([table_id], raw_dir=raw_dir, processed_dir=processed_dir, mirror=mirror, verbose=False)
    return pd.read_parquet(Path(processed_dir) / f"{table_id}.parquet", filters=filters)


def sources_of(table_ids: Iterable[str]) -> list[dict]:
    """The official files behind some tables, in order of first use: one dict per source file
    with its id, publisher, publication, release, file name and sha256 pin."""
    rows = []
    for source_id in dict.fromkeys(s for t in table_ids for s in get_table(t).sources):
        source = get_source(source_id)
        rows.append({"source": source_id, "publisher": source.publisher,
                     "publication": source.publication, "release": source.release,
                     "file": source.file.rsplit("/", 1)[-1], "sha256": source.sha256})
    return rows


def describe_tables(processed_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    """One row per table: id, description, built or not, rows and year range when built."""
    state = _read_state(Path(processed_dir))
    rows = []
    for table_id, table in TABLES.items():
        entry = state.get(table_id, {})
        built = (Path(processed_dir) / f"{table_id}.parquet").exists() and "key" in entry
        fresh = built and entry["key"] == input_key(table)
        years = entry.get("years")
        rows.append({
            "id": table_id,
            "rows": entry.get("rows") if built else None,
            "years": f"{years[0]}-{years[1]}" if years else "",
            "status": ("up to date" if fresh else "stale") if built else "not built",
            "description": table.description,
        })
    return pd.DataFrame(rows)
