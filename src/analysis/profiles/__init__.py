"""Local area profiles: the six good-practice themes read through official indicators, for
every LA with SEND duties.

:func:`load` builds every indicator for every LA once (England, statistical neighbours, rank,
quartile and trend included) and keeps it for the life of the process, so a kernel rendering
many profiles pays for it once; :meth:`Profiles.profile` picks one LA out of it. The themes and
the reasoning behind each indicator are in ``themes.yaml`` (:mod:`.themes`), the construction in
:mod:`.indicators`, the benchmarks in :mod:`.benchmarks`, the wording in :mod:`.reading`, the
charts in :mod:`.figures`, what the notebook shows in :mod:`.page`, the index page in
:mod:`.site` and ``python -m analysis profiles`` in :mod:`.render`.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import baseline, data
from analysis.profiles import benchmarks, indicators, themes

TABLES_USED = tuple(dict.fromkeys((
    "la_lookup", "statistical_neighbours", "ehcp_caseload_age", "ehcp_caseload_setting", "ehcp_mi",
    "ehcp_timeliness", "exclusions", "tribunal_appeals", "population", *indicators.TABLES_USED)))
"""Every processed table the profiles read (the baseline series of
:data:`.indicators.BASELINE_SERIES` and the indicators' own tables)."""


@dataclass(frozen=True, eq=False)
class Profiles:
    """Every indicator for every profiled LA (see :func:`load`)."""

    catalogue: themes.Catalogue
    las: pd.DataFrame       # code, name, region, la_type, unit, note, label, basis
    summary: pd.DataFrame   # one row per LA code and indicator (see benchmarks.benchmark)
    lines: pd.DataFrame     # code, indicator, role ("LA", "Neighbours"), year, value
    england: dict[str, pd.DataFrame]   # indicator -> year, value

    def profile(self, la_code: str) -> LocalProfile:
        """One LA's profile; ``la_code`` is a 3-digit DfE code of an LA in :attr:`las`."""
        code = str(la_code).strip()
        if code not in set(self.las["code"]):
            raise ValueError(f"la_code {la_code!r} is not an LA with SEND duties in the latest year "
                             f"held; choose one of: {', '.join(self.las['code'])}")
        la = self.las.set_index("code").loc[code]
        return LocalProfile(code=code, name=la["name"], region=la["region"], la_type=la["la_type"],
                            note=la["note"], comparators=la["label"], basis=la["basis"],
                            catalogue=self.catalogue,
                            summary=self.summary[self.summary["code"].eq(code)].set_index("indicator"),
                            lines=dict(tuple(self.lines[self.lines["code"].eq(code)].groupby(
                                "indicator", sort=True))),
                            england=self.england)


@dataclass(frozen=True)
class LocalProfile:
    """One LA's indicators: ``summary`` indexed by indicator id; ``lines`` and ``england`` per
    indicator id for the charts."""

    code: str
    name: str
    region: str
    la_type: str
    note: str          # why some figures are for a combined area, or ""
    comparators: str   # label of the neighbour group
    basis: str         # how the group was chosen
    catalogue: themes.Catalogue
    summary: pd.DataFrame
    lines: dict[str, pd.DataFrame]     # indicator -> role, year, value rows (LA, Neighbours)
    england: dict[str, pd.DataFrame]   # indicator -> year, value rows


def build(inputs: baseline.Inputs, tables: dict[str, pd.DataFrame]) -> Profiles:
    """Every indicator and benchmark for every LA with SEND duties in the latest year."""
    catalogue = themes.load()
    ctx = indicators.Context(inputs=inputs, tables=tables)
    built = indicators.build_all(ctx, catalogue.indicators)
    las = benchmarks.profile_las(inputs.lookup)
    groups, pairs = benchmarks.comparators(las, inputs.units, inputs.lookup, inputs.neighbours)
    summaries, lines, england = [], [], {}
    for key, series in built.items():
        meta = catalogue.indicators[key]
        how = "mean" if meta.binary else indicators.POOLING.get(key, "sum")
        summary, line = benchmarks.benchmark(series, las, pairs, how, ranked=not meta.binary)
        summaries.append(summary.assign(indicator=key))
        lines.append(line.assign(indicator=key))
        eng = series[series["area_code"].eq(benchmarks.ENGLAND["area_code"])]
        england[key] = eng[["year", "value"]].reset_index(drop=True)
    return Profiles(catalogue=catalogue, las=las.merge(groups, on="code"),
                    summary=pd.concat(summaries, ignore_index=True),
                    lines=pd.concat(lines, ignore_index=True), england=england)


CACHE_ENV = "ANALYSIS_PROFILES_CACHE"
"""Set by ``python -m analysis profiles`` for its kernels: a pickle of :func:`load`'s result,
built once for the whole run."""


@cache
def load() -> Profiles:
    """:func:`build` from the processed tables (built if needed), once per process; or, in a
    kernel of the batch renderer, the parent's result from the pickle named by
    ``$ANALYSIS_PROFILES_CACHE``."""
    cached = os.environ.get(CACHE_ENV)
    if cached and Path(cached).is_file():
        return pickle.loads(Path(cached).read_bytes())
    tables = {t: data.load(t, filters=indicators.ROW_FILTERS.get(t)) for t in indicators.TABLES_USED}
    return build(baseline.load_inputs(indicators.BASELINE_SERIES), tables)

