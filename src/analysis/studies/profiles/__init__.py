"""Local area profiles: the six good-practice themes read through official indicators, for
every LA with SEND duties.

:func:`build` makes every indicator for every LA once (England, statistical neighbours, rank,
quartile and trend included); :meth:`Profiles.profile` picks one LA out of it. :func:`load`
returns the publication's prepared copy when the run made one (``settings.prepared``, see
:mod:`.publication`), else builds it, once per process. The themes and the reasoning behind each
indicator are in the shared themes file (:mod:`analysis.studies.themes`), the construction in
:mod:`.indicators`, the benchmarks in :mod:`.benchmarks`, the wording in :mod:`.reading`, the
charts in :mod:`.figures` and what the notebook shows in :mod:`.page`.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import settings
from analysis.series.store import SeriesStore
from analysis.studies import finance, forecast, themes
from analysis.studies.profiles import benchmarks, indicators
from analysis.studies.profiles import money as la_money
from analysis.studies.profiles.money import Money
from analysis.studies.profiles.outlook import Outlook, for_la
from analysis.studies.profiles.outlook import build as build_outlook


@dataclass(frozen=True, eq=False)
class Profiles:
    """Every indicator for every profiled LA (see :func:`build`)."""

    catalogue: themes.Catalogue
    las: pd.DataFrame       # code, name, region, la_type, unit, note, label, basis
    summary: pd.DataFrame   # one row per LA code and indicator (see benchmarks.benchmark)
    lines: pd.DataFrame     # code, indicator, role ("LA", "Neighbours"), year, value
    england: dict[str, pd.DataFrame]   # indicator -> year, value
    outlook: Outlook                   # the demand forecast of every LA
    money: Money                       # the high needs money of every LA
    neighbours: pd.DataFrame | None = None   # code, member, name: each LA's statistical neighbours

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
                            england=self.england, outlook=self.outlook,
                            demand=for_la(self.outlook, code), money=self.money,
                            finances=la_money.for_la(self.money, code),
                            neighbours=self._neighbours(code))

    def _neighbours(self, code: str) -> list[tuple[str, str, bool]]:
        """An LA's statistical neighbours: (code, name, whether it has a profile page)."""
        if self.neighbours is None:
            return []
        profiled = set(self.las["code"])
        return [(r.member, r.name, r.member in profiled)
                for r in self.neighbours[self.neighbours["code"].eq(code)].itertuples()]


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
    outlook: Outlook                   # the forecast's run: origin, default method, accuracy
    demand: dict                       # this LA's forecast: "totals" and "ages"
    money: Money                       # the finance run: years, scenario
    finances: dict                     # this LA's money: "figures" and "path"
    neighbours: list = field(default_factory=list)   # (code, name, has a profile) of its neighbours


def build(series: SeriesStore, local_figures: str | Path | None = None) -> Profiles:
    """Every indicator and benchmark for every LA with SEND duties in the latest year; the money
    paths restart from the LAs' own figures in ``local_figures`` where it gives them (a file
    :func:`analysis.studies.finance.local.read` accepts)."""
    catalogue = themes.load()
    ctx = indicators.Context(series=series)
    built = indicators.build_all(ctx, catalogue.indicators)
    las = benchmarks.profile_las(series.lookup)
    groups, pairs = benchmarks.comparators(las, series.units, series.lookup, series.neighbours)
    summaries, lines, england = [], [], {}
    flags = series["ehcp_flags"]
    for key, frame in built.items():
        meta = catalogue.indicators[key]
        how = "mean" if meta.binary else indicators.POOLING.get(key, "sum")
        summary, line = benchmarks.benchmark(frame, las, pairs, how, ranked=not meta.binary,
                                             flagged=flags if key in indicators.CASELOAD else None,
                                             since=meta.comparable_from)
        summaries.append(summary.assign(indicator=key))
        lines.append(line.assign(indicator=key))
        eng = frame[frame["area_code"].eq(benchmarks.ENGLAND["area_code"])]
        england[key] = eng[["year", "value"]].reset_index(drop=True)
    demand = forecast.build(series)
    return Profiles(catalogue=catalogue, las=las.merge(groups, on="code"),
                    summary=pd.concat(summaries, ignore_index=True),
                    lines=pd.concat(lines, ignore_index=True), england=england,
                    outlook=build_outlook(demand, flags),
                    money=la_money.build(finance.build(series, demand=demand, backtest=False,
                                                       supplied=local_figures), las, pairs),
                    neighbours=pairs.assign(name=pairs["member"].map(
                        series.units.set_index("area_code")["area_name"]).fillna(pairs["member"])))


_loaded: dict[tuple, Profiles] = {}


def load(local_figures: str | Path | None = None) -> Profiles:
    """Every LA's indicators, with the money paths restarted from ``local_figures`` (the LAs'
    own figures) when given: the run's prepared copy (``settings.current().prepared``, a pickle
    of :func:`build`'s result made once for all pages) when there is one made with the same
    figures, else :func:`build` from the current table store; once per process."""
    prepared = settings.current().prepared
    own = None if local_figures is None else str(Path(local_figures).resolve())
    if (prepared, own) not in _loaded:
        built = pickle.loads(Path(prepared).read_bytes()) if prepared is not None else None
        if built is None or built.money.supplied_from != own:
            built = build(SeriesStore(), local_figures)
        _loaded[(prepared, own)] = built
    return _loaded[(prepared, own)]
