"""Rolling-origin forecasts, their errors, scores and empirical intervals.

:func:`forecast_at` runs every method at one origin on the panel's columns up to that January
only (a method is never given a later year). :func:`rolling` does so at every backtest origin and
lines each forecast up with what was later published. :func:`scores` summarises the errors by
method, horizon and group; :func:`interval_quantiles` turns the errors known at an origin into
interval widths; :func:`choose_default` applies the assumptions' rule.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from analysis.studies.forecast import methods
from analysis.studies.forecast.assumptions import Assumptions
from analysis.vocabulary import LA_LEVEL, NATIONAL, REGIONAL

AGGREGATE = "aggregate"
"""Pooling group of the regions and England (their growth is shrunk towards each other's)."""
QUANTILES = {80: (10.0, 90.0), 95: (2.5, 97.5)}


def _history(values: np.ndarray, years: np.ndarray, first: int, origin: int) -> np.ndarray:
    """Columns of ``values`` (areas x years, or areas x bands x years) from ``first`` to
    ``origin``: never a later year."""
    keep = (years >= first) & (years <= origin)
    return values[..., keep]


def groups_of(levels: list[str], regions: list[str | None]) -> np.ndarray:
    """The pooling group of each row: an LA's region, :data:`AGGREGATE` for the others."""
    return np.array([r if lv == LA_LEVEL and r else AGGREGATE for lv, r in zip(levels, regions)])


def parents_of(codes: list[str], levels: list[str], regions: list[str | None]) -> np.ndarray:
    """Each row's parent in the hierarchy the forecasts are reconciled over: an LA's region
    row, a region's England row, -1 for England (and rows outside it)."""
    england = [i for i, lv in enumerate(levels) if lv == NATIONAL]
    region_rows = {c: i for i, (c, lv) in enumerate(zip(codes, levels)) if lv == REGIONAL}
    return np.array([region_rows.get(r, -1) if lv == LA_LEVEL else
                     (england[0] if lv == REGIONAL and england else -1)
                     for lv, r in zip(levels, regions)])


def reconcile(F: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Log forecasts made coherent top down: each parent's children (those with a forecast)
    scaled in proportion so they add up to it, England's regions first, then each region's
    LAs. The direct England forecast is kept: in the backtests it was more accurate than the
    sum of the LAs', and scaling the LAs moved their one-year median error by about 1%."""
    counts = np.exp(F)
    depth = np.zeros(len(parents), dtype=int)
    for i, parent in enumerate(parents):
        depth[i] = 0 if parent < 0 else (1 if parents[parent] < 0 else 2)
    for parent in sorted(set(parents[parents >= 0]), key=lambda r: depth[r]):
        children = np.flatnonzero(parents == parent)
        total = np.nansum(counts[children], axis=0)
        scale = np.where(total > 0, counts[parent] / total, np.nan)
        counts[children] = np.where(np.isfinite(scale), counts[children] * scale, counts[children])
    with np.errstate(divide="ignore"):
        return np.log(counts)


def forecast_at(totals: np.ndarray, ages: np.ndarray, years: np.ndarray, groups: np.ndarray,
                origin: int, a: Assumptions, method_names=None, parents: np.ndarray | None = None
                ) -> dict[str, np.ndarray]:
    """Log forecasts, 1 to ``a.horizon`` years ahead of ``origin``, for every row and method.
    A row whose count at the origin is not published (suppressed) but was the year before is
    forecast from that year, one year further ahead, with no figure filled in for the origin.
    With ``parents`` (:func:`parents_of`), each method's forecasts are reconciled
    (:func:`reconcile`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.log(_history(totals, years, a.fit_from, origin))
    bands = _history(ages, years, a.fit_from, origin)
    H = a.horizon
    runners = {
        "naive": lambda: methods.naive(L, H),
        "last_growth": lambda: methods.last_growth(L, H),
        "drift": lambda: methods.drift(L, H, **a.drift),
        "damped": lambda: methods.damped(L, H, grid=a.damped),
        "pooled": lambda: methods.pooled(L, H, groups=groups, **a.pooled),
        "cohort": lambda: methods.cohort(L, H, ages=bands, widths=a.cohort["widths"],
                                         window=a.cohort["window"]),
    }
    names = method_names or a.methods
    out = {m: runners[m]() for m in names if m != "combined"}
    if "combined" in names:
        parts = [out[m] if m in out else runners[m]() for m in a.combined]
        out["combined"] = methods.combined(parts)
    gap = np.isnan(L[:, -1]) & ~np.isnan(L[:, -2]) if L.shape[1] > 1 else np.zeros(len(L), bool)
    if gap.any() and origin - 1 >= a.fit_from + 1:
        earlier = forecast_at(totals, ages, years, groups, origin - 1, replace(a, horizon=H + 1), names)
        for m in names:
            out[m][gap] = earlier[m][gap, 1:]
    if parents is not None:
        out = {m: reconcile(F, parents) for m, F in out.items()}
    return {m: out[m] for m in names}


def rolling(totals: np.ndarray, ages: np.ndarray, years: np.ndarray, groups: np.ndarray,
            a: Assumptions, origins, parents: np.ndarray | None = None) -> pd.DataFrame:
    """Every method at every origin: one row per area position ``row``, ``origin``, ``method``
    and ``horizon`` with the ``forecast`` and, where published, the ``actual`` (counts)."""
    parts = []
    last_year = int(years.max())
    for origin in origins:
        forecasts = forecast_at(totals, ages, years, groups, origin, a, parents=parents)
        for method, F in forecasts.items():
            for h in range(1, a.horizon + 1):
                year = origin + h
                actual = totals[:, np.searchsorted(years, year)] if year <= last_year else np.nan
                parts.append(pd.DataFrame({
                    "row": np.arange(totals.shape[0]), "origin": origin, "method": method,
                    "horizon": h, "year": year, "forecast": np.exp(F[:, h - 1]),
                    "actual": actual}))
    return pd.concat(parts, ignore_index=True)


def mase_scales(totals: np.ndarray, years: np.ndarray, first: int, origins) -> pd.DataFrame:
    """Per row and origin: the mean absolute one-year change from ``first`` to the origin (the
    naive method's one-step error in the fit window), which scales errors in the MASE."""
    parts = []
    for origin in origins:
        history = _history(totals, years, first, origin)
        change = np.abs(np.diff(history, axis=1))
        count = np.sum(~np.isnan(change), axis=1)
        scale = np.where(count > 0, np.nansum(change, axis=1) / np.maximum(count, 1), np.nan)
        parts.append(pd.DataFrame({"row": np.arange(totals.shape[0]), "origin": origin, "scale": scale}))
    return pd.concat(parts, ignore_index=True)


def with_errors(backtest: pd.DataFrame, scales: pd.DataFrame) -> pd.DataFrame:
    """The scored rows (forecast and actual both held) with their errors: ``log_error`` (log
    actual minus log forecast), ``pct_error`` (forecast over actual, less 1, in %: positive =
    too high), ``ape`` and ``scaled`` (absolute error over the row's MASE scale)."""
    scored = backtest.dropna(subset=["forecast", "actual"])
    scored = scored[(scored["forecast"] > 0) & (scored["actual"] > 0)].merge(
        scales, on=["row", "origin"], how="left")
    pct = (scored["forecast"] / scored["actual"] - 1) * 100
    return scored.assign(log_error=np.log(scored["actual"] / scored["forecast"]), pct_error=pct,
                         ape=pct.abs(), scaled=(scored["forecast"] - scored["actual"]).abs()
                         / scored["scale"])


def _sources(evidence: pd.Series, horizon: int, minimum: int) -> dict[int, int | None]:
    """For each horizon 1..``horizon``, the longest horizon no longer than it whose
    ``evidence`` (errors or origins, by horizon) reaches ``minimum``; None if none does."""
    return {h: max([k for k in evidence.index if k <= h and evidence[k] >= minimum], default=None)
            for h in range(1, horizon + 1)}


def interval_quantiles(errors: pd.DataFrame, origin: int, horizon: int, min_errors: int
                       ) -> dict[int, tuple[float, float]]:
    """Per horizon 1..``horizon``: the (lower, upper) log-error quantiles of each interval level,
    from the errors known at ``origin`` (forecasts whose target January is no later). A horizon
    with fewer than ``min_errors`` takes the largest shorter one that has enough, widened by the
    square root of the ratio of horizons; with none, NaN."""
    known = errors[errors["year"] <= origin]
    out = {}
    for h, source in _sources(known.groupby("horizon").size(), horizon, min_errors).items():
        if source is None:
            out[h] = {level: (np.nan, np.nan) for level in QUANTILES}
            continue
        values = known.loc[known["horizon"].eq(source), "log_error"].to_numpy()
        widen = np.sqrt(h / source)
        centre = np.median(values)
        out[h] = {level: (centre + (np.percentile(values, lo) - centre) * widen,
                          centre + (np.percentile(values, hi) - centre) * widen)
                  for level, (lo, hi) in QUANTILES.items()}
    return out


def aggregate_quantiles(errors: pd.DataFrame, origin: int, horizon: int, min_origins: int
                        ) -> dict[int, tuple[float, float]]:
    """Per horizon 1..``horizon``: interval bounds (log errors) for the regions and England,
    whose errors move together (one national change reaches every region the same year), so
    their independent evidence is the number of backtest origins, not of errors. From the
    errors known at ``origin`` at the longest horizon up to ``h`` with at least
    ``min_origins`` origins: the mean error of each origin and the spread about it; the
    bounds are their mean plus Student's t quantiles (origins less one degrees of freedom) of
    the two spreads combined (the origins' variance inflated by 1 + 1/origins), carried from
    that horizon to ``h`` by sqrt(h / horizon) for the spread and h / horizon for the mean."""
    known = errors[errors["year"] <= origin]
    out = {}
    for h, source in _sources(known.groupby("horizon")["origin"].nunique(), horizon, min_origins).items():
        if source is None:
            out[h] = {level: (np.nan, np.nan) for level in QUANTILES}
            continue
        rows = known[known["horizon"].eq(source)]
        per_origin = rows.groupby("origin")["log_error"].mean()
        within = (rows["log_error"] - rows["origin"].map(per_origin)).var(ddof=1)
        k = len(per_origin)
        sd = np.sqrt(per_origin.var(ddof=1) * (1 + 1 / k) + within) * np.sqrt(h / source)
        centre = per_origin.mean() * h / source
        t = {level: (stats.t.ppf(lo / 100, k - 1), stats.t.ppf(hi / 100, k - 1))
             for level, (lo, hi) in QUANTILES.items()}
        out[h] = {level: (centre + low * sd, centre + high * sd) for level, (low, high) in t.items()}
    return out


def quantiles_for(errors: pd.DataFrame, origin: int, horizon: int, a: Assumptions, area_class: str
                  ) -> dict[int, tuple[float, float]]:
    """Interval bounds for an area class: the LAs' from their errors' quantiles
    (:func:`interval_quantiles`), the regions' and England's by :func:`aggregate_quantiles`."""
    if area_class == "LA":
        return interval_quantiles(errors, origin, horizon, a.intervals["min_errors"])
    return aggregate_quantiles(errors, origin, horizon, a.intervals["min_origins_aggregate"])


def count_floor(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, level: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """An LA's interval no narrower than its count allows: at least the forecast plus or minus
    the normal quantile of ``level`` times its square root (a Poisson count's spread; for the
    Isles of Scilly's 16 plans, about 5 either way at 80%), and never below nought. An interval
    the errors cannot give (NaN) stays NaN."""
    z = stats.norm.ppf(0.5 + level / 200)
    spread = z * np.sqrt(np.maximum(value, 0))
    return np.maximum(np.minimum(lower, value - spread), 0), np.maximum(upper, value + spread)


def add_intervals(frame: pd.DataFrame, errors: pd.DataFrame, a: Assumptions, area_class: str
                  ) -> pd.DataFrame:
    """``lower_80`` ... ``upper_95`` for every forecast row of ``frame`` (a method and an area
    class at a time: the caller passes the matching errors), from the errors known at its
    origin."""
    out = frame.copy()
    for column in ("lower_80", "upper_80", "lower_95", "upper_95"):
        out[column] = np.nan
    for origin, rows in out.groupby("origin").groups.items():
        q = quantiles_for(errors, origin, a.horizon, a, area_class)
        h = out.loc[rows, "horizon"].to_numpy()
        f = out.loc[rows, "forecast"].to_numpy()
        for level in QUANTILES:
            lo = f * np.exp(np.array([q[k][level][0] for k in h]))
            hi = f * np.exp(np.array([q[k][level][1] for k in h]))
            if area_class == "LA":
                lo, hi = count_floor(f, lo, hi, level)
            out.loc[rows, f"lower_{level}"], out.loc[rows, f"upper_{level}"] = lo, hi
    return out


def scores(scored: pd.DataFrame, groups: dict[str, pd.Series]) -> pd.DataFrame:
    """Per method, horizon and group (``groups``: group kind -> a label per ``row``): the number
    of forecasts scored, median and mean absolute percentage error, bias (mean percentage error;
    positive = too high), MASE, and the share of outcomes inside the 80% and 95% intervals
    (over the forecasts that had an interval)."""
    parts = []
    for kind, labels in groups.items():
        frame = scored.assign(group=scored["row"].map(labels)).dropna(subset=["group"])
        with_interval = {lv: frame[f"lower_{lv}"].notna() for lv in QUANTILES}
        frame = frame.assign(**{f"inside_{lv}": frame["actual"].between(frame[f"lower_{lv}"],
                                                                        frame[f"upper_{lv}"])
                                .where(with_interval[lv]).astype(float) for lv in QUANTILES},
                             has_interval=with_interval[80])
        table = frame.groupby(["method", "horizon", "group"], sort=True).agg(
            n=("ape", "size"), mdape=("ape", "median"), mape=("ape", "mean"),
            bias_pct=("pct_error", "mean"), mase=("scaled", "mean"),
            coverage_80=("inside_80", "mean"), coverage_95=("inside_95", "mean"),
            n_intervals=("has_interval", "sum")).reset_index()
        parts.append(table.assign(group_kind=kind, horizon=table["horizon"].astype(int),
                                  coverage_80=table["coverage_80"] * 100,
                                  coverage_95=table["coverage_95"] * 100,
                                  n_intervals=table["n_intervals"].astype(int)))
    columns = ["method", "horizon", "group_kind", "group", "n", "mdape", "mape", "bias_pct", "mase",
               "coverage_80", "coverage_95", "n_intervals"]
    return pd.concat(parts, ignore_index=True)[columns]


def common_cases(scored: pd.DataFrame, method_names) -> pd.DataFrame:
    """The scored rows of the cases (row, origin, horizon) every method forecast, so methods are
    compared on the same forecasts."""
    wanted = scored[scored["method"].isin(method_names)]
    count = wanted.groupby(["row", "origin", "horizon"])["method"].transform("nunique")
    return wanted[count.eq(len(method_names))]


def choose_default(table: pd.DataFrame, baselines, reference: str, margin: float
                   ) -> tuple[str, pd.DataFrame]:
    """The default method and the ranking it was chosen by (group kind ``common``: every LA
    and origin where every method forecast). Each method's scores are averaged over horizons;
    ``mdape_1`` is its one-year median absolute % error. A method other than the ``baselines``
    is eligible when its mean MASE is below every baseline's and its ``mdape_1`` at least
    ``margin`` below ``reference``'s; the eligible method with the lowest mean MASE is the
    default, and if none is eligible, ``reference`` (the simplest honest choice)."""
    rows = table[table["group_kind"].eq("common")]
    ranking = (rows.groupby("method")[["mase", "mape", "mdape", "bias_pct", "coverage_80", "coverage_95"]]
               .mean())
    ranking["mdape_1"] = rows[rows["horizon"].eq(1)].set_index("method")["mdape"]
    ranking["baseline"] = ranking.index.isin(list(baselines))
    best_baseline = ranking.loc[ranking["baseline"], "mase"].min()
    bar = (1 - margin) * ranking.loc[reference, "mdape_1"]
    ranking["eligible"] = (~ranking["baseline"] & ranking["mase"].lt(best_baseline)
                           & ranking["mdape_1"].le(bar))
    ranking = ranking.sort_values("mase")
    eligible = ranking.index[ranking["eligible"]]
    return (str(eligible[0]) if len(eligible) else reference), ranking.reset_index()
