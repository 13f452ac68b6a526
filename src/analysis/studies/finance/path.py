"""The inputs of each LA's DSG balance path: the balance moves each year by the high needs
allocation less the modelled cost, plus what else moves it (:func:`residual`).

The cost of year ``y`` (financial year ending March ``y``) is each placement group's cost in the
outturn year (:mod:`.lines`), grown with the plans in that placement (SEN2 January ``y``, then
the demand forecast) and by ``cost_inflation`` a year; other high needs spending grows with all
plans. Plans are the LA's stable area's (its own where it has no predecessor), so the six LAs made
by reorganisations grow like their combined area. Allocations are as published to the last year
held, then by scenario (:func:`scenario_allocations`). The 80% interval carries the demand
forecast's cost at its lower and upper plans, which :mod:`.simulate` turns into the spread
of the demand error; the balances themselves are simulated there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.studies.finance.lines import OTHER

PATH_COLUMNS = ["code", "year", "kind", "scenario", "value", "lower", "upper"]


def plans_by_group(table: pd.DataFrame, placements: pd.DataFrame, origin: int, default: str,
                   screened: pd.DataFrame | None = None) -> pd.DataFrame:
    """Plans per forecast area, January year and placement group (and ``All plans``), with the
    80% interval: published up to the forecast's ``origin`` (interval = the value), then the
    ``default`` method's total times the projected placement shares. ``table`` and
    ``placements`` are the forecast's ``forecast_ehcp`` and ``forecast_placements`` tables;
    ``screened`` (area_code, year, value) the totals the data-quality screen put in place of
    implausible returns, used instead of them (a flagged return is never a base)."""
    t = table[table["origin"].eq(origin) & table["method"].isin(["actual", default])]
    totals = t[["area_code", "year", "value", "lower_80", "upper_80"]].copy()
    if screened is not None and len(screened):
        key = pd.MultiIndex.from_frame(totals[["area_code", "year"]])
        stand_in = screened.set_index(["area_code", "year"])["value"].reindex(key).to_numpy()
        totals["value"] = np.where(np.isnan(stand_in), totals["value"], stand_in)
    held = totals["lower_80"].isna()
    totals.loc[held, "lower_80"] = totals.loc[held, "value"]
    totals.loc[held, "upper_80"] = totals.loc[held, "value"]
    shares = placements[placements["origin"].eq(origin)][["area_code", "year", "placement", "share_pct"]]
    groups = shares.merge(totals, on=["area_code", "year"], how="inner")
    for column in ("value", "lower_80", "upper_80"):
        groups[column] = groups[column] * groups["share_pct"] / 100
    out = pd.concat([groups.drop(columns="share_pct").rename(columns={"placement": "group"}),
                     totals.assign(group="All plans")], ignore_index=True)
    return out.rename(columns={"area_code": "unit", "lower_80": "lower", "upper_80": "upper"})


def growth(plans: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Plans (value, lower, upper) over the base January's value, per unit and group, every
    year (before the base too, to carry the cost back); missing where either January is not
    published or the base is nil."""
    base = plans[plans["year"].eq(base_year)].set_index(["unit", "group"])["value"]
    scale = base.where(base > 0).reindex(pd.MultiIndex.from_frame(plans[["unit", "group"]])).to_numpy()
    out = plans.copy()
    for column in ("value", "lower", "upper"):
        out[column] = plans[column].to_numpy() / scale
    return out


def yearly_cost(costs: pd.DataFrame, grown: pd.DataFrame, units: pd.Series, base_year: int,
                inflation: float, years) -> pd.DataFrame:
    """Modelled high needs cost per LA ``code`` and year (value, lower, upper, pounds): each
    group's ``cost`` in ``base_year`` times its plans' growth in the LA's unit (``units``:
    code -> forecast area) and inflation; :data:`OTHER` grows with all plans, and so does a
    group whose plans are not published for the year (suppressed) or were nil in the base year
    (``fallback`` says so). Missing where even all plans are not published."""
    c = costs.assign(unit=costs["old_la_code"].map(units),
                     plan_group=costs["group"].where(costs["group"].ne(OTHER), "All plans"))
    allplans = grown[grown["group"].eq("All plans")].drop(columns="group")
    frames = []
    for year in years:
        g = grown[grown["year"].eq(year)].rename(columns={"group": "plan_group"})
        merged = c.merge(g.drop(columns="year"), on=["unit", "plan_group"], how="left")
        every = c[["unit"]].merge(allplans[allplans["year"].eq(year)].drop(columns="year"), on="unit",
                                  how="left")
        short = merged["value"].isna() & merged["cost"].ne(0)
        uplift = (1 + inflation) ** (year - base_year)
        parts = {}
        for k in ("value", "lower", "upper"):
            rate = merged[k].where(~short, every[k])
            parts[k] = (merged["cost"] * rate * uplift).where(merged["cost"].ne(0), 0.0)
        frame = pd.DataFrame({"code": merged["old_la_code"], "year": year, **parts, "fallback": short})
        grouped = frame.groupby(["code", "year"], sort=True)
        sums = grouped[["value", "lower", "upper"]].sum(min_count=1)
        sums[grouped[["value"]].count()["value"] < grouped.size()] = float("nan")   # a part missing
        frames.append(sums.assign(fallback=grouped["fallback"].any()).reset_index())
    return pd.concat(frames, ignore_index=True)


def scenario_allocations(actual: pd.DataFrame, england: pd.Series, scenario: dict, deflator: float,
                         to_year: int) -> pd.DataFrame:
    """High needs block allocations per ``code`` for the years after the last held (``actual``:
    code, year, value; ``england``: England's by year): ``national_totals`` shares each year's
    England total out in the LAs' shares of the last year held; ``real_terms`` grows the last
    year's by ``deflator`` a year; ``cash_trend`` carries on each LA's mean yearly growth (of
    logs) over ``window``."""
    last = int(actual["year"].max())
    latest = actual[actual["year"].eq(last)].set_index("code")["value"]
    years = range(last + 1, to_year + 1)
    kind = scenario["kind"]
    if kind == "national_totals":
        share = latest / england[last]
        rows = [pd.DataFrame({"code": share.index, "year": y,
                              "value": share.to_numpy() * float(scenario["totals"][y]["value"])})
                for y in years]
    elif kind == "real_terms":
        rows = [pd.DataFrame({"code": latest.index, "year": y,
                              "value": latest.to_numpy() * (1 + deflator) ** (y - last)}) for y in years]
    elif kind == "cash_trend":
        first, final = scenario["window"]
        span = actual[actual["year"].between(first, final)].sort_values("year")
        rate = span.groupby("code")["value"].apply(lambda v: np.log(v).diff().mean())
        rows = [pd.DataFrame({"code": latest.index, "year": y, "value": latest.to_numpy()
                              * np.exp(rate.reindex(latest.index).to_numpy() * (y - last))}) for y in years]
    else:
        raise DataError(f"unknown scenario kind {kind!r}")
    return pd.concat(rows, ignore_index=True)


def residual(balances: pd.DataFrame, allocations: pd.DataFrame, cost: pd.DataFrame, dsg: pd.Series,
             first: int, origin: int) -> tuple[pd.DataFrame, float]:
    """What moves a balance besides the high needs block and its cost (the other DSG blocks,
    transfers from the schools block, councils' own contributions), pounds a year per ``code``:
    the mean over the years ``first`` to ``origin`` of the balance's published change less the
    allocation plus the modelled cost. An LA without a published change in those years takes
    the median of the others as a share of its DSG income (``dsg``), and ``estimated`` says so.
    With it, the spread of one year's amount as a share of DSG income: within LAs across years
    (pooled, on the degrees of freedom left) where some LA has two years, else across LAs."""
    b = balances.pivot_table(index="code", columns="year", values="value")
    a = allocations.pivot_table(index="code", columns="year", values="value")
    c = cost.pivot_table(index="code", columns="year", values="value")
    years = [y for y in range(first, origin + 1) if y in b.columns and y - 1 in b.columns]
    parts = pd.concat([b[y] - b[y - 1] - a.get(y) + c.get(y) for y in years], axis=1) if years \
        else pd.DataFrame(index=c.index)
    mean = parts.mean(axis=1)
    codes = c.index
    own = mean.reindex(codes)
    income = dsg.reindex(codes)
    share = (own / income).median()
    out = own.fillna(income * share)
    shares = parts.reindex(codes).div(income, axis=0)
    counts = shares.notna().sum(axis=1)
    if (counts > 1).any():
        deviations = shares.sub(shares.mean(axis=1), axis=0)[counts > 1]
        spread = float(np.sqrt(np.nansum(deviations.to_numpy() ** 2) / (counts[counts > 1] - 1).sum()))
    else:
        spread = float(shares.stack().std())
    return (pd.DataFrame({"code": codes, "value": out.to_numpy(), "estimated": own.isna().to_numpy()}),
            spread)
