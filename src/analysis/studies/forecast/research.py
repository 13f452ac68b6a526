"""The research's 2018 projection method, applied in its own time and scored.

The LGA/Isos research (December 2018) projected demand "based on historical trends". Read here as
England's compound annual growth in EHC plans and statements over the Januaries ``trend_from`` to
``origin`` (``assumptions.yaml``: ``research_2018``), carried forward from the origin to the latest
January held, and compared with what was later published. The project's own methods, run from
the same origin in the backtest, stand beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.vocabulary import NATIONAL

COLUMNS = ["year", "method", "horizon", "forecast", "actual", "error_pct"]


def trend_projection(values: pd.Series, trend_from: int, origin: int, to: int) -> pd.Series:
    """Counts by January ``origin + 1`` to ``to``: the value in ``origin`` grown at the compound
    annual rate from ``trend_from`` to ``origin`` (``values`` indexed by January year)."""
    start, end = values.get(trend_from, np.nan), values.get(origin, np.nan)
    if not (start > 0 and end > 0):
        raise ValueError(f"the trend needs counts in January {trend_from} and {origin}")
    rate = (end / start) ** (1 / (origin - trend_from))
    years = np.arange(origin + 1, to + 1)
    return pd.Series(end * rate ** (years - origin), index=years, name="forecast")


def scored(f) -> pd.DataFrame:
    """England: the research's method and the project's methods from its origin, each January
    after it with the count published then and the error (forecast over actual, less 1, in %:
    negative = too low)."""
    rule = f.assumptions.research_2018
    origin, trend_from = rule["origin"], rule["trend_from"]
    if f.origin <= origin:
        raise ValueError(f"the research's method is scored only from an origin after {origin}")
    england = f.panel.levels.index(NATIONAL)
    actual = pd.Series(f.panel.totals[england], index=f.panel.years.astype(int)).dropna()
    research = trend_projection(actual, trend_from, origin, f.origin).to_frame().assign(
        method=f"research 2018 (trend {trend_from}-{origin})")
    research["horizon"] = research.index - origin
    ours = f.scored[f.scored["row"].eq(england) & f.scored["origin"].eq(origin)]
    ours = ours.set_index("year")[["method", "horizon", "forecast"]]
    table = pd.concat([research, ours]).rename_axis("year").reset_index()
    table["actual"] = table["year"].map(actual)
    table["error_pct"] = (table["forecast"] / table["actual"] - 1) * 100
    return table[COLUMNS].sort_values(["method", "year"], kind="stable").reset_index(drop=True)
