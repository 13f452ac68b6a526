"""The forecasting methods, each a small function on every area at once.

Every method takes the log counts ``L`` (one row per area, one column per January from the fit
start to the origin, NaN where missing) and returns log forecasts for 1 to ``horizon`` years
ahead (NaN where it cannot forecast an area). None sees a year after the origin: they are only
ever given columns up to it (:mod:`.backtest` slices them).

- :func:`naive`: no change from the origin.
- :func:`drift`: the area's recent growth repeated (mean log growth over the last years).
- :func:`damped`: Holt's linear trend with damping, on logs; its three parameters are chosen by
  the smallest one-step error pooled over every complete series (a grid, see the assumptions),
  then run on each area (the same recursion as statsmodels' ``Holt(damped_trend=True)``).
- :func:`pooled`: each area's mean recent growth shrunk towards its group's (an LA's region)
  and the group's towards the overall mean (England), by empirical Bayes with the between-area
  variance estimated by moments.
- :func:`cohort`: plans carried up the SEN2 age bands with progression ratios (as school place
  planning carries pupils up year groups), the youngest band by its own growth.
"""

from __future__ import annotations

import numpy as np


def _steps(horizon: int) -> np.ndarray:
    return np.arange(1, horizon + 1, dtype=float)


def naive(L: np.ndarray, horizon: int) -> np.ndarray:
    """The last value held, unchanged."""
    return np.repeat(L[:, -1:], horizon, axis=1)


def last_growth(L: np.ndarray, horizon: int) -> np.ndarray:
    """The last value plus ``h`` times the last year's log growth (a baseline: NaN where the
    year before the origin is missing)."""
    return L[:, -1:] + (L[:, -1] - L[:, -2])[:, None] * _steps(horizon)


def combined(forecasts: list[np.ndarray]) -> np.ndarray:
    """The mean of several methods' log forecasts (a geometric mean of the counts), over the
    methods with a forecast for the row and horizon."""
    stack = np.stack(forecasts)
    count = np.sum(~np.isnan(stack), axis=0)
    return np.where(count > 0, np.nansum(stack, axis=0) / np.maximum(count, 1), np.nan)


def recent_growth(L: np.ndarray, window: int, min_window: int) -> np.ndarray:
    """Mean annual log growth over the last ``window`` years (fewer if the series is shorter,
    NaN if fewer than ``min_window``), per area."""
    out = np.full(L.shape[0], np.nan)
    for k in range(min(window, L.shape[1] - 1), min_window - 1, -1):
        g = (L[:, -1] - L[:, -1 - k]) / k
        out = np.where(np.isnan(out), g, out)
    return out


def drift(L: np.ndarray, horizon: int, *, window: int, min_window: int) -> np.ndarray:
    """The last value plus ``h`` times the recent growth."""
    g = recent_growth(L, window, min_window)
    return L[:, -1:] + g[:, None] * _steps(horizon)


def holt_states(L: np.ndarray, alpha, beta, phi) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Holt's damped recursion on each row (and each parameter set, broadcast), started at the
    first value with the first change as trend: returns the final level and trend and the sum
    of squared one-step errors. Rows with a gap give NaN."""
    level = L[..., 0] + 0 * alpha
    trend = L[..., 1] - L[..., 0] + 0 * alpha
    sse = np.zeros_like(level)
    for t in range(1, L.shape[-1]):
        predicted = level + phi * trend
        error = L[..., t] - predicted
        sse = sse + error ** 2 if t > 1 else sse
        new_level = predicted + alpha * error
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    return level, trend, sse


def damped_parameters(L: np.ndarray, grid: dict) -> tuple[float, float, float]:
    """(alpha, beta, phi) from the grid with the smallest one-step squared error summed over
    every complete row of ``L``."""
    complete = L[~np.isnan(L).any(axis=1)]
    a, b, p = (np.array(v, dtype=float) for v in np.meshgrid(grid["alpha"], grid["beta"], grid["phi"],
                                                               indexing="ij"))
    a, b, p = a.ravel(), b.ravel(), p.ravel()
    if len(complete) == 0 or L.shape[1] < 3:
        return float("nan"), float("nan"), float("nan")
    _, _, sse = holt_states(complete[:, None, :], a[None, :], b[None, :], p[None, :])
    best = int(np.argmin(sse.sum(axis=0)))
    return float(a[best]), float(b[best]), float(p[best])


def damped(L: np.ndarray, horizon: int, *, grid: dict, parameters=None) -> np.ndarray:
    """Damped trend forecasts: level + trend * (phi + phi^2 + ... + phi^h). A row that starts
    later (a successor LA's own series) is run from its first value, with the parameters chosen
    on the complete rows."""
    alpha, beta, phi = parameters or damped_parameters(L, grid)
    out = np.full((L.shape[0], horizon), np.nan)
    if np.isnan(alpha):
        return out
    multipliers = np.cumsum(phi ** _steps(horizon))
    level, trend, _ = holt_states(L, alpha, beta, phi)
    out[:] = level[:, None] + trend[:, None] * multipliers
    for i in np.flatnonzero(np.isnan(level)):
        held = np.flatnonzero(~np.isnan(L[i]))
        if len(held) >= 3 and held[-1] == L.shape[1] - 1 and np.all(np.diff(held) == 1):
            row_level, row_trend, _ = holt_states(L[i, held[0]:][None, :], alpha, beta, phi)
            out[i] = row_level[0] + row_trend[0] * multipliers
    return out


def shrink(estimates: np.ndarray, variances: np.ndarray, prior: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Empirical Bayes: each estimate pulled towards ``prior`` by ``variance / (variance + tau2)``,
    with ``tau2`` (the variance of the true values about the prior) estimated by moments over all
    the estimates given. Returns the shrunk estimates and the weights on the prior."""
    ok = ~np.isnan(estimates) & ~np.isnan(variances)
    if ok.sum() < 2:
        return estimates, np.zeros_like(estimates)
    tau2 = max(0.0, float(np.mean((estimates[ok] - prior[ok]) ** 2) - np.mean(variances[ok])))
    weight = np.where(ok, variances / (variances + tau2) if tau2 > 0 else 1.0, 0.0)
    return np.where(ok, weight * prior + (1 - weight) * estimates, estimates), weight


def pooled_growth(L: np.ndarray, groups: np.ndarray, *, window: int, min_window: int) -> np.ndarray:
    """Each row's mean log growth over the last ``window`` years shrunk towards its group's
    mean growth, itself shrunk towards the mean of every row (see :func:`shrink`). A row whose
    growth has fewer than ``min_window`` years gets its group's."""
    growth = np.diff(L[:, -(window + 1):], axis=1)
    n = np.sum(~np.isnan(growth), axis=1)
    mean = np.where(n >= min_window, _nanmean(growth), np.nan)
    spread = _nanvar(growth)
    variance = np.where(n >= min_window, spread / np.maximum(n, 1), np.nan)
    overall = np.nanmean(mean)
    labels = np.unique(groups)
    group_mean = np.array([np.nanmean(mean[groups == g]) for g in labels])
    group_var = np.array([np.nanmean(variance[groups == g]) / max(1, np.sum(~np.isnan(mean[groups == g])))
                          for g in labels])
    shrunk_group, _ = shrink(group_mean, group_var, np.full(len(labels), overall))
    prior = shrunk_group[np.searchsorted(labels, groups)]
    shrunk, _ = shrink(mean, variance, prior)
    return np.where(np.isnan(shrunk), prior, shrunk)


def _nanmean(values: np.ndarray) -> np.ndarray:
    count = np.sum(~np.isnan(values), axis=1)
    total = np.nansum(values, axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _nanvar(values: np.ndarray) -> np.ndarray:
    count = np.sum(~np.isnan(values), axis=1)
    mean = _nanmean(values)
    squares = np.nansum((values - mean[:, None]) ** 2, axis=1)
    return np.where(count > 1, squares / np.maximum(count - 1, 1), np.nan)


def pooled(L: np.ndarray, horizon: int, *, groups: np.ndarray, window: int, min_window: int
           ) -> np.ndarray:
    """The last value plus ``h`` times the pooled growth."""
    g = pooled_growth(L, groups, window=window, min_window=min_window)
    return L[:, -1:] + g[:, None] * _steps(horizon)


def progression_ratios(ages: np.ndarray, widths, window: int) -> np.ndarray:
    """Per row and age band, the ratio of plans in the band one January to the plans expected
    there from the January before if nobody joined or left: the band's plans that stay (all but
    the oldest single year) plus those moving up from the band below (its oldest single year).
    The youngest band has no band below: its ratio is its own growth. Averaged (as a ratio of
    sums) over the latest ``window`` transitions with both Januaries held."""
    w = np.asarray(widths, dtype=float)
    stay = ages * (1 - 1 / w)[None, :, None]
    moving = np.zeros_like(ages)
    moving[:, 1:, :] = ages[:, :-1, :] / w[None, :-1, None]
    moving[:, 0, :] = ages[:, 0, :] / w[0]        # the youngest band: its own growth
    expected = stay + moving
    after, before = ages[:, :, 1:], expected[:, :, :-1]
    usable = ~np.isnan(after) & ~np.isnan(before)
    # the latest `window` usable transitions of each row (a row's bands are used together)
    row_usable = usable.all(axis=1)
    rank = np.cumsum(row_usable[:, ::-1], axis=1)[:, ::-1]
    chosen = row_usable & (rank <= window)
    num = np.where(chosen[:, None, :], after, 0.0).sum(axis=2)
    den = np.where(chosen[:, None, :], before, 0.0).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(chosen.any(axis=1)[:, None] & (den > 0), num / den, np.nan)


def project_ages(last: np.ndarray, ratios: np.ndarray, widths, horizon: int) -> np.ndarray:
    """Plans by age band for 1 to ``horizon`` years ahead from the bands at the origin
    (``last``, rows x bands) with fixed progression ratios: shape rows x bands x horizon."""
    w = np.asarray(widths, dtype=float)
    out = np.empty((*last.shape, horizon))
    current = last
    for h in range(horizon):
        moving = np.zeros_like(current)
        moving[:, 1:] = current[:, :-1] / w[:-1]
        moving[:, 0] = current[:, 0] / w[0]
        current = ratios * (current * (1 - 1 / w) + moving)
        out[:, :, h] = current
    return out


def cohort(L: np.ndarray, horizon: int, *, ages: np.ndarray, widths, window: int) -> np.ndarray:
    """Total plans carried forward by the age bands: the origin's total times the projected
    growth of the plans with an age (so the level is the total's, the change the bands')."""
    ratios = progression_ratios(ages, widths, window)
    last = ages[:, :, -1]
    projected = project_ages(last, ratios, widths, horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = np.log(projected.sum(axis=1)) - np.log(last.sum(axis=1))[:, None]
    return L[:, -1:] + change
