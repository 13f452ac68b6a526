"""What the totals are made of: the age profile and the placement mix, projected.

The age bands come from the cohort method's progression ratios (so the age profile moves as
plans carry up the bands) applied as shares to whichever total forecast is the default. The
placement mix is a share per group (:data:`placements` in the assumptions), held at its latest
value (``latest``) or moved by its recent trend, damped (``trend``); the method with the smaller
backtest error in percentage points is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.studies.forecast import methods

MIX_METHODS = ("latest", "trend")


def band_shares(ages: np.ndarray, widths, window: int, horizon: int) -> np.ndarray:
    """Shares of each age band for 1 to ``horizon`` years ahead of the last column of ``ages``
    (rows x bands x years): rows x bands x horizon, NaN where the bands are not held."""
    ratios = methods.progression_ratios(ages, widths, window)
    projected = methods.project_ages(ages[:, :, -1], ratios, widths, horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        return projected / projected.sum(axis=1, keepdims=True)


def shares(placements: dict[str, np.ndarray], total: np.ndarray, other: str) -> dict[str, np.ndarray]:
    """Each group's share of the placement table's total, plus ``other`` (the rest)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {g: v / total for g, v in placements.items()}
    out[other] = 1 - np.sum(list(out.values()), axis=0)
    return out


def project_shares(history: dict[str, np.ndarray], horizon: int, method: str, window: int,
                   damping: float) -> dict[str, np.ndarray]:
    """Shares 1 to ``horizon`` years ahead of the last column: ``latest`` holds them; ``trend``
    adds the mean yearly change over the last ``window`` years, each further year ``damping``
    times the one before, then clips to [0, 1] and rescales the groups to sum to 1."""
    if method not in MIX_METHODS:
        raise ValueError(f"placement mix method {method!r} is not one of {MIX_METHODS}")
    steps = np.cumsum(damping ** np.arange(1, horizon + 1)) if method == "trend" else np.zeros(horizon)
    out = {}
    for group, values in history.items():
        last = values[:, -1]
        change = (values[:, -1] - values[:, -1 - window]) / window if values.shape[1] > window else 0 * last
        change = np.where(np.isnan(change), 0.0, change)
        out[group] = np.clip(last[:, None] + change[:, None] * steps, 0, 1)
    total = np.sum(list(out.values()), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {g: v / total for g, v in out.items()}


def backtest_mix(history: dict[str, np.ndarray], years: np.ndarray, origins, horizon: int,
                 window: int, damping: float) -> pd.DataFrame:
    """Mean absolute error in percentage points of each group's share, by method and horizon,
    over every row and origin with the outcome held."""
    parts = []
    for origin in origins:
        cut = {g: v[:, years <= origin] for g, v in history.items()}
        for method in MIX_METHODS:
            projected = project_shares(cut, horizon, method, window, damping)
            for h in range(1, horizon + 1):
                if origin + h > years.max():
                    continue
                col = int(np.searchsorted(years, origin + h))
                for group, values in projected.items():
                    err = np.abs(values[:, h - 1] - history[group][:, col]) * 100
                    parts.append(pd.DataFrame({"method": method, "horizon": h, "group": group,
                                               "origin": origin, "abs_error_pp": err}))
    frame = pd.concat(parts, ignore_index=True).dropna(subset=["abs_error_pp"])
    return (frame.groupby(["method", "horizon", "group"], sort=True)["abs_error_pp"]
            .agg(["mean", "count"]).reset_index().rename(columns={"mean": "mae_pp", "count": "n"}))
