"""The "Demand outlook" of every LA's profile: its EHC plans held and forecast by the default
method with the 80% interval, by age band, and how accurate that method has been for LAs of its
type (from the forecast study, :mod:`analysis.studies.forecast`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.studies import forecast


@dataclass(frozen=True, eq=False)
class Outlook:
    """What every profile's outlook needs from one forecast run."""

    origin: int
    backtest_from: int       # the first backtest origin
    default: str
    horizon: int
    totals: pd.DataFrame     # area_code, year, method ("actual" or the default), value, lower/upper_80, basis
    ages: pd.DataFrame       # area_code, year, age_group, value (projected)
    accuracy: pd.DataFrame   # group (LA type), horizon, mdape, coverage_80, n
    flags: pd.DataFrame      # area_code, year, change_pct: returns the data-quality screen flagged
    ages_until: int | None = None   # the last January with an age split published


def build(f: forecast.Forecast, flags: pd.DataFrame) -> Outlook:
    """The forecast for every area (``f``), trimmed to what the profiles show, with the EHC
    plan returns the data-quality screen flagged (``flags``, the series ``ehcp_flags``)."""
    t = f.table[f.table["origin"].eq(f.origin) & f.table["method"].isin(["actual", f.default])]
    totals = t[t["year"].ge(f.assumptions.fit_from)][
        ["area_code", "year", "method", "value", "lower_80", "upper_80", "basis"]]
    ages = f.ages[f.ages["kind"].eq("projected")][["area_code", "year", "age_group", "value"]]
    accuracy = f.scores[f.scores["method"].eq(f.default) & f.scores["group_kind"].eq("LA type")][
        ["group", "horizon", "mdape", "coverage_80", "n"]]
    return Outlook(origin=f.origin, backtest_from=f.assumptions.backtest_origins[0], default=f.default,
                   horizon=f.assumptions.horizon,
                   totals=totals.reset_index(drop=True), ages=ages.reset_index(drop=True),
                   accuracy=accuracy.reset_index(drop=True),
                   flags=flags[["area_code", "year", "change_pct"]].reset_index(drop=True),
                   ages_until=int(f.ages.loc[f.ages["kind"].eq("actual"), "year"].max()))


def for_la(outlook: Outlook, code: str) -> dict:
    """One LA's part: its totals, ages and its type's accuracy are picked by the page."""
    return {"totals": outlook.totals[outlook.totals["area_code"].eq(code)],
            "ages": outlook.ages[outlook.ages["area_code"].eq(code)],
            "flags": outlook.flags[outlook.flags["area_code"].eq(code)]}
