"""Benchmark: the demand forecast, every method, area and backtest origin (issue 15), and the
finance study built on it (issue 16).

Run with ``make bench`` (needs ANALYSIS_DATA_MIRROR). Builds the tables in a temporary folder
(not timed), then times the read of the four SEN2 series it uses and :func:`analysis.studies.forecast.build`
(every method of the assumptions, every area, every backtest origin and the published forecast
from the latest January, with scores, intervals, reconciliation, age bands and placements): the
best of three runs. Against it, the plain
alternative for one method: statsmodels' damped Holt fitted to each LA's log series at each
origin, one fit at a time. Goal: the whole forecast in under 20 s on 2 cores. Then
:func:`analysis.studies.finance.build` on that forecast (every LA's path under three scenarios,
every scenario with and without the write-off, simulated jointly, and the backtest with its own
forecast): best of three.
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings

import numpy as np
from bench_data import has_mirror, settings_in
from bench_results import record
from statsmodels.tsa.holtwinters import Holt

from analysis import settings
from analysis.series.store import SeriesStore
from analysis.sources.fetch import fetch
from analysis.studies import finance, forecast
from analysis.tables.build import build


def _plain_damped(f: forecast.Forecast) -> tuple[float, int]:
    """Seconds for a per-series statsmodels loop over every LA and backtest origin, and fits."""
    a, panel = f.assumptions, f.panel
    fits = 0
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # convergence warnings on short series
        for origin in range(a.backtest_origins[0], a.backtest_origins[1] + 1):
            keep = (panel.years >= a.fit_from) & (panel.years <= origin)
            for row in panel.la_rows:
                history = np.log(panel.totals[row, keep])
                if np.isnan(history).any() or len(history) < 3:
                    continue
                Holt(history, damped_trend=True, initialization_method="estimated").fit().forecast(a.horizon)
                fits += 1
    return time.perf_counter() - start, fits


def main() -> int:
    if not has_mirror():
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        chosen = settings_in(tmp)
        with settings.using(chosen):
            fetch(settings=chosen)
            build(settings=chosen, quiet=True)
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                series = SeriesStore()
                for name in ("ehcp", "ehcp_by_age", "placements", "placement_total"):
                    series[name]
                read = time.perf_counter()
                f = forecast.build(series)
                runs.append((read - start, time.perf_counter() - read))
            money = []
            for _ in range(3):
                start = time.perf_counter()
                fin = finance.build(series, demand=f)
                money.append(time.perf_counter() - start)
            plain, fits = _plain_damped(f)
    read, built = min(runs, key=sum)
    rows = len(f.table)
    print(f"read the four series of the panel:         {read:6.2f} s")
    print(f"forecast.build (all methods, areas, origins; {rows:,} rows): {built:6.2f} s")
    print(f"total:                                {read + built:6.2f} s  (goal < 20 s)")
    print(f"plain statsmodels damped Holt, {fits:,} fits one at a time: {plain:6.2f} s "
          f"({plain / built:.1f}x the whole vectorised forecast of {len(f.assumptions.methods)} methods)")
    print(f"finance.build on that forecast ({len(fin.path):,} path rows): {min(money):6.2f} s")
    record("forecast: read the series and build every method", read + built, goal=20)
    record("forecast: damped Holt alone, vectorised in the build", built, plain=plain,
           plain_what="statsmodels, one fit at a time")
    record("finance: build with the joint simulation", min(money))
    return 0


if __name__ == "__main__":
    sys.exit(main())
