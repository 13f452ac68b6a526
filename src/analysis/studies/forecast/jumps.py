"""One-year changes that look like a change in reporting rather than in demand: flagged and
shown, never smoothed away (the forecasts use the data as published)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def flag_jumps(totals: np.ndarray, years: np.ndarray, *, min_change: float, mads: float
               ) -> pd.DataFrame:
    """Per row: the Januaries whose log change from the year before is further from the row's
    median change than both ``min_change`` and ``mads`` median absolute deviations. Columns
    ``row``, ``year``, ``change_pct`` (the change, %), ``typical_pct`` (the median change, %)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.diff(np.log(totals), axis=1)
    median = np.nanmedian(change, axis=1)
    mad = np.nanmedian(np.abs(change - median[:, None]), axis=1)
    limit = np.maximum(min_change, mads * mad)
    far = np.abs(change - median[:, None]) > limit[:, None]
    rows, cols = np.nonzero(far & ~np.isnan(change))
    return pd.DataFrame({"row": rows, "year": years[1:][cols],
                         "change_pct": (np.exp(change[rows, cols]) - 1) * 100,
                         "typical_pct": (np.exp(median[rows]) - 1) * 100})
